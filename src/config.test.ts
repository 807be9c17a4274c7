import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('runs on the embedded database in ./data with demo data when the environment is empty', () => {
    const c = loadConfig({}, '/srv/zhizhi');
    expect(c.port).toBe(3000);
    expect(c.role).toBe('all');
    expect(c.dataDir).toBe('/srv/zhizhi/data');
    expect(c.database).toEqual({ kind: 'pglite', dir: '/srv/zhizhi/data/pg' });
    expect(c.uploadDir).toBe('/srv/zhizhi/data/files');
    expect(c.demo).toBe(true);
    expect(c.publicUrl).toBe('http://127.0.0.1:3000');
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('uses PostgreSQL when DATABASE_URL is set, and then seeds no demo data unless asked', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://u@db:5432/zz', DB_POOL_SIZE: '4' });
    expect(c.database).toEqual({ kind: 'postgres', url: 'postgres://u@db:5432/zz', poolSize: 4, preparedStatements: true });
    expect(loadConfig({ DATABASE_URL: 'postgres://u@db/zz', DB_PREPARED_STATEMENTS: 'false' }).database).toMatchObject({ preparedStatements: false });
    expect(c.demo).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgres://u@db/zz', DEMO: 'true' }).demo).toBe(true);
  });

  it('reports every problem at once', () => {
    try {
      loadConfig({ PORT: 'eighty', ROLE: 'boss', DATABASE_URL: 'mysql://x', DEMO: 'maybe', SECRET_KEY: 'short' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const problems = (e as ConfigError).problems.join('\n');
      for (const key of ['PORT', 'ROLE', 'DATABASE_URL', 'DEMO', 'SECRET_KEY']) expect(problems).toContain(key);
      expect((e as ConfigError).problems).toHaveLength(5);
    }
  });

  it('takes a 32-byte base64 REPORTER_KEY and refuses anything else', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(loadConfig({ REPORTER_KEY: key }).reporterKey).toBe(key);
    expect(loadConfig({}).reporterKey).toBeUndefined();
    for (const bad of [Buffer.alloc(16, 7).toString('base64'), 'not base64 at all, but long enough to be 44 c', `${key.slice(0, 43)}!`]) {
      expect(() => loadConfig({ REPORTER_KEY: bad })).toThrow(/REPORTER_KEY: must be 32 bytes in base64/);
    }
  });

  it('treats empty variables as unset and shows 0.0.0.0 as localhost in the public address', () => {
    const c = loadConfig({ PORT: '', HOST: '0.0.0.0', DATA_DIR: '' }, '/x');
    expect(c.port).toBe(3000);
    expect(c.publicUrl).toBe('http://localhost:3000');
    expect(c.dataDir).toBe('/x/data');
  });

  it('prefers PUBLIC_URL without its trailing slash', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://zz.example.gov.cn/' }).publicUrl).toBe('https://zz.example.gov.cn');
  });

  it('takes TRUST_PROXY as true, false or a number of proxies, and refuses anything else', () => {
    expect(loadConfig({}).trustProxy).toBe(0);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'off' }).trustProxy).toBe(0);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    for (const bad of ['11', '-1', 'maybe', '1.5']) expect(() => loadConfig({ TRUST_PROXY: bad })).toThrow(/TRUST_PROXY: must be true, false or the number of proxies/);
  });
});
