/** All SQL of the settings module. */
import type { Executor } from '../../kernel/db.js';

export interface AppSettingsTable {
  key: string;
  value: unknown;
  updated_at: Date;
}

type Db = Executor<{ app_settings: AppSettingsTable }>;

/** Stores `value` under `key` unless a value is already there; returns whichever value is stored afterwards. */
export async function insertIfAbsent(db: Db, key: string, value: unknown): Promise<unknown> {
  await db
    .insertInto('app_settings')
    .values({ key, value: JSON.stringify(value), updated_at: new Date() })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const row = await db.selectFrom('app_settings').select('value').where('key', '=', key).executeTakeFirstOrThrow();
  return row.value;
}

export async function findSetting(db: Db, key: string): Promise<unknown> {
  return (await db.selectFrom('app_settings').select('value').where('key', '=', key).executeTakeFirst())?.value;
}
