/**
 * The worker role's loop. Jobs are registered with an interval; their schedule lives in the database, so any
 * number of worker processes can run, each job runs on one of them at a time, and after downtime every overdue
 * job is simply due and runs at once (catching up).
 */
import os from 'node:os';
import type { Clock } from '../kernel/clock.js';
import type { Database } from '../kernel/db.js';
import type { Logger } from '../kernel/logger.js';
import type { Metrics } from '../kernel/metrics.js';
import { newId } from '../kernel/ids.js';
import * as repo from './job-schedule.repository.js';

export interface JobContext {
  readonly log: Logger;
  readonly now: Date;
}

export interface Job {
  readonly name: string;
  readonly intervalSeconds: number;
  /** How long a run may take before another worker may assume this one died. */
  readonly leaseSeconds?: number;
  run(ctx: JobContext): Promise<void>;
}

export interface SchedulerDeps {
  readonly database: Database;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly pollMs: number;
}

export interface Scheduler {
  readonly workerId: string;
  /** Records the jobs and their intervals in the schedule table (new jobs are due at once). */
  register(): Promise<void>;
  /** Runs every due job once and returns how many ran; the loop calls this, and so can tests. */
  tick(): Promise<number>;
  start(): Promise<void>;
  /** Stops polling and waits for the running job to finish. */
  stop(): Promise<void>;
}

export function createScheduler(jobs: readonly Job[], deps: SchedulerDeps): Scheduler {
  const workerId = `${os.hostname()}:${process.pid}:${newId().slice(0, 8)}`;
  const byName = new Map(jobs.map((j) => [j.name, j]));
  const names = [...byName.keys()];
  // One lease long enough for the slowest job; a worker that dies mid-run frees its job after this.
  const leaseMs = Math.max(60, ...jobs.map((j) => j.leaseSeconds ?? 0)) * 1000;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;

  async function runOne(): Promise<boolean> {
    const now = deps.clock.now();
    const lease = new Date(now.getTime() + leaseMs);
    const name = await repo.claimDueJob(deps.database.db, workerId, now, lease, names);
    if (!name) return false;
    const job = byName.get(name)!;
    const log = deps.logger.child({ job: name, workerId });
    let error: string | null = null;
    const started = performance.now();
    try {
      await job.run({ log, now });
      deps.metrics.jobRuns.inc({ job: name, outcome: 'ok' });
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
      deps.metrics.jobRuns.inc({ job: name, outcome: 'error' });
      log.error({ err: e }, 'job failed');
    }
    await repo.finishJob(deps.database.db, name, workerId, deps.clock.now(), error);
    log.debug({ ms: Math.round(performance.now() - started) }, 'job finished');
    return true;
  }

  const scheduler: Scheduler = {
    workerId,
    async tick() {
      let count = 0;
      while (!stopped && (await runOne())) count++;
      return count;
    },
    async register() {
      await repo.upsertSchedules(
        deps.database.db,
        jobs.map((j) => ({ name: j.name, intervalSeconds: j.intervalSeconds })),
        deps.clock.now(),
      );
    },
    async start() {
      await scheduler.register();
      deps.logger.info({ workerId, jobs: names }, 'worker started');
      const loop = () => {
        if (stopped) return;
        running = scheduler
          .tick()
          .catch((e) => deps.logger.warn({ err: e }, 'worker tick failed'))
          .finally(() => {
            if (!stopped) timer = setTimeout(loop, deps.pollMs);
          });
      };
      loop();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
  return scheduler;
}
