/**
 * Runs a scenario through the service layer the API uses: a fresh platform on an in-memory
 * database with a manual clock, a small world for the scenario's jurisdiction, and each step
 * called on the services as the counter it names, with the permission check the route would
 * make. A step passes when the act succeeds (or is refused exactly as the scenario says) and its
 * audit record was written; `expect` compares with what the presenters show. The first step that
 * fails ends the run; the rest are reported as not run.
 */
import { readFileSync } from 'node:fs';
import {
  DomainError,
  addMonths,
  addYears,
  ageOn,
  renderError,
  shanghaiDate,
  type ApplicationKind,
  type ChangeReason,
  type LocalDate,
  type Permission,
  type RulePack,
} from '@sscard/domain';
import { loadConfig } from '../config.js';
import { systemContext, type ActContext } from '../context.js';
import { openDatabase } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { assertPermission } from '../http/app-context.js';
import { openPlatform, type Platform } from '../platform.js';
import type { AgentInput } from '../modules/applications/applications.service.js';
import { presentApplication } from '../modules/applications/applications.presenter.js';
import type { ApplicationRow } from '../modules/applications/applications.repository.js';
import { presentCard } from '../modules/cards/cards.presenter.js';
import { cardActOfStep } from '../modules/cards/card-acts.js';
import type { CardRow } from '../modules/cards/cards.repository.js';
import { loadRegistry } from '../modules/policy/pack-files.js';
import { compareApplication, compareCard } from './expect.js';
import {
  parseAdvance,
  parseScenario,
  refusalOf,
  STEPS,
  ScenarioParseError,
  type ActorName,
  type Scenario,
  type Step,
  type StepName,
} from './scenario.js';
import { IdNumbers, buildWorld, contextOf, placeholderPhoto, type World } from './world.js';

export interface StepResult {
  index: number;
  act: StepName;
  /** `loss temporary via phone`, as the report shows it. */
  summary: string;
  status: 'passed' | 'failed' | 'not_run';
  /** Why it failed. */
  message?: string;
  ms: number;
  /** The refusals the step met (expected or not), with what they cited. */
  refusals?: Pick<DomainError, 'code' | 'params' | 'citation'>[];
}

export interface ScenarioResult {
  file: string | null;
  name: string;
  jurisdiction: string;
  covers: string[];
  description: string;
  /** `invalid`: the file could not be read as a scenario (see `problems`). */
  status: 'passed' | 'failed' | 'skipped' | 'invalid';
  skip: string | null;
  /** For a skipped scenario that was run anyway: whether it would pass now. */
  wouldPass?: boolean;
  steps: StepResult[];
  problems: string[];
  ms: number;
}

export interface RunOptions {
  file?: string;
  /**
   * The database to start from, made by `prepareScenarioTemplate`; by default one is made on the
   * first run in the process and reused.
   */
  template?: Blob;
  /** Rule packs directory (SSCARD_PACKS_DIR); the built-in packs by default. */
  packsDir?: string;
  /** Run a scenario marked `skip` anyway, to report where it stands; it still counts as skipped. */
  runSkipped?: boolean;
}

const MASTER_KEY = Buffer.alloc(32, 5).toString('base64');

const PERMISSIONS: Partial<Record<StepName, Permission>> = {
  photo: 'person.update',
  death: 'person.update',
  apply: 'application.create',
  check: 'application.check',
  produce: 'card.produce',
  stock: 'card.stock',
  withdraw: 'application.withdraw',
  issue: 'card.issue',
  activate: 'card.activate',
  loss: 'card.loss',
  unreport: 'card.loss',
  suspend: 'card.suspend',
  resume: 'card.suspend',
  freeze: 'card.freeze',
  unfreeze: 'card.freeze',
  cancel: 'card.cancel',
  return: 'card.return',
  destroy: 'card.destroy',
  pin: 'card.pin',
  pinVerify: 'card.pin',
  pinReset: 'card.pin',
  pinUnlock: 'card.pin',
  keyChange: 'person.key_change',
  fees: 'policy.configure',
};

/** A step that cannot run as written (no card yet, an unknown label): it fails with this. */
class StepError extends Error {}

