import { describe, expect, it } from 'vitest';
import { maskPhone, normalizePhone, parseMobile } from './phone.ts';

const refused = { ok: false, code: 'PHONE_FORMAT', message: '手机号须为 11 位大陆手机号码' };

describe('normalizePhone', () => {
  it('strips spaces, hyphens and the country code', () => {
    expect(normalizePhone(' 138 1234 5678 ')).toBe('13812345678');
    expect(normalizePhone('138-1234-5678')).toBe('13812345678');
    expect(normalizePhone('+86 138 1234 5678')).toBe('13812345678');
    expect(normalizePhone('0086 138-1234-5678')).toBe('13812345678');
    expect(normalizePhone('8613812345678')).toBe('13812345678');
  });

  it('converts full-width digits, plus sign and spaces', () => {
    expect(normalizePhone('１３８１２３４５６７８')).toBe('13812345678');
    expect(normalizePhone('＋８６\u3000１３８\u3000１２３４\u3000５６７８')).toBe('13812345678');
  });

  it('keeps a leading 86 that is not followed by exactly 11 digits', () => {
    expect(normalizePhone('861381234567')).toBe('861381234567');
    expect(normalizePhone('+86 0739 123456')).toBe('+860739123456');
  });
});

describe('parseMobile', () => {
  it('accepts mainland mobile numbers in common written forms', () => {
    for (const raw of [
      '13812345678',
      '+86 138 1234 5678',
      '+86-138-1234-5678',
      '0086 13812345678',
      '８６１３８１２３４５６７８',
      '１３８ １２３４ ５６７８',
    ]) {
      expect(parseMobile(raw), raw).toEqual({ ok: true, value: '13812345678' });
    }
  });

  it('accepts second digits 3 to 9', () => {
    for (const second of '3456789') expect(parseMobile(`1${second}012345678`).ok, second).toBe(true);
  });

  it('refuses landlines, wrong lengths and non-mobile prefixes', () => {
    for (const raw of [
      '0739-1234567',
      '07391234567',
      '+86 0739 1234567',
      '138123456789',
      '1381234567',
      '12812345678',
      '11812345678',
      '10086',
      '23812345678',
      '1381234567a',
      '',
    ]) {
      expect(parseMobile(raw), raw).toEqual(refused);
    }
  });
});

describe('maskPhone', () => {
  it('keeps the first 3 and last 4 digits', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
  });

  it('keeps only the last 4 characters of anything else', () => {
    expect(maskPhone('07391234567x')).toBe('********567x');
    expect(maskPhone('1234')).toBe('****');
  });
});
