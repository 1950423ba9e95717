/**
 * Mainland China mobile numbers: 11 digits, `1` followed by 3–9 (number segments
 * allocated under the MIIT numbering plan, 《电信网编号计划》). Landlines, 12-digit and
 * `12x` service numbers are refused. Pure functions only.
 */

export type PhoneErrorCode = 'PHONE_FORMAT';
export const PHONE_FORMAT_MESSAGE = '手机号须为 11 位大陆手机号码';

export type PhoneParseResult = { ok: true; value: string } | { ok: false; code: PhoneErrorCode; message: typeof PHONE_FORMAT_MESSAGE };

/**
 * Trims; removes whitespace (including U+3000) and hyphens/dashes; converts full-width
 * digits and ＋ to ASCII; drops a leading +86, 0086 or 86 country code when exactly
 * 11 digits follow it.
 */
export function normalizePhone(raw: string): string {
  const compact = raw
    .replace(/[\s\u3000\-\u2010-\u2015\u2212\uFF0D]/g, '')
    .replace(/[\uFF10-\uFF19\uFF0B]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  return compact.replace(/^(?:\+86|0086|86)(\d{11})$/, '$1');
}

export function parseMobile(raw: string): PhoneParseResult {
  const phone = normalizePhone(raw);
  if (/^1[3-9]\d{9}$/.test(phone)) return { ok: true, value: phone };
  return { ok: false, code: 'PHONE_FORMAT', message: PHONE_FORMAT_MESSAGE };
}

/**
 * `13812345678` → `138****5678`. Anything not 11 characters: all but the last 4 masked
 * (entirely masked when 4 characters or fewer).
 */
export function maskPhone(phone: string): string {
  const chars = [...phone];
  if (chars.length === 11) return `${chars.slice(0, 3).join('')}****${chars.slice(7).join('')}`;
  if (chars.length <= 4) return '*'.repeat(chars.length);
  return '*'.repeat(chars.length - 4) + chars.slice(-4).join('');
}
