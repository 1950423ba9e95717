import type { TableColumnType } from 'antd';
import type { ListColumns } from '../../../../contracts/list-columns.ts';

/** A column of a list on screen: antd's column with the key of the shared definition. */
export type ScreenColumn<T> = TableColumnType<T> & { key: string };

/** The keys a table may show: all but the export-only ones. */
export type ScreenKey<C extends ListColumns> = {
  [K in keyof C]: C[K] extends { exportOnly: true } ? never : K;
}[keyof C] &
  string;

/**
 * The column maker of one list's shared definition (contracts/columns/<domain>.ts): `col('age',
 * { width: 76, sorter: true })` is the 年龄 column, its title the one the export's header row
 * uses, its data the row's field of the same name unless `dataIndex` says otherwise.
 */
export function columnsOf<T, C extends ListColumns>(definition: C) {
  return (key: ScreenKey<C>, props: Omit<TableColumnType<T>, 'title' | 'key'> = {}): ScreenColumn<T> => ({
    key,
    title: definition[key]!.title,
    dataIndex: key,
    ...props,
  });
}
