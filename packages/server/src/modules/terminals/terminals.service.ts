/**
 * Registering terminals and card readers (ZS-18: 登记全市部署的读写卡和制发卡终端; FZ-12: 设备报市信息
 * 数据中心备案，变更7个工作日内报备; SG-26: 服务窗口配置读写卡机具). Every registration, change,
 * suspension, retirement and credential rotation is an act: access by relationship (the centre of
 * the jurisdiction, or the bank for its branches), audited, idempotent.
 */
import {
  DomainError,
  TERMINAL_OWNER_KINDS,
  TERMINAL_STATUS_LABELS,
  computeDue,
  filingTerm,
  isLocalDate,
  shanghaiDate,
  startOfShanghaiDay,
  type DataScope,
  type LocalDate,
  type TerminalKind,
  type TerminalStatus,
  type WorkingDayCalendar,
} from '@sscard/domain';
import type { Applied } from '../../acts/act-step.js';
import type { Target } from '../../acts/access.js';
import type { ActContext } from '../../context.js';
import { uuidv7 } from '../../crypto/tokens.js';
import type { Deps } from '../../deps.js';
import type { Trx } from '../../db/transact.js';
import { organizationTarget } from '../organizations/organizations.service.js';
import {
  apiKeyHash,
  certificateHash,
  hintOf,
  newApiKey,
  normaliseFingerprint,
} from './credentials.js';
import { presentTerminal } from './terminals.presenter.js';
import type { TerminalColumns, TerminalRow, TerminalsRepository } from './terminals.repository.js';

export type CredentialInput =
  { kind: 'api_key' } | { kind: 'client_certificate'; fingerprint: string };

export interface NewTerminal {
  organizationId: string;
  kind: TerminalKind;
  label: string;
  brand?: string | null | undefined;
  model?: string | null | undefined;
  serialNumber?: string | null | undefined;
  rateLimitPerSecond?: number | undefined;
  credential?: CredentialInput | undefined;
  /** FZ-12: the day the equipment was put in place (or changed); today when not said. */
  changedOn?: string | undefined;
  /** The demo installation's fixed keys (demo/seed.ts); never from a request. */
  presetApiKey?: string | undefined;
}

export interface TerminalChange {
  label?: string | undefined;
  kind?: TerminalKind | undefined;
  brand?: string | null | undefined;
  model?: string | null | undefined;
  serialNumber?: string | null | undefined;
  rateLimitPerSecond?: number | undefined;
  changedOn?: string | undefined;
}

/** A registration or rotation: the terminal and, once, its new API key. */
export interface WithKey {
  terminal: TerminalRow;
  apiKey?: string;
}

export function terminalTarget(t: {
  id: string;
  organization_id: string;
  organization_bank_id: string | null;
  jurisdiction: string;
}): Target {
  return {
    ...organizationTarget({
      id: t.organization_id,
      bank_id: t.organization_bank_id,
      jurisdiction: t.jurisdiction,
    }),
    type: 'terminal',
    id: t.id,
  };
}

export class TerminalsService {
  readonly repo: TerminalsRepository;

  constructor(private readonly deps: Deps) {
    this.repo = deps.repos.terminals;
  }

  list(
    scope: DataScope,
    f: { organizationId?: string | undefined; status?: TerminalStatus | undefined },
    paging: { limit: number; offset: number },
  ) {
    return this.repo.list(scope, f, paging);
  }

  async get(ctx: ActContext, id: string): Promise<TerminalRow> {
    const t = await this.repo.findById(id);
    if (!t) throw new DomainError('NOT_FOUND', { resource: 'terminal' });
    await this.deps.access.require(
      this.deps.db,
      ctx.actor,
      'terminal.read',
      terminalTarget(t),
      this.deps.clock.now(),
    );
    return t;
  }

  /** The article behind a terminal's filing term, where its pack sets one. */
  filingRule(t: { jurisdiction: string }): string | null {
    const term = filingTerm(this.deps.rules.resolve(t.jurisdiction, this.deps.clock.now()).pack);
    return term.within ? term.citation.rule : null;
  }

  present = (row: TerminalRow) => presentTerminal(row, this.filingRule(row));

  /** A registration or rotation: the terminal and its new API key, which no answer repeats. */
  presentWithKey = (r: WithKey) => ({
    terminal: this.present(r.terminal),
    ...(r.apiKey ? { apiKey: r.apiKey } : {}),
  });

