/** The bank and vendor file commands are entries of `sscard import|export` with their API paths. */
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { PRODUCTION_TRANSFERS } from './production-transfers.js';
import { TRANSFERS, registerTransferCommands } from './transfer.js';

describe('bank and vendor file transfers', () => {
  it('are registered as sscard import|export commands', () => {
    const program = new Command();
    registerTransferCommands(program);
    const names = (what: string) =>
      program.commands.find((c) => c.name() === what)!.commands.map((c) => c.name());
    expect(names('import')).toEqual(expect.arrayContaining(['bank-return', 'vendor-return']));
    expect(names('export')).toEqual(expect.arrayContaining(['bank-request', 'personalisation']));
    for (const t of PRODUCTION_TRANSFERS) expect(TRANSFERS).toContain(t);
  });

  it('send each file to its batch', () => {
    const batch = '0190a6c4-0000-7000-8000-000000000001';
    const o = { batch } as never;
    const by = Object.fromEntries(PRODUCTION_TRANSFERS.map((t) => [t.what, t]));
    const path = (what: string) => {
      const t = by[what]!;
      return t.direction === 'import' ? t.upload(o) : t.download(o);
    };
    expect(path('bank-return')).toBe(`/bank-files/${batch}/return`);
    expect(path('vendor-return')).toBe(`/production/batches/${batch}/return`);
    expect(path('bank-request')).toBe(`/bank-files/${batch}/request.txt`);
    expect(path('personalisation')).toBe(`/production/batches/${batch}/personalisation.txt`);
  });

  it('requires --batch', () => {
    const program = new Command().exitOverride();
    registerTransferCommands(program);
    const vendor = program.commands
      .find((c) => c.name() === 'import')!
      .commands.find((c) => c.name() === 'vendor-return')!;
    expect(vendor.options.find((x) => x.long === '--batch')?.mandatory).toBe(true);
  });
});
