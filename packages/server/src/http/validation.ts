/**
 * Request validation. Bodies are checked strictly (no type coercion, no unknown fields removed
 * silently: the schema refuses them); path, query and header values are strings by nature and
 * are coerced to the declared types. Failures become one VALIDATION problem listing each field.
 */
import { Ajv, type ErrorObject, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaValidationError } from 'fastify/types/schema.js';
import type { Locale } from '@sscard/domain';
import type { FieldError } from './problem.js';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-](\d{2}):(\d{2}))$/;
const FIRST_YEAR = 1900;
const LAST_YEAR = 2999;

function inRange(date: Date): boolean {
  const y = date.getUTCFullYear();
  return !Number.isNaN(date.getTime()) && y >= FIRST_YEAR && y <= LAST_YEAR;
}

export function isLocalDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const date = new Date(`${s}T00:00:00Z`);
  // Date accepts 2026-02-30 as 2 March: a date must read back as written.
  return inRange(date) && date.toISOString().startsWith(s);
}

export function isInstant(s: string): boolean {
  const m = INSTANT.exec(s);
  if (!m) return false;
  const [, , mo, d, h, mi, sec, , , oh, om] = m;
  if (Number(h) > 23 || Number(mi) > 59 || Number(sec) > 59) return false;
  if (oh !== undefined && (Number(oh) > 23 || Number(om) > 59)) return false;
  if (!isLocalDate(`${m[1]}-${mo}-${d}`)) return false;
  return inRange(new Date(s.replace(' ', 'T')));
}

function makeAjv(options: Options): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: true, ...options });
  addFormats.default(ajv);
  // Dates and instants the platform can compute with and PostgreSQL can store: no leap seconds
  // (JavaScript has none), years 1900 to 2999 (persons, cards and deadlines all fall inside).
  ajv.addFormat('date', { type: 'string', validate: isLocalDate });
  ajv.addFormat('date-time', { type: 'string', validate: isInstant });
  return ajv;
}

const bodyAjv = makeAjv({ coerceTypes: false, removeAdditional: false });
const paramsAjv = makeAjv({ coerceTypes: 'array', removeAdditional: false });

/** A body field's check outside a request (scenario steps take the API's own field schemas). */
export function fieldCheck(schema: object): (value: unknown) => string | null {
  const validate = bodyAjv.compile(schema);
  return (value) => {
    if (validate(value)) return null;
    const e = validate.errors?.[0];
    return e
      ? `${e.instancePath ? `${e.instancePath} ` : ''}${e.message ?? 'is not valid'}`
      : 'is not valid';
  };
}

export function validatorCompiler({ schema, httpPart }: { schema: object; httpPart?: string }) {
  const ajv = httpPart === 'body' ? bodyAjv : paramsAjv;
  return ajv.compile(schema);
}

const ZH: Record<string, (e: ErrorObject | FastifySchemaValidationError) => string> = {
  required: (e) =>
    `缺少必填字段 ${String((e.params as { missingProperty?: string }).missingProperty)}`,
  type: (e) => `类型应为 ${String((e.params as { type?: string }).type)}`,
  pattern: () => '格式不正确',
  format: (e) => `格式应为 ${String((e.params as { format?: string }).format)}`,
  enum: (e) =>
    `取值应为以下之一：${((e.params as { allowedValues?: unknown[] }).allowedValues ?? []).join('、')}`,
  const: () => '取值不正确',
  minLength: (e) => `长度至少 ${String((e.params as { limit?: number }).limit)}`,
  maxLength: (e) => `长度至多 ${String((e.params as { limit?: number }).limit)}`,
  minimum: (e) => `不得小于 ${String((e.params as { limit?: number }).limit)}`,
  maximum: (e) => `不得大于 ${String((e.params as { limit?: number }).limit)}`,
  minItems: (e) => `至少 ${String((e.params as { limit?: number }).limit)} 项`,
  maxItems: (e) => `至多 ${String((e.params as { limit?: number }).limit)} 项`,
  additionalProperties: (e) =>
    `不允许的字段 ${String((e.params as { additionalProperty?: string }).additionalProperty)}`,
  anyOf: () => '不符合任何一种允许的形式',
  text: () => '不得含有空字符（NUL）或不成对的代理项',
};

export function fieldErrors(
  errors: FastifySchemaValidationError[],
  context: string,
  locale: Locale,
): FieldError[] {
  const out: FieldError[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    const path = (e as { instancePath?: string }).instancePath ?? '';
    const missing = (e.params as { missingProperty?: string } | undefined)?.missingProperty;
    const extra = (e.params as { additionalProperty?: string } | undefined)?.additionalProperty;
    const leaf = missing ?? extra;
    const pointer = `/${context}${path}${leaf ? `/${leaf}` : ''}`;
    const zh = ZH[e.keyword];
    const message = locale === 'en' || !zh ? (e.message ?? 'is not valid') : zh(e);
    // A failed union reports each branch and then the union itself; keep one line per field.
    if (e.keyword === 'anyOf' && out.some((f) => f.pointer === pointer)) continue;
    const key = `${pointer}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ pointer, message });
  }
  return out;
}
