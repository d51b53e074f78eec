/**
 * Data-key rotation. `status` counts the sealed values per data key in every registered column;
 * `rotate` re-seals, under the active key, every value sealed under another one.
 *
 * Rotation walks each table in key order in batches; each batch is one short transaction that
 * writes its rows and one audit record (counts, never values). A row is written only if every
 * value it re-seals is still what was read (an optimistic check), so a concurrent change by the
 * API wins and is not overwritten; the API seals under the active key anyway. Nothing else is
 * recorded: a re-run simply finds what is left, so a run that stops or crashes half-way is
 * finished by running it again, and a run with nothing left to do changes nothing.
 *
 * When a run finds no value left under an old key, it retires that key (`data_keys`): start-up
 * then no longer needs it, and the operator may drop it from SSCARD_MASTER_KEY.
 */
import { sql, type RawBuilder, type Transaction } from 'kysely';
import type { Logger } from 'pino';
import type { ActContext } from '../../context.js';
import { sealedKeyId, type Keyring } from '../../crypto/keyring.js';
import type { Database } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import type { AuditRepository } from '../audit/audit.repository.js';
import type { ServerClock } from '../system/clock.js';
import {
  SEALED_COLUMNS,
  aadFor,
  sealedTables,
  type SealedColumn,
  type SealedTable,
} from './sealed-columns.js';
import { INDEX_KEY_NAME } from './key-store.js';

export const DEFAULT_BATCH_SIZE = 500;
/** Binary values (photos, up to SSCARD_PHOTO_MAX_BYTES each) go in smaller batches. */
const MAX_BYTES_BATCH = 50;
/** Shown for values whose key id cannot be read. */
export const MALFORMED = '(malformed)';

export interface ColumnStatus {
  table: string;
  column: string;
  /** Number of values per data key id; null values are not counted. */
  counts: Record<string, number>;
}

export interface KeyStatus {
  activeKeyId: string | null;
  configured: string[];
  columns: ColumnStatus[];
  /** Data keys the database knows of, with whether they are retired. */
  dataKeys: { keyId: string; addedAt: Date; retiredAt: Date | null }[];
  /** The blind-index key: its check value and the data key it is sealed under. */
  indexKey: { checkValue: string; sealedUnder: string | null } | null;
  /** Values not under the active key, over every column. */
  pending: number;
  /** `*_enc` columns in the database that the registry does not list (never rotated). */
  unregistered: string[];
}

export interface RotationProgress {
  table: string;
  batch: number;
  rows: number;
  resealed: number;
  changed: number;
  unreadable: number;
}

export interface RotateOptions {
  /** Rows per transaction (default 500). */
  batchSize?: number;
  /** Stop after this many batches (the next run carries on). */
  maxBatches?: number;
  /** Called after each committed batch. */
  onBatch?: (progress: RotationProgress) => void | Promise<void>;
}

export interface RotationReport {
  activeKeyId: string;
  batches: number;
  /** Values re-sealed under the active key. */
  resealed: number;
  /** Values left alone because the API changed them between read and write. */
  changed: number;
  /** Values that would not open (a key not configured, or altered): `table.column:row`. */
  unreadable: string[];
  /** False when the run stopped at maxBatches. */
  complete: boolean;
  /** Values still under another key after the run (null when it stopped early). */
  remaining: number | null;
  /** Keys retired by this run. */
  retired: string[];
  unregistered: string[];
}

export interface KeysDeps {
  db: Database;
  keyring: Keyring;
  audit: AuditRepository;
  clock: ServerClock;
  log?: Logger;
}

/** SQL for the key id of a sealed value, or '' if it is not one. */
function keyIdExpr(c: SealedColumn): RawBuilder<string> {
  const col = sql.ref(c.column);
  return c.format === 'bytes'
    ? sql<string>`case when substring(${col} from 1 for 2) = ${Buffer.from('v1')}
        then encode(substring(${col} from 3 for 8), 'escape') else '' end`
    : sql<string>`case when split_part(${col}, '.', 1) = 'v1' then split_part(${col}, '.', 2) else '' end`;
}

