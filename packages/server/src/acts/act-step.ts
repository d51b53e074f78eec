/**
 * The one act step. Every state change in every module runs through `ActStep.run`, in this order,
 * in one transaction:
 *
 *   1. claim the request's Idempotency-Key (a concurrent retry waits for this transaction);
 *   2. load what the act is about, locked (`load`); missing → NOT_FOUND;
 *   3. decide access from the actor's role and relationship to it (acts/access.ts), before any
 *      rule can reveal a fact about it; a target the actor may not see answers like a missing one;
 *   4. the domain decision and the repository writes (`apply`);
 *   5. the audit record (who, where, when, why, what);
 *   6. the answer, from the act's presenter, saved for the Idempotency-Key without its secrets.
 *
 * A refusal that must still be kept (a wrong PIN counts toward the lock) commits with its audit
 * record and saved problem, then is thrown. Nothing else may open a transaction that changes
 * state (`acts/act-step.test.ts` checks the source, and the harness fails a test whose state
 * changing request answered without passing here).
 */
import { DomainError, refuseRole, type AccessAct, type Relation } from '@sscard/domain';
import type { ActContext } from '../context.js';
import { isUniqueViolation, type Deps } from '../deps.js';
import type { Trx } from '../db/transact.js';
import { toProblem } from '../http/problem.js';
import { inTransaction } from '../db/pglite-dialect.js';
import { failpoint, slowpoint } from './failpoints.js';
import type { AuditEntry } from '../modules/audit/audit.repository.js';
import type { Access, Target } from './access.js';
import type { IdempotencyClaim, IdempotencyRepository } from './idempotency.repository.js';

export interface ActInput<L> {
  trx: Trx;
  now: Date;
  loaded: L;
  target: Target;
  ctx: ActContext;
  /** The relationship that let the actor do it (or `platform` for the service's own jobs). */
  via: Relation | 'platform' | 'none';
}

export interface Applied<R> {
  result: R;
  /** Non-personal facts for the audit record (ids, states, counts; never names or numbers). */
  details?: AuditEntry['details'];
  /** When the audit record is about something else than the loaded target (e.g. a new row). */
  audited?: Partial<Pick<AuditEntry, 'targetType' | 'targetId' | 'jurisdiction'>>;
  /** `error`: the act ran and records a failure it found (a broken audit chain). */
  outcome?: 'success' | 'error';
  /** Further records when one act does several things (a key change applies for new cards). */
  more?: AuditEntry[];
  /** A refusal decided after changes that must persist: committed, then thrown. */
  refusal?: DomainError;
}

export interface Act<L, R> {
  /** The row of the access table (`packages/domain/src/access/policy.ts`). */
  name: AccessAct;
  /** The audit action when it differs from the access act (e.g. `card.activate`). */
  action?: string;
  /** What a missing target is called in NOT_FOUND. */
  resource: string;
  /** Reads (and locks) what the act is about; undefined when it does not exist. */
  load(trx: Trx, now: Date): Promise<L | undefined>;
  target(loaded: L): Target;
  apply(input: ActInput<L>): Promise<Applied<R>>;
  /** What the answer shows; runs in the transaction, its output is saved for retries. */
  present?(result: R, trx: Trx, now: Date): unknown;
  /** HTTP status of a success: 200 unless the act creates something (201). */
  status?: number;
  /** Members of the answer that are secrets (a new account's activation ticket): never saved. */
  secrets?: readonly string[];
}

/** How an act ended, for /metrics (ops/metrics.ts): told once per act, after its transaction. */
export interface ActOutcome {
  /** The access act (`person.create`) or its audit action when it has its own. */
  act: string;
  /** `success`; `refused` (a DomainError: a rule, access, a missing target); `error` (a bug, the database). */
  result: 'success' | 'refused' | 'error';
  /** The refusal's code and the rule it cites (`SH-18`), when refused. */
  code?: string;
  rule?: string;
  /** The refusal itself (the request's error hook must not count it twice). */
  error?: DomainError;
  seconds: number;
}

