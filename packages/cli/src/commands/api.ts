/**
 * The server's API as the CLI's commands call it: a staff session (`sscard login`) or a terminal's
 * key, an Idempotency-Key where asked, and a refusal printed as the operator reads it (code,
 * message, the article that refused).
 */
import { CommanderError, Option, type Command } from 'commander';

export interface ApiOptions {
  url: string;
  token?: string;
  /** A terminal's API key instead of a session (`sscard verify`). */
  terminalKey?: string;
  lang: string;
}

interface Problem {
  code?: string;
  title?: string;
  detail?: string;
  rule?: { rule: string; quote?: string };
}

export const fail = (code: string, message: string) =>
  new CommanderError(1, `sscard.${code}`, message);

/** `k=v`: v read as JSON where it is JSON (true, 3, "x"), else as the text it is. */
export function setting(
  value: string,
  previous: Record<string, unknown> = {},
): Record<string, unknown> {
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

export async function call(
  api: ApiOptions,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  key?: string,
): Promise<unknown> {
  const headers: Record<string, string> = { 'accept-language': api.lang };
  if (api.terminalKey) headers.authorization = `Terminal ${api.terminalKey}`;
  else if (api.token) headers.authorization = `Bearer ${api.token}`;
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

export function apiOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--url <url>', 'the server').env('SSCARD_URL').default('http://localhost:3000'),
    )
    .addOption(new Option('--token <token>', 'a session token (sscard login)').env('SSCARD_TOKEN'))
    .addOption(
      new Option('--lang <lang>', 'language of messages').choices(['zh-CN', 'en']).default('en'),
    );
}
