/**
 * fast-check arbitraries for request bodies, for the fuzzer (fuzz.test.ts):
 *
 * - `rawBody()`: anything a client could send — arbitrary JSON values, malformed text, wrong
 *   content types, huge and deeply nested bodies, `__proto__` keys, numbers JSON.parse turns into
 *   Infinity (1e309), lone surrogates and NUL characters.
 * - `validBody(schema)`: a value that satisfies a route's own body schema (the JSON Schema that
 *   TypeBox built, as Fastify registered it), preferring values the test knows name real records
 *   (`hints`), so requests get past validation and into the services.
 * - `nearValidBody(schema)`: a valid body with one spot changed: a field deleted, given a value
 *   of the wrong type or just outside its bounds, another valid value, or an unknown sibling.
 *
 * Only the subset of JSON Schema the routes use is understood (object, array, string with
 * length/pattern/format/enum, integer, number, boolean, null, anyOf, const, patternProperties).
 */
import fc from 'fast-check';

/** A body as sent: the exact bytes (text) and the content type. */
export interface RawBody {
  text: string;
  contentType: string;
}

export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  patternProperties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  required?: string[];
  minProperties?: number;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  examples?: unknown[];
}

/** Values that name real records or accounts, by property name. */
export type Hints = Readonly<Record<string, readonly unknown[]>>;

const json = (value: unknown): RawBody => ({
  text: JSON.stringify(value) ?? 'null',
  contentType: 'application/json',
});

const deepArray = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const deepObject = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

/** Bodies no generator would think of, written out. */
export const NASTY_RAW: readonly RawBody[] = [
  ...[
    '1e309',
    '-1e309',
    '{"a":1e309}',
    '{"now":1e309,"amount":-1e309}',
    '123456789012345678901234567890',
    '-0',
    '{"__proto__":{"admin":true}}',
    '{"constructor":{"prototype":{"admin":true}}}',
    '{"a":1,"a":2}',
    '"\\ud800"',
    '{"name":"\\ud800\\udc00\\udfff"}',
    '{"reason":"\\u0000"}',
    '',
    ' ',
    'null',
    'true',
    '0',
    '[]',
    '{}',
    '[{}]',
    '{"":""}',
    '\ufeff{}',
    '{"a":}',
    '{"a":1',
    "{'a':1}",
    'NaN',
    'Infinity',
    deepArray(200),
    deepArray(20_000),
    deepObject(200),
    deepObject(20_000),
  ].map((text) => ({ text, contentType: 'application/json' })),
  { text: '{}', contentType: 'text/plain' },
  { text: 'a=1&b=2', contentType: 'application/x-www-form-urlencoded' },
  { text: '{}', contentType: 'application/json; charset=latin1' },
  { text: '{}', contentType: 'application/JSON' },
  { text: '{}', contentType: 'application/problem+json' },
  { text: '--x\r\n\r\n--x--', contentType: 'multipart/form-data; boundary=x' },
  { text: '\u00ff\u00d8\u00ff', contentType: 'image/jpeg' },
  { text: '{}', contentType: '' },
  json({ x: 'a'.repeat(1_100_000) }), // over the 1 MiB body limit
  json({ x: 'a'.repeat(900_000) }), // under it
  json(Array.from({ length: 50_000 }, (_, i) => i)),
];

/** Strings that have broken servers before. */
export const NASTY_STRINGS: readonly string[] = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff\ud800',
  '\u202e\u0041\u0042',
  '\ufeff',
  '𠜎𠜱𠝹',
  '🀄️👩‍👩‍👧‍👦',
  'Ω≈ç√∫',
  "' or '1'='1' --",
  '"; drop table persons; --',
  '%00',
  '%E4%B8',
  '../../../../etc/passwd',
  '${7*7}{{7*7}}',
  '<script>alert(1)</script>',
  '\r\nX-Injected: 1',
  'null',
  'undefined',
  '0',
  '-1',
  '1e309',
  'NaN',
  'true',
  '0000-00-00',
  '2026-02-30',
  '2026-13-01',
  '9999-12-31',
  '0001-01-01',
  '2026-06-30T23:59:60Z',
  '+275760-09-13T00:00:00Z',
  '9999-12-31T23:59:59.999Z',
  '0000-01-01T00:00:00Z',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '31000000000001X',
  '310000000000010',
  '11010519491231002X',
  '000000000000000000',
  'a'.repeat(10_000),
  '中'.repeat(5_000),
];

