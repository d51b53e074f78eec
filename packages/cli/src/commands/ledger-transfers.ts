/**
 * The ledgers and registers of issue 14 (FZ-27, ZS-17, FZ-36): `sscard export ledger-daily
 * --branch ID --date YYYY-MM-DD`, `ledger-monthly --bank ID --month YYYY-MM`, `inventory
 * --organization ID --from --to`, `destruction-register [--organization ID]`; `--format xlsx|csv`
 * (default xlsx). Entries of transfer.ts's TRANSFERS.
 */
import type { Command } from 'commander';
import type { Transfer } from './transfer.js';

type Opts = Record<string, unknown>;
const s = (v: unknown) => encodeURIComponent(String(v));
const format = (c: Command) =>
  c.option(
    '--format <format>',
    'xlsx or csv',
    (v) => {
      if (v !== 'xlsx' && v !== 'csv') throw new Error('--format must be xlsx or csv');
      return v;
    },
    'xlsx',
  );
const fmt = (o: Opts) => String(o.format ?? 'xlsx');

export const LEDGER_TRANSFERS: Transfer[] = [
  {
    direction: 'export',
    what: 'ledger-daily',
    summary: 'a branch’s daily ledger of stock cards (FZ-27 每日台账明细)',
    options: (c) =>
      format(
        c
          .requiredOption('--branch <id>', 'the branch')
          .requiredOption('--date <YYYY-MM-DD>', 'the day'),
      ),
    download: (o) => `/ledgers/daily?branch=${s(o.branch)}&date=${s(o.date)}&format=${fmt(o)}`,
    filename: (o) => `daily-ledger-${String(o.date)}.${fmt(o)}`,
  },
  {
    direction: 'export',
    what: 'ledger-monthly',
    summary: 'a bank’s monthly ledger (FZ-27 每月台账明细), due the working day before month end',
    options: (c) =>
      format(
        c
          .requiredOption('--bank <id>', 'the bank')
          .requiredOption('--month <YYYY-MM>', 'the month'),
      ),
    download: (o) => `/ledgers/monthly?bank=${s(o.bank)}&month=${s(o.month)}&format=${fmt(o)}`,
    filename: (o) => `monthly-ledger-${String(o.month)}.${fmt(o)}`,
  },
  {
    direction: 'export',
    what: 'inventory',
    summary: 'the inventory ledger of unissued cards (ZS-17): stock and movements per branch',
    options: (c) =>
      format(
        c
          .requiredOption('--organization <id>', 'a branch, a bank or a centre')
          .requiredOption('--from <YYYY-MM-DD>', 'first day')
          .requiredOption('--to <YYYY-MM-DD>', 'last day'),
      ),
    download: (o) =>
      `/ledgers/inventory?organization=${s(o.organization)}&from=${s(o.from)}&to=${s(o.to)}&format=${fmt(o)}`,
    filename: (o) => `inventory-${String(o.from)}-${String(o.to)}.${fmt(o)}`,
  },
  {
    direction: 'export',
    what: 'destruction-register',
    summary: 'the destruction register (FZ-36, HN-25): who, when, witness, batch, a line per card',
    options: (c) =>
      format(
        c
          .option('--organization <id>', 'only this organisation')
          .option('--from <YYYY-MM-DD>', 'destroyed from')
          .option('--to <YYYY-MM-DD>', 'destroyed until'),
      ),
    download: (o) => {
      const q = new URLSearchParams({ format: fmt(o) });
      for (const k of ['organization', 'from', 'to'] as const)
        if (typeof o[k] === 'string') q.set(k === 'organization' ? 'organizationId' : k, o[k]);
      return `/destructions?${q.toString()}`;
    },
    filename: (o) => `destruction-register.${fmt(o)}`,
  },
];