/** SQL: this column holds a value that is not sealed under the given key. */
function staleExpr(c: SealedColumn, activeKeyId: string): RawBuilder<boolean> {
  const col = sql.ref(c.column);
  return c.format === 'bytes'
    ? sql<boolean>`(${col} is not null and substring(${col} from 1 for 10) <> ${Buffer.from(`v1${activeKeyId}`)})`
    : sql<boolean>`(${col} is not null and ${col} not like ${`v1.${activeKeyId}.%`})`;
}

/**
 * The registered columns this database has (a line may precede its migration), and the `*_enc`
 * columns it has that the registry does not list.
 */
export async function sealedSchema(
  db: Database,
  columns: readonly SealedColumn[] = SEALED_COLUMNS,
): Promise<{ present: SealedColumn[]; unregistered: string[] }> {
  const { rows } = await sql<{ table_name: string; column_name: string }>`
    select table_name, column_name from information_schema.columns
    where table_schema = current_schema() and column_name like '%\\_enc'`.execute(db);
  const inDb = new Set(rows.map((r) => `${r.table_name}.${r.column_name}`));
  const known = new Set(columns.map((c) => `${c.table}.${c.column}`));
  return {
    present: columns.filter((c) => inDb.has(`${c.table}.${c.column}`)),
    unregistered: [...inDb].filter((n) => !known.has(n)).sort(),
  };
}

/** Counts per data key id in every registered column; needs no key, only the ids. */
export async function keyStatus(
  db: Database,
  keys: { activeKeyId: string | null; keyIds: string[] },
  columns: readonly SealedColumn[] = SEALED_COLUMNS,
): Promise<KeyStatus> {
  const { present, unregistered } = await sealedSchema(db, columns);
  const result: ColumnStatus[] = [];
  let pending = 0;
  for (const c of present) {
    const kid = keyIdExpr(c);
    const { rows } = await sql<{ kid: string; n: number | string }>`
      select ${kid} as kid, count(*) as n from ${sql.table(c.table)}
      where ${sql.ref(c.column)} is not null group by 1 order by 1`.execute(db);
    const counts: Record<string, number> = {};
    for (const r of rows) {
      counts[r.kid || MALFORMED] = Number(r.n);
      if (r.kid !== keys.activeKeyId) pending += Number(r.n);
    }
    result.push({ table: c.table, column: c.column, counts });
  }
  const dataKeys = await db
    .selectFrom('data_keys')
    .selectAll()
    .orderBy('added_at')
    .orderBy('key_id')
    .execute();
  const index = await db
    .selectFrom('key_material')
    .select(['key_enc', 'check_value'])
    .where('name', '=', INDEX_KEY_NAME)
    .executeTakeFirst();
  return {
    activeKeyId: keys.activeKeyId,
    configured: keys.keyIds,
    columns: result,
    dataKeys: dataKeys.map((k) => ({
      keyId: k.key_id,
      addedAt: k.added_at,
      retiredAt: k.retired_at,
    })),
    indexKey: index
      ? { checkValue: index.check_value, sealedUnder: sealedKeyId(index.key_enc) }
      : null,
    pending,
    unregistered,
  };
}

type Row = Record<string, unknown>;

export interface RowWrite {
  key: Row;
  /** The values as read, per column re-sealed: the optimistic check. */
  old: Record<string, string | Buffer>;
  resealed: Record<string, string | Buffer>;
}

export interface WriteOutcome {
  /** Rows in which at least one value was written. */
  written: number;
  /** Values left alone because they had changed since they were read. */
  changed: number;
  /** Values written, in all and per column. */
  values: number;
  perColumn: Record<string, number>;
}

