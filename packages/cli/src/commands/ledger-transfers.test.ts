/** `sscard export ledger-daily|ledger-monthly|inventory|destruction-register`: paths, options, the file written. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LEDGER_TRANSFERS } from './ledger-transfers.js';
import { TRANSFERS, registerTransferCommands } from './transfer.js';

afterEach(() => vi.unstubAllGlobals());

function program() {
  const p = new Command().exitOverride();
  registerTransferCommands(p);
  return p;
}

describe('ledger exports', () => {
  it('are registered as sscard export commands', () => {
    const names = program()
      .commands.find((c) => c.name() === 'export')!
      .commands.map((c) => c.name());
    expect(names).toEqual(
      expect.arrayContaining([
        'ledger-daily',
        'ledger-monthly',
        'inventory',
        'destruction-register',
      ]),
    );
    for (const t of LEDGER_TRANSFERS) expect(TRANSFERS).toContain(t);
  });

  it('downloads each ledger from its route, as xlsx unless told csv', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sscard-ledger-'));
    const urls: string[] = [];
    const auth: (string | null)[] = [];
    vi.stubGlobal('fetch', async (url: URL, init: RequestInit) => {
      urls.push(url.toString());
      auth.push(new Headers(init.headers).get('authorization'));
      return new Response(new Uint8Array([80, 75, 3, 4]), { status: 200 });
    });
    const run = (...args: string[]) =>
      program().parseAsync([
        'node',
        'sscard',
        'export',
        ...args,
        '--url',
        'http://h',
        '--token',
        'tok',
      ]);
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const out = path.join(dir, 'd.xlsx');
    await run('ledger-daily', '--branch', 'B1', '--date', '2026-05-06', '--out', out);
    await run(
      'ledger-monthly',
      '--bank',
      'K1',
      '--month',
      '2026-05',
      '--format',
      'csv',
      '--out',
      path.join(dir, 'm.csv'),
    );
    await run(
      'inventory',
      '--organization',
      'O1',
      '--from',
      '2026-05-01',
      '--to',
      '2026-05-31',
      '--out',
      path.join(dir, 'i.xlsx'),
    );
    await run('destruction-register', '--organization', 'O1', '--out', path.join(dir, 'r.xlsx'));
    log.mockRestore();
    expect(urls).toEqual([
      'http://h/api/v1/ledgers/daily?branch=B1&date=2026-05-06&format=xlsx',
      'http://h/api/v1/ledgers/monthly?bank=K1&month=2026-05&format=csv',
      'http://h/api/v1/ledgers/inventory?organization=O1&from=2026-05-01&to=2026-05-31&format=xlsx',
      'http://h/api/v1/destructions?format=xlsx&organizationId=O1',
    ]);
    expect(auth.every((a) => a === 'Bearer tok')).toBe(true);
    expect([...readFileSync(out)]).toEqual([80, 75, 3, 4]);
    await expect(run('ledger-daily', '--date', '2026-05-06')).rejects.toThrow(/--branch/);
    await expect(
      run('ledger-daily', '--branch', 'B1', '--date', '2026-05-06', '--format', 'pdf'),
    ).rejects.toThrow();
  });
});
