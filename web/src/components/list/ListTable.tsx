import { Table, type TableProps } from 'antd';
import type { CSSProperties, HTMLAttributes } from 'react';
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

/** The row selection's checkbox column, as wide as antd draws it when told (the sticky first column sits beside it). */
const SELECTION_WIDTH = 48;

/**
 * A table wider than the page scrolls sideways in its own box with its first and last columns kept
 * in sight by the browser (position: sticky, styles.css `lw-scroll-x`), where antd's `scroll.x`
 * and `fixed` measure every column after the table is drawn, read the box's scroll position for the
 * edge shadows and draw it again: two forced layouts of the whole page in each list's first screen
 * (90 + 40–55 ms of 劳动力名册's main thread in a CPU profile). The columns for that, or null where
 * it cannot stand in for antd: a fixed column that is not the first or the last, or a grouped header.
 */
function stickyColumns<T>(columns: ScreenColumn<T>[]): ScreenColumn<T>[] | null {
  const last = columns.length - 1;
  const out: ScreenColumn<T>[] = [];
  for (const [i, c] of columns.entries()) {
    if ('children' in c && c.children) return null;
    const at = c.fixed === true ? 'left' : c.fixed;
    const stick = !at ? null : at === 'left' && i === 0 ? 'lw-stick-start' : at === 'right' && i === last ? 'lw-stick-end' : undefined;
    if (stick === undefined) return null;
    out.push(stick ? { ...c, fixed: undefined, className: `${c.className ?? ''} ${stick}`.trim() } : c);
  }
  return out;
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
  const { scroll, className, style, rowSelection, ...rest } = props;
  const sticky = typeof scroll?.x === 'number' && scroll.y === undefined ? stickyColumns(shown) : null;
  // The checkboxes stay in sight beside a first column that does (antd fixes them with it too).
  const besideStart = Boolean(rowSelection && sticky?.[0]?.className?.includes('lw-stick-start'));
  const stickyStyle = { '--lw-table-x': `${scroll?.x}px`, ...(besideStart ? { '--lw-select-w': `${SELECTION_WIDTH}px` } : {}) };
  return (
    <Table<T>
      size="middle"
      onRow={rowTestId ? (row) => ({ 'data-testid': rowTestId(row) }) as HTMLAttributes<HTMLElement> : undefined}
      {...rest}
      scroll={sticky ? undefined : scroll}
      className={sticky ? `${className ?? ''} lw-scroll-x${besideStart ? ' lw-scroll-x-select' : ''}`.trim() : className}
      style={sticky ? ({ ...style, ...stickyStyle } as CSSProperties) : style}
      rowSelection={besideStart && rowSelection ? { ...rowSelection, columnWidth: SELECTION_WIDTH } : rowSelection}
      columns={sticky ?? shown}
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
