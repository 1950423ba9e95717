import { addDays, addMonths } from '../../platform/time.ts';
import { isOpenOn, wageDaysOf } from '../employment/index.ts';
import { compareIds } from '../../platform/ids.ts';

/**
 * A household's state through time, computed in memory (migration 0062; docs/domain.md §9): the
 * days its figures change — counted (some card names it), the village that places it (its head's),
 * a member employed, 零就业 (able members, none employed), reaching the year's line — as ±1 rows
 * whose sum up to D is its state on D. The same rules the ledger query reads (households.repo.ts)
 * on day numbers; households.state.test.ts and the settle test hold the two equal day by day.
 *
 * Income reaches the line on D when round(income) ≥ line × size, income = 12 × S(D) / W(D), S the
 * members' wage-days in the window [from(D), D] and W its days: exactly 24·S ≥ (2·line·size − 1)·W.
 * Between two breakpoints — a card's first or last day, a job's start, end and the days the window
 * passes them, the days the window's length changes (around 29 February) and New Year (the line) —
 * members, size and W are fixed and every job's days in the window are affine in D, so the
 * difference is affine in D with an integer slope: the day it crosses zero is solved, not sampled.
 */

/** The twelve months before D, D included (docs/domain.md §9): income on record is summed over them. */
export const incomeWindow = (asOf: string) => ({ from: addDays(addMonths(asOf, -12), 1), to: asOf });

const DAY_MS = 86_400_000;
/** A 'YYYY-MM-DD' day as a day number (days since 1970-01-01). */
export const dayNumber = (day: string): number =>
  Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) / DAY_MS;
export const dayString = (n: number): string => new Date(n * DAY_MS).toISOString().slice(0, 10);

/** The calendar of income windows, by day number, from 2000 to 2100 (built once). */
interface Calendar {
  first: number;
  /** from(D) for D = first + i. */
  from: Int32Array;
  /** The days where from(D) − D differs from the day before: the window's length changes. */
  irregular: number[];
  /** 1 January of each year, 2000–2101. */
  newYears: number[];
}
let calendar: Calendar | undefined;
function cal(): Calendar {
  if (calendar) return calendar;
  const first = dayNumber('2000-01-01');
  const last = dayNumber('2101-01-01');
  const from = new Int32Array(last - first + 1);
  const irregular: number[] = [];
  for (let d = first; d <= last; d++) {
    from[d - first] = dayNumber(incomeWindow(dayString(d)).from);
    if (d > first && from[d - first]! - d !== from[d - first - 1]! - (d - 1)) irregular.push(d);
  }
  const newYears: number[] = [];
  for (let y = 2000; y <= 2101; y++) newYears.push(Date.UTC(y, 0, 1) / DAY_MS);
  calendar = { first, from, irregular, newYears };
  return calendar;
}
const windowFrom = (c: Calendar, d: number) => c.from[d - c.first]!;
/** The first day D whose window starts after day x (from is non-decreasing). */
function firstAfter(c: Calendar, x: number): number {
  let d = x + 360;
  while (windowFrom(c, d) > x) d--;
  while (windowFrom(c, d) <= x) d++;
  return d;
}

export interface MemberVersion {
  /** The card's person (the surviving card of a merge): whose jobs count. */
  person: string;
  card: string;
  village: string;
  relation: string | null;
  size: number | null;
  /** Labour capacity full or partial and not 不具备就业条件 on this version. */
  able: boolean;
  /** Day numbers: the version counts on from ≤ D < until (null: no end). */
  from: number;
  until: number | null;
}
export interface Job {
  start: number;
  end: number | null;
  wage: number | null;
}
interface State {
  village: string;
  withEmployed: number;
  zero: number;
  reaching: number;
}
export interface HouseholdDelta {
  village: string;
  day: number;
  households: number;
  withEmployed: number;
  zero: number;
  reaching: number;
}

const headRank = (m: MemberVersion) => (m.relation === '户主' ? 0 : m.relation === null ? 2 : 1);
/** The member who places and names the household: its head (户主), else the first by person id. */
const headOrder = (a: MemberVersion, b: MemberVersion) =>
  headRank(a) - headRank(b) || compareIds(a.person, b.person) || compareIds(a.card, b.card);

/**
 * The ±1 rows of one household, from the versions that named it, its members' jobs (by person) and
 * the province's lines (yuan per person, by year).
 */