export class ActStep {
  private readonly observers = new Set<(outcome: ActOutcome) => void>();
  private running = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly deps: Pick<Deps, 'db' | 'clock' | 'audit'>,
    private readonly access: Access,
    private readonly idempotency: IdempotencyRepository,
  ) {}

  /** Tells `fn` how every act ends (the metrics, ops/metrics.ts); returns how to stop telling. */
  observe(fn: (outcome: ActOutcome) => void): () => void {
    this.observers.add(fn);
    return () => this.observers.delete(fn);
  }

  /** Acts whose transaction is running now. */
  get inFlight(): number {
    return this.running;
  }

  /** Resolves when no act is running (graceful shutdown waits for this before closing the database). */
  whenIdle(): Promise<void> {
    if (this.running === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async run<L, R>(ctx: ActContext, act: Act<L, R>): Promise<R> {
    const started = performance.now();
    this.running += 1;
    try {
      const result = await this.runOnce(ctx, act);
      this.tell(act, 'success', started);
      return result;
    } catch (e) {
      if (e instanceof DomainError) this.tell(act, 'refused', started, e);
      else if (!(e instanceof IdempotencyConflict)) this.tell(act, 'error', started);
      throw e;
    } finally {
      this.running -= 1;
      if (this.running === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    }
  }

  private tell<L, R>(
    act: Act<L, R>,
    result: ActOutcome['result'],
    started: number,
    refusal?: DomainError,
  ): void {
    if (this.observers.size === 0) return;
    const outcome: ActOutcome = {
      act: act.action ?? act.name,
      result,
      ...(refusal ? { code: refusal.code, error: refusal } : {}),
      ...(refusal?.citation ? { rule: refusal.citation.rule } : {}),
      seconds: (performance.now() - started) / 1000,
    };
    for (const fn of this.observers) {
      try {
        fn(outcome);
      } catch {
        // Counting must never change an act's outcome.
      }
    }
  }

  private async runOnce<L, R>(ctx: ActContext, act: Act<L, R>): Promise<R> {
    const now = this.deps.clock.now();
    const idem = ctx.idempotency;
    let refusal: DomainError | undefined;
    const result = await this.transaction(ctx, async (trx) => {
      if (idem) await this.claim(trx, idem, now);
      // A role without the act's permission is refused before anything is looked up.
      const roleRefusal = ctx.actor ? refuseRole(ctx.actor, act.name) : null;
      if (roleRefusal) throw roleRefusal;
      const loaded = await act.load(trx, now);
      if (loaded === undefined) throw new DomainError('NOT_FOUND', { resource: act.resource });
      const target = act.target(loaded);
      const via = await this.access.require(trx, ctx.actor, act.name, target, now);
      const applied = await act.apply({ trx, now, loaded, target, ctx, via });
      refusal = applied.refusal;
      await slowpoint(act.name);
      const main: AuditEntry = {
        action: act.action ?? act.name,
        targetType: applied.audited?.targetType ?? target.type,
        targetId: applied.audited?.targetId ?? target.id,
        jurisdiction: applied.audited?.jurisdiction ?? target.jurisdiction,
        details: actingFor(ctx, target, applied.details ?? null),
        ...(refusal
          ? { outcome: 'refused' as const, code: refusal.code }
          : applied.outcome
            ? { outcome: applied.outcome }
            : {}),
      };
      await this.deps.audit.appendAll(trx, ctx, [main, ...(applied.more ?? [])], now);
      const answer = refusal
        ? refusalAnswer(refusal, ctx)
        : {
            status: act.status ?? 200,
            body: act.present ? await act.present(applied.result, trx, now) : applied.result,
          };
      if (idem) await this.idempotency.saveAnswer(trx, idem, withoutSecrets(answer, act.secrets));
      ctx.answer = answer;
      return applied.result;
    });
    failpoint(`after-commit:${act.name}`);
    // Only the first act of a request claims its key (a request is one act).
    delete ctx.idempotency;
    if (refusal) throw refusal;
    return result;
  }

  /**
   * An act whose only effect is its record: a daily check's findings, an audited read (an
   * export of the trail). Same step, same access decision, nothing else written.
   */
  record(
    ctx: ActContext,
    name: AccessAct,
    target: Target,
    entry: { action?: string; details?: AuditEntry['details']; outcome?: 'success' | 'error' } = {},
  ): Promise<void> {
    return this.run(ctx, {
      name,
      ...(entry.action ? { action: entry.action } : {}),
      resource: target.type,
      load: async () => target,
      target: () => target,
      apply: async () => ({
        result: undefined,
        details: entry.details ?? null,
        ...(entry.outcome ? { outcome: entry.outcome } : {}),
      }),
    });
  }

  /** A rolled-back act leaves no trace in the context: not audited, no answer. */
  private async transaction<T>(ctx: ActContext, fn: (trx: Trx) => Promise<T>): Promise<T> {
    try {
      return await this.deps.db
        .transaction()
        .execute((trx) => inTransaction.run(true, () => fn(trx)));
    } catch (e) {
      ctx.audited = false;
      delete ctx.answer;
      throw e;
    }
  }

  private async claim(trx: Trx, idem: IdempotencyClaim, now: Date): Promise<void> {
    try {
      await this.idempotency.claim(trx, idem, now);
    } catch (e) {
      if (isUniqueViolation(e)) throw new IdempotencyConflict();
      throw e;
    }
  }
}

/**
 * Thrown when the request's Idempotency-Key was claimed by a request that committed while this
 * one waited for it: the error handler answers with that request's saved answer.
 */
export class IdempotencyConflict extends Error {
  constructor() {
    super('idempotency key already answered');
    this.name = 'IdempotencyConflict';
  }
}

function refusalAnswer(refusal: DomainError, ctx: ActContext): { status: number; body: unknown } {
  const problem = toProblem(refusal.code, refusal.params, ctx.locale, {
    ...(ctx.requestId ? { requestId: ctx.requestId } : {}),
    citation: refusal.citation,
  });
  return { status: problem.status, body: { ...problem, ...refusal.extensions } };
}

/**
 * 亲情服务: a holder acting for a family member is recorded as the holder (the actor) doing it
 * for that person, in the record's details.
 */
function actingFor(
  ctx: ActContext,
  target: Target,
  details: AuditEntry['details'],
): AuditEntry['details'] {
  const holder = ctx.actor?.holder;
  if (!holder || !target.personId || target.personId === holder.personId) return details;
  return { ...(details ?? {}), actingFor: target.personId };
}

/** The answer as saved: secret members are replaced by null and listed under `redacted`. */
function withoutSecrets(
  answer: { status: number; body: unknown },
  secrets: readonly string[] | undefined,
): { status: number; body: unknown } {
  if (!secrets?.length || answer.body === null || typeof answer.body !== 'object') return answer;
  const body = { ...(answer.body as Record<string, unknown>) };
  const redacted = secrets.filter((s) => body[s] !== undefined);
  for (const s of redacted) body[s] = null;
  return { status: answer.status, body: redacted.length ? { ...body, redacted } : body };
}
