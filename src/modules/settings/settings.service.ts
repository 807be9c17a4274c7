/** Settings shared by every process of a deployment. */
import type { Database } from '../../kernel/db.js';
import { randomToken } from '../../kernel/ids.js';
import * as repo from './settings.repository.js';

export interface SettingsService {
  /**
   * The secret that signs cookies and tokens: SECRET_KEY when configured, otherwise one generated on first
   * start and kept in the database, so that every process of a deployment agrees on it.
   */
  signingSecret(configured: string | undefined): Promise<string>;
  /** Whether demo data were seeded into this database. */
  demoSeeded(): Promise<boolean>;
  markDemoSeeded(): Promise<void>;
}

export function createSettingsService(database: Database): SettingsService {
  return {
    async signingSecret(configured) {
      if (configured) return configured;
      return String(await repo.insertIfAbsent(database.db, 'signing_secret', randomToken(48)));
    },
    async demoSeeded() {
      return (await repo.findSetting(database.db, 'demo_seeded_at')) !== undefined;
    },
    async markDemoSeeded() {
      await repo.insertIfAbsent(database.db, 'demo_seeded_at', new Date().toISOString());
    },
  };
}
