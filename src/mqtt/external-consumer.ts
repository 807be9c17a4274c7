/**
 * The consumer of an external broker (MQTT_URL: Mosquitto, EMQX, …). The broker authenticates devices and
 * enforces that each publishes only on its own topic (for Mosquitto: an ACL line `pattern write
 * zhizhi/v1/readings/%u`); Zhizhi checks that the topic's key is a current credential and that every reading is
 * within its reach. Several connections share one subscription ($share), so several processes (and several
 * connections in one) split the messages; each connection takes one message at a time and acknowledges it only
 * after its readings are committed. Sessions are persistent (clean = false), so messages that arrive while the
 * consumer is down are delivered when it is back.
 */
import mqtt, { type MqttClient } from 'mqtt';
import type { Logger } from '../kernel/logger.js';
import type { Metrics } from '../kernel/metrics.js';
import type { TelemetryService } from '../modules/lifeline/index.js';
import { readingsHandler } from './readings-handler.js';
import { keyOfReadingsTopic, refusalsTopic, TOPIC_ROOT } from './topics.js';

export interface ExternalConsumer {
  readonly clients: readonly MqttClient[];
  /** Resolves when every connection has subscribed. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

export function startExternalConsumer(deps: {
  telemetry: TelemetryService;
  metrics: Metrics;
  logger: Logger;
  url: string;
  clientId: string;
  consumers: number;
  sharedGroup: string;
  maxPayloadBytes: number;
}): ExternalConsumer {
  const { telemetry, logger } = deps;
  const handler = readingsHandler({ telemetry, metrics: deps.metrics, logger, maxPayloadBytes: deps.maxPayloadBytes });
  const filter = `$share/${deps.sharedGroup}/${TOPIC_ROOT}/readings/+`;
  const subscribed: Promise<void>[] = [];
  const clients = Array.from({ length: deps.consumers }, (_, i) => {
    const client = mqtt.connect(deps.url, { clientId: `${deps.clientId}-${i}`, clean: false, reconnectPeriod: 2000, connectTimeout: 10_000 });
    subscribed.push(
      new Promise<void>((resolve) => {
        client.on('connect', (connack) => {
          logger.info({ url: deps.url.replace(/\/\/[^@/]*@/, '//***@'), clientId: `${deps.clientId}-${i}`, sessionPresent: connack.sessionPresent }, 'mqtt consumer connected');
          client.subscribe(filter, { qos: 1 }, (e) => {
            if (e) logger.error({ err: e }, 'mqtt subscription failed');
            else resolve();
          });
        });
      }),
    );
    client.on('error', (e) => logger.warn({ err: e.message }, 'mqtt consumer error'));
    // mqtt.js acknowledges a QoS 1 message once this callback is called: only after the readings are stored.
    client.handleMessage = (packet, done) => {
      if (packet.cmd !== 'publish') return done();
      const key = keyOfReadingsTopic(packet.topic);
      if (!key) return done();
      void (async () => {
        const device = await telemetry.deviceForKey(key);
        if (!device) {
          handler.refuseMessage('unknown_credential');
          return done();
        }
        const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
        const { reply } = await handler.handle(device, payload);
        if (reply) client.publish(refusalsTopic(key), reply, { qos: 0 });
        done();
      })().catch((e: Error) => {
        // Not acknowledged: drop the connection so the broker delivers the message again.
        logger.warn({ err: e.message }, 'mqtt message not stored; reconnecting for redelivery');
        client.stream.destroy();
      });
    };
    return client;
  });
  return {
    clients,
    ready: () => Promise.all(subscribed).then(() => undefined),
    async close() {
      await Promise.all(clients.map((c) => c.endAsync()));
      await telemetry.drain();
    },
  };
}
