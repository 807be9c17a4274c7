/**
 * Counts what telemetry transports (MQTT, HTTP) accepted and refused, by reason, in /metrics. Shared so that both
 * transports report under the same names: zhizhi_telemetry_readings_total{transport,outcome} and
 * zhizhi_telemetry_refusals_total{transport,reason}.
 */
import type { Metrics } from '../kernel/metrics.js';
import type { IngestResult } from '../modules/lifeline/index.js';

export type Transport = 'mqtt' | 'http';

export function ingestCounters(metrics: Metrics) {
  const readings = metrics.counter('zhizhi_telemetry_readings_total', 'Telemetry readings by transport and outcome (accepted, duplicate, refused)', ['transport', 'outcome']);
  const refusals = metrics.counter('zhizhi_telemetry_refusals_total', 'Refused telemetry readings (or whole messages) by transport and reason', ['transport', 'reason']);
  return {
    count(transport: Transport, r: IngestResult): void {
      if (r.accepted) readings.inc({ transport, outcome: 'accepted' }, r.accepted);
      if (r.duplicates) readings.inc({ transport, outcome: 'duplicate' }, r.duplicates);
      if (r.refused.length) {
        readings.inc({ transport, outcome: 'refused' }, r.refused.length);
        for (const x of r.refused) refusals.inc({ transport, reason: x.reason });
      }
    },
    refuse(transport: Transport, reason: string, n = 1): void {
      refusals.inc({ transport, reason }, n);
    },
  };
}
