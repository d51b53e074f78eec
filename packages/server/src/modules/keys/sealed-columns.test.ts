/**
 * The sealed-column registry: checked when it is loaded, and complete: every `*_enc` column of
 * the migrated database is listed, and an unlisted one stops `keys rotate` from retiring a key.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../context.js';
import { createTestPlatform, type TestPlatform } from '../../testing/harness.js';
import { key, startNode, type Node } from './keys.testing.js';
import { KeysService, sealedSchema } from './keys.service.js';
import { SEALED_COLUMNS, aadFor, sealedTables, type SealedColumn } from './sealed-columns.js';

describe('the registry', () => {
  it('groups columns by table, one update per row', () => {
    const persons = sealedTables().find((t) => t.table === 'persons')!;
    expect(persons.key).toEqual(['id']);
    expect(persons.columns.map((c) => c.column)).toEqual([
      'ssn_enc',
      'id_number_enc',
      'phone_enc',
      'household_address_enc',
      'residence_address_enc',
      'guardian_id_number_enc',
    ]);
  });

  it('builds the additional data from the row key, as the repositories do', () => {
    const ssn = SEALED_COLUMNS.find((c) => c.column === 'ssn_enc')!;
    expect(aadFor(ssn, { id: 'p1', ssn_enc: 'v1.x' })).toBe('persons.ssn:p1');
    const card = SEALED_COLUMNS.find((c) => c.table === 'cards')!;
    expect(aadFor(card, { card_no: 'A1234' })).toBe('cards.bank_account:A1234');
  });

  it('refuses a line that cannot be right', () => {
    const line: SealedColumn = { table: 't', key: ['id'], column: 'x_enc', aad: 't.x:{id}' };
    expect(() => sealedTables([line, line])).toThrow(/listed twice/);
    expect(() => sealedTables([{ ...line, aad: 't.x:{no}' }])).toThrow(/not a key column/);
    expect(() =>
      sealedTables([line, { ...line, column: 'y_enc', key: ['no'], aad: 't.y:{no}' }]),
    ).toThrow(/keyed two ways/);
    expect(() => sealedTables([{ ...line, table: 't; drop table persons' }])).toThrow(
      /bad identifier/,
    );
  });
});

describe('the registry against the database', () => {
  let t: TestPlatform;
  let node: Node;
  const A = key(0x11);
  const B = key(0x22);

  beforeAll(async () => {
    t = await createTestPlatform({ SSCARD_MASTER_KEY: A });
  });
  afterAll(async () => {
    await node?.close();
    await t.close();
  });

  it('lists every *_enc column of the migrated database', async () => {
    const { unregistered } = await sealedSchema(t.platform.handle.db);
    // A new sealed column needs one line in modules/keys/sealed-columns.ts.
    expect(unregistered).toEqual([]);
  });

  it('keeps an old key while an unlisted *_enc column could hide values under it', async () => {
    const db = t.platform.handle.db;
    node = await startNode(t, `${B},${A}`);
    const service = new KeysService(node.platform.deps);
    await sql`create table keys_probe (id text primary key, secret_enc text)`.execute(db);
    const blocked = await service.rotate(systemContext('keys'));
    expect(blocked).toMatchObject({
      complete: true,
      remaining: 0,
      retired: [],
      unregistered: ['keys_probe.secret_enc'],
    });
    await sql`drop table keys_probe`.execute(db);
    const done = await service.rotate(systemContext('keys'));
    expect(done.retired).toHaveLength(1);
  });
});
