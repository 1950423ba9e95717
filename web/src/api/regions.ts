import { api } from './client.ts';
import type { Region, RegionDetail, RegionList } from './types.ts';

/**
 * Region reference data changes only with a new statistical code release, so lookups are
 * cached for the life of the page (shared by every cascader). Failed lookups are not cached.
 */
const childrenCache = new Map<string, Promise<Region[]>>();
const detailCache = new Map<string, Promise<RegionDetail>>();
const ROOT = '__provinces__';

function cached<T>(cache: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  let hit = cache.get(key);
  if (!hit) {
    hit = load();
    cache.set(key, hit);
    hit.catch(() => cache.delete(key));
  }
  return hit;
}

/** Provinces (code omitted) or the children of a region. */
export function regionChildren(code?: string): Promise<Region[]> {
  return cached(childrenCache, code ?? ROOT, async () =>
    code
      ? (await api.get<RegionList>(`/api/v1/regions/${encodeURIComponent(code)}/children`)).items
      : (await api.get<RegionList>('/api/v1/regions')).items,
  );
}

export function regionDetail(code: string): Promise<RegionDetail> {
  return cached(detailCache, code, () => api.get<RegionDetail>(`/api/v1/regions/${encodeURIComponent(code)}`));
}

export async function searchRegions(q: string, options: { level?: string; within?: string; limit?: number } = {}): Promise<Region[]> {
  return (await api.get<RegionList>('/api/v1/regions', { q, ...options })).items;
}
