/**
 * A list's columns, named once for both sides (issue 18 item 1): the console's table
 * (web/src/pages/<domain>/columns.tsx adds the renderers) and the server's .xlsx export (its
 * header row and the order of its cells) read the same definition, so a column renamed on screen
 * is renamed in the file. The object's key order is the column order.
 */
export interface ListColumn {
  readonly title: string;
  /** Shown on screen only (a link, an action, a combined cell); not a column of the export. */
  readonly screenOnly?: true;
  /** In the export only (a field too wide or too private for the table). */
  readonly exportOnly?: true;
}

export type ListColumns = Readonly<Record<string, ListColumn>>;

/** The keys of the columns the export writes. */
export type ExportKey<C extends ListColumns> = {
  [K in keyof C]: C[K] extends { screenOnly: true } ? never : K;
}[keyof C] &
  string;

/** Declares a list's columns with their keys and titles kept as literal types. */
export const defineColumns = <const C extends Record<string, ListColumn>>(columns: C): C => columns;

const exported = (columns: ListColumns) => Object.entries(columns).filter(([, c]) => !c.screenOnly);

/** The export's header row. */
export const exportHeaders = (columns: ListColumns): string[] => exported(columns).map(([, c]) => c.title);

/** One row of the export, its cells in the definition's order: every exported column must be given. */
export function exportCells<C extends ListColumns, V>(columns: C, row: Record<ExportKey<C>, V>): V[] {
  return exported(columns).map(([key]) => row[key as ExportKey<C>]);
}
