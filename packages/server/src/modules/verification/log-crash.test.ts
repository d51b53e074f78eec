/**
 * No answered check is lost when a node dies (issue 12 item 5). Checks are written to the log in
 * batches and answered only after their batch committed: bursts of concurrent checks, each for a
 * card number of its own, and the server killed with SIGKILL in the middle of one. Every check that
 * got an answer is in the log afterwards. Runs on the embedded database (one process, its data
 * directory read back after the kill) and on PostgreSQL (DATABASE_URL).
 */
import { formatCardNumber } from '@sscard/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newInstallation, startServer, type Installation } from '../../testing/server-process.js';
import { checkCard } from './over-http.js';

let inst: Installation;

beforeAll(async () => {
  inst = await newInstallation();
  // The manual clock stands still, so a terminal's bucket never refills: no limit for this one.
  await inst.query('update terminals set rate_limit_per_second = 100000');
}, 180_000);
afterAll(async () => {
  await inst?.dispose();
});

describe('the verification log across a kill -9', () => {
  it('every answered check is in the log', async () => {
    const cycles = Number(process.env.SSCARD_CRASH_CYCLES ?? 2);
    const answered: string[] = [];
    let serial = 1;
    for (let cycle = 0; cycle < cycles; cycle++) {
      const server = await startServer(inst);
      // 16 clients check without pause, each card number once; the kill lands in the stream.
      let down = false;
      const client = async () => {
        while (!down) {
          const cardNo = formatCardNumber('350100', serial++);
          try {
            // An unknown card: logged, then answered 404. Any answer means it was logged.
            if ((await checkCard(server.url, cardNo)).status === 404) answered.push(cardNo);
          } catch {
            down = true;
          }
        }
      };
      const clients = Array.from({ length: 16 }, client);
      // Killed once a good stream is flowing (100 more answers), at a random moment after that.
      const target = answered.length + 100;
      const deadline = Date.now() + 60_000;
      while (answered.length < target && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, Math.random() * 300));
      server.process.kill('SIGKILL');
      await Promise.all(clients);
      await server.exited;
    }
    expect(answered.length).toBeGreaterThan(100);
    const logged = new Set(
      (await inst.query<{ card_no: string }>('select card_no from verification_log')).map(
        (r) => r.card_no,
      ),
    );
    const lost = answered.filter((n) => !logged.has(n));
    expect(lost, 'answered checks missing from the log').toEqual([]);
  }, 300_000);
});
