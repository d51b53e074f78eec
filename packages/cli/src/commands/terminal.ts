/**
 * `sscard terminal …` registers and manages terminals and card readers over the API, as a centre
 * or bank administrator (sscard login): the scripts a centre runs when a hospital installs fifty
 * readers. `sscard verify card|pin` checks a card as a terminal, with its key (SSCARD_TERMINAL_KEY),
 * for a gate's smoke test or a service point's own scripts. A PIN is read from SSCARD_PIN, never
 * from the command line (where `ps` and shell history would keep it).
 */
import { randomUUID } from 'node:crypto';
import { Option, type Command } from 'commander';
import { apiOptions, call, fail, setting, type ApiOptions } from './api.js';

const print = (answer: unknown) => console.log(JSON.stringify(answer, null, 2));

/** An act: an Idempotency-Key (printed to stderr, `--key` to retry) and the answer printed. */
async function act(opts: ApiOptions & { key?: string }, path: string, body: unknown) {
  const key = opts.key ?? randomUUID();
  console.error(`idempotency-key: ${key}`);
  print(await call(opts, 'POST', path, body, key));
}

export function registerTerminalCommands(program: Command): void {
  const terminal = program
    .command('terminal')
    .description('terminals and card readers (ZS-18, FZ-12, SG-26), over the server’s API');

  apiOptions(terminal.command('list').description('the terminals in this account’s scope'))
    .option('--organization <id>', 'only this organisation’s')
    .option('--status <status>', 'active, suspended or retired')
    .option('--limit <n>', 'at most this many (the answer says the total)', '500')
    .option('--offset <n>', 'skip this many: the next page', '0')
    .action(
      async (
        opts: ApiOptions & {
          organization?: string;
          status?: string;
          limit: string;
          offset: string;
        },
      ) => {
        const q = new URLSearchParams({ limit: opts.limit, offset: opts.offset });
        if (opts.organization) q.set('organizationId', opts.organization);
        if (opts.status) q.set('status', opts.status);
        print(await call(opts, 'GET', `/terminals?${q}`));
      },
    );

  apiOptions(
    terminal
      .command('register')
      .description('register a terminal; its API key is printed once (only its hash is kept)'),
  )
    .requiredOption('--organization <id>', 'the service point, branch, outlet or window')
    .addOption(
      new Option('--kind <kind>', 'what it is')
        .choices(['card_reader', 'pos', 'gate', 'kiosk', 'issuing_terminal', 'card_printer'])
        .default('card_reader'),
    )
    .requiredOption('--label <label>', 'a name the staff recognise (收银台读卡器1)')
    .option('--brand <brand>', 'FZ-12: 品牌')
    .option('--model <model>', 'FZ-12: 型号')
    .option('--serial <serial>', 'FZ-12: 出厂序列号')
    .option('--rate <n>', 'checks per second, per node', (v) => Number(v))
    .option('--changed-on <date>', 'FZ-12: the day it was installed (YYYY-MM-DD)')
    .option('--fingerprint <sha256>', 'a client certificate instead of an API key')
    .option('--key <idempotency-key>', 'retry an earlier call: the key it printed')
    .action(
      async (
        opts: ApiOptions & {
          organization: string;
          kind: string;
          label: string;
          brand?: string;
          model?: string;
          serial?: string;
          rate?: number;
          changedOn?: string;
          fingerprint?: string;
          key?: string;
        },
      ) => {
        await act(opts, '/terminals', {
          organizationId: opts.organization,
          kind: opts.kind,
          label: opts.label,
          ...(opts.brand ? { brand: opts.brand } : {}),
          ...(opts.model ? { model: opts.model } : {}),
          ...(opts.serial ? { serialNumber: opts.serial } : {}),
          ...(opts.rate ? { rateLimitPerSecond: opts.rate } : {}),
          ...(opts.changedOn ? { changedOn: opts.changedOn } : {}),
          ...(opts.fingerprint
            ? { credential: { kind: 'client_certificate', fingerprint: opts.fingerprint } }
            : {}),
        });
      },
    );

  apiOptions(terminal.command('change').description('FZ-12: file a change of the equipment'))
    .argument('<id>')
    .option(
      '--set <key=value>',
      'label, kind, brand, model, rateLimitPerSecond, changedOn',
      setting,
    )
    .option('--key <idempotency-key>', 'retry an earlier call: the key it printed')
    .action(async (id: string, opts: ApiOptions & { set?: object; key?: string }) => {
      await act(opts, `/terminals/${encodeURIComponent(id)}/change`, opts.set ?? {});
    });

  for (const [name, summary] of [
    ['suspend', 'suspend a terminal: refused on every node from now on'],
    ['resume', 'put a suspended terminal back in service'],
    ['retire', 'retire a terminal for good'],
  ] as const) {
    apiOptions(terminal.command(name).description(summary))
      .argument('<id>')
      .requiredOption('--reason <text>', 'why (kept in the audit trail)')
      .option('--key <idempotency-key>', 'retry an earlier call: the key it printed')
      .action(async (id: string, opts: ApiOptions & { reason: string; key?: string }) => {
        await act(opts, `/terminals/${encodeURIComponent(id)}/${name}`, { reason: opts.reason });
      });
  }

  apiOptions(terminal.command('rotate').description('a new credential; the old one stops at once'))
    .argument('<id>')
    .option('--fingerprint <sha256>', 'a client certificate instead of a new API key')
    .option('--key <idempotency-key>', 'retry an earlier call: the key it printed')
    .action(async (id: string, opts: ApiOptions & { fingerprint?: string; key?: string }) => {
      await act(
        opts,
        `/terminals/${encodeURIComponent(id)}/rotate`,
        opts.fingerprint
          ? { credential: { kind: 'client_certificate', fingerprint: opts.fingerprint } }
          : {},
      );
    });

  const verify = program
    .command('verify')
    .description('check a card as a terminal (HN-32), with its key in SSCARD_TERMINAL_KEY');
  const terminalKey = (opts: ApiOptions) => {
    const key = process.env.SSCARD_TERMINAL_KEY;
    if (!key) throw fail('verify.no_key', 'set SSCARD_TERMINAL_KEY to the terminal’s API key');
    return { ...opts, terminalKey: key };
  };

  apiOptions(verify.command('card').description('is the card valid now, and why not'))
    .argument('<cardNo>')
    .addOption(
      new Option('--function <fn>', 'the function asked about')
        .choices(['social', 'financial', 'one_card'])
        .default('social'),
    )
    .action(async (cardNo: string, opts: ApiOptions & { function: string }) => {
      print(
        await call(terminalKey(opts), 'POST', '/verify/card', { cardNo, function: opts.function }),
      );
    });

  apiOptions(verify.command('pin').description('check the social PIN in SSCARD_PIN (FZ-32)'))
    .argument('<cardNo>')
    .action(async (cardNo: string, opts: ApiOptions) => {
      const pin = process.env.SSCARD_PIN;
      if (!pin) throw fail('verify.no_pin', 'set SSCARD_PIN to the PIN to check');
      print(await call(terminalKey(opts), 'POST', '/verify/pin', { cardNo, pin }));
    });
}
