import dayjs, { type Dayjs } from 'dayjs';
import { chinaClock } from './china-time.ts';

/**
 * Numbers and times as the console writes them, without the browser's Intl. A page's first
 * `toLocaleString('zh-CN')` (or any Intl object) loads the locale's ICU data on the main thread:
 * 32–79 ms for the first call in a new browser context on this machine (the 20 calls after it took
 * 0.5 ms together), paid on every cold load of a page that shows a wage, a sum or a count. What the console needs of it — digit groups and a fixed number of decimals,
 * the same text as `toLocaleString('zh-CN')` (app/format.test.ts compares them) — is a few lines.
 */
export interface Digits {
  /** Decimals always written (default 0). */
  minimumFractionDigits?: number;
  /** Decimals at most, rounded half away from zero (default 3, as Intl). */
  maximumFractionDigits?: number;
}

/** `1234567.5` → `1,234,567.5`: what `n.toLocaleString('zh-CN', digits)` writes. */
export function grouped(n: number, digits: Digits = {}): string {
  if (!Number.isFinite(n)) return String(n);
  const max = digits.maximumFractionDigits ?? Math.max(3, digits.minimumFractionDigits ?? 0);
  const min = Math.min(digits.minimumFractionDigits ?? 0, max);
  // Half away from zero on the decimal digits as written (Intl's rounding), not on the binary value
  // toFixed rounds: 1.005 is 1.00499999… in binary, and Intl writes 1.01.
  const [int = '0', fraction = ''] = roundedDecimal(Math.abs(n), max).split('.');
  let decimals = fraction.replace(/0+$/, '');
  if (decimals.length < min) decimals = decimals.padEnd(min, '0');
  const negative = n < 0 && (/[1-9]/.test(int) || /[1-9]/.test(decimals));
  return `${negative ? '-' : ''}${int.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${decimals ? `.${decimals}` : ''}`;
}

/** A non-negative number rounded to `places` decimals, half up on its shortest decimal text. */
function roundedDecimal(x: number, places: number): string {
  const text = x.toString();
  if (/e/i.test(text)) return x.toFixed(places);
  const [int = '0', fraction = ''] = text.split('.');
  if (fraction.length <= places) return fraction ? `${int}.${fraction}` : int;
  const kept = `${int}${fraction.slice(0, places)}`;
  const up = fraction.charCodeAt(places) >= 53; // '5'
  const digits = up ? addOne(kept) : kept;
  const cut = digits.length - places;
  return places ? `${digits.slice(0, cut) || '0'}.${digits.slice(cut)}` : digits;
}

/** A string of decimal digits plus one. */
function addOne(digits: string): string {
  const out = digits.split('');
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i] === '9') out[i] = '0';
    else {
      out[i] = String(Number(out[i]) + 1);
      return out.join('');
    }
  }
  return `1${out.join('')}`;
}

/** `12000` → `12,000 元`. */
export const yuan = (n: number, digits: Digits = {}) => `${grouped(n, digits)} 元`;

/** A moment as the console writes moments elsewhere: `2026-12-07 22:59:07`, the browser's time. */
export const dateTime = (iso: string) => dayjs(iso).format('YYYY-MM-DD HH:mm:ss');

/** Now on China's wall clock as a dayjs (app/china-time.ts): where the console's date fields start and what they call today. */
export const chinaNow = (): Dayjs => dayjs(chinaClock());
