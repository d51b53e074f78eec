/** A page of a filtered list: the rows asked for and how many match in all. */
import type { SelectQueryBuilder } from 'kysely';

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