/** Characters that text fields meet in the wild, and some that storage cannot take. */
const HOSTILE_CHARACTER = fc.constantFrom(
  'a',
  'Z',
  '中',
  '𠜎',
  ' ',
  '\u0000',
  '\u0001',
  '\ud800',
  '\udfff',
  '\u202e',
  '\u200b',
  '\ufeff',
  '\n',
  '\t',
  '"',
  "'",
  '\\',
  '%',
  '<',
);

/** Values of every JSON type, for "the wrong type here". */
export function nastyValue(): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
    {
      weight: 3,
      arbitrary: fc.constantFrom<unknown>(
        null,
        true,
        false,
        0,
        -0,
        -1,
        1.5,
        2 ** 31,
        2 ** 53 + 1,
        -(2 ** 63),
        1.7976931348623157e308,
        -1.7976931348623157e308,
        5e-324,
        [],
        {},
        [null],
        [[[[]]]],
        { a: { b: { c: {} } } },
        Array.from({ length: 3000 }, () => 'x'),
      ),
    },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 80 }) },
    { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  );
}

/** Anything a client could send, for any route. */
export function rawBody(): fc.Arbitrary<RawBody> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 4 }).map(json) },
    { weight: 3, arbitrary: fc.object({ maxDepth: 3 }).map(json) },
    { weight: 3, arbitrary: fc.constantFrom(...NASTY_RAW) },
    {
      weight: 2,
      arbitrary: fc
        .dictionary(fc.string({ maxLength: 12 }), nastyValue(), { maxKeys: 6 })
        .map(json),
    },
    {
      weight: 1,
      arbitrary: fc
        .string({ unit: 'binary', maxLength: 200 })
        .map((text) => ({ text, contentType: 'application/json' })),
    },
  );
}

// ---- values that satisfy a schema ---------------------------------------------------------------

const DATE_EDGES = [
  '0001-01-01',
  '1900-02-28',
  '1970-01-01',
  '2024-02-29',
  '2026-05-06',
  '9999-12-31',
];
const DATE_TIME_EDGES = [
  '0001-01-01T00:00:00Z',
  '1970-01-01T00:00:00Z',
  '2026-05-06T09:00:00+08:00',
  '2026-05-06T09:00:00.123456789+14:00',
  '2026-05-06t01:00:00z',
  '2026-06-30T23:59:60Z',
  '9999-12-31T23:59:59Z',
  '9999-12-31T23:59:59-23:59',
];

const plainDate = fc
  .date({
    min: new Date('1900-01-01T00:00:00Z'),
    max: new Date('2100-12-31T00:00:00Z'),
    noInvalidDate: true,
  })
  .map((d) => d.toISOString());

function typesOf(schema: JsonSchema): string[] {
  if (Array.isArray(schema.type)) return schema.type;
  if (schema.type) return [schema.type];
  if (schema.properties || schema.patternProperties) return ['object'];
  return [];
}

