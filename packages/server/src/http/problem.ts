/**
 * RFC 9457 problem details. Every error leaves the API through `toProblem`: a stable `code`, a
 * `type` URI that describes it (GET it for the catalogue entry), a title and detail in the
 * caller's language, and, when a regulation refused, the article (`rule`) with its words.
 * Internal errors carry no details beyond the request id.
 */
import {
  catalogue,
  renderError,
  type Citation,
  type ErrorCode,
  type ErrorKind,
  type Locale,
  type MessageParams,
} from '@sscard/domain';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

export const STATUS_OF_KIND: Record<ErrorKind, number> = {
  invalid: 422,
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  refused: 422,
  locked: 423,
  too_many: 429,
  too_large: 413,
  unsupported: 415,
  unavailable: 503,
  internal: 500,
};

export interface FieldError {
  /** JSON Pointer into the request part, e.g. `/body/idNumber`. */
  pointer: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  requestId?: string;
  rule?: Citation;
  errors?: FieldError[];
}

export function problemType(code: ErrorCode): string {
  return `/api/v1/problems/${code}`;
}

export function statusOf(code: ErrorCode): number {
  return STATUS_OF_KIND[catalogue[code].kind];
}

export function toProblem(
  code: ErrorCode,
  params: MessageParams,
  locale: Locale,
  extra: { requestId?: string; citation?: Citation | undefined; errors?: FieldError[] } = {},
): Problem {
  const rendered = renderError(code, params, locale);
  return {
    type: problemType(code),
    title: rendered.title,
    status: STATUS_OF_KIND[rendered.kind],
    detail: rendered.detail,
    code,
    ...(extra.requestId ? { requestId: extra.requestId } : {}),
    ...(extra.citation ? { rule: extra.citation } : {}),
    ...(extra.errors?.length ? { errors: extra.errors } : {}),
  };
}
