/**
 * "A database dump alone reveals no ID number." People are registered through the API with ID
 * numbers, guardians' ID numbers, phones, Chinese addresses and a photo; then the database is
 * dumped (pg_dump of this file's schema on a server; on PGlite the raw data directory, WAL
 * included) and the dump is searched for every one of those values, as UTF-8 and as hex (the way
 * a dump shows bytea). Names may appear, and must: they prove the search can see the data.
 * The same holds after a rotation, which leaves every value under the new key and the people
 * still found by ID number and phone.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../context.js';
import { Keyring } from '../../crypto/keyring.js';
import { buildWorld, type World } from '../../testing/fixtures.js';
import { createTestPlatform, type TestPlatform } from '../../testing/harness.js';
import {
  key,
  people,
  noisyPhoto,
  registration,
  startNode,
  type Node,
  type TestPerson,
} from './keys.testing.js';
import { KeysService, keyStatus } from './keys.service.js';

const execFileAsync = promisify(execFile);
const A = key(0x5a);
const B = key(0x5b);
const KID_A = new Keyring([Buffer.from(A, 'base64')]).activeKeyId;

let t: TestPlatform;
let w: World;
let node: Node | undefined;
const folks: TestPerson[] = people(6, 4);
const ids: string[] = [];
/** Two photos to upload (noise: what is stored is as random). */
const photos = 2;
/** The photos as stored and served (re-encoded JPEGs). */
const servedPhotos: Buffer[] = [];
/** Changed through the API after registration, so the update path is covered too. */
const movedTo = '广东省韶关市浈江区风采路一号二栋三单元';
/** Stored in clear on purpose (occupation is not sealed): the search must find it. */
const inClear = '明文对照-职业-森林防火瞭望员';

beforeAll(async () => {
  t = await createTestPlatform({ SSCARD_MASTER_KEY: A });
  w = await buildWorld(t);
  for (const [i, p] of folks.entries()) {
    const res = await t.api({
      method: 'POST',
      url: '/api/v1/persons',
      token: w.tokens.branchA,
      // Stored answers to retried requests are in the dump too.
      headers: { 'idempotency-key': `dump-test-register-${i}` },
      payload: registration(p),
    });
    expect(res.statusCode, res.body).toBe(201);
    ids.push(res.json().id);
  }
  for (let i = 0; i < photos; i++) {
    const res = await t.api({
      method: 'PUT',
      url: `/api/v1/persons/${ids[i]}/photo`,
      token: w.tokens.branchA,
      headers: { 'content-type': 'image/jpeg' },
      payload: await noisyPhoto(),
    });
    expect(res.statusCode, res.body).toBe(200);
    // The stored photo is the server's re-encoding: look for a run of its own bytes.
    const served = await t.api({
      method: 'GET',
      url: `/api/v1/persons/${ids[i]}/photo`,
      token: w.tokens.branchA,
      headers: { 'x-sscard-reason': 'check' },
    });
    expect(served.statusCode, served.body).toBe(200);
    servedPhotos.push(served.rawPayload);
  }
  const moved = await t.api({
    method: 'PATCH',
    url: `/api/v1/persons/${ids[1]}`,
    token: w.tokens.branchA,
    headers: { 'idempotency-key': 'dump-test-move' },
    payload: { residenceAddress: movedTo, occupation: inClear },
  });
  expect(moved.statusCode, moved.body).toBe(200);
});

afterAll(async () => {
  await node?.close();
  await t.close();
});

/** The whole database as an outsider with a copy of it would have it. */
async function dump(): Promise<Buffer> {
  const handle = t.platform.handle;
  if (handle.kind === 'pglite') {
    const tarball = await handle.dumpDataDir!();
    return Buffer.from(await tarball.arrayBuffer());
  }
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(
    handle.db,
  );
  const { stdout } = await execFileAsync(
    'pg_dump',
    ['--dbname', process.env.DATABASE_URL!, '--schema', rows[0]!.schema, '--no-owner'],
    { encoding: 'buffer', maxBuffer: 512 * 1024 * 1024 },
  );
  return stdout;
}

function secrets(): { label: string; value: Buffer }[] {
  const list: { label: string; value: Buffer }[] = [];
  for (const [i, p] of folks.entries()) {
    const values: [string, string | null][] = [
      ['ID number', p.idNumber],
      ['guardian ID number', p.guardianIdNumber],
      ['phone', p.phone],
      ['household address', p.householdAddress],
      ['residence address', p.residenceAddress],
      // Parts of an address are as telling as the whole.
      ['street', p.householdAddress.slice(3, 14)],
    ];
    for (const [label, v] of values)
      if (v) list.push({ label: `${label} #${i}`, value: Buffer.from(v) });
  }
  list.push({ label: 'new address', value: Buffer.from(movedTo) });
  for (const [i, p] of servedPhotos.entries())
    list.push({ label: `photo #${i}`, value: p.subarray(p.length / 2, p.length / 2 + 48) });
  return list;
}

function expectNoPlaintext(bytes: Buffer) {
  const hex = bytes.toString('latin1').toLowerCase();
  // The controls: what is stored in clear must be found in this very dump, text (names, the
  // occupation changed last) and bytea (a photo's SHA-256, raw or as hex), or the search is blind.
  for (const p of folks) expect(bytes.includes(Buffer.from(p.name)), p.name).toBe(true);
  expect(bytes.includes(Buffer.from(inClear)), 'occupation').toBe(true);
  const digest = createHash('sha256').update(servedPhotos[0]!).digest();
  expect(bytes.includes(digest) || hex.includes(digest.toString('hex')), 'photo digest').toBe(true);

  for (const s of secrets()) {
    expect(bytes.includes(s.value), s.label).toBe(false);
    expect(hex.includes(s.value.toString('hex')), `${s.label} as hex`).toBe(false);
  }
}

describe('a database dump', () => {
  it('holds no ID number, phone, address or photo in clear', async () => {
    expectNoPlaintext(await dump());
  });

  it('still holds none after a rotation, which leaves nothing under the old key', async () => {
    node = await startNode(t, `${B},${A}`);
    const report = await new KeysService(node.platform.deps).rotate(systemContext('keys'), {
      batchSize: 4,
    });
    expect(report).toMatchObject({ complete: true, remaining: 0, retired: [KID_A] });
    const status = await keyStatus(t.platform.handle.db, node.platform.deps.keyring);
    expect(status.pending).toBe(0);
    for (const c of status.columns) expect(Object.keys(c.counts)).not.toContain(KID_A);

    for (const [i, p] of folks.entries()) {
      for (const payload of [{ idType: 'resident_id', idNumber: p.idNumber }, { phone: p.phone }]) {
        const res = await node.api({
          method: 'POST',
          url: '/api/v1/persons/search',
          token: w.tokens.branchA,
          payload,
        });
        expect(res.json().items.map((x: { id: string }) => x.id)).toEqual([ids[i]]);
      }
    }
    expectNoPlaintext(await dump());
  });
});