/**
 * Writes re-sealed values, one statement per row. Each value is written only if it is still the
 * one that was read (the optimistic check, value by value): a concurrent change by the API to a
 * row's phone does not hold back the re-sealing of the same row's ID number, and is not undone.
 */
export async function writeResealed(
  trx: Transaction<DB>,
  table: SealedTable,
  writes: RowWrite[],
): Promise<WriteOutcome> {
  const outcome: WriteOutcome = { written: 0, changed: 0, values: 0, perColumn: {} };
  for (const w of writes) {
    const cols = Object.keys(w.resealed);
    const set = sql.join(
      cols.map(
        (c) =>
          sql`${sql.ref(c)} = case when ${sql.ref(c)} = ${w.old[c]} then ${w.resealed[c]} else ${sql.ref(c)} end`,
      ),
    );
    const key = sql.join(
      table.key.map((k) => sql`${sql.ref(k)} = ${w.key[k]}`),
      sql` and `,
    );
    const unchanged = sql.join(
      cols.map((c) => sql`${sql.ref(c)} = ${w.old[c]}`),
      sql` or `,
    );
    const written = sql.join(
      cols.map((c, i) => sql`${sql.ref(c)} = ${w.resealed[c]} as ${sql.id(`w${i}`)}`),
    );
    const { rows } = await sql<Record<string, boolean>>`
      update ${sql.table(table.table)} set ${set} where ${key} and (${unchanged})
      returning ${written}`.execute(trx);
    let any = false;
    cols.forEach((c, i) => {
      if (rows[0]?.[`w${i}`] === true) {
        any = true;
        outcome.values++;
        outcome.perColumn[c] = (outcome.perColumn[c] ?? 0) + 1;
      } else {
        outcome.changed++;
      }
    });
    if (any) outcome.written++;
  }
  return outcome;
}

export class KeysService {
  constructor(private readonly deps: KeysDeps) {}

  status(): Promise<KeyStatus> {
    return keyStatus(this.deps.db, this.deps.keyring);
  }