export async function runScenarioFile(
  path: string,
  options: RunOptions = {},
): Promise<ScenarioResult> {
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch (e) {
    return invalid(path, [`cannot read the file: ${(e as Error).message}`]);
  }
  return runScenario(source, { ...options, file: options.file ?? path });
}

export async function runScenario(
  source: string,
  options: RunOptions = {},
): Promise<ScenarioResult> {
  const started = performance.now();
  const file = options.file ?? null;
  let scenario: Scenario;
  try {
    scenario = parseScenario(source, file ?? undefined);
  } catch (e) {
    if (e instanceof ScenarioParseError) return invalid(file, e.problems);
    throw e;
  }
  const rules = loadRegistry(options.packsDir);
  let pack: RulePack;
  try {
    pack = rules.resolve(scenario.jurisdiction, scenario.start).pack;
  } catch {
    return invalid(file, [`unknown jurisdiction "${scenario.jurisdiction}"`], scenario);
  }
  const base = {
    file,
    name: scenario.name,
    jurisdiction: pack.code,
    covers: scenario.covers,
    description: scenario.description,
    skip: scenario.skip,
    problems: [] as string[],
  };
  if (scenario.skip && !options.runSkipped) {
    const steps = scenario.steps.map((s) => notRun(s));
    return { ...base, status: 'skipped', steps, ms: performance.now() - started };
  }

  let steps: StepResult[];
  try {
    const platform = await openScenarioPlatform(options);
    try {
      const world = await buildWorld(platform, pack);
      await platform.deps.clock.set(scenario.start);
      steps = await new Run(platform, world).steps(scenario.steps);
    } finally {
      await platform.close();
    }
  } catch (e) {
    // The platform or its world could not be set up: nothing ran.
    const problem = `setting up the platform failed: ${messageOf(e)}`;
    const ms = performance.now() - started;
    const notRunSteps = scenario.steps.map((s) => notRun(s));
    return { ...base, status: 'failed', problems: [problem], steps: notRunSteps, ms };
  }
  const passed = steps.every((s) => s.status === 'passed');
  const ms = performance.now() - started;
  if (scenario.skip) return { ...base, status: 'skipped', wouldPass: passed, steps, ms };
  return { ...base, status: passed ? 'passed' : 'failed', steps, ms };
}

/**
 * The database every scenario starts from: migrated, with the installation administrator in
 * place. Starting PostgreSQL in WASM, migrating and hashing the administrator's password take
 * seconds; loading a dump of the result well under one. `base` is an already migrated dump (the
 * test suite's template); without one a new database is migrated.
 */
export async function prepareScenarioTemplate(base?: Blob): Promise<Blob> {
  const handle = await openDatabase(base ? { loadDataDir: base } : {});
  let platform: Platform;
  try {
    if (!base) await migrate(handle.db);
    platform = await openPlatform({ config: scenarioConfig({}), handle, skipMigrations: true });
  } catch (e) {
    await handle.close();
    throw e;
  }
  try {
    return await handle.dumpDataDir!();
  } finally {
    await platform.close();
  }
}

/** Made on the first run in this process and reused. */
let defaultTemplate: Promise<Blob> | null = null;

function scenarioConfig(options: RunOptions) {
  return loadConfig({
    SSCARD_CLOCK: 'manual',
    SSCARD_MASTER_KEY: MASTER_KEY,
    SSCARD_ADMIN_PASSWORD: 'Scenario-Admin-2026!',
    SSCARD_ADMIN_TOTP_SECRET: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
    SSCARD_DATA_DIR: '/nonexistent-sscard-scenario-dir',
    LOG_LEVEL: 'silent',
    ...(options.packsDir ? { SSCARD_PACKS_DIR: options.packsDir } : {}),
  });
}

async function openScenarioPlatform(options: RunOptions): Promise<Platform> {
  defaultTemplate ??= prepareScenarioTemplate();
  const template = options.template ?? (await defaultTemplate);
  const handle = await openDatabase({ loadDataDir: template });
  return openPlatform({ config: scenarioConfig(options), handle, skipMigrations: true });
}

function invalid(file: string | null, problems: string[], scenario?: Scenario): ScenarioResult {
  return {
    file,
    name: scenario?.name ?? file ?? 'scenario',
    jurisdiction: scenario?.jurisdiction ?? '',
    covers: scenario?.covers ?? [],
    description: scenario?.description ?? '',
    status: 'invalid',
    skip: null,
    steps: [],
    problems,
    ms: 0,
  };
}

