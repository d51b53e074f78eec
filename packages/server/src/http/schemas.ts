/** Shared request and answer shapes for the OpenAPI document and for validation. */
import { Type, type Static, type TSchema } from '@sinclair/typebox';

export const Uuid = Type.String({ format: 'uuid', description: 'Opaque identifier (UUID)' });

export const IdParams = Type.Object({ id: Uuid });

/** At least two letters or digits (any script): blanks and invisible characters are not text. */
export const MEANINGFUL_TEXT = '[\\p{L}\\p{N}][^]*[\\p{L}\\p{N}]';

/**
 * Free text a person states and the record keeps (a reason, the evidence seen, a proof): at least
 * two letters or digits, so a reason of spaces, zero-width or ideographic spaces is refused.
 */
export function StatedText(
  max: number,
  options: { description?: string; examples?: string[] } = {},
) {
  return Type.String({ minLength: 2, maxLength: max, pattern: MEANINGFUL_TEXT, ...options });
}

export const Paging = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
  offset: Type.Integer({ minimum: 0, maximum: 1_000_000_000, default: 0 }),
});

export const LocalDate = Type.String({
  format: 'date',
  description: 'Calendar date, YYYY-MM-DD (Asia/Shanghai), years 1900 to 2999',
});
export const Instant = Type.String({
  format: 'date-time',
  description:
    'Instant, RFC 3339, years 1900 to 2999, no leap seconds; shown in Asia/Shanghai (+08:00)',
});

export const Citation = Type.Object(
  {
    rule: Type.String({ examples: ['SH-18'] }),
    quote: Type.Optional(Type.String({ examples: ['临时挂失的有效期为 5 日'] })),
    default: Type.Optional(Type.Boolean()),
    note: Type.Optional(Type.String()),
  },
  {
    $id: 'Citation',
    description: 'The regulation article a decision rests on, or a documented default',
  },
);

export const Problem = Type.Object(
  {
    type: Type.String({ examples: ['/api/v1/problems/ID_NUMBER_CHECKSUM'] }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String({ examples: ['ID_NUMBER_CHECKSUM'] }),
    requestId: Type.Optional(Type.String()),
    rule: Type.Optional(Type.Ref('Citation')),
    errors: Type.Optional(
      Type.Array(Type.Object({ pointer: Type.String(), message: Type.String() })),
    ),
  },
  {
    $id: 'Problem',
    additionalProperties: true,
    description: 'RFC 9457 problem details (application/problem+json)',
  },
);

/**
 * The error answers every authenticated route may give, for the OpenAPI document: RFC 9457
 * problems, declared with the media type they are sent with (application/problem+json).
 */
export function errorResponses(...statuses: number[]): Record<number, TSchema> {
  const out: Record<number, TSchema> = {};
  for (const s of [401, 403, ...statuses])
    out[s] = {
      description: 'A problem (RFC 9457)',
      content: { 'application/problem+json': { schema: Type.Ref('Problem') } },
    } as unknown as TSchema;
  return out;
}

export function page<T extends TSchema>(item: T) {
  return Type.Object({
    items: Type.Array(item),
    total: Type.Integer(),
    limit: Type.Integer(),
    offset: Type.Integer(),
  });
}

export type PagingQuery = Static<typeof Paging>;

/**
 * A closed list of strings as a JSON Schema `enum`: one clear error ("must be one of …") instead
 * of a union of constants that fails once per member.
 */
export function StringEnum<const T extends readonly string[]>(
  values: T,
  options: { description?: string; default?: T[number] } = {},
) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...new Set(values)], ...options });
}
