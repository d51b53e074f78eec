/**
 * `sscard import <what> FILE` and `sscard export <what>`: files in and out of the server over its
 * API, as staff (sscard login). Each kind of file is one entry of TRANSFERS; other modules add
 * theirs there (bank-return, vendor-return, ledgers …) and the commands are built from the list.
 *
 * An import uploads the file as a raw body (http/upload.ts: content type by extension, the file
 * name in `X-Filename`), gets back a queued job, follows it with a progress bar (progress.ts),
 * prints the summary and exits non-zero when the job failed or refused rows; `--report FILE`
 * saves the per-row report. An export downloads a file to `--out` (default: the server's name).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { apiOptions, fail, type ApiOptions } from './api.js';
import { followJob, summarise, type JobAnswer } from './progress.js';
import { PRODUCTION_TRANSFERS } from './production-transfers.js';
import { LEDGER_TRANSFERS } from './ledger-transfers.js';

type Opts = ApiOptions & Record<string, unknown>;

export interface ImportTransfer {
  direction: 'import';
  /** `sscard import <what> FILE` */
  what: string;
  summary: string;
  /** Adds the command's own options (`--unit`, `--batch` …). */
  options?: (command: Command) => Command;
  /** The upload's path under /api/v1 with its query, from the options. */
  upload(opts: Opts): string;
  /** Reads the job id from the upload's answer (default: `jobId`). */
  jobOf?(answer: unknown): string;
  /** Where the per-row report is downloaded (for `--report FILE`), from the upload's answer. */
  report?(answer: unknown, job: JobAnswer, file: string): string | undefined;
}

export interface ExportTransfer {
  direction: 'export';
  /** `sscard export <what>` */
  what: string;
  summary: string;
  options?: (command: Command) => Command;
  /** The download's path under /api/v1 with its query, from the options. */
  download(opts: Opts): string;
  /** The file name written when `--out` is not given. */
  filename(opts: Opts): string;
}

export type Transfer = ImportTransfer | ExportTransfer;

const q = (values: Record<string, unknown>) => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(values))
    if (v !== undefined && v !== null && v !== '') s.set(k, String(v));
  const text = s.toString();
  return text ? `?${text}` : '';
};

/** The kinds of file. Add yours here (a small entry; keep the list sorted by direction, what). */
export const TRANSFERS: Transfer[] = [
  {
    direction: 'import',
    what: 'roster',
    summary:
      'a unit’s roster (.xlsx or .csv; FZ-18, HN-9): every row becomes an application or a reason',
    options: (c) =>
      c
        .option('--unit <name>', 'the unit (employer, school, village) that sent the roster')
        .option('--unit-code <code>', 'its unified social credit code')
        .option('--organization <id>', 'the unit as a registered organisation, instead')
        .requiredOption('--bank <id>', 'the bank chosen for the batch')
        .requiredOption('--branch <id>', 'the branch chosen for the batch')
        .option('--jurisdiction <code>', 'the centre (default: the account’s)'),
    upload: (o) =>
      `/rosters${q({
        unitName: o.unit,
        unitCode: o.unitCode,
        unitOrganizationId: o.organization,
        bankId: o.bank,
        branchId: o.branch,
        jurisdiction: o.jurisdiction,
      })}`,
    jobOf: (a) => (a as { jobId: string }).jobId,
    report: (a) => `/rosters/${(a as { id: string }).id}/report.xlsx`,
  },
  {
    direction: 'export',
    what: 'roster-template',
    summary: 'the roster template (.xlsx) whose ID and phone columns are text',
    download: () => '/rosters/template.xlsx',
    filename: () => 'roster-template.xlsx',
  },
  ...PRODUCTION_TRANSFERS,
  ...LEDGER_TRANSFERS,
];

export const CONTENT_TYPES: Record<string, string> = {
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.csv': 'text/csv',
  '.txt': 'text/plain',
};