function notRun(step: Step): StepResult {
  return {
    index: step.index,
    act: step.act,
    summary: describeStep(step),
    status: 'not_run',
    ms: 0,
  };
}

// ---- the report line of a step ---------------------------------------------------------

/** Fields any act may carry, beside its own. */
const COMMON = new Set(['as', 'person', 'refused', 'times', 'card', 'application']);

/** Defaults of card steps where the API has none (`issue` is to the holder unless said). */
const CARD_STEP_DEFAULTS: Record<string, Record<string, unknown>> = {
  issue: { to: 'holder' },
  activate: { function: 'social' },
  freeze: { reason: '违规使用社会保障卡' },
};

/** A step's own fields, as an API body: PINs given as bare numbers become their digits. */
function bodyOf(p: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(p)
      .filter(([k]) => !COMMON.has(k))
      .map(([k, v]) => [k, ['old', 'new', 'pin'].includes(k) ? String(v) : v]),
  );
}

const QUIET = new Set(['refused', 'times', 'person', 'label']);
const REFS = new Set(['card', 'application']);

/** `loss temporary via phone`, `expect usable: true`, `pinVerify 000001 ×5 → PIN_WRONG (FZ-32)`. */
export function describeStep(step: Step): string {
  const p = step.params;
  if (step.act === 'advance') return describeAdvance(p);
  const main = (STEPS[step.act] as { main?: string }).main;
  const parts: string[] = [step.act];
  if (typeof p.person === 'string') parts.push(`for ${p.person}`);
  // `@old`, `@temp`: the card or application the step names, when not the current one.
  if (typeof p.card === 'string' && step.act !== 'expect') parts.push(`@${p.card}`);
  if (typeof p.application === 'string') parts.push(`@${p.application}`);
  const value = (v: unknown): string =>
    typeof v === 'object' && v !== null
      ? Array.isArray(v)
        ? `[${v.join(', ')}]`
        : `{ ${Object.entries(v)
            .map(([k, x]) => `${k}: ${value(x)}`)
            .join(', ')} }`
      : String(v);
  for (const [key, v] of Object.entries(p)) {
    if (QUIET.has(key) || (REFS.has(key) && step.act !== 'expect')) continue;
    if (step.act === 'expect') parts.push(`${key}: ${value(v)}`);
    else if (key === main || key === 'kind') parts.push(value(v));
    else if (v === true) parts.push(key);
    else if (v === false) parts.push(`no ${key}`);
    else parts.push(`${key} ${value(v)}`);
  }
  if (typeof p.label === 'string') parts.push(`(${p.label})`);
  if (typeof p.times === 'number') parts.push(`×${p.times}`);
  const r = refusalOf(p);
  if (r) parts.push(`→ refused ${r.code}${r.rule ? ` (${r.rule})` : ''}`);
  return step.act === 'expect'
    ? `${parts[0]} ${parts.slice(1).join(', ')}`.replace(/^expect for (\S+),/, 'expect for $1:')
    : parts.join(' ');
}

function describeAdvance(p: Record<string, unknown>): string {
  const a = parseAdvance(p);
  if (a.to) return `advance to ${String(p.to)}`;
  const parts = [
    a.years ? `${a.years} year${a.years > 1 ? 's' : ''}` : '',
    a.months ? `${a.months} month${a.months > 1 ? 's' : ''}` : '',
    a.workingDays ? `${a.workingDays} working day${a.workingDays > 1 ? 's' : ''}` : '',
    a.days ? `${a.days}d` : '',
    a.hours ? `${a.hours}h` : '',
    a.minutes ? `${a.minutes}m` : '',
  ];
  return `advance ${parts.filter(Boolean).join(' ')}`;
}

// ---- running the steps ---------------------------------------------------------------------

interface PersonRef {
  id: string;
  idNumber: string;
  birthDate: string;
}

const DAY_MS = 86_400_000;

class Run {
  private readonly people = new Map<string, PersonRef>();
  private current: PersonRef | null = null;
  private personCount = 0;
  /** The order in which cards and applications appeared, so "current" is the newest. */
  private readonly seen = new Map<string, number>();
  private sequence = 0;
  private readonly labels = new Map<string, string>();
  private readonly ids: IdNumbers;
  /** The refusals met by the step running now. */
  private met: Pick<DomainError, 'code' | 'params' | 'citation'>[] = [];

