/** A page of a filtered list: the rows asked for and how many match in all. One helper for all. */
import type { SelectQueryBuilder } from 'kysely';

export interface Paging {
  limit: number;
  offset: number;
}

/** How many rows the filtered query `q` matches (before limit and offset), for `total`. */
export async function countOf<DB, TB extends keyof DB, O>(
  q: SelectQueryBuilder<DB, TB, O>,
): Promise<number> {
  const row = (await q
    .clearSelect()
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()) as { n: number | string };
  return Number(row.n);
}

/**
 * One page of `filtered`: `rows` adds what to select and the order (the order must be total, so
 * pages neither skip nor repeat rows), and the total is counted on the same filter.
 */
export async function pageOf<DB, TB extends keyof DB, O, R>(
  filtered: SelectQueryBuilder<DB, TB, O>,
  rows: (q: SelectQueryBuilder<DB, TB, O>) => SelectQueryBuilder<DB, TB, R>,
  paging: Paging,
): Promise<{ items: R[]; total: number }> {
  const [items, total] = await Promise.all([
    rows(filtered).limit(paging.limit).offset(paging.offset).execute(),
    countOf(filtered),
  ]);
  return { items, total };
}
