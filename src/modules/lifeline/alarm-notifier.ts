/**
 * Alarm notifications leave through this interface, from the outbox, never inside a transaction. The default
 * writes a log line (a deployment watches it or points ALARM_WEBHOOK_URL at its messaging gateway); the webhook
 * notifier posts JSON and treats any non-2xx answer as a failure to retry.
 */
import type { Logger } from '../../kernel/logger.js';
import type { Grade } from './alarm-rule.rules.js';

export interface AlarmNotification {
  readonly alarmId: number;
  readonly event: string;
  readonly unitCode: string;
  readonly unitName: string;
  readonly grade: Grade;
  readonly status: string;
  readonly assetName: string;
  readonly sensorCode: string;
  readonly type: string;
  readonly value: number | null;
  readonly unit: string;
  readonly raisedAt: Date;
  readonly url: string;
}

export interface AlarmNotifier {
  notify(n: AlarmNotification): Promise<void>;
}

export function loggingNotifier(logger: Logger): AlarmNotifier {
  return {
    async notify(n) {
      logger.info({ alarmId: n.alarmId, event: n.event, unit: n.unitCode, grade: n.grade, asset: n.assetName, sensor: n.sensorCode }, 'alarm notification');
    },
  };
}

export function webhookNotifier(url: string, timeoutMs = 5000): AlarmNotifier {
  return {
    async notify(n) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ source: 'zhizhi.lifeline', ...n, raisedAt: n.raisedAt.toISOString() }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!res.ok) throw new Error(`webhook answered ${res.status}`);
    },
  };
}