  constructor(
    private readonly platform: Platform,
    private readonly world: World,
  ) {
    this.ids = new IdNumbers(world.pack);
  }

  private get services() {
    return this.platform.services;
  }

  private now(): Date {
    return this.platform.deps.clock.now();
  }

  private today(): LocalDate {
    return shanghaiDate(this.now());
  }

  async steps(steps: Step[]): Promise<StepResult[]> {
    const results: StepResult[] = [];
    let failed = false;
    for (const step of steps) {
      if (failed) {
        results.push(notRun(step));
        continue;
      }
      const t = performance.now();
      const summary = describeStep(step);
      try {
        this.met = [];
        await this.step(step);
        results.push({
          index: step.index,
          act: step.act,
          summary,
          status: 'passed',
          ms: performance.now() - t,
          ...(this.met.length ? { refusals: this.met } : {}),
        });
      } catch (e) {
        failed = true;
        results.push({
          index: step.index,
          act: step.act,
          summary,
          status: 'failed',
          message: messageOf(e),
          ms: performance.now() - t,
        });
      }
    }
    return results;
  }

  private async step(step: Step): Promise<void> {
    const p = step.params;
    if (typeof p.person === 'string' && step.act !== 'person') this.current = this.person(p.person);
    if (step.act === 'advance') return this.advance(step);
    if (step.act === 'expect') return this.expect(step);
    if (step.act === 'person') return this.register(step);

    const spec = STEPS[step.act] as { actor: ActorName };
    const who = (p.as as ActorName | undefined) ?? spec.actor;
    const expected = refusalOf(p);
    const times = (p.times as number | undefined) ?? 1;
    // The holder (or their agent) comes to this counter with their document: it finds them by
    // the full number, as a counter does, which lets it serve them (a presence).
    if (this.current && who !== 'centre') await this.present(who, step.index);
    for (let i = 0; i < times; i++) {
      const ctx = contextOf(this.world, who, step.index);
      let refusal: DomainError | null = null;
      try {
        const permission = PERMISSIONS[step.act];
        if (permission) assertPermission(ctx.actor!, permission);
        await this.act(step, ctx);
        if (!ctx.audited)
          throw new StepError('the act changed state without writing its audit record');
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        refusal = e;
        this.met.push({ code: e.code, params: e.params, citation: e.citation });
      } finally {
        await this.refresh();
      }
      const round = times > 1 ? ` (attempt ${i + 1} of ${times})` : '';
      if (expected) {
        if (!refusal)
          throw new StepError(`expected refusal ${expected.code}, but it was done${round}`);
        const rule = refusal.citation?.rule ?? 'none';
        if (refusal.code !== expected.code || (expected.rule && expected.rule !== rule))
          throw new StepError(
            `expected refusal ${expected.code}${expected.rule ? ` (${expected.rule})` : ''}, got ${describeRefusal(refusal)}${round}`,
          );
      } else if (refusal) {
        throw new StepError(`refused: ${describeRefusal(refusal)}${round}`);
      }
    }
  }