const authHeaders = (api: ApiOptions): Record<string, string> => ({
  'accept-language': api.lang,
  ...(api.token ? { authorization: `Bearer ${api.token}` } : {}),
});

async function refusal(res: Response): Promise<never> {
  const text = await res.text();
  let p: { code?: string; title?: string; detail?: string; rule?: { rule: string } } = {};
  try {
    p = JSON.parse(text) as typeof p;
  } catch {
    // not JSON
  }
  console.log(`${res.status} ${p.code ?? ''}: ${p.detail ?? p.title ?? text.slice(0, 200)}`);
  if (p.rule) console.log(`rule ${p.rule.rule}`);
  throw fail(`api.${p.code ?? res.status}`, p.title ?? `HTTP ${res.status}`);
}

/** Uploads a file as a raw body; answers the JSON the server answered. */
export async function uploadFile(
  api: ApiOptions,
  apiPath: string,
  file: string,
  key = randomUUID(),
): Promise<unknown> {
  let body: Buffer;
  try {
    body = readFileSync(file);
  } catch (e) {
    throw fail('file.unreadable', `cannot read ${file}: ${(e as Error).message}`);
  }
  const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
  let res: Response;
  try {
    res = await fetch(new URL(`/api/v1${apiPath}`, api.url), {
      method: 'POST',
      headers: {
        ...authHeaders(api),
        'content-type': type,
        'idempotency-key': key,
        'x-filename': encodeURIComponent(path.basename(file)),
      },
      body,
    });
  } catch (e) {
    throw fail('unreachable', `cannot reach ${api.url}: ${(e as Error).message}`);
  }
  if (!res.ok) return refusal(res);
  return res.json();
}

/** Downloads a file to `out`. */
export async function downloadFile(api: ApiOptions, apiPath: string, out: string): Promise<number> {
  let res: Response;
  try {
    res = await fetch(new URL(`/api/v1${apiPath}`, api.url), { headers: authHeaders(api) });
  } catch (e) {
    throw fail('unreachable', `cannot reach ${api.url}: ${(e as Error).message}`);
  }
  if (!res.ok) return refusal(res);
  const bytes = Buffer.from(await res.arrayBuffer());
  writeFileSync(out, bytes);
  return bytes.length;
}

export function registerTransferCommands(program: Command): void {
  const imports = program
    .command('import')
    .description('import a file over the API as a queued job, with progress');
  const exports = program.command('export').description('download a file from the API');
  for (const t of TRANSFERS) {
    if (t.direction === 'import') {
      const c = apiOptions(imports.command(t.what).description(t.summary))
        .argument('<file>', '.xlsx or .csv')
        .option('--report <file>', 'save the per-row report here (.xlsx)')
        .option('--no-wait', 'answer with the job id without following it')
        .option('--every <ms>', 'poll interval', (v) => Number(v), 500);
      (t.options ? t.options(c) : c).action(async (file: string, opts: Opts) => {
        const answer = await uploadFile(opts, t.upload(opts), file);
        const jobId = t.jobOf ? t.jobOf(answer) : (answer as { jobId: string }).jobId;
        console.error(`job: ${jobId}`);
        if (opts.wait === false) {
          console.log(JSON.stringify(answer, null, 2));
          return;
        }
        const job = await followJob(opts, jobId, { every: opts.every as number });
        const report = typeof opts.report === 'string' ? opts.report : undefined;
        if (report && t.report) {
          const from = t.report(answer, job, file);
          if (from)
            console.error(`report: ${report} (${await downloadFile(opts, from, report)} bytes)`);
        }
        summarise(job);
      });
    } else {
      const c = apiOptions(exports.command(t.what).description(t.summary)).option(
        '--out <file>',
        'where to write it (default: its own name, here)',
      );
      (t.options ? t.options(c) : c).action(async (opts: Opts) => {
        const out = typeof opts.out === 'string' ? opts.out : t.filename(opts);
        const bytes = await downloadFile(opts, t.download(opts), out);
        console.log(`${out} (${bytes} bytes)`);
      });
    }
  }
}
