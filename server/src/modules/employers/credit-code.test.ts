import { describe, expect, it } from 'vitest';
import { CREDIT_CODE_ERROR_MESSAGES, creditCodeCheckChar, normalizeCreditCode, parseCreditCode } from './credit-code.ts';

// Huawei Technologies Co., Ltd.; its check character is worked out by hand in credit-code.ts.
const HUAWEI = '914403001922038216';

// Bodies with check characters computed by hand (Σ value × weight, then 31 − sum mod 31):
const BUILT: Array<[string, number, string]> = [
  ['91430500MA4L00001', 1357, '7'], // 1357 mod 31 = 24 → 7
  ['91430500MA4L12345', 1675, 'Y'], // 1675 mod 31 = 1 → 30 = Y
  ['12100000400000416', 334, '7'], // 334 mod 31 = 24 → 7
  ['52430500MA4L0000A', 1608, '4'], // 1608 mod 31 = 27 → 4
  ['91430522MA4PABCDE', 2680, 'H'], // 2680 mod 31 = 14 → 17 = H
  ['91430500MA4L00009', 1581, '0'], // 1581 mod 31 = 0 → 31, written as 0
];

function refusal(code: 'CREDIT_CODE_FORMAT' | 'CREDIT_CODE_CHECK') {
  return { ok: false, code, message: CREDIT_CODE_ERROR_MESSAGES[code] };
}

describe('creditCodeCheckChar', () => {
  it('matches the hand-computed vectors', () => {
    expect(creditCodeCheckChar(HUAWEI.slice(0, 17))).toBe('6');
    for (const [body, , check] of BUILT) expect(creditCodeCheckChar(body), body).toBe(check);
  });
});

describe('normalizeCreditCode', () => {
  it('trims, removes spaces, upper-cases and converts full-width characters', () => {
    expect(normalizeCreditCode('  91430500ma4l12345y ')).toBe('91430500MA4L12345Y');
    expect(normalizeCreditCode('9144 0300 1922 0382 16')).toBe(HUAWEI);
    expect(normalizeCreditCode('９１４３０５００ＭＡ４Ｌ１２３４５ｙ')).toBe('91430500MA4L12345Y');
    expect(normalizeCreditCode('91430500MA4L\u300012345Y')).toBe('91430500MA4L12345Y');
  });
});

describe('parseCreditCode', () => {
  it('accepts a real published code and splits it into its parts', () => {
    expect(parseCreditCode(HUAWEI)).toEqual({
      ok: true,
      value: {
        code: HUAWEI,
        registrationAuthority: '9',
        entityType: '1',
        regionCode: '440300',
        organizationCode: '192203821',
      },
    });
  });

  it('accepts the constructed codes, including lower-case and full-width input', () => {
    for (const [body, , check] of BUILT) expect(parseCreditCode(body + check).ok, body).toBe(true);
    expect(parseCreditCode('91430500ma4l12345y')).toMatchObject({
      ok: true,
      value: { code: '91430500MA4L12345Y', organizationCode: 'MA4L12345' },
    });
    expect(parseCreditCode('９１４３０５００ＭＡ４Ｌ１２３４５Ｙ').ok).toBe(true);
  });

  it('refuses a wrong check character without naming the right one', () => {
    expect(parseCreditCode('914403001922038217')).toEqual(refusal('CREDIT_CODE_CHECK'));
    expect(parseCreditCode('91430500MA4L12345X')).toEqual(refusal('CREDIT_CODE_CHECK'));
    expect(parseCreditCode('91430500MA4L000097')).toEqual(refusal('CREDIT_CODE_CHECK'));
    // Two adjacent characters swapped.
    expect(parseCreditCode('914403001922308216')).toEqual(refusal('CREDIT_CODE_CHECK'));
  });

  it('refuses the letters I, O, Z, S and V anywhere', () => {
    for (const letter of 'IOZSV') {
      expect(parseCreditCode(`91430500MA4${letter}12345Y`), letter).toEqual(refusal('CREDIT_CODE_FORMAT'));
      expect(parseCreditCode(`91430500MA4L12345${letter}`), letter).toEqual(refusal('CREDIT_CODE_FORMAT'));
      expect(parseCreditCode(`91430500MA4${letter.toLowerCase()}12345Y`), letter).toEqual(refusal('CREDIT_CODE_FORMAT'));
    }
  });

  it('refuses wrong lengths, other characters and empty input', () => {
    for (const raw of [
      '',
      '91440300192203821',
      '9144030019220382160',
      '91440300-192203821-6',
      '9144030019220382１６!',
      '91440300192203821*',
    ]) {
      expect(parseCreditCode(raw), raw).toEqual(refusal('CREDIT_CODE_FORMAT'));
    }
    expect(CREDIT_CODE_ERROR_MESSAGES.CREDIT_CODE_FORMAT).toContain('18 位');
  });
});
