/**
 * Every column that holds values sealed with the keyring, in one place. `sscard keys status`
 * counts the values in each per data key, and `sscard keys rotate` re-seals those not under the
 * active key; both read this list, so a new sealed column is covered by adding one line here.
 *
 * - `key`: the column(s) that name the row (the primary key), in the order rows are walked;
 * - `aad`: the additional authenticated data exactly as the repository that seals the column
 *   builds it, with `{column}` standing for the value of a key column;
 * - `format`: `text` for `v1.<key id>.<iv>.<ciphertext>.<tag>` in a text column (Keyring.encrypt),
 *   `bytes` for a bytea column starting with `v1<key id>` (Keyring.encryptBytes).
 *
 * By convention every sealed column is named `*_enc`; `keys rotate` refuses to retire an old
 * key while the database has an `*_enc` column that is missing here, and a test fails. A line
 * whose column the database does not have (yet) is skipped: it holds no values.
 */
export interface SealedColumn {
  table: string;
  key: readonly string[];
  column: string;
  aad: string;
  format?: 'text' | 'bytes';
}

export const SEALED_COLUMNS: readonly SealedColumn[] = [
  { table: 'persons', key: ['id'], column: 'ssn_enc', aad: 'persons.ssn:{id}' },
  { table: 'persons', key: ['id'], column: 'id_number_enc', aad: 'persons.id_number:{id}' },
  { table: 'persons', key: ['id'], column: 'phone_enc', aad: 'persons.phone:{id}' },
  {
    table: 'persons',
    key: ['id'],
    column: 'household_address_enc',
    aad: 'persons.household_address:{id}',
  },
  {
    table: 'persons',
    key: ['id'],
    column: 'residence_address_enc',
    aad: 'persons.residence_address:{id}',
  },
  {
    table: 'persons',
    key: ['id'],
    column: 'guardian_id_number_enc',
    aad: 'persons.guardian_id_number:{id}',
  },
  { table: 'photos', key: ['id'], column: 'data_enc', aad: 'photos.data:{id}', format: 'bytes' },
  // The blind-index key itself (modules/keys/key-store.ts).
  { table: 'key_material', key: ['name'], column: 'key_enc', aad: 'key_material.key:{name}' },
  // 0002 lifecycle
  {
    table: 'applications',
    key: ['id'],
    column: 'delivery_address_enc',
    aad: 'applications.delivery_address:{id}',
  },
  {
    table: 'applications',
    key: ['id'],
    column: 'agent_id_number_enc',
    aad: 'applications.agent_id_number:{id}',
  },
  {
    table: 'cards',
    key: ['card_no'],
    column: 'bank_account_enc',
    aad: 'cards.bank_account:{card_no}',
  },
  // 0003 auth security
  { table: 'staff', key: ['id'], column: 'totp_secret_enc', aad: 'staff.totp_secret:{id}' },
  { table: 'staff', key: ['id'], column: 'phone_enc', aad: 'staff.phone:{id}' },
  { table: 'otp_enrolments', key: ['id'], column: 'secret_enc', aad: 'otp_enrolments.secret:{id}' },
  // 0015 e-cards: the QR signing keys (modules/ecards)
  {
    table: 'ecard_signing_keys',
    key: ['kid'],
    column: 'private_key_enc',
    aad: 'ecard_signing_keys.private_key:{kid}',
  },
  // 0017 rosters: the uploaded file (modules/rosters)
  {
    table: 'roster_files',
    key: ['roster_id'],
    column: 'file_enc',
    aad: 'roster_files.sealed:{roster_id}',
    format: 'bytes',
  },
  // 0018 production: return files until imported (modules/production, modules/bank-files)
  { table: 'return_files', key: ['id'], column: 'content_enc', aad: 'return_files.content:{id}' },
  // 0021 referrals: the caller's name and phone (modules/referrals)
  { table: 'referrals', key: ['id'], column: 'caller_enc', aad: 'referrals.caller:{id}' },
];

/** The columns of one table, rotated together: one update per row however many are stale. */
export interface SealedTable {
  table: string;
  key: readonly string[];
  columns: readonly SealedColumn[];
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** Checks the list (identifiers, placeholders, one key per table) and groups it by table. */
export function sealedTables(columns: readonly SealedColumn[] = SEALED_COLUMNS): SealedTable[] {
  const tables = new Map<string, SealedTable & { columns: SealedColumn[] }>();
  const seen = new Set<string>();
  for (const c of columns) {
    const name = `${c.table}.${c.column}`;
    for (const id of [c.table, c.column, ...c.key]) {
      if (!IDENTIFIER.test(id)) throw new Error(`sealed column ${name}: bad identifier "${id}"`);
    }
    if (!c.key.length) throw new Error(`sealed column ${name}: no key column`);
    if (seen.has(name)) throw new Error(`sealed column ${name} is listed twice`);
    seen.add(name);
    for (const [, placeholder] of c.aad.matchAll(/\{([^}]*)\}/g)) {
      if (!c.key.includes(placeholder!)) {
        throw new Error(`sealed column ${name}: {${placeholder}} in the AAD is not a key column`);
      }
    }
    const table = tables.get(c.table);
    if (!table) {
      tables.set(c.table, { table: c.table, key: c.key, columns: [c] });
    } else if (table.key.join(',') !== c.key.join(',')) {
      throw new Error(`sealed column ${name}: table ${c.table} is keyed two ways`);
    } else {
      table.columns.push(c);
    }
  }
  return [...tables.values()];
}

/** The additional data of one value, from the row's key columns. */
export function aadFor(column: SealedColumn, row: Record<string, unknown>): string {
  return column.aad.replace(/\{([^}]*)\}/g, (_, k: string) => String(row[k]));
}

// Fail at import, not in the middle of a rotation, if a line above is wrong.
sealedTables();
