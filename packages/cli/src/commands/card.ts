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
import { CommanderError, Option, type Command } from 'commander';
import { CARD_ACTS } from '@sscard/server';

interface ApiOptions {
  url: string;
  token?: string;
  lang: string;
}

interface Problem {
  code?: string;
  title?: string;
  detail?: string;
  rule?: { rule: string; quote?: string };
}

const fail = (code: string, message: string) => new CommanderError(1, `sscard.${code}`, message);

/** `k=v`: v read as JSON where it is JSON (true, 3, "x"), else as the text it is. */
function setting(value: string, previous: Record<string, unknown> = {}): Record<string, unknown> {
  const at = value.indexOf('=');
  if (at < 1) throw fail('card.bad_set', `--set wants key=value, got "${value}"`);
  const raw = value.slice(at + 1);
  let parsed: unknown = raw;
  try {
    parsed = JSON.parse(raw);
  } catch {
    // plain text
  }
  return { ...previous, [value.slice(0, at)]: parsed };
}

async function call(
  api: ApiOptions,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  key?: string,
): Promise<unknown> {
  const headers: Record<string, string> = { 'accept-language': api.lang };
  if (api.token) headers.authorization = `Bearer ${api.token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (key) headers['idempotency-key'] = key;
  let res: Response;
  try {
    res = await fetch(new URL(`/api/v1${path}`, api.url), {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch (e) {
    throw fail('unreachable', `cannot reach ${api.url}: ${(e as Error).message}`);
  }
  const text = await res.text();
  let answer: unknown = null;
  try {
    answer = text ? JSON.parse(text) : null;
  } catch {
    throw fail('not_json', `${api.url} answered ${res.status} with something that is not JSON`);
  }
  if (res.ok) return answer;
  // A refusal as the operator reads it: code, message, and the rule that refused.
  const p = (answer ?? {}) as Problem;
  console.log(`${res.status} ${p.code ?? ''}: ${p.detail ?? p.title ?? text}`);
  if (p.rule) console.log(`rule ${p.rule.rule}${p.rule.quote ? `: “${p.rule.quote}”` : ''}`);
  throw fail(`api.${p.code ?? res.status}`, p.title ?? `HTTP ${res.status}`);
}

function apiOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--url <url>', 'the server').env('SSCARD_URL').default('http://localhost:3000'),
    )
    .addOption(new Option('--token <token>', 'a session token (sscard login)').env('SSCARD_TOKEN'))
    .addOption(
      new Option('--lang <lang>', 'language of messages').choices(['zh-CN', 'en']).default('en'),
    );
}

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
