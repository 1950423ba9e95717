import type { TableProps } from 'antd';
import type { HTMLAttributes } from 'react';
import ScrollTable from '../ScrollTable.tsx';
import type { ScreenColumn } from './columns.ts';
import { PAGE_SIZES } from './useListQuery.ts';

/** What ListTable needs of a useListQuery. */
export interface PagedList<T> {
  data: { items: T[]; total: number } | null;
  loading: boolean;
  page: number;
  pageSize: number;
  sort?: string;
  order?: 'asc' | 'desc';
  change: (c: { page?: number; pageSize?: number; sort?: string; order?: 'asc' | 'desc' }) => void;
}

/**
 * A list's table with server paging and ordering: the page, page size and order are the
 * useListQuery's (so in the URL); a column with `sorter: true` sorts on the server by its key.
 * `rowTestId` names each row for the browser tests.
 */
export default function ListTable<T extends object>({
  list,
  columns,
  unit = '条',
  sizeChanger = true,
  rowTestId,
  ...props
}: {
  list: PagedList<T>;
  columns: ScreenColumn<T>[];
  /** The word after the total: 共 12 人. */
  unit?: string;
  sizeChanger?: boolean;
  rowTestId?: (row: T) => string;
  'data-testid'?: string;
} & Omit<TableProps<T>, 'columns' | 'dataSource' | 'pagination' | 'onChange' | 'loading'>) {
  const shown = columns.map((c) =>
    c.sorter ? { ...c, sortOrder: list.sort === c.key ? (list.order === 'desc' ? ('descend' as const) : ('ascend' as const)) : null } : c,
  );
  return (
    <ScrollTable<T>
      size="middle"
      onRow={rowTestId ? (row) => ({ 'data-testid': rowTestId(row) }) as HTMLAttributes<HTMLElement> : undefined}
      {...props}
      columns={shown}
      dataSource={list.data?.items ?? []}
      loading={list.loading}
      onChange={(pagination, _filters, sorter, extra) => {
        if (extra.action === 'sort') {
          const s = Array.isArray(sorter) ? sorter[0] : sorter;
          const key = s?.order ? String(s.columnKey) : undefined;
          list.change({ sort: key, order: key ? (s?.order === 'descend' ? 'desc' : 'asc') : undefined });
        } else if (extra.action === 'paginate') {
          list.change({ page: pagination.current, pageSize: pagination.pageSize });
        }
      }}
      pagination={{
        current: list.page,
        pageSize: list.pageSize,
        total: list.data?.total ?? 0,
        showSizeChanger: sizeChanger,
        pageSizeOptions: PAGE_SIZES,
        showTotal: (t) => `共 ${t} ${unit}`,
      }}
    />
  );
}