  private async act(step: Step, ctx: ActContext): Promise<void> {
    const p = step.params;
    const { applications, cards, persons, keyChanges, fees } = this.services;
    const str = (k: string) => p[k] as string | undefined;
    const flag = (k: string) => p[k] as boolean | undefined;
    // A card act runs as its route does (modules/cards/card-acts.ts), with the step's fields as
    // the body and a few defaults that keep scenarios short.
    const cardAct = cardActOfStep(step.act);
    if (cardAct) {
      const body = { ...CARD_STEP_DEFAULTS[step.act], ...bodyOf(p) };
      await cardAct.run(cards, await this.cardNo(str('card')), body as never, ctx);
      return;
    }
    switch (step.act) {
      case 'photo':
        await persons.setPhoto(this.who().id, placeholderPhoto(), ctx);
        return;
      case 'death':
        await persons.recordDeath(
          this.who().id,
          { diedOn: str('on') ?? this.today(), evidence: str('evidence') ?? '死亡医学证明' },
          ctx,
        );
        return;
      case 'apply':
        return this.apply(step, ctx);
      case 'check': {
        const app = await this.application(str('application'));
        const agency = str('agency') ?? 'all';
        const result = (str('result') as 'pass' | 'fail' | undefined) ?? 'pass';
        if (agency !== 'all') {
          await applications.recordCheck(app.id, { agency, result, reason: str('reason') }, ctx);
          return;
        }
        if (result === 'fail') throw new StepError('name the agency whose check fails');
        const pending = (await applications.repo.checks(app.id)).filter(
          (c) => c.result === 'pending',
        );
        if (pending.length === 0) throw new StepError('the application has no pending check');
        for (const c of pending) {
          const each = { ...ctx, audited: false };
          await applications.recordCheck(app.id, { agency: c.agency, result: 'pass' }, each);
          if (!each.audited)
            throw new StepError(`the ${c.agency} check was recorded without an audit record`);
        }
        ctx.audited = true;
        return;
      }
      case 'produce':
        await applications.produce((await this.application(str('application'))).id, ctx);
        return;
      case 'stock':
        await applications.stock((await this.application(str('application'))).id, ctx);
        return;
      case 'withdraw':
        await applications.withdraw((await this.application(str('application'))).id, ctx);
        return;
      case 'keyChange': {
        const person = this.who();
        const idNumber =
          str('idNumber') === 'new'
            ? this.ids.next(person.birthDate, str('idType') === 'hmt_residence_permit')
            : undefined;
        await keyChanges.change(
          person.id,
          {
            name: str('name'),
            idType: str('idType') as never,
            idNumber,
            photoChanged: flag('photoChanged'),
            proof: str('proof'),
            production: str('production') as never,
          },
          ctx,
        );
        if (idNumber) person.idNumber = idNumber;
        return;
      }
      case 'fees': {
        const mine = Object.fromEntries(Object.entries(p).filter(([k]) => !COMMON.has(k)));
        await fees.replace(mine, ctx, this.world.pack.code);
        return;
      }
      default:
        throw new StepError(`step ${step.act} cannot act`);
    }
  }

  private async apply(step: Step, ctx: ActContext): Promise<void> {
    const p = step.params;
    const str = (k: string) => p[k] as string | undefined;
    const flag = (k: string) => p[k] as boolean | undefined;
    const person = this.who();
    const kind = (str('kind') as ApplicationKind | undefined) ?? 'first';
    let oldCardNo: string | undefined;
    if (str('oldCard') !== undefined && str('oldCard') !== 'none')
      oldCardNo = await this.cardNo(str('oldCard'));
    else if (str('oldCard') === undefined && ['replacement', 'change', 'reissue'].includes(kind)) {
      // The card in the holder's hand: the newest regular card issued, else the newest regular one.
      const regular = (await this.cardsOf(person.id)).filter((c) => c.kind === 'regular');
      oldCardNo = (regular.find((c) => c.status === 'issued') ?? regular[0])?.card_no;
    }
    const branchId = p.branch
      ? this.world.orgs[p.branch as 'branch' | 'branch2'].id
      : ctx.actor!.organizationKind === 'branch'
        ? undefined
        : this.world.orgs.branch.id;
    const hospital = p.hospitalProof;
    const delivery = str('delivery') as 'counter' | 'mail' | 'home' | 'unit' | undefined;
    const app = await this.services.applications.submit(
      {
        personId: person.id,
        kind,
        reason: str('reason') as ChangeReason | undefined,
        channel: str('channel') as never,
        branchId,
        production: str('production') as 'instant' | 'batch' | undefined,
        delivery,
        deliveryAddress:
          str('address') ?? (delivery === 'mail' ? '浙江省舟山市定海区环城南路 1 号' : undefined),
        agent: this.agent(p.agent),
        oldCardNo,
        consentToDelay: flag('consentToDelay'),
        bankLossReceipt: flag('bankLossReceipt'),
        studioPhotoReceipt: flag('studioPhotoReceipt'),
        hospitalProof:
          typeof hospital === 'string' ? hospital : hospital === true ? '医院住院证明' : undefined,
        temporaryCardLostOrDamaged: flag('temporaryCardLostOrDamaged'),
      },
      ctx,
    );
    if (typeof p.label === 'string') this.labels.set(p.label, app.id);
  }

