/**
 * Turns an untrusted object (parsed YAML) into a RulePack: fills what it leaves out from the
 * platform defaults, checks it against the schema, then checks what a schema cannot say
 * (citations name the pack's own articles, dates are real, sections agree with each other).
 * Every problem names the field path, so a policy author can find it in the file.
 */
import { Value } from '@sinclair/typebox/value';
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import type { TSchema } from '@sinclair/typebox';
import { DomainError } from '../errors/domain-error.js';
import { isLocalDate } from '../time/local-date.js';
import { PLATFORM_DEFAULTS } from './defaults.js';
import { isParam, type Source } from './param.js';
import { RulePackSchema, type RulePack } from './schema.js';
import { policyParameters } from './walk.js';

export interface PackIssue {
  /** Dotted path, e.g. `loss.temporary.termDays.value`; `(root)` for the whole document. */
  path: string;
  reason: string;
}

export type PackCheck =
  { ok: true; pack: RulePack; inherited: string[] } | { ok: false; issues: PackIssue[] };

/** Validate without throwing: all problems, or the pack and the paths it inherited. */
export function checkPack(input: unknown): PackCheck {
  if (!isPlainObject(input)) {
    return { ok: false, issues: [{ path: '(root)', reason: 'expected a mapping of pack fields' }] };
  }
  const inherited: string[] = [];
  const merged = mergeDefaults(PLATFORM_DEFAULTS, input, '', inherited);
  const schemaIssues = schemaErrors(RulePackSchema, merged);
  if (schemaIssues.length > 0) return { ok: false, issues: schemaIssues };
  const pack = merged as RulePack;
  const issues = semanticIssues(pack);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, pack, inherited };
}

/** Validate or throw `RULE_PACK_INVALID` naming the first bad path (and a summary of the rest). */
export function validatePack(input: unknown, fileName?: string): RulePack {
  const result = checkPack(input);
  if (result.ok) return result.pack;
  throw invalidPackError(result.issues, fileName);
}

export function invalidPackError(issues: PackIssue[], fileName?: string): DomainError {
  const [first] = issues;
  return new DomainError('RULE_PACK_INVALID', {
    file: fileName ?? 'pack',
    path: first?.path ?? '(root)',
    reason: first?.reason ?? 'invalid',
    count: issues.length,
    issues: issues
      .slice(0, 10)
      .map((i) => `${i.path}: ${i.reason}`)
      .join('; '),
  });
}

/**
 * Defaults fill missing keys. A parameter is replaced whole, never merged field by field: a
 * value written without its source must fail, not borrow the default's citation.
 */
function mergeDefaults(
  defaults: Record<string, unknown>,
  given: Record<string, unknown>,
  path: string,
  inherited: string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, given_] of Object.entries(given)) {
    if (!(key in defaults)) out[key] = given_; // metadata, or a misspelt key the schema will name
  }
  for (const [key, fallback] of Object.entries(defaults)) {
    const here = path ? `${path}.${key}` : key;
    if (!(key in given)) {
      out[key] = structuredClone(fallback);
      inherited.push(...paramPaths(fallback, here));
    } else if (!isParam(fallback) && isPlainObject(fallback) && isPlainObject(given[key])) {
      out[key] = mergeDefaults(fallback, given[key], here, inherited);
    } else {
      out[key] = given[key];
    }
  }
  return out;
}

function paramPaths(node: unknown, path: string): string[] {
  if (isParam(node)) return [path];
  if (!isPlainObject(node)) return [];
  return Object.entries(node).flatMap(([k, v]) => paramPaths(v, `${path}.${k}`));
}

function schemaErrors(schema: TSchema, value: unknown): PackIssue[] {
  const seen = new Set<string>();
  const issues: PackIssue[] = [];
  for (const error of Value.Errors(schema, value)) {
    const path = dotted(error.path);
    if (seen.has(path)) continue; // one problem per field: the first is the useful one
    seen.add(path);
    issues.push({ path, reason: describeError(error) });
  }
  return issues;
}

function dotted(pointer: string): string {
  const parts = pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  return parts.length === 0
    ? '(root)'
    : parts.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i ? `.${p}` : p)).join('');
}

function describeError(error: ValueError): string {
  switch (error.type) {
    case ValueErrorType.ObjectRequiredProperty:
      return 'required field is missing';
    case ValueErrorType.ObjectAdditionalProperties:
      return 'unknown field (misspelt, or not part of the pack format)';
    case ValueErrorType.ArrayUniqueItems:
      return 'list has repeated items';
    case ValueErrorType.StringPattern:
      return `expected text matching ${String(error.schema['pattern'])}, got ${JSON.stringify(error.value)}`;
    default:
      return `expected ${describeSchema(error.schema)}, got ${describeValue(error.value)}`;
  }
}

