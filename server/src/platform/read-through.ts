/**
 * Answers kept in memory and keyed by the state of what they read (issue 14). `version` reads a
 * number that grows with every commit that could change the answer (e.g. the sum of a table that
 * statement triggers append to). An answer is kept only when the version read before and after
 * computing it is the same — no such commit happened in between, so the answer is that state's —
 * and served while the version stays that value. Identical misses share one computation, so
 * two hundred users opening the same report at once compute it once. Least-recently used answers
 * are dropped past `max`.
 */
export interface ReadThrough<V> {
  get(key: string, version: () => Promise<bigint | number | string>, compute: () => Promise<V>): Promise<V>;
  /** How many answers were served from memory and how many were computed (for the benchmark). */
  stats(): { hits: number; misses: number; size: number };
}

export function createReadThrough<V>({ max }: { max: number }): ReadThrough<V> {
  const kept = new Map<string, { version: string; value: V }>();
  const inFlight = new Map<string, Promise<V>>();
  let hits = 0;
  let misses = 0;

  return {
    async get(key, version, compute) {
      const before = String(await version());
      const entry = kept.get(key);
      if (entry && entry.version === before) {
        hits++;
        kept.delete(key);
        kept.set(key, entry);
        return entry.value;
      }
      const flightKey = `${before}\u0000${key}`;
      const shared = inFlight.get(flightKey);
      if (shared) {
        hits++;
        return shared;
      }
      misses++;
      const work = (async () => {
        const value = await compute();
        const after = String(await version());
        if (after === before) {
          kept.delete(key);
          kept.set(key, { version: before, value });
          while (kept.size > max) kept.delete(kept.keys().next().value!);
        }
        return value;
      })();
      inFlight.set(flightKey, work);
      try {
        return await work;
      } finally {
        inFlight.delete(flightKey);
      }
    },
    stats: () => ({ hits, misses, size: kept.size }),
  };
}