function stringValue(schema: JsonSchema, known: readonly unknown[]): fc.Arbitrary<unknown> {
  const min = schema.minLength ?? 0;
  const max = Math.min(schema.maxLength ?? 40, 40);
  const options: fc.Arbitrary<unknown>[] = [];
  if (schema.format === 'uuid') options.push(fc.uuid());
  else if (schema.format === 'date')
    options.push(
      plainDate.map((s) => s.slice(0, 10)),
      fc.constantFrom(...DATE_EDGES),
    );
  else if (schema.format === 'date-time')
    options.push(plainDate, fc.constantFrom(...DATE_TIME_EDGES));
  else if (schema.pattern) {
    const re = new RegExp(schema.pattern);
    options.push(
      fc
        .stringMatching(re)
        .filter(
          (s) =>
            s.length >= min && (schema.maxLength === undefined || s.length <= schema.maxLength),
        ),
    );
  } else {
    options.push(
      fc.string({ unit: HOSTILE_CHARACTER, minLength: min, maxLength: Math.max(min, max) }),
      fc.string({ minLength: min, maxLength: Math.max(min, max) }),
      fc.string({ unit: 'binary', minLength: min, maxLength: Math.max(min, max) }),
      fc
        .constantFrom(...NASTY_STRINGS)
        .filter((s) => s.length >= min && s.length <= (schema.maxLength ?? Infinity)),
    );
    if (schema.maxLength !== undefined && schema.maxLength <= 1000)
      options.push(fc.constant('字'.repeat(schema.maxLength)));
  }
  if (schema.examples?.length) options.push(fc.constantFrom(...schema.examples));
  if (known.length) return fc.oneof(fc.constantFrom(...known), ...options);
  return fc.oneof(...options);
}

function numberValue(schema: JsonSchema, integer: boolean): fc.Arbitrary<unknown> {
  const min = schema.minimum ?? -(2 ** 31);
  const max = schema.maximum ?? 2 ** 31;
  const edges = [min, max, Math.max(min, Math.min(max, 0)), Math.max(min, Math.min(max, 1))];
  return fc.oneof(
    integer ? fc.integer({ min, max }) : fc.double({ min, max, noNaN: true }),
    fc.constantFrom(...edges),
  );
}

/** A value that satisfies `schema`; `name` is the property it is for (to look up hints). */
export function validBody(
  schema: JsonSchema,
  hints: Hints = {},
  name?: string,
): fc.Arbitrary<unknown> {
  const known = name ? (hints[name] ?? []) : [];
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return fc.oneof(...union.map((s) => validBody(s, hints, name)));
  const types = typesOf(schema);
  if (types.length === 0) return fc.jsonValue({ maxDepth: 2 });
  return fc.oneof(
    ...types.map((type): fc.Arbitrary<unknown> => {
      switch (type) {
        case 'string':
          return stringValue(schema, known);
        case 'integer':
          return numberValue(schema, true);
        case 'number':
          return numberValue(schema, false);
        case 'boolean':
          return fc.boolean();
        case 'null':
          return fc.constant(null);
        case 'array': {
          const item = schema.items ? validBody(schema.items, hints, name) : fc.jsonValue();
          const constraints = {
            minLength: schema.minItems ?? 0,
            maxLength: Math.min(schema.maxItems ?? 4, 4),
          };
          return schema.uniqueItems
            ? fc.uniqueArray(item, { ...constraints, selector: (v) => JSON.stringify(v) })
            : fc.array(item, constraints);
        }
        case 'object':
          return objectValue(schema, hints);
        default:
          return fc.jsonValue({ maxDepth: 1 });
      }
    }),
  );
}

function objectValue(schema: JsonSchema, hints: Hints): fc.Arbitrary<unknown> {
  let arb: fc.Arbitrary<Record<string, unknown>>;
  if (schema.patternProperties && !schema.properties) {
    const [pattern, value] = Object.entries(schema.patternProperties)[0]!;
    arb = fc.dictionary(
      fc.stringMatching(new RegExp(pattern)).filter((k) => k !== '__proto__'),
      validBody(value, hints),
      { maxKeys: 3 },
    );
  } else {
    const properties = schema.properties ?? {};
    const model = Object.fromEntries(
      Object.entries(properties).map(([k, s]) => [k, validBody(s, hints, k)]),
    );
    arb = fc.record(model, { requiredKeys: schema.required ?? [] }) as fc.Arbitrary<
      Record<string, unknown>
    >;
  }
  const minProperties = schema.minProperties ?? 0;
  if (minProperties > 0) arb = arb.filter((v) => Object.keys(v).length >= minProperties);
  const examples = (schema.examples ?? []).filter((e) => typeof e === 'object' && e !== null);
  if (examples.length)
    return fc.oneof(
      { weight: 3, arbitrary: arb },
      { weight: 1, arbitrary: fc.constantFrom(...examples).map((e) => structuredClone(e)) },
    );
  return arb;
}

