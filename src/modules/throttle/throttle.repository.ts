/** All SQL of the throttle module. */
import { sql } from 'kysely';
import type { Executor } from '../../kernel/db.js';

export interface RequestThrottlesTable {
  bucket: string;
  key_hash: string;
  window_start: Date;
  hits: number;
}

type Db = Executor<{ request_throttles: RequestThrottlesTable }>;

/** Counts one hit in the window and returns the window's count, in one statement (exact under concurrency). */
export async function hit(db: Db, bucket: string, keyHash: string, windowStart: Date): Promise<number> {
  const row = await db
    .insertInto('request_throttles')
    .values({ bucket, key_hash: keyHash, window_start: windowStart, hits: 1 })
    .onConflict((oc) => oc.columns(['bucket', 'key_hash', 'window_start']).doUpdateSet({ hits: sql`request_throttles.hits + 1` }))
    .returning('hits')
    .executeTakeFirstOrThrow();
  return row.hits;
}

export async function deleteBefore(db: Db, before: Date): Promise<number> {
  const r = await db.deleteFrom('request_throttles').where('window_start', '<', before).executeTakeFirst();
  return Number(r.numDeletedRows);
}
