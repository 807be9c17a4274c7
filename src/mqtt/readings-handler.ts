/**
 * One MQTT message of readings, whichever broker carried it: check its size and encoding, hand it to the ingest
 * use case, count the outcome, and say what to send back on the device's refusals topic.
 */
import type { Logger } from '../kernel/logger.js';
import type { Metrics } from '../kernel/metrics.js';
import type { DeviceIdentity, IngestResult, TelemetryService } from '../modules/lifeline/index.js';
import { ingestCounters } from '../transport/ingest-metrics.js';

export interface ReadingsHandler {
  /** Resolves after the accepted readings are committed (then the message may be acknowledged); rejects when they could not be stored. */
  handle(device: DeviceIdentity, payload: Buffer): Promise<{ result: IngestResult; reply: string | null }>;
  /** Counts a message refused before it reached ingest (unknown key, wrong topic, not authorised). */
  refuseMessage(reason: string): void;
}

export function readingsHandler(deps: { telemetry: TelemetryService; metrics: Metrics; logger: Logger; maxPayloadBytes: number }): ReadingsHandler {
  const counters = ingestCounters(deps.metrics);
  const messages = deps.metrics.counter('zhizhi_mqtt_messages_total', 'MQTT messages on the readings topics by outcome', ['outcome']);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  return {
    async handle(device, payload) {
      let result: IngestResult;
      if (payload.length > deps.maxPayloadBytes) {
        result = { accepted: 0, duplicates: 0, refused: [{ index: -1, sensor: null, reason: 'too_many_readings' }] };
      } else {
        let text: string | undefined;
        try {
          text = decoder.decode(payload);
        } catch {
          text = undefined;
        }
        try {
          result = text === undefined ? { accepted: 0, duplicates: 0, refused: [{ index: -1, sensor: null, reason: 'malformed' }] } : await deps.telemetry.ingestText(device, text);
        } catch (e) {
          messages.inc({ outcome: 'failed' });
          deps.logger.warn({ err: e, device: device.key }, 'readings not stored; the message is not acknowledged');
          throw e;
        }
      }
      counters.count('mqtt', result);
      messages.inc({ outcome: result.refused.length === 0 ? 'accepted' : result.accepted + result.duplicates > 0 ? 'partly_refused' : 'refused' });
      const reply = result.refused.length ? JSON.stringify({ accepted: result.accepted, duplicates: result.duplicates, refused: result.refused.slice(0, 1000) }) : null;
      return { result, reply };
    },
    refuseMessage(reason) {
      messages.inc({ outcome: 'refused' });
      counters.refuse('mqtt', reason);
    },
  };
}
