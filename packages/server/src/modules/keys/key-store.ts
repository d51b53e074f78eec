/**
 * Start-up of the keyring against the database: which data keys may still hold values, and the
 * blind-index key, which lives in `key_material` sealed under the active data key. Start-up
 * fails loudly, naming key ids (never keys), when the configured master keys cannot open what is
 * stored or would change the blind-index key:
 *
 * - a data key that is not retired (values may still be sealed under it) is not configured;
 * - the stored blind-index key is sealed under a key that is not configured, or does not open;
 * - the blind-index key does not reproduce the index of a person in the database.
 *
 * A database from before key separation has no stored index key: its index was derived from
 * the master key then in use, which is adopted (after checking it against the data) and stored.
 */
import { sql, type Transaction } from 'kysely';
import type { Logger } from 'pino';
import {
  Keyring,
  generateIndexKey,
  keyCheckValue,
  legacyIndexKey,
  sealedKeyId,
} from '../../crypto/keyring.js';
import type { Config } from '../../config.js';
import { loadMasterKeys } from '../../crypto/master-key.js';
import type { Database } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import { ssnKey } from '../persons/persons.repository.js';

export const INDEX_KEY_NAME = 'blind_index';
export const INDEX_KEY_AAD = `key_material.key:${INDEX_KEY_NAME}`;
const LOCK_KEY = 7_351_220_004; // arbitrary, stable: "sscard keys"
const HELP = 'see docs/SECURITY.md, "Keys and rotation"';

/** The configured keys cannot serve this database; the message names key ids, never keys. */
export class KeyConfigurationError extends Error {
  override readonly name = 'KeyConfigurationError';
}

export interface OpenKeyringOptions {
  db: Database;
  /** From SSCARD_MASTER_KEY (or the key file): the active one first. */
  masters: Buffer[];
  now: Date;
  log?: Logger | undefined;
}

export async function openKeyring(options: OpenKeyringOptions): Promise<Keyring> {
  const { db, masters, now, log } = options;
  if (!masters.length) throw new KeyConfigurationError('no master key configured');
  // The data keys alone: enough to open the stored index key.
  const data = new Keyring(masters);
  const indexKey = await db.transaction().execute(async (trx) => {
    // Two nodes starting at once must not both create an index key.
    await sql`select pg_advisory_xact_lock(${LOCK_KEY})`.execute(trx);
    const retiredButConfigured = await registerDataKeys(trx, data, now);
    if (retiredButConfigured.length) {
      log?.info(
        { keys: retiredButConfigured },
        'these data keys are retired (no value is sealed under them): they can be removed from SSCARD_MASTER_KEY',
      );
    }
    return loadIndexKey(trx, data, masters, now, log);
  });
  const keyring = new Keyring(masters, indexKey);
  await checkIndexAgainstData(db, keyring);
  log?.info(
    { activeKey: keyring.activeKeyId, keys: keyring.keyIds, indexKey: keyring.indexKeyId },
    'keys loaded',
  );
  return keyring;
}

/**
 * Every data key that may hold values must be configured; the active one is recorded before it
 * seals anything. Returns the configured keys that are retired (the operator may drop them).
 */
async function registerDataKeys(trx: Transaction<DB>, keys: Keyring, now: Date): Promise<string[]> {
  const rows = await trx.selectFrom('data_keys').selectAll().execute();
  if (!rows.length) {
    // First start with this bookkeeping (a new installation, or one from before it): any
    // configured key may have sealed something.
    await trx
      .insertInto('data_keys')
      .values(keys.keyIds.map((key_id) => ({ key_id, added_at: now, retired_at: null })))
      .execute();
    return [];
  }
  const missing = rows.filter((r) => !r.retired_at && !keys.hasKey(r.key_id)).map((r) => r.key_id);
  if (missing.length) {
    throw new KeyConfigurationError(
      `values in the database may be sealed under data key ${missing.join(', ')}, which the configured master keys (${keys.keyIds.join(', ')}) do not include: ` +
        `put the old master key back after the active one (SSCARD_MASTER_KEY="new,old") and keep it until \`sscard keys rotate\` has retired it; ${HELP}`,
    );
  }
  const active = rows.find((r) => r.key_id === keys.activeKeyId);
  if (!active) {
    await trx
      .insertInto('data_keys')
      .values({ key_id: keys.activeKeyId, added_at: now, retired_at: null })
      .execute();
  } else if (active.retired_at) {
    // A retired key made active again will seal values again.
    await trx
      .updateTable('data_keys')
      .set({ retired_at: null })
      .where('key_id', '=', keys.activeKeyId)
      .execute();
  }
  return rows
    .filter((r) => r.retired_at && r.key_id !== keys.activeKeyId && keys.hasKey(r.key_id))
    .map((r) => r.key_id);
}