export function householdDeltas(versions: MemberVersion[], jobsOf: Map<string, Job[]>, lines: Map<number, number>): HouseholdDelta[] {
  if (!versions.length) return [];
  const c = cal();
  const people = [...new Set(versions.map((v) => v.person))];
  const jobs = new Map(people.map((p) => [p, jobsOf.get(p) ?? []]));
  const points = new Set<number>();
  let lo = Infinity;
  for (const v of versions) {
    points.add(v.from);
    lo = Math.min(lo, v.from);
    if (v.until !== null) points.add(v.until);
  }
  for (const list of jobs.values())
    for (const j of list) {
      points.add(j.start);
      points.add(firstAfter(c, j.start));
      if (j.end !== null) {
        points.add(j.end + 1);
        points.add(firstAfter(c, j.end));
      }
    }
  const lastLineYear = lines.size ? Math.max(...lines.keys()) : 1999;
  const hi = Math.max(...points, Date.UTC(lastLineYear + 1, 0, 1) / DAY_MS);
  for (const d of c.irregular) if (d > lo && d <= hi) points.add(d);
  for (const d of c.newYears) if (d > lo && d <= hi) points.add(d);
  const days = [...points].filter((d) => d >= lo).sort((a, b) => a - b);

  const out = new Map<string, HouseholdDelta>();
  const add = (s: State, day: number, sign: 1 | -1) => {
    const key = `${s.village}|${day}`;
    const row = out.get(key) ?? { village: s.village, day, households: 0, withEmployed: 0, zero: 0, reaching: 0 };
    out.set(key, row);
    row.households += sign;
    row.withEmployed += sign * s.withEmployed;
    row.zero += sign * s.zero;
    row.reaching += sign * s.reaching;
  };
  let current: State | null = null;
  const move = (next: State | null, day: number) => {
    const same =
      current === next ||
      (current !== null &&
        next !== null &&
        current.village === next.village &&
        current.withEmployed === next.withEmployed &&
        current.zero === next.zero &&
        current.reaching === next.reaching);
    if (same) return;
    if (current) add(current, day, -1);
    if (next) add(next, day, 1);
    current = next;
  };

  // The members on a day, and the margin of their income over the line (below): plain loops, no
  // closure made per day (the settler runs this for every household of a province).
  const members: MemberVersion[] = [];
  let threshold = 0;
  const margin = (d: number) => {
    const from = windowFrom(c, d);
    let wageDays = 0;
    for (const m of members) for (const j of jobs.get(m.person)!) wageDays += wageDaysOf(j, from, d);
    return 24 * wageDays - threshold * (d - from + 1);
  };
  for (let i = 0; i < days.length; i++) {
    const a = days[i]!;
    const b = i + 1 < days.length ? days[i + 1]! : null;
    members.length = 0;
    let head: MemberVersion | null = null;
    let able = 0;
    let employed = 0;
    for (const v of versions) {
      if (!(v.from <= a && (v.until === null || a < v.until))) continue;
      members.push(v);
      if (head === null || headOrder(v, head) < 0) head = v;
      if (v.able) able++;
      for (const j of jobs.get(v.person)!)
        if (isOpenOn(j, a)) {
          employed++;
          break;
        }
    }
    if (head === null) {
      move(null, a);
      continue;
    }
    const size = Math.max(head.size ?? 0, members.length);
    const base = { village: head.village, withEmployed: employed > 0 ? 1 : 0, zero: able > 0 && employed === 0 ? 1 : 0 };
    const line = lines.get(new Date(a * DAY_MS).getUTCFullYear());
    if (line === undefined) {
      move({ ...base, reaching: 0 }, a);
      continue;
    }
    threshold = 2 * line * size - 1;
    const f0 = margin(a);
    move({ ...base, reaching: f0 >= 0 ? 1 : 0 }, a);
    if (b === null || b - a < 2) continue;
    const slope = margin(a + 1) - f0;
    let flip: number | null = null;
    if (f0 >= 0 && slope < 0) flip = a + Math.floor(f0 / -slope) + 1;
    else if (f0 < 0 && slope > 0) flip = a + Math.ceil(-f0 / slope);
    if (flip !== null && flip < b) move({ ...base, reaching: f0 >= 0 ? 0 : 1 }, flip);
  }
  return [...out.values()].filter((r) => r.households || r.withEmployed || r.zero || r.reaching);
}
