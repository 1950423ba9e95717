/**
 * Now on China's wall clock (UTC+8, no daylight saving), whatever the browser's time zone. The
 * console's "today" — the day its date fields start on, the default date of the statistics, the
 * dashboards and the assessment, what the pages' first requests ask for — is the one the server
 * takes for today (server/src/platform/time.ts). The browser's own calendar was a day behind China's
 * from 16:00 to 24:00 UTC in a browser set to UTC (this machine's): the statistics opened on China's
 * yesterday, and a follow-up recorded "today" was dated the day before. Free of imports: boot.ts's
 * chunk reads it (first-requests.ts).
 */
export function chinaClock(): Date {
  const now = Date.now();
  // A Date whose local fields (getFullYear, getHours…) read China's wall clock.
  return new Date(now + (8 * 60 + new Date(now).getTimezoneOffset()) * 60_000);
}

/** Today in China: YYYY-MM-DD. */
export function chinaToday(): string {
  const d = chinaClock();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