  private agent(raw: unknown): AgentInput | undefined {
    if (raw === undefined) return undefined;
    const o =
      typeof raw === 'string'
        ? { kind: raw as 'guardian' | 'agent' }
        : (raw as { kind: 'guardian' | 'agent'; documentsSeen?: boolean; relation?: string });
    return {
      kind: o.kind,
      name: o.kind === 'guardian' ? '王建国' : '李代办',
      idType: 'resident_id',
      idNumber: this.ids.next('1980-06-01'),
      relation: o.relation ?? (o.kind === 'guardian' ? '父亲' : '受托人'),
      documentsSeen: o.documentsSeen ?? true,
    };
  }

  private async register(step: Step): Promise<void> {
    const p = step.params;
    const label = (p.as as string | undefined) ?? `person${this.personCount + 1}`;
    if (this.people.has(label)) throw new StepError(`there is already a person "${label}"`);
    const birthDate = (p.birthDate as string | undefined) ?? '1985-03-15';
    const age = ageOn(birthDate, this.today());
    const idType =
      (p.idType as 'resident_id' | 'household_register' | 'hmt_residence_permit' | undefined) ??
      (age < 16 ? 'household_register' : 'resident_id');
    const idNumber = this.ids.next(birthDate, idType === 'hmt_residence_permit');
    const name =
      (p.name as string | undefined) ?? (/^\p{Script=Han}{2,4}$/u.test(label) ? label : '测试人');
    const ctx = contextOf(this.world, 'branch', step.index);
    try {
      assertPermission(ctx.actor!, 'person.create');
      const person = await this.services.persons.create(
        {
          idType,
          idNumber,
          name,
          phone: '13800138000',
          ...(p.hardship ? { hardship: p.hardship as 'tekun' } : {}),
        },
        ctx,
      );
      if (p.photo !== false)
        await this.services.persons.setPhoto(
          person.id,
          placeholderPhoto(),
          contextOf(this.world, 'branch', step.index),
        );
      const ref = { id: person.id, idNumber, birthDate: person.birthDate };
      this.people.set(label, ref);
      this.current = ref;
      this.personCount += 1;
    } catch (e) {
      if (e instanceof DomainError) throw new StepError(`refused: ${describeRefusal(e)}`);
      throw e;
    }
  }

  private async advance(step: Step): Promise<void> {
    const a = parseAdvance(step.params);
    const now = this.now();
    let next: Date;
    if (a.to) {
      next = a.to;
    } else {
      const today = shanghaiDate(now);
      let day = today;
      if (a.years) day = addYears(day, a.years);
      if (a.months) day = addMonths(day, a.months);
      if (a.workingDays) {
        const calendar = await this.platform.deps.calendar.calendar();
        day = calendar.addWorkingDays(day, a.workingDays).date;
      }
      const shift =
        Date.parse(`${day}T00:00:00Z`) -
        Date.parse(`${today}T00:00:00Z`) +
        a.days * DAY_MS +
        a.hours * 3_600_000 +
        a.minutes * 60_000;
      next = new Date(now.getTime() + shift);
    }
    if (next < now) throw new StepError(`the clock does not go back (now ${now.toISOString()})`);
    await this.platform.deps.clock.set(next);
    // What the service does on its own while time passes (unclaimed cards, ZS-15): the daily
    // card sweep, once, at the new time. The other jobs (account sweeps, audit) stay out of it.
    const run = await this.platform.services.jobs.run('cards.sweep', systemContext('scenario'));
    if (run.status !== 'succeeded')
      throw new StepError(`the card sweep failed: ${run.error ?? ''}`);
  }

  private async expect(step: Step): Promise<void> {
    const { card, application, oldCard, ...cardFields } = step.params;
    delete cardFields.person;
    const problems: string[] = [];
    if (Object.keys(cardFields).length)
      problems.push(...compareCard(await this.cardView(card as string | undefined), cardFields));
    if (oldCard)
      problems.push(
        ...compareCard(await this.cardView('old'), oldCard as Record<string, unknown>).map(
          (p) => `oldCard.${p}`,
        ),
      );
    if (application) {
      const expected = application as Record<string, unknown>;
      const row = await this.application(expected.label as string | undefined);
      const { applications } = this.services;
      const view = presentApplication(
        row,
        await applications.repo.checks(row.id),
        applications.repo.open(row.id, 'agent_id_number', row.agent_id_number_enc),
        this.now(),
      );
      problems.push(...compareApplication(view, expected));
    }
    if (problems.length) throw new StepError(problems.join('; '));
  }

