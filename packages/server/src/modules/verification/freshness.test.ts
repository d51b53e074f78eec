/**
 * Freshness across nodes (issue 12 item 4): two server processes on one PostgreSQL. A loss
 * reported through one is refused by the other from the moment the loss committed (the answer to
 * the loss came back): a check reads the card in the statement that answers it, nothing is cached.
 * Needs a PostgreSQL server: DATABASE_URL, or the local one on 127.0.0.1:5432; skipped (and said
 * so) when there is none, since the embedded database serves one process only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresServerUrl } from '../../testing/postgres-server.js';
import {
  installationOn,
  startServer,
  type Installation,
  type ServerProcess,
} from '../../testing/server-process.js';
import { checkCard, fzCard, loginFzBranch, reportLoss } from './over-http.js';

const url = await postgresServerUrl();
if (!url) console.warn('freshness.test.ts: no PostgreSQL server reachable; two-node test skipped');

describe.skipIf(!url)('two nodes on one PostgreSQL', () => {
  let inst: Installation;
  let a: ServerProcess;
  let b: ServerProcess;

  beforeAll(async () => {
    inst = await installationOn('postgres', url);
    // The manual clock stands still, so a terminal's bucket never refills: no limit for this one.
    await inst.query('update terminals set rate_limit_per_second = 100000');
    [a, b] = await Promise.all([startServer(inst), startServer(inst)]);
  }, 300_000);
  afterAll(async () => {
    await Promise.all([a?.kill('SIGTERM'), b?.kill('SIGTERM')]);
    await inst?.dispose();
  });

  it('a loss committed through node A is refused by node B at the next check', async () => {
    const token = await loginFzBranch(a.url);
    for (let round = 0; round < 5; round++) {
      const cardNo = await fzCard(a.url, token);
      expect((await checkCard(b.url, cardNo)).json).toMatchObject({ valid: true });
      // Node B is checked continuously while node A takes the loss.
      let stop = false;
      const during = (async () => {
        const seen: boolean[] = [];
        while (!stop) seen.push((await checkCard(b.url, cardNo)).json.valid as boolean);
        return seen;
      })();
      const loss = await reportLoss(a.url, token, cardNo);
      expect(loss.status).toBe(200);
      // Committed: every check that starts now, on either node, refuses the card.
      const after = await Promise.all([checkCard(b.url, cardNo), checkCard(a.url, cardNo)]);
      stop = true;
      await during;
      for (const r of after)
        expect(r.json).toMatchObject({ valid: false, reasons: [{ code: 'lost' }] });
    }
  }, 120_000);
});
