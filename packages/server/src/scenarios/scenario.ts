/**
 * A scenario: a regulation's example written as steps (`apply`, `issue`, `loss`, `advance: 6d`,
 * `expect: { usable: true }`) and checked against the platform. This file is the vocabulary and
 * the parser: every step is validated before anything runs, and a mistake is reported with the
 * step's number, its line and the field at fault. See README.md in this folder.
 */
import {
  APPLICATION_CHANNELS,
  APPLICATION_KINDS,
  CHANGE_REASONS,
  FEE_ITEMS,
  HARDSHIP_STATUSES,
  PRODUCTION_CHECKS,
  isErrorCode,
  isLocalDate,
} from '@sscard/domain';
import type { TObject, TSchema } from '@sinclair/typebox';
import { fieldCheck } from '../http/validation.js';
import { LineCounter, isSeq, parseDocument, type Node } from 'yaml';
import { cardActOfStep } from '../modules/cards/card-acts.js';

/** Who acts: the counters of the scenario's world. */
export const ACTORS = ['branch', 'branch2', 'community', 'window', 'centre'] as const;
export type ActorName = (typeof ACTORS)[number];

/** 2026-05-06 09:00 in Shanghai: a Wednesday, clear of holidays. */
export const DEFAULT_START = '2026-05-06T09:00:00+08:00';

export interface Refusal {
  code: string;
  /** The article the refusal must cite; `none`: it must cite nothing. Absent: not checked. */
  rule?: string;
}

export interface Step {
  /** 1-based, as reported. */
  index: number;
  act: StepName;
  params: Record<string, unknown>;
  line: number | null;
}

export interface Scenario {
  name: string;
  jurisdiction: string;
  covers: string[];
  description: string;
  start: Date;
  skip: string | null;
  steps: Step[];
}

export class ScenarioParseError extends Error {
  constructor(
    readonly problems: string[],
    readonly file?: string,
  ) {
    super(`${file ? `${file}: ` : ''}${problems.join('; ')}`);
    this.name = 'ScenarioParseError';
  }
}

// ---- field checks ------------------------------------------------------------------------

/** Returns what is wrong with a value, or null. */
type Check = (value: unknown) => string | null;

const show = (v: unknown) => (typeof v === 'string' ? `"${v}"` : JSON.stringify(v));

const text: Check = (v) => (typeof v === 'string' && v.length > 0 ? null : 'must be text');
const bool: Check = (v) => (typeof v === 'boolean' ? null : 'must be true or false');
const count: Check = (v) =>
  Number.isSafeInteger(v) && (v as number) >= 0 ? null : 'must be a whole number';
const date: Check = (v) =>
  typeof v === 'string' && isLocalDate(v) ? null : 'must be a date (YYYY-MM-DD)';
/** PINs: six digits are best quoted ('012345'); a bare number is read as its digits. */
const pin: Check = (v) =>
  typeof v === 'string' || Number.isSafeInteger(v) ? null : 'must be a PIN (quote it)';
const oneOf =
  (values: readonly string[]): Check =>
  (v) =>
    typeof v === 'string' && values.includes(v) ? null : `must be one of ${values.join(', ')}`;
const either =
  (...checks: Check[]): Check =>
  (v) => {
    const problems = checks.map((c) => c(v));
    if (problems.some((p) => p === null)) return null;
    // A map that went wrong inside says where; otherwise list what would have done.
    return problems.find((p) => p!.startsWith('.')) ?? problems.join(', or ');
  };

/**
 * A problem inside a map is returned as `.field rest` so that the caller can name the whole path:
 * `field "application.fee" must be a whole number (got "cheap")`.
 */
function inField(key: string, value: unknown, problem: string): string {
  const nested = /^\.([\w.]+) ([\s\S]*)$/.exec(problem);
  return nested ? `.${key}.${nested[1]} ${nested[2]}` : `.${key} ${problem} (got ${show(value)})`;
}

/** `.a.b rest` → `field "a.b" rest`. */
function fieldMessage(key: string, value: unknown, problem: string): string {
  const [, path, rest] = /^\.([\w.]+) ([\s\S]*)$/.exec(inField(key, value, problem))!;
  return `field "${path}" ${rest}`;
}

