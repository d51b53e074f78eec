import { describe, expect, it } from 'vitest';
import { allPages } from './all-pages';

const list = Array.from({ length: 1203 }, (_, i) => i);
const pages =
  (source: number[], asked: [number, number][] = []) =>
  async (offset: number, limit: number) => {
    asked.push([offset, limit]);
    return { items: source.slice(offset, offset + limit), total: source.length };
  };

describe('allPages', () => {
  it('reads every page of a list longer than one page, in order', async () => {
    const asked: [number, number][] = [];
    expect(await allPages(pages(list, asked))).toEqual(list);
    expect(asked).toEqual([
      [0, 500],
      [500, 500],
      [1000, 500],
    ]);
  });

  it('asks once for a list that fits a page, or is empty', async () => {
    const asked: [number, number][] = [];
    expect(await allPages(pages([1, 2, 3], asked))).toEqual([1, 2, 3]);
    expect(await allPages(pages([], asked))).toEqual([]);
    expect(asked).toHaveLength(2);
  });

  it('stops when the list shrinks under it (an empty page)', async () => {
    let n = 0;
    const shrinking = async () => ({
      items: n++ === 0 ? list.slice(0, 500) : [],
      total: list.length,
    });
    expect(await allPages(shrinking)).toHaveLength(500);
  });
});
