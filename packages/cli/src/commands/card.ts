/**
 * `sscard login` and `sscard card <act> <cardNo>`: the card acts for scripts (a bank's batch of
 * returned cards, a vendor's list of undeliverable ones), over the running server's API as a
 * staff account. They go through the API, not the database, because an act is decided by who
 * does it and their relationship to the card (the act step); the CLI is one more client of it.
 * The acts and their bodies are the server's own table (CARD_ACTS), so a new act appears here
 * when it lands. Every call sends an Idempotency-Key, printed to stderr: a script that lost the
 * answer retries with `--key` and gets the first answer, never a second act.
 */
import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { apiOptions, call, fail, setting, type ApiOptions } from './api.js';
import { CARD_ACTS } from '@sscard/server';

export function registerCardCommands(program: Command): void {
  apiOptions(
    program
      .command('login')
      .description(
        'log in to the server and print the session token (export SSCARD_TOKEN=$(sscard login …)); the password is read from SSCARD_PASSWORD',
      )
      .requiredOption('--username <username>', 'the staff account')
      .option('--otp <code>', 'the second factor, where the account has one'),
  ).action(async (opts: ApiOptions & { username: string; otp?: string }) => {
    const password = process.env.SSCARD_PASSWORD;
    if (!password) throw fail('login.no_password', 'set SSCARD_PASSWORD to the account’s password');
    const answer = (await call(opts, 'POST', '/auth/login', {
      username: opts.username,
      password,
      ...(opts.otp ? { otp: opts.otp } : {}),
    })) as { token: string };
    console.log(answer.token);
  });

  const card = program
    .command('card')
    .description('acts on a card over the server’s API, as a staff account (sscard login)');

  apiOptions(card.command('show').description('the card as this account may see it'))
    .argument('<cardNo>')
    .action(async (cardNo: string, opts: ApiOptions) => {
      console.log(
        JSON.stringify(await call(opts, 'GET', `/cards/${encodeURIComponent(cardNo)}`), null, 2),
      );
    });

  card
    .command('acts')
    .description('the acts, with the body each takes')
    .action(() => {
      for (const act of CARD_ACTS) {
        const fields = act.body
          ? Object.keys((act.body as { properties?: object }).properties ?? {})
          : [];
        console.log(
          `${act.path.padEnd(20)} ${act.summary}${fields.length ? `\n${' '.repeat(21)}fields: ${fields.join(', ')}` : ''}`,
        );
      }
    });

  for (const act of CARD_ACTS) {
    apiOptions(card.command(act.path).description(act.summary))
      .argument('<cardNo>')
      .option('--json <body>', 'the request body as JSON')
      .option(
        '--set <key=value>',
        'one field of the body (repeatable; values as JSON where they are)',
        setting,
      )
      .option('--key <idempotency-key>', 'retry an earlier call: the key it printed')
      .action(
        async (
          cardNo: string,
          opts: ApiOptions & { json?: string; set?: Record<string, unknown>; key?: string },
        ) => {
          let body: Record<string, unknown> = {};
          if (opts.json) {
            try {
              body = JSON.parse(opts.json) as Record<string, unknown>;
            } catch {
              throw fail('card.bad_json', '--json is not JSON');
            }
          }
          body = { ...body, ...opts.set };
          const key = opts.key ?? randomUUID();
          console.error(`idempotency-key: ${key}`);
          const answer = await call(
            opts,
            'POST',
            `/cards/${encodeURIComponent(cardNo)}/${act.path}`,
            act.body ? body : undefined,
            key,
          );
          console.log(JSON.stringify(answer, null, 2));
        },
      );
  }
}
