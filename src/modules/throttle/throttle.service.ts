/**
 * Per-client limits on public submissions (issue 5 §6), counted in the database so that every web process
 * shares one count. The client key (an address, an API token id) is hashed before it is stored.
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../../kernel/clock.js';
import type { Database } from '../../kernel/db.js';
import * as repo from './throttle.repository.js';
import { checkRule, verdict, windowStart, type ThrottleRule, type ThrottleVerdict } from './throttle.rules.js';

export interface ThrottleService {
  /** Counts one request of `key` in `bucket` and says whether it is within `rule`. */
  hit(bucket: string, key: string, rule: ThrottleRule): Promise<ThrottleVerdict>;
  /** Deletes the counts of windows that ended more than a day ago; returns how many rows went. */
  purge(): Promise<number>;
}

const MAX_WINDOW_S = 86_400;

export function createThrottleService(database: Database, clock: Clock): ThrottleService {
  const { db } = database;
  return {
    async hit(bucket, key, rule) {
      checkRule(rule);
      const now = clock.now();
      const keyHash = createHash('sha256').update(`${bucket}\u0000${key}`).digest('base64url').slice(0, 22);
      const hits = await repo.hit(db, bucket.slice(0, 60), keyHash, windowStart(now, rule.windowS));
      return verdict(hits, rule, now);
    },
    purge() {
      return repo.deleteBefore(db, new Date(clock.now().getTime() - MAX_WINDOW_S * 1000));
    },
  };
}