// ---- one spot changed ---------------------------------------------------------------------------

type Path = (string | number)[];

interface Spot {
  path: Path;
  /** The schema of the value at this spot, when known. */
  schema: JsonSchema | undefined;
  /** Whether the spot is a property of an object (so it can be deleted). */
  property: boolean;
  isObject: boolean;
}

function subschema(schema: JsonSchema | undefined, key: string | number): JsonSchema | undefined {
  if (!schema) return undefined;
  const union = schema.anyOf ?? schema.oneOf;
  if (union) {
    for (const s of union) {
      const found = subschema(s, key);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof key === 'number') return schema.items;
  if (schema.properties?.[key]) return schema.properties[key];
  for (const [pattern, s] of Object.entries(schema.patternProperties ?? {}))
    if (new RegExp(pattern).test(key)) return s;
  return undefined;
}

function spotsOf(value: unknown, schema: JsonSchema | undefined, path: Path = []): Spot[] {
  const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
  const here: Spot = {
    path,
    schema,
    property: typeof path[path.length - 1] === 'string',
    isObject,
  };
  if (Array.isArray(value))
    return [here, ...value.flatMap((v, i) => spotsOf(v, subschema(schema, i), [...path, i]))];
  if (isObject)
    return [
      here,
      ...Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
        spotsOf(v, subschema(schema, k), [...path, k]),
      ),
    ];
  return [here];
}

/** Values just outside what the schema allows, and a few of the right type but odd. */
function boundaryValue(schema: JsonSchema | undefined): fc.Arbitrary<unknown> {
  if (!schema) return nastyValue();
  const types = typesOf(schema);
  const out: unknown[] = [];
  if (types.includes('string') || schema.enum) {
    const min = schema.minLength ?? 0;
    const max = schema.maxLength;
    if (min > 0) out.push('x'.repeat(min - 1));
    if (max !== undefined) out.push('x'.repeat(max + 1), '字'.repeat(max + 1), 'x'.repeat(max));
    for (const e of schema.enum ?? []) {
      if (typeof e === 'string') out.push(e.toUpperCase(), ` ${e}`, `${e}\u0000`, `${e}x`);
    }
    if (schema.format === 'uuid')
      out.push('01936f0e-1c2b-7d3e-8a4b-5c6d7e8f9a0g', '01936f0e1c2b7d3e8a4b5c6d7e8f9a0b');
  }
  if (types.includes('integer') || types.includes('number')) {
    if (schema.minimum !== undefined) out.push(schema.minimum - 1, schema.minimum - 0.5);
    if (schema.maximum !== undefined) out.push(schema.maximum + 1, schema.maximum + 0.5);
    out.push(1.5, 2 ** 53, -(2 ** 53), 1e308, '1');
  }
  if (types.includes('array')) {
    if (schema.maxItems !== undefined)
      out.push(Array.from({ length: schema.maxItems + 1 }, () => null));
    out.push([[]]);
  }
  if (types.includes('boolean')) out.push('true', 1, 0);
  return out.length ? fc.oneof(fc.constantFrom(...out), nastyValue()) : nastyValue();
}

type Change =
  | { kind: 'set'; value: unknown }
  | { kind: 'delete' }
  | { kind: 'add'; key: string; value: unknown };

