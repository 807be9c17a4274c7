import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../kernel/logger.js';
import { createReporterCipher, keyIdOf } from './reporter-cipher.js';
import { REPORTER_KEY_FILE, reporterKeySource } from './reporter-key.js';

const identity = { name: '王秀英', phone: '13987654321', idNumber: null, contact: null };

describe('the reporter key', () => {
  it('uses the configured key', async () => {
    const key = Buffer.alloc(32, 3);
    const cipher = (await reporterKeySource({ key: key.toString('base64'), logger: silentLogger }).cipher())!;
    expect(cipher.keyId).toBe(keyIdOf(key));
    expect(createReporterCipher(key).open(cipher.seal(identity, 7), cipher.keyId, 7)).toEqual(identity);
  });

  it('generates one key once into the data directory of an embedded deployment, and every later process reads it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zz-reporter-key-'));
    const first = (await reporterKeySource({ generateIn: dir, logger: silentLogger }).cipher())!;
    const file = path.join(dir, REPORTER_KEY_FILE);
    expect((fs.statSync(file).mode & 0o777).toString(8)).toBe('600');
    const second = (await reporterKeySource({ generateIn: dir, logger: silentLogger }).cipher())!;
    expect(second.keyId).toBe(first.keyId);
    expect(second.open(first.seal(identity, 1), first.keyId, 1)).toEqual(identity);
  });

  it('has none without a configured key on PostgreSQL', async () => {
    expect(await reporterKeySource({ logger: silentLogger }).cipher()).toBeUndefined();
  });

  it('opens values sealed under a previous key, and says nothing for a key it does not hold', () => {
    const old = Buffer.alloc(32, 1);
    const current = Buffer.alloc(32, 2);
    const sealed = createReporterCipher(old).seal(identity, 5);
    expect(createReporterCipher(current, [old]).open(sealed, keyIdOf(old), 5)).toEqual(identity);
    expect(createReporterCipher(current).open(sealed, keyIdOf(old), 5)).toBeUndefined();
    // One character of the body changed: the authentication tag no longer matches.
    const [v, iv, body, tag] = sealed.split('.');
    const tampered = [v, iv, `${body!.slice(0, 2)}${body![2] === 'A' ? 'B' : 'A'}${body!.slice(3)}`, tag].join('.');
    expect(createReporterCipher(old).open(tampered, keyIdOf(old), 5)).toBeUndefined();
  });
});
