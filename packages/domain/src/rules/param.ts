/**
 * A parameter is a value with its source: the article and its exact words, or a flagged platform
 * default with the reason. The API shows both, so a clerk can tell law from configuration.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';

/** `SH-18` (article), `FZ-doc` (the document's header or issue line), `FZ-annex1`, or `DEFAULT`. */
export const RULE_PATTERN = '^(DEFAULT|[A-Z]{2,4}-(\\d+|doc|annex\\d+))$';

/** A further article the value also rests on. */
export const CitedSchema = Type.Object(
  {
    rule: Type.String({ pattern: RULE_PATTERN }),
    quote: Type.String({ minLength: 1 }),
    note: Type.Optional(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);

/**
 * Either `{ rule: 'SH-18', quote }` (the quote verbatim from the regulation) or
 * `{ rule: 'DEFAULT', default: true, note }`. Compatible with the errors module's `Citation`.
 */
export const SourceSchema = Type.Object(
  {
    rule: Type.String({ pattern: RULE_PATTERN }),
    quote: Type.Optional(Type.String({ minLength: 1 })),
    default: Type.Optional(Type.Boolean()),
    note: Type.Optional(Type.String({ minLength: 1 })),
    see: Type.Optional(Type.Array(CitedSchema)),
  },
  { additionalProperties: false },
);

export type Source = Static<typeof SourceSchema>;
export type Cited = Static<typeof CitedSchema>;

export function Param<T extends TSchema>(value: T) {
  return Type.Object({ value, source: SourceSchema }, { additionalProperties: false });
}

export interface ParamOf<T> {
  value: T;
  source: Source;
}

/** True for `{ value, source: { rule } }`: the one shape a walker stops at. */
export function isParam(node: unknown): node is ParamOf<unknown> {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return false;
  const keys = Object.keys(node);
  if (keys.length !== 2 || !('value' in node) || !('source' in node)) return false;
  const source = (node as { source: unknown }).source;
  return typeof source === 'object' && source !== null && 'rule' in source;
}

/** Shorthand used by the platform defaults. */
export function byDefault<T>(value: T, note: string, see?: Cited[]): ParamOf<T> {
  return { value, source: { rule: 'DEFAULT', default: true, note, ...(see ? { see } : {}) } };
}