  async register(ctx: ActContext, input: NewTerminal): Promise<WithKey> {
    const { repos } = this.deps;
    const id = uuidv7();
    const calendar = await this.deps.calendar.calendar();
    return this.deps.acts.run<
      Awaited<ReturnType<typeof repos.organizations.findById>> & object,
      WithKey
    >(ctx, {
      name: 'terminal.register',
      resource: 'organization',
      load: (trx) => repos.organizations.findById(input.organizationId, trx),
      target: (org) => ({ ...organizationTarget(org), type: 'terminal', id: null }),
      apply: async ({ trx, now, loaded: org }) => {
        if (!TERMINAL_OWNER_KINDS.includes(org.kind))
          throw new DomainError('TERMINAL_OWNER_KIND', { kind: org.kind });
        const { hash, hint, apiKey, kind } = credentialOf(input.credential, input.presetApiKey);
        const filing = this.filing(org.jurisdiction, input.changedOn, now, calendar);
        await this.repo.insert(trx, {
          id,
          organization_id: org.id,
          jurisdiction: org.jurisdiction,
          kind: input.kind,
          label: input.label,
          brand: input.brand ?? null,
          model: input.model ?? null,
          serial_number: input.serialNumber ?? null,
          credential_kind: kind,
          credential_hash: hash,
          credential_hint: hint,
          credential_rotated_at: now,
          rate_limit_per_second:
            input.rateLimitPerSecond ?? this.deps.config.terminals.defaultRatePerSecond,
          registered_by: ctx.actor?.organizationId ?? null,
          registered_at: now,
          changed_on: filing.changedOn,
          filed_at: now,
          filing_due_on: filing.dueOn,
          filed_late: filing.late,
          updated_at: now,
        } as never);
        const terminal = (await this.repo.findById(id, trx))!;
        if (filing.late) await this.flagLate(trx, terminal, filing, now);
        return {
          result: apiKey ? { terminal, apiKey } : { terminal },
          details: { terminalId: id, kind: input.kind, filedLate: filing.late },
          audited: { targetType: 'terminal', targetId: id, jurisdiction: org.jurisdiction },
        };
      },
      present: this.presentWithKey,
      status: 201,
      secrets: ['apiKey'],
    });
  }

  /** FZ-12: a change of the equipment filed with the centre, within the pack's term. */
  async change(ctx: ActContext, id: string, input: TerminalChange): Promise<TerminalRow> {
    const calendar = await this.deps.calendar.calendar();
    return this.terminalAct(ctx, id, 'terminal.change', async (trx, now, t) => {
      if (t.status === 'retired') throw retired(t);
      const filing = this.filing(t.jurisdiction, input.changedOn, now, calendar);
      const columns: TerminalColumns = {
        changed_on: filing.changedOn,
        filed_at: now,
        filing_due_on: filing.dueOn,
        filed_late: filing.late,
      };
      if (input.label !== undefined) columns.label = input.label;
      if (input.kind !== undefined) columns.kind = input.kind;
      if (input.brand !== undefined) columns.brand = input.brand;
      if (input.model !== undefined) columns.model = input.model;
      if (input.serialNumber !== undefined) columns.serial_number = input.serialNumber;
      if (input.rateLimitPerSecond !== undefined)
        columns.rate_limit_per_second = input.rateLimitPerSecond;
      await this.repo.update(trx, id, columns, now);
      const after = (await this.repo.findById(id, trx))!;
      if (filing.late) await this.flagLate(trx, after, filing, now);
      return {
        result: after,
        details: { filedLate: filing.late, fields: Object.keys(input).join(',') },
      };
    });
  }

  /** Suspend, resume or retire: takes effect on every node at the terminal's next request. */
  setStatus(ctx: ActContext, id: string, to: TerminalStatus, reason: string): Promise<TerminalRow> {
    ctx.reason = reason;
    const name =
      to === 'suspended'
        ? 'terminal.suspend'
        : to === 'active'
          ? 'terminal.resume'
          : 'terminal.retire';
    return this.terminalAct(ctx, id, name, async (trx, now, t) => {
      if (t.status === 'retired') throw retired(t);
      if (t.status === to)
        throw new DomainError('TERMINAL_STATUS_UNCHANGED', {
          status: TERMINAL_STATUS_LABELS[to].zh,
          statusEn: TERMINAL_STATUS_LABELS[to].en,
        });
      await this.repo.update(trx, id, { status: to }, now);
      return { result: (await this.repo.findById(id, trx))!, details: { from: t.status, to } };
    });
  }

