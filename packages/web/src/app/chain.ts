/**
 * The audit chain check in the auditor's own browser, independent of the server: every record
 * of an export re-hashes from its line (SHA-256 over the previous hash and the canonical JSON of
 * its fields, as packages/server/src/modules/audit/chain.ts), and consecutive records of a shard
 * must link. Records outside the auditor's scope leave gaps: those are counted, not failed.
 */
export interface ChainCheck {
  records: number;
  shards: number;
  links: number;
  gaps: number;
  problems: { shard: number; seq: number; problem: 'altered' | 'relinked' }[];
}

function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
    a < b ? -1 : 1,
  );
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

function hex(bytes: ArrayBuffer): string {
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
}
function fromHex(h: string): Uint8Array {
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.slice(i * 2, i * 2 + 2), 16);
  return out;
}

interface Line {
  shard: number;
  seq: number;
  prev_hash: string;
  hash: string;
  [k: string]: unknown;
}

const FIELDS = [
  'shard',
  'seq',
  'id',
  'at',
  'actor_id',
  'actor_username',
  'actor_org_id',
  'actor_role',
  'ip',
  'request_id',
  'action',
  'target_type',
  'target_id',
  'jurisdiction',
  'reason',
  'outcome',
  'code',
  'details',
] as const;

export async function checkExport(text: string): Promise<ChainCheck> {
  const encoder = new TextEncoder();
  const last = new Map<number, { seq: number; hash: string }>();
  const result: ChainCheck = { records: 0, shards: 0, links: 0, gaps: 0, problems: [] };
  for (const raw of text.split('\n')) {
    if (!raw.trim()) continue;
    const r = JSON.parse(raw) as Line;
    if ((r as { format?: string }).format) continue; // an archive's manifest line
    result.records += 1;
    const fields = Object.fromEntries(
      FIELDS.map((f) => [f, f === 'details' ? (r[f] ?? null) : r[f]]),
    );
    const prev = fromHex(r.prev_hash);
    const body = encoder.encode(canonical(fields));
    const data = new Uint8Array(prev.length + body.length);
    data.set(prev);
    data.set(body, prev.length);
    const digest = hex(await crypto.subtle.digest('SHA-256', data));
    if (digest !== r.hash) result.problems.push({ shard: r.shard, seq: r.seq, problem: 'altered' });
    const before = last.get(r.shard);
    if (before) {
      if (r.seq === before.seq + 1) {
        if (r.prev_hash !== before.hash)
          result.problems.push({ shard: r.shard, seq: r.seq, problem: 'relinked' });
        else result.links += 1;
      } else {
        result.gaps += 1;
      }
    }
    last.set(r.shard, { seq: r.seq, hash: r.hash });
  }
  result.shards = last.size;
  return result;
}
