/**
 * The Citus plan (db/distribution.ts) against the schema every migration makes, read from the
 * catalogue (PGlite by default, PostgreSQL with DATABASE_URL): every table is classified; every
 * primary key, unique constraint and unique index of a distributed table includes its column;
 * foreign keys between distributed tables join co-located tables on that column; reference tables
 * reference only reference tables and are small; nothing points from a distributed or reference
 * table to a local one, nor from a local one to a distributed one. A new migration's table that
 * is not in the plan fails here.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from './database.js';
import { migrate } from './migrate.js';
import { readCatalogue, type Catalogue } from './catalogue.repository.js';
import {
  DISTRIBUTION_PLAN,
  citusStatements,
  referenceOrder,
  type Placement,
} from './distribution.js';

/** Everything wrong with `plan` for the schema in `cat`, one line each. */
function violations(plan: Readonly<Record<string, Placement>>, cat: Catalogue): string[] {
  const found: string[] = [];
  for (const t of cat.tables.keys())
    if (!plan[t])
      found.push(`${t}: not classified in db/distribution.ts (distributed, reference or local)`);
  for (const t of Object.keys(plan))
    if (!cat.tables.has(t)) found.push(`${t}: in the plan but not in the schema`);
  for (const [t, p] of Object.entries(plan)) {
    if (!p.reason) found.push(`${t}: no reason given`);
    if (p.kind === 'distributed' && !cat.tables.get(t)?.includes(p.column))
      found.push(`${t}: has no column ${p.column}`);
    if (p.kind === 'reference' && !(p.maxRows <= 1_000_000))
      found.push(`${t}: a reference table must stay small (at most a million rows)`);
  }
  for (const u of cat.uniques) {
    const p = plan[u.table];
    if (p?.kind === 'distributed' && !u.columns.includes(p.column))
      found.push(
        `${u.table}: unique ${u.name} (${u.columns.join(', ')}) does not include ${p.column}`,
      );
  }
  for (const fk of cat.foreignKeys) {
    const from = plan[fk.table];
    const to = plan[fk.references];
    if (!from || !to) continue;
    const what = `${fk.table}(${fk.columns.join(', ')}) → ${fk.references}`;
    if (from.kind === 'reference' && to.kind !== 'reference')
      found.push(`${what}: a reference table may reference only reference tables`);
    if (from.kind === 'local' && to.kind === 'distributed')
      found.push(`${what}: a local table cannot reference a distributed one`);
    if (from.kind === 'distributed' && to.kind === 'local')
      found.push(`${what}: a distributed table cannot reference a local one`);
    if (from.kind === 'distributed' && to.kind === 'distributed') {
      if (from.group !== to.group) found.push(`${what}: joins two co-location groups`);
      const i = fk.columns.indexOf(from.column);
      if (i < 0 || fk.referencedColumns[i] !== to.column)
        found.push(`${what}: does not pair ${from.column} with ${to.column}`);
    }
  }
  return found;
}

let handle: DatabaseHandle;
let cleanup = async () => {};
let cat: Catalogue;

beforeAll(async () => {
  const url = process.env.DATABASE_URL;
  if (url) {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(`create schema ${schema}`);
    await c.end();
    handle = await openDatabase({ databaseUrl: url, searchPath: schema, poolSize: 2 });
    cleanup = async () => {
      const d = new pg.Client({ connectionString: url });
      await d.connect();
      await d.query(`drop schema ${schema} cascade`);
      await d.end();
    };
  } else {
    handle = await openDatabase({ dataDir: 'memory://' });
  }
  await migrate(handle.db);
  cat = await readCatalogue(handle.db);
}, 180_000);

afterAll(async () => {
  await handle?.close();
  await cleanup();
});

describe('the Citus distribution plan', () => {
  it('classifies every table, and every key and foreign key fits its placement', () => {
    expect(cat.tables.size).toBeGreaterThan(40);
    expect(violations(DISTRIBUTION_PLAN, cat)).toEqual([]);
  });

  it('would catch a table distributed by a column its keys do not include, or across groups', () => {
    const wrong: Record<string, Placement> = {
      ...DISTRIBUTION_PLAN,
      cards: { kind: 'distributed', column: 'person_id', group: 'person', reason: 'test' },
    };
    const found = violations(wrong, cat);
    expect(found).toContain('cards: unique cards_pkey (card_no) does not include person_id');
    expect(found).toContain(
      'cards(person_id) → persons: a distributed table cannot reference a local one',
    );
    expect(found).toContain(
      'ecards(card_no) → cards: a local table cannot reference a distributed one',
    );
    const { persons: _dropped, ...missing } = DISTRIBUTION_PLAN;
    expect(violations(missing, cat)).toContain(
      'persons: not classified in db/distribution.ts (distributed, reference or local)',
    );
  });

  it('generates reference tables first, in foreign-key order, then each group from its anchor', () => {
    const statements = citusStatements(cat.foreignKeys);
    const order = referenceOrder(cat.foreignKeys);
    expect(order.indexOf('organizations')).toBeLessThan(order.indexOf('staff'));
    expect(order.indexOf('staff')).toBeLessThan(order.indexOf('alerts'));
    const refs = Object.values(DISTRIBUTION_PLAN).filter((p) => p.kind === 'reference').length;
    const dists = Object.values(DISTRIBUTION_PLAN).filter((p) => p.kind === 'distributed').length;
    expect(statements).toHaveLength(refs + dists);
    expect(statements.slice(0, refs).every((s) => s.includes('create_reference_table'))).toBe(true);
    expect(statements).toContain(
      "select create_distributed_table('audit_log', 'shard', colocate_with => 'none');",
    );
    expect(statements).toContain(
      "select create_distributed_table('audit_heads', 'shard', colocate_with => 'audit_log');",
    );
  });
});