const objectOf =
  (fields: Record<string, Check>, required: string[] = []): Check =>
  (v) => {
    const names = Object.keys(fields).join(', ');
    if (!isPlainObject(v)) return `must be a map of ${names}`;
    for (const key of required) if (!(key in v)) return `.${key} is required (fields: ${names})`;
    for (const [key, value] of Object.entries(v)) {
      const check = fields[key];
      if (!check) return `.${key} is not a field here (fields: ${names})`;
      const problem = check(value);
      if (problem) return inField(key, value, problem);
    }
    return null;
  };
const listOf =
  (item: Check): Check =>
  (v) => {
    if (!Array.isArray(v)) return 'must be a list';
    for (const [i, x] of v.entries()) {
      const problem = item(x);
      if (problem) return `item ${i + 1} ${problem}`;
    }
    return null;
  };
const refusal: Check = (v) => {
  const problem = either(text, objectOf({ code: text, rule: text }, ['code']))(v);
  if (problem) return problem;
  const code = typeof v === 'string' ? v : (v as { code: string }).code;
  return isErrorCode(code) ? null : `names an unknown error code "${code}"`;
};

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// ---- the vocabulary ----------------------------------------------------------------------

/** A field checked against the API's own schema for it: what the route accepts, the step accepts. */
function schemaField(schema: TSchema): Check {
  const s = schema as {
    enum?: string[];
    type?: string;
    properties?: Record<string, TSchema>;
    required?: string[];
  };
  if (s.enum) return oneOf(s.enum);
  if (s.type === 'boolean') return bool;
  if (s.type === 'object' && s.properties)
    return objectOf(
      Object.fromEntries(Object.entries(s.properties).map(([k, p]) => [k, schemaField(p)])),
      s.required ?? [],
    );
  return fieldCheck(schema);
}

/**
 * The fields of a card act's step: the fields of its body in the API (modules/cards/card-acts.ts),
 * with PINs also accepted as bare numbers (read as their digits).
 */
function cardFields(step: string): Record<string, Check> {
  const body = cardActOfStep(step)?.body as TObject | null | undefined;
  const fields = Object.fromEntries(
    Object.entries(body?.properties ?? {}).map(([k, schema]) => [
      k,
      (schema as { pattern?: string }).pattern === '^\\d{6}$' ? pin : schemaField(schema),
    ]),
  );
  return fields;
}

const actor = oneOf(ACTORS);
const cardRef = text; // current | old | the label of an application
const label = text;

const CARD_EXPECTATIONS: Record<string, Check> = {
  usable: bool,
  status: text,
  kind: oneOf(['regular', 'temporary']),
  social: bool,
  financial: bool,
  loss: either(
    oneOf(['none', 'temporary', 'formal']),
    objectOf({
      kind: text,
      until: either(text, (v) => (v === null ? null : 'null')),
      lapsed: bool,
    }),
  ),
  lapsed: bool,
  suspended: bool,
  frozen: bool,
  pinLocked: bool,
  pinSet: bool,
  photoCardDue: bool,
  expiresOn: either(date, (v) => (v === null || v === 'none' ? null : 'none')),
  blocked: listOf(text),
  endReason: text,
  unclaimed: text,
  returned: bool,
};

const APPLICATION_EXPECTATIONS: Record<string, Check> = {
  label,
  status: text,
  kind: oneOf(APPLICATION_KINDS),
  production: oneOf(['instant', 'batch']),
  due: either(text, (v) => (v === null ? null : 'null')),
  dueRule: text,
  overdue: bool,
  fee: count,
  feeRule: text,
  feeExemption: text,
  checks: (v) =>
    isPlainObject(v)
      ? (Object.values(v)
          .map(oneOf(['pending', 'pass', 'fail']))
          .find(Boolean) ?? null)
      : 'must be a map of agency: pending | pass | fail',
  rejection: text,
  rejectionRule: text,
};

interface StepSpec {
  /** `loss: temporary` is `loss: { kind: temporary }`. */
  main?: string;
  fields: Record<string, Check>;
  required?: string[];
  /** Who acts unless the step says `as:`; null for steps nobody acts in. */
  actor: ActorName | null;
  /** The step acts on a card (`card:`) or an application (`application:`). */
  target?: 'card' | 'application';
  /** A one-line summary of what the step does, for the README and `--help`. */
  about: string;
}

const AGENT = either(
  oneOf(['guardian', 'agent']),
  objectOf({ kind: oneOf(['guardian', 'agent']), documentsSeen: bool, relation: text }, ['kind']),
);

