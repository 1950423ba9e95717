/**
 * Two row ids (bigint as decimal text) in numeric order. Ids read from the database have no
 * leading zero, so a longer one is larger and equal lengths compare as text — no BigInt made per
 * comparison (the households' settler compares ids for every day of every household); anything
 * else is compared as BigInt.
 */
export function compareIds(a: string, b: string): number {
  if (canonical(a) && canonical(b)) return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
  const [x, y] = [BigInt(a), BigInt(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Starts with 1–9: a positive id without a leading zero or a sign. */
const canonical = (id: string) => {
  const first = id.charCodeAt(0);
  return first >= 49 && first <= 57;
};