function changesFor(spot: Spot, hints: Hints): fc.Arbitrary<Change> {
  const name = spot.path.filter((p) => typeof p === 'string').at(-1) as string | undefined;
  const options: fc.Arbitrary<Change>[] = [
    nastyValue().map((value) => ({ kind: 'set' as const, value })),
    boundaryValue(spot.schema).map((value) => ({ kind: 'set' as const, value })),
  ];
  if (spot.schema)
    options.push(
      validBody(spot.schema, hints, name).map((value) => ({ kind: 'set' as const, value })),
    );
  if (spot.property) options.push(fc.constant({ kind: 'delete' as const }));
  if (spot.isObject)
    options.push(
      fc
        .tuple(
          fc.oneof(
            fc.string({ maxLength: 10 }),
            fc.constantFrom('__proto__', 'constructor', 'id', 'status', 'role', 'version'),
          ),
          nastyValue(),
        )
        .map(([key, value]) => ({ kind: 'add' as const, key, value })),
    );
  return fc.oneof(...options);
}

function applyChange(value: unknown, path: Path, change: Change): unknown {
  if (path.length === 0) {
    if (change.kind === 'set') return change.value;
    if (change.kind === 'add') {
      const copy = { ...(value as Record<string, unknown>) };
      Object.defineProperty(copy, change.key, {
        value: change.value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
      return copy;
    }
    return undefined;
  }
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    const copy = [...value];
    if (rest.length === 0 && change.kind === 'delete') copy.splice(head as number, 1);
    else copy[head as number] = applyChange(copy[head as number], rest, change);
    return copy;
  }
  const copy = { ...(value as Record<string, unknown>) };
  if (rest.length === 0 && change.kind === 'delete') delete copy[head as string];
  else copy[head as string] = applyChange(copy[head as string], rest, change);
  return copy;
}

/** A body valid for `schema` with one spot changed. */
export function nearValidBody(schema: JsonSchema, hints: Hints = {}): fc.Arbitrary<RawBody> {
  return validBody(schema, hints).chain((valid) => {
    const spots = spotsOf(valid, schema);
    return fc
      .integer({ min: 0, max: spots.length - 1 })
      .chain((i) => changesFor(spots[i]!, hints).map((c) => applyChange(valid, spots[i]!.path, c)))
      .map(json);
  });
}

/** A body valid for `schema`, as sent. */
export function validRawBody(schema: JsonSchema, hints: Hints = {}): fc.Arbitrary<RawBody> {
  return validBody(schema, hints).map(json);
}

// ---- query strings ------------------------------------------------------------------------------

function queryValue(value: unknown): string[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value.flatMap(queryValue);
  if (value === null) return [''];
  if (typeof value === 'object') return [JSON.stringify(value)];
  return [String(value)];
}

/** Raw query strings no schema suggests. */
const NASTY_QUERIES = [
  '%',
  '%%',
  'a=%00',
  'limit=1&limit=2',
  'offset=1e400',
  'offset=-0',
  'offset=99999999999999999999',
  'limit=500&offset=9007199254740993',
  '__proto__=1',
  '__proto__[admin]=1',
  'constructor[prototype][admin]=1',
  `a=${'x'.repeat(5000)}`,
  '&&&==&',
];

/**
 * A query string (without `?`) for a route's querystring schema: a valid query with one spot
 * changed, each value sent as text (numbers and booleans are coerced by the server), or a raw
 * string no schema suggests.
 */
export function nearValidQuery(schema: JsonSchema, hints: Hints = {}): fc.Arbitrary<string> {
  // URLSearchParams turns lone surrogates into U+FFFD, as a browser would.
  const encode = (value: unknown) => {
    const params = new URLSearchParams();
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      params.append('q', queryValue(value).join(','));
    else
      for (const [k, v] of Object.entries(value))
        for (const s of queryValue(v)) params.append(k, s);
    return params.toString();
  };
  return fc.oneof(
    {
      weight: 6,
      arbitrary: nearValidBody(schema, hints).map((b) => encode(JSON.parse(b.text) as unknown)),
    },
    { weight: 2, arbitrary: validBody(schema, hints).map(encode) },
    { weight: 1, arbitrary: fc.constantFrom(...NASTY_QUERIES) },
  );
}
