/**
 * Resident identity card numbers (居民身份证号码) per GB 11643-1999
 * 《公民身份号码》:
 *
 *   positions 1–6    address code (行政区划代码, GB/T 2260)
 *   positions 7–14   birth date YYYYMMDD
 *   positions 15–17  sequence code; position 17 is odd for men, even for women
 *   position 18      check character, ISO 7064:1983 MOD 11-2 (0–9 or X)
 *
 * Legacy 15-digit numbers (first-generation cards) have a two-digit year and no check
 * character; GB 11643-1999 upgrades them by inserting "19" before the year and appending
 * the check character.
 *
 * Pure functions only. Whether the address code exists in the region tree needs the
 * database, so it is not checked here; callers get `regionCode` to look up themselves.
 */

import { chinaDay } from '../../platform/time.ts';

export type IdErrorCode = 'ID_EMPTY' | 'ID_FORMAT' | 'ID_CHECK_DIGIT' | 'ID_BIRTH_DATE';

/** Generic user-facing message per error code. */
export const ID_ERROR_MESSAGES: Readonly<Record<IdErrorCode, string>> = {
  ID_EMPTY: '请填写身份证号',
  ID_FORMAT: '身份证号格式错误，应为 18 位（末位可为 X）或 15 位数字',
  // Deliberately does not name the expected character: that would help forge numbers.
  ID_CHECK_DIGIT: '身份证号校验位错误',
  ID_BIRTH_DATE: '身份证号中的出生日期无效',
};

export interface IdentityInfo {
  /** 18 characters, normalized (upper-case X). */
  idNumber: string;
  /** First 6 digits: the address code. */
  regionCode: string;
  /** YYYY-MM-DD */
  birthDate: string;
  sex: 'male' | 'female';
  /** True when the input was a legacy 15-digit number. */
  convertedFrom15: boolean;
}

export type IdParseResult = { ok: true; value: IdentityInfo } | { ok: false; code: IdErrorCode; message: string };

/** ISO 7064 MOD 11-2 weights (2^(18-i) mod 11) for positions 1–17. */
const CHECK_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
/** Check character indexed by (Σ digit × weight) mod 11. */
const CHECK_CHARS = '10X98765432';

/** Earliest accepted birth date (inclusive). */
const MIN_BIRTH_DATE = '1900-01-01';

/**
 * Trims; removes whitespace (including the full-width space U+3000) and hyphens/dashes;
 * converts full-width digits and Ｘ/ｘ to ASCII; upper-cases x.
 */
export function normalizeIdNumber(raw: string): string {
  return raw
    .replace(/[\s\u3000\-\u2010-\u2015\u2212\uFF0D]/g, '')
    .replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[xＸｘ]/g, 'X');
}

/** The MOD 11-2 check character for a 17-digit body. */
export function idCheckChar(body17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body17[i]) * CHECK_WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

/**
 * Validates an 18-digit (or legacy 15-digit) number and extracts what it encodes.
 * Checks run in order: empty, format, birth date, check character — so a number with an
 * impossible or future birth date reports the date (the more specific problem) even if
 * its check character is also wrong. `today` (default: now) is read in China Standard Time.
 */
export function parseIdNumber(raw: string, options: { today?: Date } = {}): IdParseResult {
  const id = normalizeIdNumber(raw);
  if (id === '') return fail('ID_EMPTY');

  let body: string;
  let check: string | null;
  if (/^\d{17}[\dX]$/.test(id)) {
    body = id.slice(0, 17);
    check = id[17]!;
  } else if (/^\d{15}$/.test(id)) {
    // Legacy: 6-digit address + yymmdd + 3-digit sequence → insert the century.
    body = `${id.slice(0, 6)}19${id.slice(6)}`;
    check = null;
  } else {
    return fail('ID_FORMAT');
  }

  const birthDate = `${body.slice(6, 10)}-${body.slice(10, 12)}-${body.slice(12, 14)}`;
  const dateProblem = birthDateProblem(birthDate, options.today ?? new Date());
  if (dateProblem) return fail('ID_BIRTH_DATE', `${ID_ERROR_MESSAGES.ID_BIRTH_DATE}（${dateProblem}）`);

  const expected = idCheckChar(body);
  if (check !== null && check !== expected) return fail('ID_CHECK_DIGIT');

  return {
    ok: true,
    value: {
      idNumber: body + expected,
      regionCode: body.slice(0, 6),
      birthDate,
      sex: Number(body[16]) % 2 === 1 ? 'male' : 'female',
      convertedFrom15: check === null,
    },
  };
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

function fail(code: IdErrorCode, message: string = ID_ERROR_MESSAGES[code]): IdParseResult {
  return { ok: false, code, message };
}

/** Null when acceptable, otherwise a short Chinese reason. */
function birthDateProblem(date: string, today: Date): string | null {
  if (!splitDate(date)) return `${date} 不是有效日期`;
  if (date < MIN_BIRTH_DATE) return `早于 ${MIN_BIRTH_DATE}`;
  if (date > chinaDay(today)) return '晚于今天';
  return null;
}

function splitDate(date: string): { year: number; month: number; day: number } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
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
