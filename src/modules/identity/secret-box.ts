/**
 * Encryption at rest for small secrets (TOTP shared secrets): AES-256-GCM under a key derived with HKDF-SHA-256
 * (RFC 5869) from the deployment's signing secret, so a copy of the database alone reveals nothing. Each value
 * is bound to its context (e.g. `totp:42`) as additional authenticated data, so a ciphertext moved to another
 * row does not decrypt. Also the keyed hash for one-time recovery codes (a leaked table cannot be brute-forced
 * without the signing secret).
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const SALT = 'zhizhi/identity';

export interface SecretBox {
  seal(plain: Uint8Array, context: string): string;
  /** The plain bytes, or undefined when the value was sealed under another key or for another context. */
  open(sealed: string, context: string): Uint8Array | undefined;
  /** A keyed hash (HMAC-SHA-256, hex) for values that are compared, never read back. */
  digest(value: string, purpose: string): string;
}

export function createSecretBox(signingSecret: string): SecretBox {
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', signingSecret, SALT, info, 32));
  const encryptionKey = derive('secret-box/aes-256-gcm/v1');
  const hashKey = derive('secret-box/hmac-sha256/v1');
  return {
    seal(plain, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', encryptionKey, iv);
      cipher.setAAD(Buffer.from(context));
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return [VERSION, iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
    },
    open(sealed, context) {
      const [version, iv, body, tag] = sealed.split('.');
      if (version !== VERSION || !iv || body === undefined || !tag) return undefined;
      try {
        const decipher = createDecipheriv('aes-256-gcm', encryptionKey, Buffer.from(iv, 'base64url'));
        decipher.setAAD(Buffer.from(context));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return new Uint8Array(Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]));
      } catch {
        return undefined;
      }
    },
    digest(value, purpose) {
      return createHmac('sha256', hashKey).update(`${purpose}:${value}`).digest('hex');
    },
  };
}
