import { Table, type TableColumnsType, type TableProps } from 'antd';
import type { CSSProperties } from 'react';

/** The row selection's checkbox column, as wide as antd draws it when told (the sticky first column sits beside it). */
const SELECTION_WIDTH = 48;

/**
 * The columns with their fixed first and last ones kept in sight by the browser (`lw-stick-start`,
 * `lw-stick-end`), or null where that cannot stand in for antd: a fixed column that is not the first
 * or the last, or a grouped header.
 */
function stickyColumns<T>(columns: TableColumnsType<T>): TableColumnsType<T> | null {
  const last = columns.length - 1;
  const out: TableColumnsType<T> = [];
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
 * antd's Table for a table that scrolls in its own box: wider than the page (`scroll.x`, its first
 * and last columns kept in sight when `fixed`) or taller than its place (`scroll.y`, its header kept
 * in sight). The box and the sticky cells are the browser's (position: sticky, styles.css
 * `lw-scroll-x`, `lw-scroll-tall`), where antd's `scroll` measures every column after the first draw,
 * measures the scroll bar's width, reads the box's scroll position for its edge shadows and draws
 * again: forced layouts of the whole page in the first screen (90 + 40–55 ms of 劳动力名册's main
 * thread in a CPU profile; 70 ms for the scroll bar of 稳岗服务's small table of who is overdue).
 * antd's own scrolling is kept where this cannot stand in for it (see stickyColumns). `scroll.y` is
 * the height of the whole box, its header included (antd's is the body's).
 */
export default function ScrollTable<T extends object>(props: TableProps<T>) {
  const { scroll, className, style, rowSelection, columns = [], ...rest } = props;
  const x = scroll?.x;
  const y = scroll?.y;
  const sticky =
    (typeof x === 'number' || x === undefined) && (typeof y === 'number' || y === undefined) && (x !== undefined || y !== undefined)
      ? stickyColumns(columns)
      : null;
  if (!sticky) return <Table<T> {...props} />;
  // The checkboxes stay in sight beside a first column that does (antd fixes them with it too).
  const besideStart = Boolean(rowSelection && (sticky[0]?.className ?? '').includes('lw-stick-start'));
  const box = {
    '--lw-table-x': x === undefined ? 'auto' : `${x}px`,
    ...(y === undefined ? {} : { '--lw-table-y': `${y}px` }),
    ...(besideStart ? { '--lw-select-w': `${SELECTION_WIDTH}px` } : {}),
  };
  const classes = [className, 'lw-scroll-x', besideStart && 'lw-scroll-x-select', y !== undefined && 'lw-scroll-tall'];
  return (
    <Table<T>
      {...rest}
      className={classes.filter(Boolean).join(' ')}
      style={{ ...style, ...box } as CSSProperties}
      rowSelection={besideStart && rowSelection ? { ...rowSelection, columnWidth: SELECTION_WIDTH } : rowSelection}
      columns={sticky}
    />
  );
}
