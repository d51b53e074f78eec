/**
 * Data-key rotation end to end: data sealed under key A; the platform restarted with "B,A";
 * `rotate` interrupted after one batch, crashed after another, re-run to the end while the API
 * changes people; then the platform restarted with B alone reads everything back and still
 * finds people by ID number and phone. Start-up refuses keys that do not fit, loudly.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../context.js';
import { Keyring, keyCheckValue, legacyIndexKey, sealedKeyId } from '../../crypto/keyring.js';
import { buildWorld, type World } from '../../testing/fixtures.js';
import { createTestPlatform, type TestPlatform } from '../../testing/harness.js';
import { documentKey, ssnKey } from '../persons/persons.repository.js';
import { INDEX_KEY_AAD, KeyConfigurationError } from './key-store.js';
import {
  people,
  noisyPhoto,
  registration,
  startNode,
  key,
  type Node,
  type TestPerson,
} from './keys.testing.js';
import { KeysService, keyStatus, writeResealed, type KeyStatus } from './keys.service.js';
import { sealedTables } from './sealed-columns.js';

const A = key(0xa1);
const B = key(0xb2);
const C = key(0xc3);
const kid = (k: string) => new Keyring([Buffer.from(k, 'base64')]).activeKeyId;
const [KID_A, KID_B, KID_C] = [kid(A), kid(B), kid(C)];

let t: TestPlatform;
let w: World;
const folks: TestPerson[] = people(7);
const ids: string[] = [];
let photo: Buffer;
let servedPhoto: Buffer;
const nodes: Node[] = [];

const start = async (masterKey: string) => {
  const node = await startNode(t, masterKey);
  nodes.push(node);
  return node;
};
const status = (keys: { activeKeyId: string; keyIds: string[] }): Promise<KeyStatus> =>
  keyStatus(t.platform.handle.db, keys);
const count = (s: KeyStatus, column: string, keyId: string) =>
  s.columns.find((c) => `${c.table}.${c.column}` === column)?.counts[keyId] ?? 0;
const reason = { 'x-sscard-reason': 'key-rotation-test' };

beforeAll(async () => {
  photo = await noisyPhoto();
  t = await createTestPlatform({ SSCARD_MASTER_KEY: A });
  w = await buildWorld(t);
  for (const p of folks) {
    const res = await t.api({
      method: 'POST',
      url: '/api/v1/persons',
      token: w.tokens.branchA,
      payload: registration(p),
    });
    expect(res.statusCode, res.body).toBe(201);
    ids.push(res.json().id);
  }
  const put = await t.api({
    method: 'PUT',
    url: `/api/v1/persons/${ids[0]}/photo`,
    token: w.tokens.branchA,
    headers: { 'content-type': 'image/jpeg' },
    payload: photo,
  });
  expect(put.statusCode, put.body).toBe(200);
  // What is stored (and served) is the server's re-encoded JPEG, not the upload.
  const served = await t.api({
    method: 'GET',
    url: `/api/v1/persons/${ids[0]}/photo`,
    token: w.tokens.branchA,
    headers: { 'x-sscard-reason': 'check' },
  });
  expect(served.statusCode, served.body).toBe(200);
  servedPhoto = served.rawPayload;
});

afterAll(async () => {
  for (const n of nodes) await n.close();
  await t.close();
});

async function expectReadable(node: Node, i: number, p: TestPerson) {
  const res = await node.api({
    method: 'GET',
    url: `/api/v1/persons/${ids[i]}?view=full`,
    token: w.tokens.branchA,
    headers: reason,
  });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.json()).toMatchObject({
    idNumber: p.idNumber,
    ssn: p.idNumber,
    phone: p.phone,
    householdAddress: p.householdAddress,
    residenceAddress: p.residenceAddress,
  });
  if (p.guardianIdNumber) expect(res.json().guardian.idNumber).toBe(p.guardianIdNumber);
}

async function expectFound(node: Node, i: number, p: TestPerson) {
  for (const payload of [
    { idType: 'resident_id', idNumber: p.idNumber },
    { ssn: p.idNumber },
    { phone: p.phone },
  ]) {
    const res = await node.api({
      method: 'POST',
      url: '/api/v1/persons/search',
      token: w.tokens.branchA,
      payload,
    });
    expect(
      res.json().items.map((x: { id: string }) => x.id),
      JSON.stringify(Object.keys(payload)),
    ).toEqual([ids[i]]);
  }
}

describe('keys on a new installation', () => {
  it('records the data key and seals a blind-index key under it', async () => {
    const s = await status({ activeKeyId: KID_A, keyIds: [KID_A] });
    expect(s.dataKeys.map((k) => [k.keyId, k.retiredAt])).toEqual([[KID_A, null]]);
    expect(s.indexKey).toEqual({
      checkValue: t.platform.deps.keyring.indexKeyId,
      sealedUnder: KID_A,
    });
    // Not the old derivation from the master key: a key of its own.
    expect(s.indexKey!.checkValue).not.toBe(
      keyCheckValue(legacyIndexKey(Buffer.from(A, 'base64'))),
    );
    expect(count(s, 'persons.ssn_enc', KID_A)).toBe(folks.length);
    expect(count(s, 'persons.guardian_id_number_enc', KID_A)).toBe(2);
    expect(count(s, 'photos.data_enc', KID_A)).toBe(1);
    expect(count(s, 'key_material.key_enc', KID_A)).toBe(1);
    expect(s.pending).toBe(0);
    expect(s.unregistered).toEqual([]);
  });

  it('refuses to start with a key that opens nothing stored, naming key ids only', async () => {
    const err = await startNode(t, C).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeyConfigurationError);
    const message = (err as Error).message;
    expect(message).toContain(KID_A);
    expect(message).toContain(KID_C);
    for (const secret of [A, C]) expect(message).not.toContain(secret);
  });
});

describe('rotation from A to B', () => {
  let ba: Node;
  let extra: TestPerson;

  it('starts with "B,A": opens what A sealed, seals new values under B, keeps the index', async () => {
    ba = await start(`${B},${A}`);
    expect(ba.platform.deps.keyring.activeKeyId).toBe(KID_B);
    expect(ba.platform.deps.keyring.indexKeyId).toBe(t.platform.deps.keyring.indexKeyId);
    await expectReadable(ba, 0, folks[0]!);
    await expectFound(ba, 1, folks[1]!);
    extra = people(1, 9)[0]!;
    const res = await ba.api({
      method: 'POST',
      url: '/api/v1/persons',
      token: w.tokens.branchA,
      payload: registration(extra),
    });
    expect(res.statusCode, res.body).toBe(201);
    folks.push(extra);
    ids.push(res.json().id);
    const s = await status(ba.platform.deps.keyring);
    expect(count(s, 'persons.ssn_enc', KID_A)).toBe(folks.length - 1);
    expect(count(s, 'persons.ssn_enc', KID_B)).toBe(1);
    expect(s.dataKeys.map((k) => k.keyId).sort()).toEqual([KID_A, KID_B].sort());
  });

  it('refuses to start with B alone while values remain under A', async () => {
    await expect(startNode(t, B)).rejects.toThrow(
      new RegExp(`sealed under data key ${KID_A}.*SSCARD_MASTER_KEY`),
    );
    await expect(startNode(t, A)).rejects.toThrow(KID_B);
  });

  it('writes each value only if it is unchanged since it was read', async () => {
    const keyring = ba.platform.deps.keyring;
    const db = t.platform.handle.db;
    const persons = sealedTables().find((x) => x.table === 'persons')!;
    const read = () =>
      db
        .selectFrom('persons')
        .select(['id', 'phone_enc', 'household_address_enc'])
        .where('id', '=', ids[6]!)
        .executeTakeFirstOrThrow();
    const row = await read();
    const phoneAad = `persons.phone:${row.id}`;
    const addressAad = `persons.household_address:${row.id}`;
    const write = (old: Record<string, string>) =>
      db.transaction().execute((trx) =>
        writeResealed(trx, persons, [
          {
            key: { id: row.id },
            old,
            resealed: {
              phone_enc: keyring.reseal(row.phone_enc!, phoneAad),
              household_address_enc: keyring.reseal(row.household_address_enc!, addressAad),
            },
          },
        ]),
      );
    // Both changed meanwhile (as the read saw other values): nothing is written.
    const stale = keyring.encrypt('x', phoneAad);
    expect(await write({ phone_enc: stale, household_address_enc: stale })).toMatchObject({
      written: 0,
      changed: 2,
      values: 0,
    });
    expect(await read()).toEqual(row);
    // The phone changed meanwhile, the address did not: only the address is written.
    expect(
      await write({ phone_enc: stale, household_address_enc: row.household_address_enc! }),
    ).toMatchObject({ written: 1, changed: 1, values: 1, perColumn: { household_address_enc: 1 } });
    const after = await read();
    expect(after.phone_enc).toBe(row.phone_enc);
    expect(sealedKeyId(after.household_address_enc!)).toBe(KID_B);
    expect(keyring.decrypt(after.household_address_enc!, addressAad)).toBe(
      folks[6]!.householdAddress,
    );
  });

  it('rotates in batches: stops when told, survives a crash, and a re-run finishes', async () => {
    const service = new KeysService(ba.platform.deps);
    const ctx = () => systemContext('keys');

    const first = await service.rotate(ctx(), { batchSize: 2, maxBatches: 1 });
    expect(first).toMatchObject({ complete: false, batches: 1, remaining: null, retired: [] });
    let s = await status(ba.platform.deps.keyring);
    expect(count(s, 'persons.ssn_enc', KID_B)).toBe(3);
    expect(count(s, 'persons.ssn_enc', KID_A)).toBe(folks.length - 3);

    // A crash after the second batch committed: that batch stays done.
    let batches = 0;
    await expect(
      service.rotate(ctx(), {
        batchSize: 2,
        onBatch: () => {
          if (++batches === 1) throw new Error('power cut');
        },
      }),
    ).rejects.toThrow('power cut');
    s = await status(ba.platform.deps.keyring);
    expect(count(s, 'persons.ssn_enc', KID_B)).toBe(5);

    // The final run, while the API changes people's phones.
    const newPhones = ['13700000001', '13700000002', '13700000003'];
    const [report] = await Promise.all([
      service.rotate(ctx(), { batchSize: 1 }),
      ...newPhones.map(async (phone, j) => {
        const i = folks.length - 1 - j;
        const res = await ba.api({
          method: 'PATCH',
          url: `/api/v1/persons/${ids[i]}`,
          token: w.tokens.branchA,
          payload: { phone },
        });
        expect(res.statusCode, res.body).toBe(200);
        folks[i] = { ...folks[i]!, phone };
      }),
    ]);
    expect(report).toMatchObject({
      complete: true,
      remaining: 0,
      retired: [KID_A],
      unreadable: [],
      unregistered: [],
    });

    s = await status(ba.platform.deps.keyring);
    expect(s.pending).toBe(0);
    for (const c of s.columns) expect(Object.keys(c.counts), c.column).not.toContain(KID_A);
    expect(count(s, 'photos.data_enc', KID_B)).toBe(1);
    expect(s.indexKey!.sealedUnder).toBe(KID_B);
    expect(s.dataKeys.find((k) => k.keyId === KID_A)!.retiredAt).not.toBeNull();

    // Nothing left: a further run changes nothing.
    expect(await service.rotate(ctx(), { batchSize: 2 })).toMatchObject({
      batches: 0,
      resealed: 0,
      remaining: 0,
    });
  });

  it('audits each batch and each run with counts, never values', async () => {
    const rows = await t.platform.handle.db
      .selectFrom('audit_log')
      .select(['action', 'target_id', 'details'])
      .where('action', 'like', 'keys.rotate%')
      .execute();
    const batches = rows.filter((r) => r.action === 'keys.rotate.batch');
    const runs = rows.filter((r) => r.action === 'keys.rotate');
    // Runs: the interrupted one, the final one and the empty one (the crashed run left its batch).
    expect(runs).toHaveLength(3);
    expect(batches.length).toBeGreaterThanOrEqual(4);
    expect(batches.map((b) => b.target_id)).toEqual(
      expect.arrayContaining(['persons', 'photos', 'key_material']),
    );
    const text = JSON.stringify(rows);
    for (const p of folks) {
      for (const v of [p.idNumber, p.phone, p.householdAddress]) expect(text).not.toContain(v);
    }
    expect(runs.at(-1)!.details).toMatchObject({ toKey: KID_B, complete: true, remaining: 0 });
  });

  it('starts with B alone and reads everything back; lookups and uniqueness still work', async () => {
    const b = await start(B);
    expect(b.platform.deps.keyring.keyIds).toEqual([KID_B]);
    for (const [i, p] of folks.entries()) {
      await expectReadable(b, i, p);
      await expectFound(b, i, p);
    }
    const got = await b.api({
      method: 'GET',
      url: `/api/v1/persons/${ids[0]}/photo`,
      token: w.tokens.branchA,
      headers: reason,
    });
    expect(got.statusCode).toBe(200);
    expect(got.rawPayload.equals(servedPhoto)).toBe(true);
    const again = await b.api({
      method: 'POST',
      url: '/api/v1/persons',
      token: w.tokens.branchA,
      payload: registration(folks[2]!),
    });
    expect(again.json()).toMatchObject({ code: 'PERSON_EXISTS', personId: ids[2] });
    // And A alone is now refused: B holds values.
    await expect(startNode(t, A)).rejects.toThrow(KeyConfigurationError);
  });

  it('never logs a personal value or a key', () => {
    const logs = [t.logs(), ...nodes.map((n) => n.logs())].join('');
    expect(logs).toContain('keys loaded');
    for (const secret of [A, B, C]) expect(logs).not.toContain(secret);
    for (const p of folks) {
      for (const v of [p.idNumber, p.phone, p.householdAddress, p.residenceAddress])
        expect(logs).not.toContain(v);
    }
  });
});

describe('the blind-index key', () => {
  const db = () => t.platform.handle.db;

  it('refuses to start when the stored index key does not reproduce the index', async () => {
    const original = await db()
      .selectFrom('key_material')
      .selectAll()
      .where('name', '=', 'blind_index')
      .executeTakeFirstOrThrow();
    const other = randomBytes(32);
    const sealer = new Keyring([Buffer.from(B, 'base64')], other);
    await db()
      .updateTable('key_material')
      .set({
        key_enc: sealer.encrypt(other.toString('base64'), INDEX_KEY_AAD),
        check_value: keyCheckValue(other),
      })
      .where('name', '=', 'blind_index')
      .execute();
    await expect(startNode(t, B)).rejects.toThrow(/does not reproduce the index/);
    // An altered value does not open at all.
    await db()
      .updateTable('key_material')
      .set({ key_enc: original.key_enc.replace(/\.[^.]+$/, '.AAAAAAAAAAAAAAAAAAAAAA') })
      .execute();
    await expect(startNode(t, B)).rejects.toThrow(/does not open/);
    await db()
      .updateTable('key_material')
      .set({ key_enc: original.key_enc, check_value: original.check_value })
      .execute();
    await start(B);
  });

  it('adopts the index of an installation from before key separation, after checking it', async () => {
    // Before key separation: no stored key, indexes derived from the (only) master key.
    const legacy = new Keyring([Buffer.from(B, 'base64')]);
    for (const [i, p] of folks.entries()) {
      await db()
        .updateTable('person_keys')
        .set({ key_hmac: legacy.blindIndex('ssn', ssnKey(p.idNumber)) })
        .where('person_id', '=', ids[i]!)
        .where('key_kind', '=', 'ssn')
        .execute();
      await db()
        .updateTable('person_keys')
        .set({
          key_hmac: legacy.blindIndex('id_document', documentKey('resident_id', p.idNumber)),
        })
        .where('person_id', '=', ids[i]!)
        .where('key_kind', '=', 'id_document')
        .execute();
      await db()
        .updateTable('persons')
        .set({ phone_hmac: legacy.blindIndex('phone', p.phone) })
        .where('id', '=', ids[i]!)
        .execute();
    }
    await db().deleteFrom('key_material').execute();
    await db().deleteFrom('data_keys').execute();
    // The old code derived the index key from whichever master key came first; start-up now
    // takes the one that reproduces the stored index, and stores it sealed under the active key.
    await start(`${C},${B}`);
    const adopted = await db().selectFrom('key_material').selectAll().executeTakeFirstOrThrow();
    expect(adopted.check_value).toBe(legacy.indexKeyId);
    expect(sealedKeyId(adopted.key_enc)).toBe(KID_C);
    const b = await start(`${B},${C}`);
    expect(b.platform.deps.keyring.indexKeyId).toBe(legacy.indexKeyId);
    await expectFound(b, 3, folks[3]!);
  });
});