  // ---- what "current" means -----------------------------------------------------------

  private person(label: string): PersonRef {
    const ref = this.people.get(label);
    if (!ref)
      throw new StepError(
        `no person "${label}" (known: ${[...this.people.keys()].join(', ') || 'none'})`,
      );
    return ref;
  }

  private async present(who: ActorName, index: number): Promise<void> {
    const person = await this.services.persons.repo.findById(this.who().id);
    if (!person) return;
    await this.services.persons.find(
      { idType: person.idType, idNumber: person.idNumber },
      contextOf(this.world, who, index),
    );
  }

  private who(): PersonRef {
    if (!this.current) throw new StepError('no person yet: start with a `person` step');
    return this.current;
  }

  /** Notes the order in which everyone's cards and applications appeared. */
  private async refresh(): Promise<void> {
    const { applications, cards } = this.services;
    for (const person of this.people.values()) {
      const keys = [
        ...(await applications.repo.listForPerson(person.id)).map((a) => a.id),
        ...(await cards.repo.listForPerson(person.id)).map((c) => c.card_no),
      ]
        .filter((key) => !this.seen.has(key))
        .sort();
      for (const key of keys) this.seen.set(key, ++this.sequence);
    }
  }

  private byAppearance<T>(rows: T[], key: (row: T) => string): T[] {
    return [...rows].sort(
      (a, b) => (this.seen.get(key(b)) ?? Infinity) - (this.seen.get(key(a)) ?? Infinity),
    );
  }

  /** The person's cards, newest first. */
  private async cardsOf(personId: string): Promise<CardRow[]> {
    await this.refresh();
    return this.byAppearance(
      await this.services.cards.repo.listForPerson(personId),
      (c) => c.card_no,
    );
  }

  private async cardNo(ref: string | undefined): Promise<string> {
    return (await this.card(ref)).card_no;
  }

  private async card(ref: string | undefined): Promise<CardRow> {
    const person = this.who();
    const held = await this.cardsOf(person.id);
    const name = ref ?? 'current';
    let row: CardRow | undefined;
    if (name === 'current') row = held[0];
    else if (name === 'old') row = held[1];
    else {
      const appId = this.labels.get(name);
      if (!appId)
        throw new StepError(`no card "${name}": say current, old, or an application label`);
      const app = await this.services.applications.repo.find(appId);
      row = held.find((c) => c.card_no === app?.card_no);
      if (!row) throw new StepError(`application "${name}" has no card yet`);
    }
    if (!row)
      throw new StepError(
        name === 'old' ? 'the person has no older card' : 'the person has no card yet',
      );
    return row;
  }

  private async application(label: string | undefined): Promise<ApplicationRow> {
    const person = this.who();
    await this.refresh();
    if (label !== undefined) {
      const id = this.labels.get(label);
      if (!id) throw new StepError(`no application labelled "${label}"`);
      return (await this.services.applications.repo.find(id))!;
    }
    const rows = this.byAppearance(
      await this.services.applications.repo.listForPerson(person.id),
      (a) => a.id,
    );
    if (!rows[0]) throw new StepError('the person has no application yet');
    return rows[0];
  }

  private async cardView(ref: string | undefined) {
    const row = await this.card(ref);
    const { cards } = this.services;
    const now = this.now();
    const pack = cards.packFor(row, now);
    return presentCard(row, pack, now, {
      photoCardDue: await cards.photoCardDue(row, pack, now),
      account: cards.repo.openAccount(row),
    });
  }
}

function describeRefusal(e: DomainError): string {
  const rule = e.citation?.rule;
  return `${e.code}${rule ? ` (${rule})` : ''}: ${renderError(e.code, e.params, 'en').detail}`;
}

function messageOf(e: unknown): string {
  if (e instanceof StepError) return e.message;
  if (e instanceof DomainError) return `refused: ${describeRefusal(e)}`;
  return `error: ${e instanceof Error ? e.message : String(e)}`;
}