export const STEPS = {
  person: {
    main: 'as',
    actor: null,
    about: 'register someone (and make them the current person)',
    fields: {
      as: label,
      name: text,
      birthDate: date,
      photo: bool,
      hardship: oneOf(HARDSHIP_STATUSES),
      idType: oneOf(['resident_id', 'household_register', 'hmt_residence_permit']),
    },
  },
  photo: { actor: 'branch', about: 'take a photo of the current person', fields: {} },
  death: {
    main: 'on',
    actor: 'branch',
    about: 'record the current person’s death',
    fields: { on: date, evidence: text },
  },
  apply: {
    main: 'kind',
    actor: 'branch',
    about: 'apply for a card',
    fields: {
      kind: oneOf(APPLICATION_KINDS),
      reason: oneOf(CHANGE_REASONS),
      production: oneOf(['instant', 'batch']),
      channel: oneOf(APPLICATION_CHANNELS),
      delivery: oneOf(['counter', 'mail', 'home', 'unit']),
      address: text,
      agent: AGENT,
      oldCard: cardRef,
      branch: oneOf(['branch', 'branch2']),
      consentToDelay: bool,
      bankLossReceipt: bool,
      studioPhotoReceipt: bool,
      hospitalProof: either(bool, text),
      temporaryCardLostOrDamaged: bool,
      label,
    },
  },
  check: {
    main: 'agency',
    actor: 'centre',
    target: 'application',
    about: 'record an agency’s check (`agency: all` passes every pending one)',
    fields: {
      agency: oneOf(['all', 'police', 'hrss', 'medical', 'population', ...PRODUCTION_CHECKS]),
      result: oneOf(['pass', 'fail']),
      reason: text,
    },
  },
  produce: {
    actor: 'branch',
    target: 'application',
    about: 'make the card on the spot',
    fields: {},
  },
  stock: {
    actor: 'branch',
    target: 'application',
    about: 'the batch-made card arrives at the branch',
    fields: {},
  },
  withdraw: {
    actor: 'branch',
    target: 'application',
    about: 'withdraw the application',
    fields: {},
  },
  issue: {
    main: 'to',
    actor: 'branch',
    target: 'card',
    about: 'hand the card over',
    fields: cardFields('issue'),
  },
  activate: {
    main: 'function',
    actor: 'branch',
    target: 'card',
    about: 'enable the social function or activate the financial one',
    fields: cardFields('activate'),
  },
  loss: {
    main: 'kind',
    actor: 'branch',
    target: 'card',
    about: 'report the card lost',
    fields: cardFields('loss'),
    required: ['kind'],
  },
  unreport: {
    actor: 'branch',
    target: 'card',
    about: 'lift the loss',
    fields: cardFields('unreport'),
  },
  suspend: {
    actor: 'branch',
    target: 'card',
    about: 'stop the card on request',
    fields: cardFields('suspend'),
  },
  resume: {
    actor: 'branch',
    target: 'card',
    about: 'resume a stopped card',
    fields: cardFields('resume'),
  },
  freeze: {
    main: 'reason',
    actor: 'centre',
    target: 'card',
    about: 'freeze the card for misuse',
    fields: cardFields('freeze'),
  },
  unfreeze: {
    actor: 'centre',
    target: 'card',
    about: 'lift a freeze',
    fields: cardFields('unfreeze'),
  },
  cancel: {
    main: 'reason',
    actor: 'branch',
    target: 'card',
    about: 'cancel the card',
    required: ['reason'],
    fields: cardFields('cancel'),
  },
  return: {
    actor: 'branch',
    target: 'card',
    about: 'the card is handed back',
    fields: cardFields('return'),
  },
  destroy: {
    actor: 'branch',
    target: 'card',
    about: 'destroy the card',
    fields: cardFields('destroy'),
  },
  pin: {
    main: 'new',
    actor: 'branch',
    target: 'card',
    about: 'set or change the social PIN',
    fields: cardFields('pin'),
    required: ['new'],
  },
  pinVerify: {
    main: 'pin',
    actor: 'branch',
    target: 'card',
    about: 'try a PIN',
    fields: cardFields('pinVerify'),
    required: ['pin'],
  },
  pinReset: {
    main: 'new',
    actor: 'branch',
    target: 'card',
    about: 'reset the PIN (to the initial one unless `new:` is given)',
    fields: cardFields('pinReset'),
  },
  bankAccountClosed: {
    actor: 'branch',
    target: 'card',
    about: 'the bank closed the account of a card cancelled on death (HN-27)',
    fields: cardFields('bankAccountClosed'),
  },
  undeliverable: {
    main: 'reason',
    actor: 'branch',
    target: 'card',
    about: 'the card made cannot be delivered (ZS-17(二), HN-12, FZ-27)',
    fields: cardFields('undeliverable'),
    required: ['reason'],
  },
  pinUnlock: {
    actor: 'branch',
    target: 'card',
    about: 'unlock a locked PIN',
    fields: cardFields('pinUnlock'),
  },
  keyChange: {
    actor: 'branch',
    about: 'change key information (applies for the new card the rules require)',
    fields: {
      name: text,
      idNumber: oneOf(['new']),
      idType: oneOf(['resident_id', 'household_register', 'hmt_residence_permit']),
      photoChanged: bool,
      proof: text,
      production: oneOf(['instant', 'batch']),
    },
  },
  fees: {
    actor: 'centre',
    about: 'set this jurisdiction’s fee schedule (fen)',
    fields: Object.fromEntries(FEE_ITEMS.map((item) => [item, count])),
  },
  advance: {
    actor: null,
    about:
      'move the clock: 6d, 12h, 30m, or { days, hours, minutes, workingDays, months, years, to }',
    fields: {
      days: count,
      hours: count,
      minutes: count,
      workingDays: count,
      months: count,
      years: count,
      to: text,
    },
  },
  expect: {
    actor: null,
    about: 'assert on the current card, application, or an older card',
    fields: {
      card: cardRef,
      ...CARD_EXPECTATIONS,
      application: objectOf(APPLICATION_EXPECTATIONS),
      oldCard: objectOf(CARD_EXPECTATIONS),
    },
  },
} satisfies Record<string, StepSpec>;

