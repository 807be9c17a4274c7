import { expect, it } from 'vitest';
import { describeEachEngine } from '../../test/db.js';
import { FakeClock } from '../kernel/clock.js';
import { silentLogger } from '../kernel/logger.js';
import { createMetrics } from '../kernel/metrics.js';
import { findSchedules } from './job-schedule.repository.js';
import { createScheduler, type Job } from './scheduler.js';

describeEachEngine('worker scheduler', (suite) => {
  const deps = (clock: FakeClock) => ({ database: suite.database, clock, logger: silentLogger, metrics: createMetrics({ defaultMetrics: false }), pollMs: 1000 });

  it('runs a due job once, then again only after its interval; after downtime it runs once at once', async () => {
    const clock = new FakeClock('2026-03-02T09:00:00+08:00');
    let runs = 0;
    const job: Job = { name: 'count-a', intervalSeconds: 60, run: async () => void runs++ };
    const s = createScheduler([job], deps(clock));
    await s.start();
    await s.stop(); // start() also ran the first tick; stop waits for it
    expect(runs).toBe(1);
    expect(await s.tick()).toBe(0);
    clock.advance(59_000);
    expect(await s.tick()).toBe(0);
    clock.advance(1_000);
    expect(await s.tick()).toBe(0); // stopped schedulers do not run
    const s2 = createScheduler([job], deps(clock));
    expect(await s2.tick()).toBe(1);
    expect(runs).toBe(2);
    clock.advance(10 * 3600_000); // ten hours down
    expect(await s2.tick()).toBe(1);
    expect(await s2.tick()).toBe(0);
    expect(runs).toBe(3);
  });

  it('never runs one job on two workers at once', async () => {
    const clock = new FakeClock('2026-03-02T09:00:00+08:00');
    let running = 0;
    let maxRunning = 0;
    let runs = 0;
    const job: Job = {
      name: 'count-b',
      intervalSeconds: 3600,
      async run() {
        running++;
        maxRunning = Math.max(maxRunning, running);
        runs++;
        await new Promise((r) => setTimeout(r, 100));
        running--;
      },
    };
    const workers = [1, 2, 3].map(() => createScheduler([job], deps(clock)));
    await workers[0]!.start();
    await workers[0]!.stop();
    clock.advance(3600_000);
    const counts = await Promise.all(workers.slice(1).map((w) => w.tick()));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1);
    expect(runs).toBe(2);
    expect(maxRunning).toBe(1);
  });

  it('records a failing job and keeps its schedule', async () => {
    const clock = new FakeClock('2026-03-02T09:00:00+08:00');
    const job: Job = {
      name: 'fails',
      intervalSeconds: 30,
      run: async () => {
        throw new Error('upstream down');
      },
    };
    const s = createScheduler([job], deps(clock));
    await s.start();
    await s.stop();
    const row = (await findSchedules(suite.database.db)).find((r) => r.name === 'fails')!;
    expect(row.last_error).toBe('upstream down');
    expect(row.run_count).toBe(1);
    expect(row.locked_by).toBeNull();
    expect(row.next_run_at.getTime()).toBe(clock.now().getTime() + 30_000);
  });

  it('lets another worker take over a job whose worker died mid-run, once the lease expires', async () => {
    const clock = new FakeClock('2026-03-02T09:00:00+08:00');
    let calls = 0;
    const hang: Job = { name: 'hangs', intervalSeconds: 600, leaseSeconds: 120, run: () => (calls++ === 0 ? new Promise(() => {}) : Promise.resolve()) };
    const dying = createScheduler([hang], deps(clock));
    await dying.register();
    void dying.tick(); // never finishes: its process "died"
    await new Promise((r) => setTimeout(r, 50));
    const other = createScheduler([hang], deps(clock));
    expect(await other.tick()).toBe(0);
    clock.advance(121_000);
    expect(await other.tick()).toBe(1);
    expect(calls).toBe(2);
  });
});
