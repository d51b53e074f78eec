/**
 * How every request leaves the browser. Each state-changing request (POST, PUT, PATCH, DELETE)
 * carries an Idempotency-Key: the caller's, when one user action spans several attempts, or a
 * fresh one per request. A request that got no answer at all (the network failed, the server
 * restarted) is sent again with the same key, so the server does the act at most once and the
 * retry gets the first answer back. Answers, refusals included, are never retried.
 */
export const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
export const IDEMPOTENCY_HEADER = 'idempotency-key';

/** A random key (128 bits); works outside secure contexts too, unlike crypto.randomUUID. */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Gives a state-changing request a key of its own unless the caller chose one. */
export function withIdempotencyKey(request: Request, key: () => string = newIdempotencyKey) {
  if (MUTATING.has(request.method.toUpperCase()) && !request.headers.has(IDEMPOTENCY_HEADER))
    request.headers.set(IDEMPOTENCY_HEADER, key());
  return request;
}

export interface SendOptions {
  /** The fetch to use (tests); default: the browser's, looked up at call time. */
  fetch?: (request: Request) => Promise<Response>;
  /** Further attempts after a failure without an answer (state-changing requests only). */
  retries?: number;
  /** Milliseconds before attempt n + 1. */
  delay?: (attempt: number) => number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Sends a request; a state-changing one with its key is sent again, same key and same body,
 * when no answer came back. Reads are retried by the data cache instead (react-query).
 */
export async function send(request: Request, options: SendOptions = {}): Promise<Response> {
  const go = options.fetch ?? ((r: Request) => globalThis.fetch(r));
  const retryable =
    MUTATING.has(request.method.toUpperCase()) && request.headers.has(IDEMPOTENCY_HEADER);
  const retries = retryable ? (options.retries ?? 2) : 0;
  const delay = options.delay ?? ((n: number) => 400 * 2 ** n);
  for (let attempt = 0; ; attempt++) {
    // A request's body can be read once: every attempt sends a copy.
    const copy = attempt < retries ? request.clone() : request;
    try {
      return await go(copy);
    } catch (e) {
      const aborted = e instanceof DOMException && e.name === 'AbortError';
      if (aborted || attempt >= retries) throw e;
      await sleep(delay(attempt));
    }
  }
}

/** What identifies the request of an action: its variables, files by name, size and type. */
function fingerprint(vars: unknown): string {
  return JSON.stringify(vars ?? null, (_k, v: unknown) =>
    typeof Blob !== 'undefined' && v instanceof Blob
      ? `blob:${(v as File).name ?? ''}:${v.size}:${v.type}`
      : v,
  );
}

/**
 * The key of one user action. It stays the same while the action's attempts get no answer
 * (the user presses again after a network failure, or double-clicks), and changes once the
 * server has answered (done or refused: the next press is a new action, so a second wrong PIN
 * counts again) or the user asks for something else.
 */
export class ActionKey {
  private key = newIdempotencyKey();
  private sent: string | null = null;

  /** The key for an attempt with these variables. */
  for(vars: unknown): string {
    const f = fingerprint(vars);
    if (this.sent !== null && this.sent !== f) this.renew();
    this.sent = f;
    return this.key;
  }

  /** The server answered the action: its next attempt is a new action. */
  answered(): void {
    this.renew();
  }

  renew(): void {
    this.key = newIdempotencyKey();
    this.sent = null;
  }
}