export type StepName = keyof typeof STEPS;
const STEP_NAMES = Object.keys(STEPS) as StepName[];

/** Fields every act may carry. */
function commonFields(spec: StepSpec): Record<string, Check> {
  if (spec.actor === null) return { person: label };
  return {
    as: actor,
    person: label,
    refused: refusal,
    times: (v) => (Number.isSafeInteger(v) && (v as number) >= 1 ? null : 'must be 1 or more'),
    ...(spec.target === 'card' ? { card: cardRef } : {}),
    ...(spec.target === 'application' ? { application: label } : {}),
  };
}

export function fieldsOf(act: StepName): string[] {
  const spec: StepSpec = STEPS[act];
  return [...Object.keys(spec.fields), ...Object.keys(commonFields(spec))];
}

// ---- durations -----------------------------------------------------------------------------

export interface Advance {
  days: number;
  hours: number;
  minutes: number;
  workingDays: number;
  months: number;
  years: number;
  to: Date | null;
}

const DURATION = /^(\d+)\s*(d|h|m)$/;

export function parseAdvance(params: Record<string, unknown>): Advance {
  const n = (k: string) => (typeof params[k] === 'number' ? (params[k] as number) : 0);
  const to = typeof params.to === 'string' ? new Date(params.to) : null;
  return {
    days: n('days'),
    hours: n('hours'),
    minutes: n('minutes'),
    workingDays: n('workingDays'),
    months: n('months'),
    years: n('years'),
    to,
  };
}

// ---- parsing -------------------------------------------------------------------------------

const TOP_LEVEL = ['name', 'jurisdiction', 'covers', 'description', 'start', 'skip', 'steps'];
const RULE_ID = /^[A-Z]{2,4}-[A-Za-z0-9-]+$/;

