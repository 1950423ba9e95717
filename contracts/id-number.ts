/**
 * Resident identity card numbers (居民身份证号码) per GB 11643-1999 《公民身份号码》: the checks that
 * need nothing but the number and today's date, shared by the server (modules/registry/identity.ts)
 * and the field officer's phone, which checks a number typed offline before it goes into the
 * outbox (issue 19). Pure functions, no dependencies: the phone's bundle carries only this.
 *
 *   positions 1–6    address code (行政区划代码, GB/T 2260)
 *   positions 7–14   birth date YYYYMMDD
 *   positions 15–17  sequence code; position 17 is odd for men, even for women
 *   position 18      check character, ISO 7064:1983 MOD 11-2 (0–9 or X)
 *
 * Legacy 15-digit numbers (first-generation cards) have a two-digit year and no check
 * character; GB 11643-1999 upgrades them by inserting "19" before the year and appending
 * the check character.
 */

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
 * its check character is also wrong. `today` is the China day ('YYYY-MM-DD') a birth date
 * may not be after.
 */
export function checkIdNumber(raw: string, today: string): IdParseResult {
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
  const dateProblem = birthDateProblem(birthDate, today);
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

function fail(code: IdErrorCode, message: string = ID_ERROR_MESSAGES[code]): IdParseResult {
  return { ok: false, code, message };
}

/** Null when acceptable, otherwise a short Chinese reason. */
function birthDateProblem(date: string, today: string): string | null {
  if (!splitDate(date)) return `${date} 不是有效日期`;
  if (date < MIN_BIRTH_DATE) return `早于 ${MIN_BIRTH_DATE}`;
  if (date > today) return '晚于今天';
  return null;
}

/** A real calendar date 'YYYY-MM-DD' as its parts; null for anything else. */
export function splitDate(date: string): { year: number; month: number; day: number } | null {
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
