/**
 * Every item of a paged list, page after page: for a picker or a name lookup that needs the
 * whole list, where one page (the API gives 500 at most) would silently leave the rest out.
 */
export interface PageOf<T> {
  items: T[];
  total: number;
}

export async function allPages<T>(
  fetchPage: (offset: number, limit: number) => Promise<PageOf<T>>,
  limit = 500,
): Promise<T[]> {
  const items: T[] = [];
  for (;;) {
    const page = await fetchPage(items.length, limit);
    items.push(...page.items);
    // An empty page ends it too: a list that shrank meanwhile never loops.
    if (page.items.length === 0 || items.length >= page.total) return items;
  }
}