async function loadIndexKey(
  trx: Transaction<DB>,
  data: Keyring,
  masters: Buffer[],
  now: Date,
  log: Logger | undefined,
): Promise<Buffer> {
  const row = await trx
    .selectFrom('key_material')
    .selectAll()
    .where('name', '=', INDEX_KEY_NAME)
    .executeTakeFirst();
  if (row) return openIndexKey(data, row.key_enc, row.check_value);

  let key: Buffer;
  const sample = await sampleSsnIndex(trx);
  if (sample) {
    // Persons exist but no index key is stored: an installation from before key separation,
    // whose index key derived from its master key. Adopt it only if it reproduces the index.
    const ssn = openSample(data, sample);
    const match = masters
      .map(legacyIndexKey)
      .find((k) => new Keyring(masters, k).blindIndex('ssn', ssnKey(ssn)).equals(sample.key_hmac));
    if (!match) {
      throw new KeyConfigurationError(
        `the database holds persons but no blind-index key, and none of the configured master keys derives the index they are stored under; ${HELP}`,
      );
    }
    key = match;
    log?.warn(
      { indexKey: keyCheckValue(key) },
      'stored the blind-index key of this installation (derived from its first master key) so the data key can rotate',
    );
  } else {
    key = generateIndexKey();
  }
  await trx
    .insertInto('key_material')
    .values({
      name: INDEX_KEY_NAME,
      key_enc: data.encrypt(key.toString('base64'), INDEX_KEY_AAD),
      check_value: keyCheckValue(key),
      created_at: now,
    })
    .execute();
  return key;
}

function openIndexKey(data: Keyring, sealed: string, checkValue: string): Buffer {
  const kid = sealedKeyId(sealed);
  if (!kid || !data.hasKey(kid)) {
    throw new KeyConfigurationError(
      `the blind-index key is sealed under data key ${kid ?? '(unreadable)'}, which the configured master keys (${data.keyIds.join(', ')}) do not include; ${HELP}`,
    );
  }
  let key: Buffer;
  try {
    key = Buffer.from(data.decrypt(sealed, INDEX_KEY_AAD), 'base64');
  } catch {
    throw new KeyConfigurationError(
      `the blind-index key does not open with data key ${kid}: the stored value was altered; ${HELP}`,
    );
  }
  if (key.length !== 32 || keyCheckValue(key) !== checkValue) {
    throw new KeyConfigurationError(
      `the blind-index key does not match its check value ${checkValue}; ${HELP}`,
    );
  }
  return key;
}

interface SsnSample {
  id: string;
  ssn_enc: string;
  key_hmac: Buffer;
}

/** One person's SSN and its index entry: enough to tell whether an index key is the right one. */
async function sampleSsnIndex(db: Database | Transaction<DB>): Promise<SsnSample | undefined> {
  return db
    .selectFrom('person_keys as k')
    .innerJoin('persons as p', 'p.id', 'k.person_id')
    .select(['p.id', 'p.ssn_enc', 'k.key_hmac'])
    .where('k.key_kind', '=', 'ssn')
    .limit(1)
    .executeTakeFirst();
}

function openSample(data: Keyring, sample: SsnSample): string {
  const kid = sealedKeyId(sample.ssn_enc);
  if (!kid || !data.hasKey(kid)) {
    throw new KeyConfigurationError(
      `persons in the database are sealed under data key ${kid ?? '(unreadable)'}, which the configured master keys (${data.keyIds.join(', ')}) do not include; ${HELP}`,
    );
  }
  try {
    return data.decrypt(sample.ssn_enc, `persons.ssn:${sample.id}`);
  } catch {
    throw new KeyConfigurationError(
      `a person's data does not open with data key ${kid}: the configured key is not the one that sealed it, or the value was altered; ${HELP}`,
    );
  }
}

/** The blind-index key must reproduce the index stored for the persons in the database. */
async function checkIndexAgainstData(db: Database, keyring: Keyring): Promise<void> {
  const sample = await sampleSsnIndex(db);
  if (!sample) return;
  const ssn = openSample(keyring, sample);
  if (!keyring.blindIndex('ssn', ssnKey(ssn)).equals(sample.key_hmac)) {
    throw new KeyConfigurationError(
      `the blind-index key ${keyring.indexKeyId} does not reproduce the index of the persons in the database: lookups and uniqueness would break; ${HELP}`,
    );
  }
}

/**
 * The data key ids the configuration names, without touching the database or creating a key
 * file: what `sscard keys status` compares the stored values against.
 */
export function configuredKeyIds(config: Pick<Config, 'masterKey' | 'dataDir'>): {
  activeKeyId: string | null;
  keyIds: string[];
} {
  const { keys } = loadMasterKeys(config.masterKey, config.dataDir, { create: false });
  if (!keys.length) return { activeKeyId: null, keyIds: [] };
  const ring = new Keyring(keys);
  return { activeKeyId: ring.activeKeyId, keyIds: ring.keyIds };
}