  /** A new credential; the old one stops working when this commits. */
  rotate(ctx: ActContext, id: string, credential?: CredentialInput): Promise<WithKey> {
    return this.deps.acts.run<TerminalRow, WithKey>(ctx, {
      name: 'terminal.rotate',
      resource: 'terminal',
      load: (trx) => this.repo.findById(id, trx, true),
      target: terminalTarget,
      apply: async ({ trx, now, loaded: t }) => {
        if (t.status === 'retired') throw retired(t);
        const { hash, hint, apiKey, kind } = credentialOf(credential);
        await this.repo.update(
          trx,
          id,
          {
            credential_kind: kind,
            credential_hash: hash,
            credential_hint: hint,
            credential_rotated_at: now,
          },
          now,
        );
        const terminal = (await this.repo.findById(id, trx))!;
        return { result: apiKey ? { terminal, apiKey } : { terminal }, details: { kind } };
      },
      present: this.presentWithKey,
      secrets: ['apiKey'],
    });
  }

  private terminalAct(
    ctx: ActContext,
    id: string,
    name: 'terminal.change' | 'terminal.suspend' | 'terminal.resume' | 'terminal.retire',
    fn: (trx: Trx, now: Date, t: TerminalRow) => Promise<Applied<TerminalRow>>,
  ): Promise<TerminalRow> {
    return this.deps.acts.run<TerminalRow, TerminalRow>(ctx, {
      name,
      resource: 'terminal',
      load: (trx) => this.repo.findById(id, trx, true),
      target: terminalTarget,
      apply: ({ trx, now, loaded }) => fn(trx, now, loaded),
      present: (r) => this.present(r),
    });
  }

  /** When the change happened, when its filing was due under the pack, and whether it is late. */
  private filing(
    jurisdiction: string,
    changedOn: string | undefined,
    now: Date,
    calendar: WorkingDayCalendar,
  ) {
    const today = shanghaiDate(now);
    const day: LocalDate = changedOn ?? today;
    if (!isLocalDate(day) || day > today)
      throw new DomainError('VALIDATION', {
        summary: 'changedOn must be a date (YYYY-MM-DD) no later than today',
      });
    const term = filingTerm(this.deps.rules.resolve(jurisdiction, now).pack);
    if (!term.within || !['minutes', 'days', 'working_days'].includes(term.within.unit))
      return { changedOn: day, dueOn: null, late: false, rule: null };
    const { due } = computeDue(startOfShanghaiDay(day), term.within, calendar);
    return { changedOn: day, dueOn: shanghaiDate(due), late: now > due, rule: term.citation.rule };
  }

  private async flagLate(
    trx: Trx,
    t: TerminalRow,
    filing: { changedOn: string; dueOn: string | null; rule: string | null },
    now: Date,
  ): Promise<void> {
    await this.deps.repos.alerts.raise(
      trx,
      {
        kind: 'terminal.filed_late',
        severity: 'warning',
        key: `${t.id}:${t.version}`,
        jurisdiction: t.jurisdiction,
        details: {
          terminalId: t.id,
          organizationId: t.organization_id,
          changedOn: filing.changedOn,
          dueOn: filing.dueOn,
          rule: filing.rule,
        },
      },
      now,
    );
  }
}

function retired(t: TerminalRow): DomainError {
  return new DomainError('TERMINAL_NOT_ACTIVE', {
    label: t.label,
    status: '已停用注销',
    statusEn: 'retired',
  });
}

function credentialOf(c: CredentialInput | undefined, preset?: string) {
  if (c?.kind === 'client_certificate') {
    const fp = normaliseFingerprint(c.fingerprint);
    if (!fp)
      throw new DomainError('VALIDATION', {
        summary: 'fingerprint must be the certificate’s SHA-256 fingerprint (64 hex digits)',
      });
    return { kind: c.kind, hash: certificateHash(fp), hint: hintOf(fp), apiKey: undefined };
  }
  const apiKey = preset ?? newApiKey();
  return { kind: 'api_key' as const, hash: apiKeyHash(apiKey), hint: hintOf(apiKey), apiKey };
}