/** Parses and validates a scenario; throws ScenarioParseError listing every problem found. */
export function parseScenario(source: string, file?: string): Scenario {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false });
  if (doc.errors.length) {
    throw new ScenarioParseError(
      doc.errors.map((e) => `YAML: ${e.message.split('\n')[0]}`),
      file,
    );
  }
  const lineOf = (node: Node | null | undefined) =>
    node?.range ? lineCounter.linePos(node.range[0]).line : null;
  const data: unknown = doc.toJS();
  const problems: string[] = [];
  if (!isPlainObject(data)) throw new ScenarioParseError(['the file must be a map'], file);

  for (const key of Object.keys(data))
    if (!TOP_LEVEL.includes(key))
      problems.push(`unknown top-level field "${key}" (fields: ${TOP_LEVEL.join(', ')})`);
  for (const key of ['name', 'jurisdiction', 'description'])
    if (typeof data[key] !== 'string' || data[key] === '')
      problems.push(`"${key}" is required and must be text`);
  const covers = data.covers;
  if (!Array.isArray(covers) || covers.length === 0)
    problems.push('"covers" is required: a list of articles, e.g. [SH-18, SH-19]');
  else
    for (const c of covers)
      if (typeof c !== 'string' || !RULE_ID.test(c))
        problems.push(`"covers" item ${show(c)} is not an article id like SH-18`);
  let start = new Date(DEFAULT_START);
  if (data.start !== undefined) {
    start = new Date(typeof data.start === 'string' ? data.start : NaN);
    if (Number.isNaN(start.getTime()))
      problems.push(`"start" must be an instant like ${DEFAULT_START} (got ${show(data.start)})`);
  }
  if (data.skip !== undefined && (typeof data.skip !== 'string' || data.skip === ''))
    problems.push('"skip" must be the reason, as text');

  const steps: Step[] = [];
  const stepsNode = doc.get('steps', true);
  if (!Array.isArray(data.steps) || data.steps.length === 0 || !isSeq(stepsNode)) {
    problems.push('"steps" is required: a list of steps');
  } else {
    data.steps.forEach((raw, i) => {
      const line = lineOf(stepsNode.items[i] as Node | undefined);
      const where = `step ${i + 1}${line ? ` (line ${line})` : ''}`;
      const result = parseStep(raw, where);
      if (typeof result === 'string') problems.push(result);
      else steps.push({ index: i + 1, line, ...result });
    });
  }
  if (problems.length) throw new ScenarioParseError(problems, file);
  return {
    name: data.name as string,
    jurisdiction: data.jurisdiction as string,
    covers: covers as string[],
    description: data.description as string,
    start,
    skip: (data.skip as string | undefined) ?? null,
    steps,
  };
}

function parseStep(
  raw: unknown,
  where: string,
): { act: StepName; params: Record<string, unknown> } | string {
  let act: string;
  let value: unknown;
  if (typeof raw === 'string') {
    act = raw;
    value = null;
  } else if (isPlainObject(raw) && Object.keys(raw).length === 1) {
    [act, value] = Object.entries(raw)[0]!;
  } else {
    return `${where}: a step is one act, like "- issue" or "- loss: { kind: temporary }" (got ${show(raw)})`;
  }
  if (!(STEP_NAMES as string[]).includes(act))
    return `${where}: unknown step "${act}" (steps: ${STEP_NAMES.join(', ')})`;
  const name = act as StepName;
  const spec: StepSpec = STEPS[name];
  let params: Record<string, unknown>;
  if (value === null || value === undefined) params = {};
  else if (isPlainObject(value)) params = { ...value };
  else if (name === 'advance') {
    const m = typeof value === 'string' ? DURATION.exec(value.trim()) : null;
    if (!m) return `${where} (advance): "${String(value)}" is not a duration like 6d, 12h or 30m`;
    const unit = { d: 'days', h: 'hours', m: 'minutes' }[m[2] as 'd' | 'h' | 'm'];
    params = { [unit]: Number(m[1]) };
  } else if (spec.main) params = { [spec.main]: value };
  else return `${where} (${name}): takes no value; fields: ${fieldsOf(name).join(', ')}`;

  const fields = { ...spec.fields, ...commonFields(spec) };
  for (const [key, v] of Object.entries(params)) {
    const check = fields[key];
    if (!check)
      return `${where} (${name}): unknown field "${key}" (fields: ${Object.keys(fields).join(', ')})`;
    const problem = check(v);
    if (problem) return `${where} (${name}): ${fieldMessage(key, v, problem)}`;
  }
  for (const key of spec.required ?? [])
    if (!(key in params)) return `${where} (${name}): field "${key}" is required`;
  if (name === 'advance') {
    if (Object.keys(params).length === 0) return `${where} (advance): say how far, e.g. 6d`;
    if (typeof params.to === 'string' && Number.isNaN(new Date(params.to).getTime()))
      return `${where} (advance): field "to" must be an instant like ${DEFAULT_START}`;
  }
  if (name === 'expect' && Object.keys(params).filter((k) => k !== 'person').length === 0)
    return `${where} (expect): expects nothing; name a field, e.g. usable: true`;
  return { act: name, params };
}

/** The refusal a step expects, normalised. */
export function refusalOf(params: Record<string, unknown>): Refusal | null {
  const r = params.refused;
  if (r === undefined) return null;
  if (typeof r === 'string') return { code: r };
  const o = r as { code: string; rule?: string };
  return o.rule === undefined ? { code: o.code } : { code: o.code, rule: o.rule };
}
