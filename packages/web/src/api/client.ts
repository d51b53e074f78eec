/**
 * The one way pages talk to the API: openapi-fetch over the generated paths, with the session's
 * bearer token, the chosen language (messages follow Accept-Language), a stated reason where an
 * act needs one (X-Sscard-Reason, percent-encoded) and an Idempotency-Key for every act, so a
 * double click or a retry after a dropped answer never does anything twice.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';
import { ApiError, isProblem, networkProblem, type Problem } from './problem';

interface ClientState {
  token: string | null;
  language: string;
  /** Told when the API says the session is over (timed out, ended elsewhere, account disabled). */
  onSessionEnded: (problem: Problem) => void;
}

export const clientState: ClientState = {
  token: null,
  language: 'zh-CN',
  onSessionEnded: () => undefined,
};

/** Codes that mean "your session is gone": back to the login page with the reason. */
const SESSION_ENDED = new Set(['AUTH_REQUIRED', 'SESSION_EXPIRED', 'ORGANIZATION_SUSPENDED']);

const middleware: Middleware = {
  onRequest({ request }) {
    if (clientState.token) request.headers.set('authorization', `Bearer ${clientState.token}`);
    request.headers.set('accept-language', clientState.language);
    return request;
  },
  async onResponse({ response, request }) {
    if (response.ok) return response;
    const body = (await response
      .clone()
      .json()
      .catch(() => null)) as unknown;
    if (
      isProblem(body) &&
      SESSION_ENDED.has(body.code) &&
      (response.status === 401 || body.code === 'ORGANIZATION_SUSPENDED') &&
      request.headers.has('authorization')
    ) {
      clientState.onSessionEnded(body);
    }
    return response;
  },
};

export const client = createClient<paths>({ baseUrl: '' });
client.use(middleware);

export interface CallOptions {
  /** The reason stated by the user, sent percent-encoded in X-Sscard-Reason. */
  reason?: string;
  /** An act: sent with an Idempotency-Key (one per attempt of the user's intent). */
  idempotencyKey?: string;
}

/** Headers for a call's options. */
export function headersFor(options: CallOptions = {}): Record<string, string> {
  const h: Record<string, string> = {};
  if (options.reason) h['x-sscard-reason'] = encodeURIComponent(options.reason.trim());
  if (options.idempotencyKey) h['idempotency-key'] = options.idempotencyKey;
  return h;
}

/** Unwraps an openapi-fetch answer: the data, or an ApiError carrying the problem. */
export async function unwrap<T>(
  pending: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await pending;
  } catch (e) {
    throw new ApiError(networkProblem(clientState.language, e), 0);
  }
  const { data, error, response } = result;
  if (response.ok) return data as T;
  if (isProblem(error)) throw new ApiError(error, response.status);
  throw new ApiError(
    {
      type: 'about:blank',
      status: response.status,
      code: `HTTP_${response.status}`,
      title: response.statusText || `HTTP ${response.status}`,
      detail: typeof error === 'string' ? error : '',
    },
    response.status,
  );
}

/** A random key (128 bits); works outside secure contexts too, unlike crypto.randomUUID. */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * A route the generated types do not have yet (announced API changes, see API-NOTES.md). Same
 * headers and problem handling as the typed client; replace with `client` once the route exists.
 */
export async function untyped<T>(
  method: string,
  path: string,
  body?: unknown,
  options: CallOptions = {},
): Promise<T> {
  const headers: Record<string, string> = {
    'accept-language': clientState.language,
    ...headersFor(options),
  };
  if (clientState.token) headers.authorization = `Bearer ${clientState.token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch (e) {
    throw new ApiError(networkProblem(clientState.language, e), 0);
  }
  const data = (await res.json().catch(() => null)) as unknown;
  if (res.ok) return data as T;
  if (isProblem(data)) {
    if (res.status === 401 && SESSION_ENDED.has(data.code)) clientState.onSessionEnded(data);
    throw new ApiError(data, res.status);
  }
  throw new ApiError(
    {
      type: 'about:blank',
      status: res.status,
      code: `HTTP_${res.status}`,
      title: res.statusText,
      detail: '',
    },
    res.status,
  );
}
