/** Installation-wide settings as JSON values under a key (the manual clock, calendar overrides, …). */
import type { Database } from '../../db/database.js';
import type { Trx } from '../../db/transact.js';

export class SettingsRepository {
  constructor(private readonly db: Database) {}

  async get<T>(key: string, db: Database | Trx = this.db): Promise<T | undefined> {
    const row = await db
      .selectFrom('system_settings')
      .select('value')
      .where('key', '=', key)
      .executeTakeFirst();
    return row ? (row.value as T) : undefined;
  }

  async put(key: string, value: unknown, at: Date, db: Database | Trx = this.db): Promise<void> {
    const json = JSON.stringify(value);
    await db
      .insertInto('system_settings')
      .values({ key, value: json, updated_at: at })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: json, updated_at: at }))
      .execute();
  }
}
