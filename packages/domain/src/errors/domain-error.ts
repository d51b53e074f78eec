/**
 * Every refusal the platform gives is a DomainError: a stable machine code, parameters for the
 * message, and, where a regulation refused, the article that did. The server turns it into an
 * RFC 9457 problem; the CLI prints it. Messages live in the catalogue, never in the throw site.
 */
import type { ErrorCode } from './catalogue.js';

/** A regulation article, or a documented platform default where the regulations are silent. */
export interface Citation {
  /** `SH-18`: jurisdiction short code and article number; `DEFAULT-…` for platform defaults. */
  rule: string;
  /** The words of the article the decision rests on, in the original language. */
  quote?: string;
  /** True where no regulation sets the value and a configurable platform default applies. */
  default?: boolean;
  /** Why the default was chosen, or how the article is read. */
  note?: string;
}

export type MessageParams = Record<string, string | number | boolean | undefined>;

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly params: MessageParams;
  readonly citation: Citation | undefined;
  /** Extra, non-personal members for the problem answer (e.g. the id of an existing record). */
  readonly extensions: Record<string, string | number | boolean> | undefined;

  constructor(
    code: ErrorCode,
    params: MessageParams = {},
    citation?: Citation,
    extensions?: Record<string, string | number | boolean>,
  ) {
    super(code);
    this.name = 'DomainError';
    this.code = code;
    this.params = params;
    this.citation = citation;
    this.extensions = extensions;
  }
}

/** Refuse with a rule citation: `refuse('LOSS_NOT_ALLOWED', citation)`. */
export function refuse(code: ErrorCode, citation?: Citation, params: MessageParams = {}): never {
  throw new DomainError(code, params, citation);
}

export function isDomainError(e: unknown): e is DomainError {
  return e instanceof DomainError;
}
