/**
 * China Standard Time (Asia/Shanghai: UTC+8 all year, no daylight saving since 1992; the summer
 * time of 1986–1991 is not applied, as no copy before this module applied it) — the one place the
 * server turns instants into China days and back (DOMAIN.md "Codes"). Calendar days travel as
 * 'YYYY-MM-DD' strings, which compare in date order; instants are Dates or epoch milliseconds.
 * SQL keeps its own `AT TIME ZONE 'Asia/Shanghai'`: the sessions run in that zone.
 *
 * Days and timestamps are formatted by hand: the generator writes ~20 million of them for the
 * province, and `toISOString()` with its string surgery was a quarter of a laborer's generation
 * time (0.7–1.0 µs a call against 0.15–0.4 µs; same text, checked on a million random instants).
 */

/** China Standard Time's offset from UTC. */
export const CHINA_OFFSET_MS = 8 * 3_600_000;
/** One calendar day (China has no daylight saving: every day is this long). */
export const DAY_MS = 86_400_000;

const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);
const ms = (at: Date | number) => (typeof at === 'number' ? at : at.getTime());
/** The instant shifted by eight hours, so that its UTC fields are China's wall clock. */
const wall = (at: Date | number) => new Date(ms(at) + CHINA_OFFSET_MS);
/** Years outside 1000–9999 (and invalid instants, which throw) take toISOString's own path. */
const fourDigits = (year: number) => year >= 1000 && year <= 9999;

/** `2017-06-30` — the China day of an instant. */
export function chinaDay(at: Date | number): string {
  const d = wall(at);
  const year = d.getUTCFullYear();
  if (!fourDigits(year)) return d.toISOString().slice(0, 10);
  return `${year}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}`;
}

/** Today in China, 'YYYY-MM-DD'. */
export const chinaToday = (): string => chinaDay(Date.now());

/** `2017-06-30T09:15:00+08:00` — an instant to the second, in China time. */
export function chinaTimestamp(at: Date | number): string {
  const d = wall(at);
  const year = d.getUTCFullYear();
  if (!fourDigits(year)) return `${d.toISOString().slice(0, 19)}+08:00`;
  return `${year}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}T${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}+08:00`;
}

/** The hour (0–23) of an instant on a China clock. */
export const chinaHour = (at: Date | number): number => wall(at).getUTCHours();

/** The China calendar fields of an instant: year, month 1–12, day of month. */
export function chinaParts(at: Date | number): { year: number; month: number; day: number } {
  const d = wall(at);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** The instant a China day begins (its 00:00 CST). */
export const chinaDayStart = (day: string): Date => new Date(Date.parse(`${day}T00:00:00+08:00`));

/** The instant a China day ends (the next day's 00:00 CST): "as of" a date means at its end. */
export const chinaDayEnd = (day: string): Date => new Date(chinaDayStart(day).getTime() + DAY_MS);

/** Epoch milliseconds of 00:00 CST of the China day an instant falls on. */
export const chinaMidnightMs = (at: number): number => Math.floor((at + CHINA_OFFSET_MS) / DAY_MS) * DAY_MS - CHINA_OFFSET_MS;

/** The day `days` after (or, negative, before) a 'YYYY-MM-DD' day. */
export const addDays = (day: string, days: number): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/** The same day n months later, or the month's last day when it has fewer days (Jan 31 + 1 month = Feb 28/29), as PostgreSQL adds months. */
export function addMonths(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 + n, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, last));
  return first.toISOString().slice(0, 10);
}

/** Days in month `month` (0-based) of `year`. */
const daysIn = (year: number, month: number) =>
  month === 1
    ? year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
      ? 29
      : 28
    : [31, 0, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month]!;

/**
 * addMonths on numbers, for the generator's hot loops: day `day` of month `month` (0-based) of
 * `year`, n months later and clamped to that month's end; epoch ms of its 00:00 CST.
 */
export function monthsLaterMs(year: number, month: number, day: number, n: number): number {
  const m = month + n;
  const y = year + Math.floor(m / 12);
  const mm = ((m % 12) + 12) % 12;
  return Date.UTC(y, mm, Math.min(day, daysIn(y, mm))) - CHINA_OFFSET_MS;
}

/** The first day of the year a 'YYYY-MM-DD' day falls in. */
export const yearStart = (day: string): string => `${day.slice(0, 4)}-01-01`;

/** The quarter a 'YYYY-MM-DD' day falls in: the instants it begins and ends (00:00 CST) and its label, `2017Q3`. */
export function chinaQuarter(day: string): { start: Date; end: Date; label: string } {
  const [y, m] = day.split('-').map(Number) as [number, number];
  const q = Math.floor((m - 1) / 3);
  const start = new Date(Date.parse(`${y}-${String(q * 3 + 1).padStart(2, '0')}-01T00:00:00+08:00`));
  const endMonth = q * 3 + 4;
  const end =
    endMonth > 12
      ? new Date(Date.parse(`${y + 1}-01-01T00:00:00+08:00`))
      : new Date(Date.parse(`${y}-${String(endMonth).padStart(2, '0')}-01T00:00:00+08:00`));
  return { start, end, label: `${y}Q${q + 1}` };
}
