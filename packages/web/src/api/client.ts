/**
 * The one way pages talk to the API: openapi-fetch over the generated paths, with the session's
 * bearer token, the chosen language (messages follow Accept-Language), a stated reason where an
 * act needs one (X-Sscard-Reason, percent-encoded) and an Idempotency-Key on every
 * state-changing request (transport.ts), so a double click or a retry after a dropped answer
 * never does anything twice.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';
import { ApiError, isProblem, networkProblem, type Problem } from './problem';
import { newIdempotencyKey, send, withIdempotencyKey } from './transport';

export { newIdempotencyKey };

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

/** Tells the session when an answer says it is over. */
export function noticeSessionEnd(status: number, body: unknown, signedIn: boolean): void {
  if (
    signedIn &&
    isProblem(body) &&
    SESSION_ENDED.has(body.code) &&
    (status === 401 || body.code === 'ORGANIZATION_SUSPENDED')
  )
    clientState.onSessionEnded(body);
}

const middleware: Middleware = {
  onRequest({ request }) {
    if (clientState.token) request.headers.set('authorization', `Bearer ${clientState.token}`);
    request.headers.set('accept-language', clientState.language);
    return withIdempotencyKey(request);
  },
  async onResponse({ response, request }) {
    if (response.ok) return response;
    const body = (await response
      .clone()
      .json()
      .catch(() => null)) as unknown;
    noticeSessionEnd(response.status, body, request.headers.has('authorization'));
    return response;
  },
};

/** A client of the API at `baseUrl` (the page's own origin in the browser). */
export function createApiClient(baseUrl = '') {
  const c = createClient<paths>({ baseUrl, fetch: (request) => send(request) });
  c.use(middleware);
  return c;
}

export const client = createApiClient();

export interface CallOptions {
  /** The reason stated by the user, sent percent-encoded in X-Sscard-Reason. */
  reason?: string;
  /** The key of one user action across its attempts (default: a fresh key per request). */
  idempotencyKey?: string;
}

/** Headers for a call's options. */
export function headersFor(options: CallOptions = {}): Record<string, string> {
  const h: Record<string, string> = {};
  if (options.reason) h['x-sscard-reason'] = encodeURIComponent(options.reason.trim());
  if (options.idempotencyKey) h['idempotency-key'] = options.idempotencyKey;
  return h;
}

/** A problem for an answer that is not problem+json (a proxy's error page). */
function bareProblem(response: Response, detail = ''): Problem {
  return {
    type: 'about:blank',
    status: response.status,
    code: `HTTP_${response.status}`,
    title: response.statusText || `HTTP ${response.status}`,
    detail,
  };
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
    bareProblem(response, typeof error === 'string' ? error : ''),
    response.status,
  );
}

/**
 * A download that is not JSON (the audit export's JSON Lines): same headers and problems as the
 * typed client, the body as text.
 */
export async function getText(path: string): Promise<string> {
  const headers: Record<string, string> = { 'accept-language': clientState.language };
  if (clientState.token) headers.authorization = `Bearer ${clientState.token}`;
  let res: Response;
  try {
    res = await send(new Request(path, { headers }));
  } catch (e) {
    throw new ApiError(networkProblem(clientState.language, e), 0);
  }
  if (res.ok) return res.text();
  const body = (await res.json().catch(() => null)) as unknown;
  noticeSessionEnd(res.status, body, !!clientState.token);
  throw new ApiError(isProblem(body) ? body : bareProblem(res), res.status);
}
