/** All SQL of the worker's schedule table. */
import { sql } from 'kysely';
import type { Executor } from '../kernel/db.js';

export interface JobSchedulesTable {
  name: string;
  interval_seconds: number;
  next_run_at: Date;
  locked_by: string | null;
  locked_until: Date | null;
  last_started_at: Date | null;
  last_finished_at: Date | null;
  last_error: string | null;
  run_count: number;
}

type Db = Executor<{ job_schedules: JobSchedulesTable }>;

/** Registers jobs (new ones are due at once); changes the interval of existing ones. */
export async function upsertSchedules(db: Db, jobs: readonly { name: string; intervalSeconds: number }[], now: Date): Promise<void> {
  for (const job of jobs) {
    await db
      .insertInto('job_schedules')
      .values({ name: job.name, interval_seconds: job.intervalSeconds, next_run_at: now, run_count: 0 })
      .onConflict((oc) => oc.column('name').doUpdateSet({ interval_seconds: job.intervalSeconds }))
      .execute();
  }
}

/**
 * Claims one due job for `worker` until `leaseUntil`. FOR UPDATE SKIP LOCKED lets several workers claim at once
 * without waiting on each other or taking the same row; an expired lease (its worker died) is claimable again.
 */
export async function claimDueJob(db: Db, worker: string, now: Date, leaseUntil: Date, names: readonly string[]): Promise<string | undefined> {
  if (names.length === 0) return undefined;
  const result = await sql<{ name: string }>`
    update job_schedules set locked_by = ${worker}, locked_until = ${leaseUntil}, last_started_at = ${now}
    where name = (
      select name from job_schedules
      where next_run_at <= ${now}
        and (locked_until is null or locked_until < ${now})
        and name = any(${names as string[]})
      order by next_run_at
      limit 1
      for update skip locked
    )
    returning name`.execute(db);
  return result.rows[0]?.name;
}

export async function finishJob(db: Db, name: string, worker: string, finishedAt: Date, error: string | null): Promise<void> {
  await sql`
    update job_schedules
    set locked_by = null, locked_until = null, last_finished_at = ${finishedAt}, last_error = ${error},
        run_count = run_count + 1,
        next_run_at = ${finishedAt}::timestamptz + make_interval(secs => interval_seconds)
    where name = ${name} and locked_by = ${worker}`.execute(db);
}

export async function findSchedules(db: Db) {
  return db.selectFrom('job_schedules').selectAll().orderBy('name').execute();
}
