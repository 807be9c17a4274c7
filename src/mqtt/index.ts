/**
 * MQTT ingest for the `broker` role: the embedded broker, or a consumer of the external broker named by MQTT_URL.
 * A taken port is reported clearly and leaves the rest of the process running (HTTP ingest still works).
 */
import type { Config } from '../config.js';
import type { Logger } from '../kernel/logger.js';
import type { Metrics } from '../kernel/metrics.js';
import type { TelemetryService } from '../modules/lifeline/index.js';
import { MqttPortInUseError, startEmbeddedBroker } from './embedded-broker.js';
import { startExternalConsumer } from './external-consumer.js';

export { MqttPortInUseError, startEmbeddedBroker, type EmbeddedBroker } from './embedded-broker.js';
export { startExternalConsumer } from './external-consumer.js';
export { keyOfReadingsTopic, readingsTopic, refusalsTopic, TOPIC_ROOT } from './topics.js';

export interface MqttIngest {
  /** What runs: the embedded broker on a port, the consumer of an external broker, or nothing (with why). */
  readonly description: string;
  close(): Promise<void>;
}

export async function startMqttIngest(config: Config, deps: { telemetry: TelemetryService; metrics: Metrics; logger: Logger }): Promise<MqttIngest> {
  const m = config.mqtt;
  if (!m.enabled) return { description: 'MQTT ingest off (MQTT_ENABLED=false)', close: async () => {} };
  if (m.url) {
    const consumer = startExternalConsumer({ ...deps, url: m.url, clientId: m.clientId, consumers: m.consumers, sharedGroup: m.sharedGroup, maxPayloadBytes: m.maxPayloadBytes });
    return { description: `MQTT consumer of ${m.url.replace(/\/\/[^@/]*@/, '//***@')} (${m.consumers} connections)`, close: () => consumer.close() };
  }
  try {
    const broker = await startEmbeddedBroker({ ...deps, host: m.host, port: m.port, maxPayloadBytes: m.maxPayloadBytes });
    deps.logger.info({ host: m.host, port: broker.port }, 'embedded mqtt broker listening');
    return { description: `embedded MQTT broker on ${m.host}:${broker.port}`, close: () => broker.close() };
  } catch (e) {
    if (!(e instanceof MqttPortInUseError)) throw e;
    deps.logger.error({ port: m.port }, e.message);
    return { description: `MQTT ingest not running: ${e.message}`, close: async () => {} };
  }
}
