/**
 * The browser's audit chain check agrees with the server's hashing (chain.ts): an export made
 * from records the server's way verifies, a changed field or a relinked record is found, and a
 * gap (records outside the reader's scope) is counted, not failed.
 */
import { describe, expect, it } from 'vitest';
import { GENESIS, hashRecord } from '../../../server/src/modules/audit/chain.js';
import { checkExport } from './chain';

function records(n: number) {
  const out: Record<string, unknown>[] = [];
  let prev: Buffer = GENESIS;
  for (let seq = 1; seq <= n; seq++) {
    const r = {
      shard: 0,
      seq,
      id: `00000000-0000-7000-8000-00000000000${seq}`,
      at: new Date(Date.UTC(2026, 4, 1, 1, 0, seq)),
      actor_id: null,
      actor_username: 'sh.bank1.br1',
      actor_org_id: null,
      actor_role: 'branch_operator',
      ip: '127.0.0.1',
      request_id: `req-${seq}`,
      action: 'card.loss',
      target_type: 'card',
      target_id: '31000000000001X',
      jurisdiction: '310000',
      reason: seq === 2 ? '本人来电' : null,
      outcome: 'success',
      code: null,
      details: { kind: 'temporary', nested: { b: 1, a: [1, 'x'] } },
      prev_hash: prev,
    };
    const hash = hashRecord(r as never);
    out.push({
      ...r,
      at: r.at.toISOString(),
      prev_hash: prev.toString('hex'),
      hash: hash.toString('hex'),
    });
    prev = hash;
  }
  return out;
}
const lines = (rs: Record<string, unknown>[]) => rs.map((r) => JSON.stringify(r)).join('\n');

describe('checkExport', () => {
  it('verifies an intact export', async () => {
    const r = await checkExport(lines(records(4)));
    expect(r).toMatchObject({ records: 4, shards: 1, links: 3, gaps: 0, problems: [] });
  });

  it('finds an altered record', async () => {
    const rs = records(3);
    rs[1]!.reason = '改过的原因';
    const r = await checkExport(lines(rs));
    expect(r.problems).toEqual([{ shard: 0, seq: 2, problem: 'altered' }]);
  });

  it('counts a gap without failing', async () => {
    const rs = records(4);
    const r = await checkExport(lines([rs[0]!, rs[2]!, rs[3]!]));
    expect(r).toMatchObject({ records: 3, links: 1, gaps: 1, problems: [] });
  });
});