  async rotate(ctx: ActContext, options: RotateOptions = {}): Promise<RotationReport> {
    const { db, keyring, audit, clock } = this.deps;
    const active = keyring.activeKeyId;
    const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error('batch size must be ≥ 1');
    const maxBatches = options.maxBatches ?? Infinity;
    const report: RotationReport = {
      activeKeyId: active,
      batches: 0,
      resealed: 0,
      changed: 0,
      unreadable: [],
      complete: true,
      remaining: null,
      retired: [],
      unregistered: [],
    };

    const { present } = await sealedSchema(db);
    tables: for (const table of sealedTables(present)) {
      const limit =
        table.columns.some((c) => c.format === 'bytes') && batchSize > MAX_BYTES_BATCH
          ? MAX_BYTES_BATCH
          : batchSize;
      let cursor: unknown[] | null = null;
      let batchInTable = 0;
      for (;;) {
        const rows = await this.staleRows(table, active, cursor, limit);
        if (!rows.length) break;
        if (report.batches >= maxBatches) {
          report.complete = false;
          break tables;
        }
        const last = rows.at(-1)!;
        cursor = table.key.map((k) => last[k]);

        const writes: RowWrite[] = [];
        let unreadable = 0;
        for (const row of rows) {
          const w: RowWrite = { key: row, old: {}, resealed: {} };
          for (const c of table.columns) {
            const value = row[c.column] as string | Buffer | null;
            if (value === null || value === undefined) continue;
            const aad = aadFor(c, row);
            try {
              if (c.format === 'bytes') {
                const v = value as Buffer;
                if (v.subarray(2, 10).toString('latin1') === active) continue;
                w.resealed[c.column] = keyring.resealBytes(v, aad);
              } else {
                const v = value as string;
                if (v.startsWith(`v1.${active}.`)) continue;
                w.resealed[c.column] = keyring.reseal(v, aad);
              }
              w.old[c.column] = value;
            } catch {
              unreadable++;
              if (report.unreadable.length < 100) {
                report.unreadable.push(
                  `${table.table}.${c.column}:${table.key.map((k) => String(row[k])).join(',')}`,
                );
              }
            }
          }
          if (Object.keys(w.resealed).length) writes.push(w);
        }

        const batch = ++batchInTable;
        const outcome = await db.transaction().execute(async (trx) => {
          const result = await writeResealed(trx, table, writes);
          await audit.append(
            trx,
            ctx,
            {
              action: 'keys.rotate.batch',
              targetType: 'table',
              targetId: table.table,
              details: {
                toKey: active,
                batch,
                rows: rows.length,
                rowsWritten: result.written,
                changedMeanwhile: result.changed,
                resealed: result.values,
                unreadable,
                ...result.perColumn,
              },
            },
            clock.now(),
          );
          return result;
        });
        report.batches++;
        report.resealed += outcome.values;
        report.changed += outcome.changed;
        await options.onBatch?.({
          table: table.table,
          batch,
          rows: rows.length,
          resealed: outcome.values,
          changed: outcome.changed,
          unreadable,
        });
      }
    }

    if (report.complete) {
      const status = await keyStatus(db, keyring);
      report.remaining = status.pending;
      report.unregistered = status.unregistered;
      report.retired = await this.retire(status);
    }
    await db.transaction().execute((trx) =>
      audit.append(
        trx,
        ctx,
        {
          action: 'keys.rotate',
          targetType: 'data_key',
          targetId: active,
          details: {
            toKey: active,
            batches: report.batches,
            resealed: report.resealed,
            changedMeanwhile: report.changed,
            unreadable: report.unreadable.length,
            complete: report.complete,
            remaining: report.remaining,
            retired: report.retired.join(',') || null,
          },
        },
        clock.now(),
      ),
    );
    this.deps.log?.info(
      {
        activeKey: active,
        batches: report.batches,
        resealed: report.resealed,
        remaining: report.remaining,
        retired: report.retired,
      },
      'data-key rotation run',
    );
    return report;
  }

  /** Rows of the table after the cursor with at least one value not under the active key. */
  private async staleRows(
    table: SealedTable,
    active: string,
    cursor: unknown[] | null,
    limit: number,
  ): Promise<Row[]> {
    const keys = sql.join(table.key.map((k) => sql.ref(k)));
    const stale = sql.join(
      table.columns.map((c) => staleExpr(c, active)),
      sql` or `,
    );
    const after = cursor ? sql`and (${keys}) > (${sql.join(cursor)})` : sql``;
    const columns = sql.join([...table.key, ...table.columns.map((c) => c.column)].map(sql.ref));
    const { rows } = await sql<Row>`
      select ${columns} from ${sql.table(table.table)}
      where (${stale}) ${after}
      order by ${keys} limit ${limit}`.execute(this.deps.db);
    return rows;
  }

  /** Retires every old key with no value left under it, if nothing can hide one. */
  private async retire(status: KeyStatus): Promise<string[]> {
    if (status.unregistered.length) {
      this.deps.log?.warn(
        { columns: status.unregistered },
        'sealed-looking columns missing from the registry (modules/keys/sealed-columns.ts): no key retired',
      );
      return [];
    }
    const inUse = new Set<string>();
    for (const c of status.columns) for (const kid of Object.keys(c.counts)) inUse.add(kid);
    const candidates = status.dataKeys
      .filter((k) => !k.retiredAt && k.keyId !== status.activeKeyId && !inUse.has(k.keyId))
      .map((k) => k.keyId);
    if (!candidates.length) return [];
    await this.deps.db
      .updateTable('data_keys')
      .set({ retired_at: this.deps.clock.now() })
      .where('key_id', 'in', candidates)
      .where('retired_at', 'is', null)
      .execute();
    return candidates;
  }
}
