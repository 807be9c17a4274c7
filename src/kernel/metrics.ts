/**
 * Prometheus metrics shared by every part of the process. One registry per process: each process of a
 * scaled-out deployment exposes its own `/metrics`, and Prometheus sums them.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics, Gauge } from 'prom-client';

export interface Metrics {
  readonly registry: Registry;
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: Histogram<'method' | 'route'>;
  readonly dbQueryDuration: Histogram<'statement' | 'outcome'>;
  readonly jobRuns: Counter<'job' | 'outcome'>;
  readonly ready: Gauge;
  /** A counter registered on first use, for modules that count refusals and the like. */
  counter(name: string, help: string, labelNames?: readonly string[]): Counter<string>;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'zhizhi_' });
  const counters = new Map<string, Counter<string>>();
  return {
    registry,
    httpRequests: new Counter({
      name: 'zhizhi_http_requests_total',
      help: 'HTTP requests by method, matched route and status',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'zhizhi_http_request_duration_seconds',
      help: 'HTTP request latency by method and matched route',
      labelNames: ['method', 'route'],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    dbQueryDuration: new Histogram({
      name: 'zhizhi_db_query_duration_seconds',
      help: 'Database statement latency by statement kind and outcome',
      labelNames: ['statement', 'outcome'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
      registers: [registry],
    }),
    jobRuns: new Counter({
      name: 'zhizhi_job_runs_total',
      help: 'Worker job runs by job and outcome',
      labelNames: ['job', 'outcome'],
      registers: [registry],
    }),
    ready: new Gauge({ name: 'zhizhi_ready', help: '1 when the database is reachable and migrations are current', registers: [registry] }),
    counter(name, help, labelNames = []) {
      let c = counters.get(name);
      if (!c) {
        c = new Counter({ name, help, labelNames: [...labelNames], registers: [registry] });
        counters.set(name, c);
      }
      return c;
    },
  };
}
