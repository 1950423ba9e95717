import chineseDays from 'chinese-days';

/**
 * Working days by China's calendar: the State Council's yearly notice of public holidays and the
 * weekend days worked in their place (调休), as the `chinese-days` package publishes them. One
 * definition for every deadline counted in working days (the social-insurance comparison's 3
 * working days to review, issue 21 item 2).
 */

/** Whether a 'YYYY-MM-DD' day is a working day in China (a 调休 Saturday is; a holiday weekday is not). */
export const isWorkingDay = (day: string): boolean => chineseDays.isWorkday(day);

/**
 * The n-th working day after `day` (n ≥ 1): 3 working days from Wednesday 2026-09-30 is Saturday
 * 2026-10-10 (1–7 October are the National Day holiday, the 10th is worked in their place).
 */
export function addWorkingDays(day: string, n: number): string {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`working days must be a whole number ≥ 1: ${n}`);
  return chineseDays.findWorkday(n, day);
}
