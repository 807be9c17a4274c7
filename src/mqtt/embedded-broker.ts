/**
 * The embedded MQTT broker (aedes) of the `broker` role: devices connect with their credential (user name = key,
 * password = secret), may publish only on their own readings topic and subscribe only to their own refusals
 * topic. Readings are ingested inside the publish authorisation hook, so the broker acknowledges a QoS 1 message
 * (PUBACK) only after its readings are committed; while a batch is written the device's connection waits, which
 * is the back-pressure that slows a device down. A storage failure disconnects the device without PUBACK, so it
 * sends the message again.
 */
import net from 'node:net';
import { Aedes, type AuthenticateError, type Client } from 'aedes';
import type { Logger } from '../kernel/logger.js';
import type { Metrics } from '../kernel/metrics.js';
import type { DeviceIdentity, TelemetryService } from '../modules/lifeline/index.js';
import { readingsHandler } from './readings-handler.js';
import { keyOfReadingsTopic, refusalsTopic } from './topics.js';

export class MqttPortInUseError extends Error {
  override readonly name = 'MqttPortInUseError';
}

export interface EmbeddedBroker {
  readonly port: number;
  readonly broker: Aedes;
  close(): Promise<void>;
}

const authError = (message: string, returnCode: 3 | 4 | 5): AuthenticateError => Object.assign(new Error(message), { returnCode }) as AuthenticateError;

export async function startEmbeddedBroker(deps: {
  telemetry: TelemetryService;
  metrics: Metrics;
  logger: Logger;
  host: string;
  port: number;
  maxPayloadBytes: number;
}): Promise<EmbeddedBroker> {
  const { telemetry, logger } = deps;
  const handler = readingsHandler({ telemetry, metrics: deps.metrics, logger, maxPayloadBytes: deps.maxPayloadBytes });
  const connections = deps.metrics.counter('zhizhi_mqtt_connections_total', 'MQTT connection attempts to the embedded broker by outcome', ['outcome']);
  const devices = new WeakMap<Client, DeviceIdentity>();

  const broker = await Aedes.createBroker({
    authenticate(client, username, password, done) {
      if (!username || !password) {
        connections.inc({ outcome: 'refused' });
        return done(authError('user name (credential key) and password (secret) required', 4), null);
      }
      telemetry.authenticate(username, password.toString('utf8')).then(
        (device) => {
          if (!device) {
            connections.inc({ outcome: 'refused' });
            return done(authError('bad credential', 4), null);
          }
          devices.set(client, device);
          connections.inc({ outcome: 'accepted' });
          done(null, true);
        },
        (e) => {
          logger.warn({ err: e }, 'mqtt authentication failed');
          done(authError('server unavailable', 3), null);
        },
      );
    },
    authorizePublish(client, packet, callback) {
      if (!client) return callback(null); // the broker's own messages (refusal replies)
      const device = devices.get(client);
      const key = keyOfReadingsTopic(packet.topic);
      if (!device || key !== device.key) {
        handler.refuseMessage('forbidden_topic');
        return callback(new Error(`not allowed to publish on ${packet.topic}`));
      }
      const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
      handler.handle(device, payload).then(
        ({ reply }) => {
          callback(null);
          if (reply) broker.publish({ cmd: 'publish', topic: refusalsTopic(device.key), payload: Buffer.from(reply), qos: 0, retain: false, dup: false }, () => undefined);
        },
        (e: Error) => callback(e),
      );
    },
    authorizeSubscribe(client, subscription, callback) {
      const device = devices.get(client);
      if (device && subscription.topic === refusalsTopic(device.key)) return callback(null, subscription);
      // Refused with a failure return code in the SUBACK (0x80), the connection stays up.
      callback(null, null);
    },
  });
  broker.on('clientError', (client, e) => logger.debug({ client: client?.id, err: e.message }, 'mqtt client error'));
  broker.on('connectionError', (client, e) => logger.debug({ client: client?.id, err: e.message }, 'mqtt connection error'));

  const server = net.createServer(broker.handle);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(deps.port, deps.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    await new Promise<void>((r) => broker.close(() => r()));
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new MqttPortInUseError(
        `MQTT port ${deps.port} on ${deps.host} is already in use (another MQTT broker, such as Mosquitto, may hold it). ` +
          'Set MQTT_PORT to a free port for the embedded broker, or MQTT_URL to use the broker that is running.',
      );
    }
    if (code === 'EACCES') throw new MqttPortInUseError(`Not allowed to listen on ${deps.host}:${deps.port} for MQTT; choose MQTT_PORT above 1023.`);
    throw e;
  }
  server.on('error', (e) => logger.error({ err: e }, 'mqtt server error'));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    broker,
    async close() {
      // Stop accepting, then end the devices' connections (server.close alone waits for them to end).
      const stopped = new Promise<void>((r) => server.close(() => r()));
      await new Promise<void>((r) => broker.close(() => r()));
      await stopped;
      await telemetry.drain();
    },
  };
}
