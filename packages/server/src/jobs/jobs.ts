/**
 * The daily jobs of the platform. A new job is one definition and one line in `JOBS`:
 *
 *   export const myJob: JobDefinition = { name: 'module.thing', at: '05:30',
 *     description: '…', run: async ({ services, ctx }) => ({ … }) };
 *
 * Times are Shanghai wall-clock; the verification runs first, so a prune never follows a day
 * on which the chain was found broken without an alert.
 */
import { formatShanghai } from '@sscard/domain';
import { verifyAuditChain } from '../modules/audit/verify.js';
import { pruneAudit } from '../modules/audit/retention.js';
import { sweepCards } from '../modules/cards/sweeps.js';
import { referralsEscalateJob } from '../modules/referrals/referrals.job.js';
import type { JobDefinition, JobResult } from './scheduler.js';
import path from 'node:path';

/** The audit chains, walked end to end; each broken link raises a critical alert. */
export const auditVerifyJob: JobDefinition = {
  name: 'audit.verify',
  description: 'Verify every audit hash chain; alert on a break',
  at: '02:00',
  async run({ deps, services, ctx, now }) {
    const report = await verifyAuditChain(deps.db);
    for (const b of report.breaks) {
      await services.alerts.raise({
        kind: 'audit.chain_broken',
        severity: 'critical',
        key: `${b.shard}:${b.seq}:${b.problem}`,
        details: { shard: b.shard, seq: b.seq, problem: b.problem },
        message: `audit chain broken: shard ${b.shard}, record ${b.seq}: ${b.problem}`,
      });
    }
    const first = report.firstBreak;
    const summary = {
      records: report.records,
      shards: report.shards,
      pruned: report.pruned,
      intact: first === null,
      breaks: report.breaks.length,
      firstBreak: first ? `shard ${first.shard}, record ${first.seq}: ${first.problem}` : null,
    };
    await deps.acts.record(
      ctx,
      'audit.verify',
      { type: 'audit', id: null, jurisdiction: null },
      { outcome: first ? 'error' : 'success', details: { ...summary, at: formatShanghai(now) } },
    );
    return summary;
  },
};

/** Accounts unused for SSCARD_STAFF_INACTIVE_DAYS are disabled (docs/ACCESS.md). */
export const staffInactiveJob: JobDefinition = {
  name: 'staff.sweep_inactive',
  description: 'Disable staff accounts unused for SSCARD_STAFF_INACTIVE_DAYS',
  at: '03:00',
  async run({ services, ctx }) {
    const result = await services.staff.sweepInactive(ctx);
    return { cutoff: result.cutoff.toISOString(), disabled: result.disabled.length };
  },
};

/** Audit records past the retention period, archived then removed (SSCARD_AUDIT_PRUNE=1). */
export const auditPruneJob: JobDefinition = {
  name: 'audit.prune',
  description:
    'Archive and remove audit records older than SSCARD_AUDIT_RETENTION_DAYS (only with SSCARD_AUDIT_PRUNE=1)',
  at: '04:00',
  scheduled: (config) => config.auditRetention.prune,
  timeoutMinutes: 360,
  async run({ deps, ctx }): Promise<JobResult> {
    if (!deps.config.auditRetention.prune)
      return { skipped: true, why: 'SSCARD_AUDIT_PRUNE is not 1; use `sscard audit prune`' };
    const report = await pruneAudit(deps, ctx);
    return {
      skipped: false,
      cutoff: report.cutoff.toISOString(),
      records: report.records,
      shards: report.shards.length,
      brokenShardsLeft: report.skipped.length,
      archive: report.archive ? path.basename(report.archive.file) : null,
      archiveSha256: report.archive?.sha256 ?? null,
    };
  },
};

/**
 * Saved Idempotency-Key answers older than SSCARD_IDEMPOTENCY_HOURS (24) and lapsed presences
 * are removed: a retry after that is a new request.
 */
export const housekeepingJob: JobDefinition = {
  name: 'housekeeping.prune',
  description:
    'Remove saved Idempotency-Key answers past SSCARD_IDEMPOTENCY_HOURS, lapsed presences, old unlocked login counters of unknown names, used e-card QR codes past their expiry and retired QR keys',
  at: '03:30',
  async run({ deps, services, ctx }): Promise<JobResult> {
    return deps.acts.run(ctx, {
      name: 'housekeeping.prune',
      resource: 'installation',
      load: async () => true,
      target: () => ({ type: 'installation', id: null, jurisdiction: null }),
      apply: async ({ trx, now }) => {
        const before = new Date(now.getTime() - deps.config.idempotencyHours * 3_600_000);
        const result = {
          idempotencyKeys: await deps.repos.idempotency.prune(trx, before),
          presences: await deps.repos.presence.prune(trx, now),
          loginThrottles: await deps.repos.loginThrottle.pruneUnlocked(trx, before),
          ...(await services.ecards.prune(trx, now)),
        };
        return { result, details: result };
      },
    });
  },
};

/** Every job the scheduler knows, in the order a tick considers them. */
/**
 * What the card service does on its own: unclaimed cards get their pack's action (ZS-17, SG-12,
 * HN-12, FZ-27) and the cards of holders who died are cancelled after the pack's period (ZS-15).
 */
export const cardsSweepJob: JobDefinition = {
  name: 'cards.sweep',
  description: 'Unclaimed cards (ZS-17, SG-12, HN-12, FZ-27) and automatic cancellation (ZS-15)',
  at: '05:00',
  async run({ deps, services, ctx }) {
    return { ...(await sweepCards(deps, services.cards, services.alerts, ctx)) };
  },
};

/**
 * The offline deny-list rebuilt from every card handed over (docs/DENY-LIST.md), after the card
 * sweep: whatever the incremental builds on read could not see (a new pack version).
 */
export const denyListBuildJob: JobDefinition = {
  name: 'denyList.build',
  description: 'Rebuild the offline deny-list for gates from every card handed over',
  at: '05:45',
  async run({ services }) {
    return { ...(await services.denyList.build({ full: true })) };
  },
};

/**
 * Reminders to holders (docs/NOTIFICATIONS.md): cards not picked up before the pack's unclaimed
 * limit, and temporary losses about to lapse. Written to the outbox; delivered by the queue.
 */
export const pickupReminderJob: JobDefinition = {
  name: 'notifications.pickup_reminder',
  description: 'Remind holders of cards not picked up before the pack’s unclaimed limit',
  // Daytime, so a text does not wake anyone (after the 09:00 of the tests' first day).
  at: '10:00',
  async run({ services, ctx }) {
    return { ...(await services.notifications.remindPickup(ctx)) };
  },
};

export const lossLapseJob: JobDefinition = {
  name: 'notifications.loss_lapse',
  description: 'Tell holders whose temporary loss report is about to lapse',
  at: '10:05',
  async run({ services, ctx }) {
    return { ...(await services.notifications.remindLossLapse(ctx)) };
  },
};

export const JOBS: readonly JobDefinition[] = [
  auditVerifyJob,
  staffInactiveJob,
  auditPruneJob,
  cardsSweepJob,
  housekeepingJob,
  denyListBuildJob,
  pickupReminderJob,
  lossLapseJob,
  referralsEscalateJob,
];
