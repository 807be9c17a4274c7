/**
 * The MQTT topic scheme (docs/lifeline.md):
 *   zhizhi/v1/readings/{key}   a device publishes readings (QoS 1), {key} being its credential's key;
 *   zhizhi/v1/refusals/{key}   Zhizhi publishes the readings it refused, with reasons (QoS 0), for that device.
 */
export const TOPIC_ROOT = 'zhizhi/v1';
export const readingsTopic = (key: string) => `${TOPIC_ROOT}/readings/${key}`;
export const refusalsTopic = (key: string) => `${TOPIC_ROOT}/refusals/${key}`;

const READINGS = new RegExp(`^${TOPIC_ROOT}/readings/([A-Za-z0-9_-]{3,64})$`);

/** The credential key named by a readings topic, or null for any other topic. */
export function keyOfReadingsTopic(topic: string): string | null {
  return READINGS.exec(topic)?.[1] ?? null;
}
