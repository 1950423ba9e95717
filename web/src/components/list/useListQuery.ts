import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import type { Query } from '../../api/client.ts';
import type { Paged } from '../../api/types.ts';
import { useApiData } from '../useApiData.ts';
import type { ParamSpec, ParamValues } from './params.ts';

export const PAGE_SIZES = [10, 20, 50, 100];

export interface ListQueryOptions<S extends ParamSpec, Sort extends string> {
  /** The filters kept in the URL, each with the parser that reads it back. */
  filters: S;
  /** The keys the list may be sorted by (sort and order are kept in the URL too). */
  sorts?: readonly Sort[];
  /** The page size when the URL names none (default 20). */
  pageSize?: number;
  /** Query parameters that are not the user's filters (a tab's fixed filter, the page's region). */
  fixed?: Query;
  /** A prefix for this list's URL parameters, when one page holds two lists (`queue.` → `queue.page`). */
  prefix?: string;
}

export interface ListChange {
  page?: number;
  pageSize?: number;
  sort?: string;
  order?: 'asc' | 'desc';
}

/**
 * Filters kept in the URL's search parameters without a list of their own (a page's region and
 * date that several of its lists and figures read): each read back through its parser, a change
 * one step of history that returns every list of the page to its first page.
 */
export function useUrlFilters<S extends ParamSpec>(spec: S) {
  const [params, setParams] = useSearchParams();
  const specKey = Object.keys(spec).join(',');
  const filters = useMemo(() => {
    const values: Record<string, string | number> = {};
    for (const [key, parse] of Object.entries(spec)) {
      const v = parse(params.get(key));
      if (v !== undefined) values[key] = v;
    }
    return values as ParamValues<S>;
  }, [params, specKey]);
  const setFilters = useCallback(
    (patch: { [K in keyof S]?: ParamValues<S>[K] | null }) =>
      setParams((prev) => {
        const next = new URLSearchParams(prev);
        for (const [key, value] of Object.entries(patch)) {
          if (value === undefined || value === null || value === '') next.delete(key);
          else next.set(key, String(value));
        }
        for (const key of [...next.keys()]) if (key === 'page' || key.endsWith('.page')) next.delete(key);
        return next;
      }),
    [setParams],
  );
  return { filters, setFilters };
}

/**
 * A paged list whose filters, page, page size and order live in the URL's search parameters: a
 * reload, a shared link or the browser's back button shows the same list, and a filter change is
 * one step of history (back returns to the list before it). The list is loaded with useApiData,
 * so only the newest request's answer is shown — a slow answer for filters the user has already
 * left is dropped. A filter change returns to page 1.
 *
 * `query` is the list's filters as the API reads them without paging: what the export and the
 * print take, so the file holds exactly the rows of the filtered list.
 */
export function useListQuery<T, S extends ParamSpec, Sort extends string = never, R extends Paged<T> = Paged<T>>(
  path: string | null,
  options: ListQueryOptions<S, Sort>,
) {
  const [params, setParams] = useSearchParams();
  const prefix = options.prefix ?? '';
  const defaultSize = options.pageSize ?? 20;
  const specKey = Object.keys(options.filters).join(',');
  const fixedKey = JSON.stringify(options.fixed ?? {});

  const state = useMemo(() => {
    const get = (key: string) => params.get(prefix + key);
    const filters: Record<string, string | number> = {};
    for (const [key, parse] of Object.entries(options.filters)) {
      const v = parse(get(key));
      if (v !== undefined) filters[key] = v;
    }
    const sortRaw = get('sort');
    const sort = sortRaw && (options.sorts as readonly string[] | undefined)?.includes(sortRaw) ? (sortRaw as Sort) : undefined;
    const orderRaw = get('order');
    const order: 'asc' | 'desc' | undefined = sort && (orderRaw === 'asc' || orderRaw === 'desc') ? orderRaw : undefined;
    const pageRaw = Number(get('page'));
    const page = Number.isInteger(pageRaw) && pageRaw >= 1 && pageRaw <= 100_000 ? pageRaw : 1;
    const sizeRaw = Number(get('pageSize'));
    const pageSize = PAGE_SIZES.includes(sizeRaw) ? sizeRaw : defaultSize;
    return { filters: filters as ParamValues<S>, sort, order, page, pageSize };
    // The parsers are read by their names: a page passes a new object each render.
  }, [params, prefix, specKey, defaultSize]);

  const query = useMemo(
    (): Record<string, string | number | boolean | undefined> => ({
      ...(JSON.parse(fixedKey) as Record<string, string | number | boolean>),
      ...(state.filters as Record<string, string | number>),
      // A fixed sort (a list always in village order) stays unless the user picked another.
      ...(state.sort ? { sort: state.sort, order: state.order } : {}),
    }),
    [state, fixedKey],
  );
  const pageQuery = useMemo(() => ({ ...query, page: state.page, pageSize: state.pageSize }), [query, state.page, state.pageSize]);
  const { data, error, loading, reload } = useApiData<R>(path, pageQuery);

  /** Writes URL parameters as one history step; `null`/`undefined`/'' removes one. */
  const write = useCallback(
    (patch: Record<string, string | number | null | undefined>, replace = false) =>
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          for (const [key, value] of Object.entries(patch)) {
            if (value === undefined || value === null || value === '') next.delete(prefix + key);
            else next.set(prefix + key, String(value));
          }
          return next;
        },
        { replace },
      ),
    [setParams, prefix],
  );

  /** Changes some filters and goes back to page 1. */
  const setFilters = useCallback(
    (patch: { [K in keyof S]?: ParamValues<S>[K] | null }) => write({ ...(patch as Record<string, string | number | null>), page: null }),
    [write],
  );

  /** A new page, page size or order (a page size or order change goes back to page 1). */
  const change = useCallback(
    (c: ListChange) => {
      const size = c.pageSize ?? state.pageSize;
      const reorder = c.sort !== state.sort || c.order !== state.order;
      const first = size !== state.pageSize || ('sort' in c && reorder);
      write({
        page: first || !c.page || c.page === 1 ? null : c.page,
        pageSize: size === defaultSize ? null : size,
        ...('sort' in c ? { sort: c.sort ?? null, order: c.sort ? (c.order ?? 'asc') : null } : {}),
      });
    },
    [write, state, defaultSize],
  );

  /** Clears every filter, the order and the page of this list. */
  const reset = useCallback(() => {
    const patch: Record<string, null> = { page: null, pageSize: null, sort: null, order: null };
    for (const key of Object.keys(options.filters)) patch[key] = null;
    write(patch);
  }, [write, specKey]);

  const hasFilters = Object.keys(state.filters).length > 0;
  return { ...state, query, data, error, loading, reload, setFilters, change, reset, hasFilters };
}

export type ListQuery<T = unknown> = ReturnType<typeof useListQuery<T, ParamSpec, string>>;
