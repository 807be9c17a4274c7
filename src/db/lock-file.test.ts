import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DirectoryLockedError, acquireDirectoryLock } from './lock-file.js';

const lockPath = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'zz-lock-')), 'pg.lock');
const writeOwner = (file: string, pid: number) =>
  fs.writeFileSync(file, JSON.stringify({ pid, hostname: os.hostname(), startedAt: '2026-01-01T00:00:00.000Z' }));

const children: { kill(): void }[] = [];
afterEach(() => children.splice(0).forEach((c) => c.kill()));

describe('directory lock', () => {
  it('lets one owner in and refuses a second, naming the first', () => {
    const file = lockPath();
    const lock = acquireDirectoryLock(file);
    expect(() => acquireDirectoryLock(file)).toThrow(DirectoryLockedError);
    expect(() => acquireDirectoryLock(file)).toThrow(new RegExp(`pid ${process.pid}`));
    lock.release();
    expect(fs.existsSync(file)).toBe(false);
    acquireDirectoryLock(file).release();
  });

  it('refuses while another live process holds the lock', () => {
    const file = lockPath();
    const child = spawn('sleep', ['30']);
    children.push(child);
    writeOwner(file, child.pid!);
    expect(() => acquireDirectoryLock(file)).toThrow(/in use by another process/);
    expect(fs.existsSync(file)).toBe(true);
  });

  it('takes over a lock left by a process that died', () => {
    const file = lockPath();
    const dead = spawnSync('true');
    writeOwner(file, dead.pid!);
    const lock = acquireDirectoryLock(file);
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('takes over a lock file that is empty or unreadable (a crash while writing it)', () => {
    const file = lockPath();
    fs.writeFileSync(file, '');
    acquireDirectoryLock(file).release();
  });

  it('does not remove a lock that another owner took after it', () => {
    const file = lockPath();
    const lock = acquireDirectoryLock(file);
    writeOwner(file, 1);
    lock.release();
    expect(fs.existsSync(file)).toBe(true);
  });
});