function describeSchema(schema: TSchema): string {
  if ('const' in schema) return JSON.stringify(schema['const']);
  if (Array.isArray(schema['anyOf'])) {
    const options = (schema['anyOf'] as TSchema[]).map(describeSchema);
    return options.length > 1 ? `one of ${options.join(' | ')}` : (options[0] ?? 'a value');
  }
  if (schema['type'] === 'object') return 'a mapping';
  if (schema['type'] === 'array') return 'a list';
  if (typeof schema['type'] === 'string') return schema['type'];
  return 'a valid value';
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

function semanticIssues(pack: RulePack): PackIssue[] {
  const issues: PackIssue[] = [];
  const add = (path: string, reason: string) => issues.push({ path, reason });

  for (const { path, source } of policyParameters(pack)) {
    checkSource(source, pack.code, `${path}.source`, add);
  }

  const dates: [string, string | undefined][] = [
    ['effectiveFrom.value', pack.effectiveFrom.value],
    ['effectiveUntil.value', pack.effectiveUntil?.value],
    ['regulation.issuedOn', pack.regulation.issuedOn],
    ['card.legacyCardsStopOn.value', pack.card.legacyCardsStopOn.value ?? undefined],
    ...(pack.regulation.amendments ?? []).map(
      (a, i) => [`regulation.amendments[${i}].date`, a.date] as [string, string],
    ),
  ];
  for (const [path, date] of dates) {
    if (date !== undefined && !isLocalDate(date)) add(path, `not a real date: ${date}`);
  }
  const until = pack.effectiveUntil?.value;
  if (until && isLocalDate(until) && until < pack.effectiveFrom.value) {
    add('effectiveUntil.value', `ends (${until}) before it starts (${pack.effectiveFrom.value})`);
  }

  const kinds = new Set(pack.application.kinds.value);
  if (kinds.has('temporary') !== pack.temporaryCard.offered.value) {
    add('temporaryCard.offered.value', 'must agree with application.kinds (temporary)');
  }
  if (kinds.has('reissue') !== pack.reissue.reasons.value.length > 0) {
    add('reissue.reasons.value', 'must list reasons exactly when application.kinds has reissue');
  }
  for (const kind of ['replacement', 'change', 'reissue', 'temporary'] as const) {
    const offered = pack.fees[kind].value !== 'not_offered';
    if (offered !== kinds.has(kind)) {
      add(
        `fees.${kind}.value`,
        `must be not_offered exactly when application.kinds has no ${kind}`,
      );
    }
  }
  for (const kind of kinds) {
    if (pack.places[kind].value.length === 0)
      add(`places.${kind}.value`, `application.kinds offers ${kind}: name at least one place`);
  }
  if (pack.loss.temporary.allowed.value && pack.places.temporaryLoss.value.length === 0) {
    add('places.temporaryLoss.value', 'temporary loss is allowed: name at least one place');
  }
  const temporaryLoss = pack.loss.temporary;
  if (
    !temporaryLoss.allowed.value &&
    (temporaryLoss.termDays.value !== null || temporaryLoss.autoRestore.value)
  ) {
    add(
      'loss.temporary.termDays.value',
      'no term or auto-restore when temporary loss is not allowed',
    );
  }
  if (!pack.pin.socialEnabled.value && pack.pin.lockoutAttempts.value !== null) {
    add('pin.lockoutAttempts.value', 'must be null when the social PIN is not enabled');
  }
  return issues;
}

function checkSource(
  source: Source,
  code: string,
  path: string,
  add: (path: string, reason: string) => void,
): void {
  if (source.default === true || source.rule === 'DEFAULT') {
    if (source.default !== true || source.rule !== 'DEFAULT') {
      add(path, 'a default has rule: DEFAULT and default: true together');
    }
    if (!source.note) add(`${path}.note`, 'a default must say why (note)');
    if (source.quote) add(`${path}.quote`, 'a default quotes nothing; put related articles in see');
  } else {
    if (!source.quote) add(`${path}.quote`, 'a cited rule needs the exact words of the article');
    if (!source.rule.startsWith(`${code}-`)) add(`${path}.rule`, `must cite ${code}-…`);
  }
  (source.see ?? []).forEach((cited, i) => {
    if (!cited.rule.startsWith(`${code}-`)) add(`${path}.see[${i}].rule`, `must cite ${code}-…`);
  });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
