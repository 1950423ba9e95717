/**
 * The list kit (issue 18 item 1): what every list page of the console is built from.
 * - useListQuery: filters, page, page size and order in the URL; the newest answer wins.
 * - useUrlFilters: a page's own filters in the URL (a region several lists read).
 * - FilterBar: the filter fields a page declares, written to the URL, with 重置.
 * - ListTable: antd's Table with server paging and ordering from the useListQuery.
 * - columnsOf: a table column from the list's shared definition (contracts/columns/), whose
 *   titles the server's export uses for its header row.
 * - ModalForm: a modal with a new form on each opening.
 * The export button is components/ExportButton.tsx, given the useListQuery's `query`.
 */
export { columnsOf, type ScreenColumn } from './columns.ts';
export { default as FilterBar, type FilterField } from './FilterBar.tsx';
export { default as ListTable } from './ListTable.tsx';
export { default as ModalForm } from './ModalForm.tsx';
export * as param from './params.ts';
export { PAGE_SIZES, useListQuery, useUrlFilters } from './useListQuery.ts';
