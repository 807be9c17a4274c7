/** The identity module's keys, derived once from the deployment's signing secret when first needed. */
import { createSecretBox, type SecretBox } from './secret-box.js';

export interface KeyRing {
  /** The secret box under the deployment's key. Call it before a transaction: it may read the database. */
  box(): Promise<SecretBox>;
}

/** A key ring over a source of the signing secret (the settings service, or a constant in tests). */
export function createKeyRing(signingSecret: () => Promise<string>): KeyRing {
  let box: Promise<SecretBox> | undefined;
  return {
    box() {
      box ??= signingSecret().then(createSecretBox, (e: unknown) => {
        box = undefined;
        throw e;
      });
      return box;
    },
  };
}
