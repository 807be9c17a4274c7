/**
 * The 12350 reporter's identity sealed at rest: AES-256-GCM with a random 96-bit IV per value, under the key
 * from configuration (REPORTER_KEY, 32 bytes). Each sealed value is bound to its report (`safety-report:<id>`)
 * as additional authenticated data, so a ciphertext copied to another row does not open. The key id — the first
 * 16 hex digits of the key's SHA-256 — is stored with the row, so a key change is detected rather than
 * producing garbage, and old rows can be re-sealed under a new key with the old one still configured.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { ReporterIdentity } from './safety.js';

const VERSION = 'v1';

export interface ReporterCipher {
  /** The id of the key new values are sealed under. */
  readonly keyId: string;
  seal(identity: ReporterIdentity, incidentId: number): string;
  /** The identity, or undefined when sealed under a key this cipher does not hold, for another report, or tampered with. */
  open(sealed: string, keyId: string, incidentId: number): ReporterIdentity | undefined;
}

/** The id stored with rows sealed under `key`. */
export const keyIdOf = (key: Uint8Array) => createHash('sha256').update(key).digest('hex').slice(0, 16);

/** A cipher sealing under `current` and opening under it and any `previous` keys. */
export function createReporterCipher(current: Uint8Array, previous: readonly Uint8Array[] = []): ReporterCipher {
  for (const k of [current, ...previous]) if (k.length !== 32) throw new Error('A reporter key is 32 bytes');
  const keys = new Map([current, ...previous].map((k) => [keyIdOf(k), Buffer.from(k)]));
  const keyId = keyIdOf(current);
  return {
    keyId,
    seal(identity, incidentId) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', keys.get(keyId)!, iv);
      cipher.setAAD(Buffer.from(`safety-report:${incidentId}`));
      const body = Buffer.concat([cipher.update(JSON.stringify(identity), 'utf8'), cipher.final()]);
      return [VERSION, iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
    },
    open(sealed, id, incidentId) {
      const key = keys.get(id);
      const [version, iv, body, tag] = sealed.split('.');
      if (!key || version !== VERSION || !iv || body === undefined || !tag) return undefined;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAAD(Buffer.from(`safety-report:${incidentId}`));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        const plain = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
        return JSON.parse(plain) as ReporterIdentity;
      } catch {
        return undefined;
      }
    },
  };
}
