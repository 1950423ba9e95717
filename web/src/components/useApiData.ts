import { useCallback, useEffect, useRef, useState } from 'react';
import { api, type Query } from '../api/client.ts';

/**
 * A GET the page shows: loaded whenever the path or the query changes (compared by value), with
 * its error and loading state, and `reload` after a change. A null path loads nothing. Data of
 * another path is never shown as this one's (a page switching lists shows nothing until the new
 * list arrives); a new page of the same list keeps the old rows until the new ones come. Only the
 * newest request's answer is taken: a slower answer to an earlier request (the list the user just
 * left, a page they clicked past) arrives late and is dropped, never drawn over the newer one.
 * The first answer may be one boot.ts asked for before the console ran (api/early.ts).
 */
export function useApiData<T>(path: string | null, query: Query = {}) {
  // On a cold load the answer boot.ts asked for is often there already: drawn in the first render,
  // without a render of the empty page and its spinner first (and not asked for again).
  const [loaded, setLoaded] = useState<{ path: string; data: T } | null>(() => {
    const data = path ? api.arrived<T>(path, query) : undefined;
    return path && data !== undefined ? { path, data } : null;
  });
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const latest = useRef(0);
  const arrivedFirst = useRef(loaded !== null);
  const key = JSON.stringify(query);
  const reload = useCallback(async () => {
    if (!path) return;
    const request = ++latest.current;
    setLoading(true);
    try {
      const data = await api.get<T>(path, JSON.parse(key) as Query);
      if (request !== latest.current) return;
      setLoaded({ path, data });
      setError(null);
    } catch (e) {
      if (request === latest.current) setError(e);
    } finally {
      if (request === latest.current) setLoading(false);
    }
  }, [path, key]);
  useEffect(() => {
    const asked = JSON.parse(key) as Query;
    if (arrivedFirst.current) {
      arrivedFirst.current = false;
      if (path) api.drop(path, asked);
      return;
    }
    // An early answer that arrived while the page was rendering: drawn now, without a spinner first.
    const data = path ? api.arrived<T>(path, asked) : undefined;
    if (path && data !== undefined) {
      ++latest.current;
      setLoaded({ path, data });
      setError(null);
      setLoading(false);
      api.drop(path, asked);
      return;
    }
    reload();
  }, [reload, path, key]);
  return { data: loaded && loaded.path === path ? loaded.data : null, error, loading, reload };
}
