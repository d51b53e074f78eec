/**
 * How an audit record is hashed. Each record's hash is SHA-256 over the previous record's hash
 * (32 bytes) followed by the canonical JSON of its fields (sorted keys at every level, `at` as
 * an ISO 8601 UTC instant with milliseconds). The same function checks the database, an archive
 * and an export, so an auditor can re-compute any record from its line alone.
 */
import { createHash } from 'node:crypto';
import type { AuditLogTable } from '../../db/schema.js';

/** The `prev_hash` of a shard's first record. */
export const GENESIS = Buffer.alloc(32);

export type ChainedFields = Omit<AuditLogTable, 'hash' | 'details'> & { details: unknown };

/** Canonical JSON: sorted keys at every level, so jsonb's own key order does not matter. */
export function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
    a < b ? -1 : 1,
  );
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

export function hashRecord(r: ChainedFields): Buffer {
  const body = canonical({
    shard: r.shard,
    seq: r.seq,
    id: r.id,
    at: r.at.toISOString(),
    actor_id: r.actor_id,
    actor_username: r.actor_username,
    actor_org_id: r.actor_org_id,
    actor_role: r.actor_role,
    ip: r.ip,
    request_id: r.request_id,
    action: r.action,
    target_type: r.target_type,
    target_id: r.target_id,
    jurisdiction: r.jurisdiction,
    reason: r.reason,
    outcome: r.outcome,
    code: r.code,
    details: r.details ?? null,
  });
  return createHash('sha256').update(r.prev_hash).update(body).digest();
}
