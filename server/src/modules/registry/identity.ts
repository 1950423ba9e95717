/**
 * Resident identity card numbers (居民身份证号码) per GB 11643-1999 《公民身份号码》: the number's
 * structure and its checks are in contracts/id-number.ts; here, what the server adds (China's
 * today, the comparison with a form, ages, masks).
 *
 * Pure functions only. Whether the address code exists in the region tree needs the
 * database, so it is not checked here; callers get `regionCode` to look up themselves.
 */

import { chinaDay } from '../../platform/time.ts';
import { checkIdNumber, type IdentityInfo, type IdParseResult, splitDate } from '../../../../contracts/id-number.ts';

// The number's own checks live in contracts/ (the field officer's phone runs the same ones).
export {
  ID_ERROR_MESSAGES,
  idCheckChar,
  type IdErrorCode,
  type IdentityInfo,
  type IdParseResult,
  normalizeIdNumber,
} from '../../../../contracts/id-number.ts';

/**
 * Validates an 18-digit (or legacy 15-digit) number and extracts what it encodes
 * (contracts/id-number.ts). `today` (default: now) is read in China Standard Time.
 */
export function parseIdNumber(raw: string, options: { today?: Date } = {}): IdParseResult {
  return checkIdNumber(raw, chinaDay(options.today ?? new Date()));
}

/**
 * Compares what a form says about the person with what the number says.
 * Empty typed values are skipped. Returns one entry per disagreeing field.
 */
export function checkIdAgainst(
  info: IdentityInfo,
  typed: { birthDate?: string; sex?: 'male' | 'female' },
): Array<{ field: 'birthDate' | 'sex'; message: string }> {
  const problems: Array<{ field: 'birthDate' | 'sex'; message: string }> = [];
  if (typed.birthDate && typed.birthDate.trim() !== '' && normalizeTypedDate(typed.birthDate) !== info.birthDate) {
    problems.push({ field: 'birthDate', message: `出生日期与身份证号不符（身份证号为 ${info.birthDate}）` });
  }
  if (typed.sex && typed.sex !== info.sex) {
    problems.push({ field: 'sex', message: `性别与身份证号不符（身份证号为${info.sex === 'male' ? '男' : '女'}）` });
  }
  return problems;
}

/**
 * Full years of age on `on` (both YYYY-MM-DD). The birthday counts as reached on the
 * day itself; someone born on 29 February turns a year older on 1 March in common years.
 * Throws RangeError for malformed or impossible dates, or when `on` precedes `birthDate`.
 */
export function ageOn(birthDate: string, on: string): number {
  const b = splitDate(birthDate);
  const o = splitDate(on);
  if (!b || !o) throw new RangeError(`ageOn: dates must be real YYYY-MM-DD dates, got ${birthDate} / ${on}`);
  if (on < birthDate) throw new RangeError(`ageOn: ${on} is before the birth date ${birthDate}`);
  const birthdayReached = o.month > b.month || (o.month === b.month && o.day >= b.day);
  return o.year - b.year - (birthdayReached ? 0 : 1);
}

/**
 * For display in lists and logs: 18 characters → first 6, eight `*`, last 4
 * (`430522********1234`). Anything else: all but the last 4 masked; strings of 4
 * characters or fewer are masked entirely so nothing short leaks whole.
 */
export function maskIdNumber(id: string): string {
  const chars = [...id];
  if (chars.length === 18) return `${chars.slice(0, 6).join('')}${'*'.repeat(8)}${chars.slice(14).join('')}`;
  if (chars.length <= 4) return '*'.repeat(chars.length);
  return '*'.repeat(chars.length - 4) + chars.slice(-4).join('');
}

/** Accepts 1990-01-01, 1990/1/1, 1990.01.01 and 19900101 as typed on a form. */
function normalizeTypedDate(typed: string): string {
  const s = typed.trim();
  const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(s) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  return m ? `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}` : s;
}

/**
 * A person's name where it is shown to someone who needs to know which record, not who
 * (the audit log): the first character (the surname, or the first of a compound one) and the rest masked
 * (`蒋余美` → `蒋**`, `欧阳娜娜` → `欧***`). The platform had no rule
 * for names before; this is it. A single character is masked entirely.
 */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return '*'.repeat(chars.length);
  return chars[0] + '*'.repeat(chars.length - 1);
}
