/**
 * A server-paged list (the API's `limit`/`offset` and `total`): the page shown, the query for it,
 * and the table's pagination with the total, so a long list is paged, never cut at its first
 * answer. `first()` goes back to page 1 when a filter changes.
 */
import type { TablePaginationConfig } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

export const PAGE_SIZE = 50;

export function usePaging(pageSize = PAGE_SIZE) {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  return {
    page,
    first: () => setPage(1),
    query: { limit: pageSize, offset: (page - 1) * pageSize },
    table: (total: number | undefined): TablePaginationConfig => ({
      current: page,
      pageSize,
      total: total ?? 0,
      onChange: setPage,
      showSizeChanger: false,
      showTotal: (n: number) => t('common.total', { count: n }),
    }),
  };
}
