/**
 * Refusals arrive as RFC 9457 problem+json: a stable code, a title and detail in the caller's
 * language, and, when a regulation refused, the article with its words (`rule`).
 */
import type { components } from './schema';

export type Problem = components['schemas']['Problem'];
export type Citation = components['schemas']['Citation'];

export class ApiError extends Error {
  constructor(
    readonly problem: Problem,
    readonly status: number,
  ) {
    super(problem.detail || problem.title);
    this.name = 'ApiError';
  }
  get code(): string {
    return this.problem.code;
  }
}

/** A problem for failures that never reached the API (network down, server restarting). */
export function networkProblem(language: string, cause: unknown): Problem {
  const zh = !language.startsWith('en');
  return {
    type: 'about:blank',
    status: 0,
    code: 'NETWORK',
    title: zh ? '无法连接服务器' : 'Cannot reach the server',
    detail: zh
      ? `请检查网络连接后重试。（${String(cause instanceof Error ? cause.message : cause)}）`
      : `Check the network connection and try again. (${String(cause instanceof Error ? cause.message : cause)})`,
  };
}

export function isProblem(value: unknown): value is Problem {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Problem).code === 'string' &&
    typeof (value as Problem).status === 'number'
  );
}

/** The status of an error: the HTTP status of a problem, 0 when the API gave no answer. */
export function statusOf(error: unknown): number | null {
  return error instanceof ApiError ? error.status : null;
}
