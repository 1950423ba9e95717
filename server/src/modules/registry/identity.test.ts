import { describe, expect, it } from 'vitest';
import { ID_ERROR_MESSAGES, ageOn, checkIdAgainst, maskIdNumber, maskName, normalizeIdNumber, parseIdNumber } from './identity.ts';
import type { IdentityInfo } from './identity.ts';

// Test numbers below were built by hand: a 17-digit body plus its MOD 11-2 check character.
// 43052219900101123 → Σ digit × weight mod 11 = 8 → check '5'.
const MALE = '430522199001011235';
// The worked example printed in GB 11643-1999 (Beijing Chaoyang, 1949-12-31, female).
const STANDARD_X = '11010519491231002X';
const today = new Date('2025-06-01T04:00:00Z');

function ok(raw: string, options?: { today?: Date }): IdentityInfo {
  const result = parseIdNumber(raw, options ?? { today });
  if (!result.ok) throw new Error(`expected ${raw} to parse, got ${result.code}: ${result.message}`);
  return result.value;
}

function errorCode(raw: string, options?: { today?: Date }): string {
  const result = parseIdNumber(raw, options ?? { today });
  if (result.ok) throw new Error(`expected ${raw} to be refused`);
  return result.code;
}

describe('normalizeIdNumber', () => {
  it('removes ASCII and full-width spaces and hyphens, converts full-width digits and X', () => {
    expect(normalizeIdNumber('  430522 19900101\u30001235 ')).toBe(MALE);
    expect(normalizeIdNumber('430522-19900101-1235')).toBe(MALE);
    expect(normalizeIdNumber('４３０５２２１９９００１０１１２３５')).toBe(MALE);
    expect(normalizeIdNumber('11010519491231002x')).toBe(STANDARD_X);
    expect(normalizeIdNumber('11010519491231002Ｘ')).toBe(STANDARD_X);
    expect(normalizeIdNumber('11010519491231002ｘ')).toBe(STANDARD_X);
  });
});

describe('parseIdNumber: 18 digits', () => {
  it('accepts a valid number and extracts region, birth date and sex', () => {
    expect(ok(MALE)).toEqual({
      idNumber: MALE,
      regionCode: '430522',
      birthDate: '1990-01-01',
      sex: 'male',
      convertedFrom15: false,
    });
  });

  it('accepts a number whose check character is X, in any case or width', () => {
    for (const raw of [STANDARD_X, '11010519491231002x', '11010519491231002ｘ', '110105 19491231 002X']) {
      const info = ok(raw);
      expect(info.idNumber).toBe(STANDARD_X);
      expect(info.birthDate).toBe('1949-12-31');
      expect(info.sex).toBe('female');
    }
  });

  it('accepts full-width digits and spaces', () => {
    expect(ok('４３０５２２　１９９００１０１　１２３５').idNumber).toBe(MALE);
  });

  it('refuses a wrong check character without revealing the right one', () => {
    for (const wrong of ['430522199001011236', '430522199001011230', '43052219900101123X', '110105194912310021']) {
      const result = parseIdNumber(wrong, { today });
      expect(result).toEqual({ ok: false, code: 'ID_CHECK_DIGIT', message: '身份证号校验位错误' });
    }
    // A single transposed digit is caught too.
    expect(errorCode('430522199010011235')).toBe('ID_CHECK_DIGIT');
  });

  it('derives sex from the parity of the 17th digit', () => {
    // Bodies 43052219900101 00n with their computed check characters.
    const cases: Array<[string, 'male' | 'female']> = [
      ['430522199001010013', 'male'],
      ['430522199001010021', 'female'],
      ['43052219900101003X', 'male'],
      ['430522199001010048', 'female'],
      ['430522199001010056', 'male'],
      ['430522199001010064', 'female'],
      ['430522199001010072', 'male'],
      ['430522199001010080', 'female'],
      ['430522199001010099', 'male'],
      ['430522199001011243', 'female'],
    ];
    for (const [id, sex] of cases) expect(ok(id).sex, id).toBe(sex);
  });
});

describe('parseIdNumber: legacy 15 digits', () => {
  it('converts to 18 digits by inserting 19 and computing the check character', () => {
    expect(ok('430522900101123')).toEqual({
      idNumber: MALE,
      regionCode: '430522',
      birthDate: '1990-01-01',
      sex: 'male',
      convertedFrom15: true,
    });
  });

  it('computes an X check character when due', () => {
    const info = ok('110105491231002');
    expect(info.idNumber).toBe(STANDARD_X);
    expect(info.sex).toBe('female');
    expect(info.convertedFrom15).toBe(true);
  });

  it('validates the birth date of a 15-digit number', () => {
    expect(errorCode('430522900230123')).toBe('ID_BIRTH_DATE');
    expect(errorCode('430522901301123')).toBe('ID_BIRTH_DATE');
  });
});

describe('parseIdNumber: birth date', () => {
  it('refuses dates that do not exist (check character otherwise correct)', () => {
    const feb30 = parseIdNumber('430522199002301234', { today });
    expect(feb30).toMatchObject({ ok: false, code: 'ID_BIRTH_DATE' });
    expect(!feb30.ok && feb30.message).toContain(ID_ERROR_MESSAGES.ID_BIRTH_DATE);
    expect(!feb30.ok && feb30.message).toContain('1990-02-30');
    expect(errorCode('430522202302291239')).toBe('ID_BIRTH_DATE'); // 2023 is not a leap year
  });

  it('accepts 29 February in leap years, including 2000', () => {
    expect(ok('430522202402291236').birthDate).toBe('2024-02-29');
    expect(ok('430522200002291238').birthDate).toBe('2000-02-29');
  });

  it('refuses birth dates in the future', () => {
    const result = parseIdNumber('430522203001011234', { today });
    expect(result).toMatchObject({ ok: false, code: 'ID_BIRTH_DATE' });
    expect(!result.ok && result.message).toContain('晚于今天');
  });

  it('reads "today" in China Standard Time', () => {
    const bornOn20250618 = '430522202506181234';
    // 2025-06-17 23:59:59 in Beijing: not born yet.
    expect(errorCode(bornOn20250618, { today: new Date('2025-06-17T15:59:59Z') })).toBe('ID_BIRTH_DATE');
    // 2025-06-18 00:30 in Beijing (still the 17th in UTC): born today is fine.
    expect(ok(bornOn20250618, { today: new Date('2025-06-17T16:30:00Z') }).birthDate).toBe('2025-06-18');
  });

  it('defaults "today" to now', () => {
    expect(parseIdNumber(MALE).ok).toBe(true);
    expect(parseIdNumber('430522203001011234')).toMatchObject({ ok: false, code: 'ID_BIRTH_DATE' });
  });

  it('refuses dates before 1900-01-01 and accepts that day', () => {
    expect(errorCode('43052218991231123X')).toBe('ID_BIRTH_DATE');
    // The standard's other example, born 1880, is outside the accepted range.
    expect(errorCode('440524188001010014')).toBe('ID_BIRTH_DATE');
    expect(ok('430522190001011234').birthDate).toBe('1900-01-01');
  });

  it('reports the date before the check character', () => {
    expect(errorCode('430522199002301235')).toBe('ID_BIRTH_DATE');
  });
});

describe('parseIdNumber: empty and malformed input', () => {
  it('reports empty input', () => {
    for (const raw of ['', '   ', '\u3000', ' - ']) {
      expect(parseIdNumber(raw, { today })).toEqual({ ok: false, code: 'ID_EMPTY', message: ID_ERROR_MESSAGES.ID_EMPTY });
    }
  });

  it('refuses wrong lengths and characters, saying what is accepted', () => {
    for (const raw of [
      '43052219900101123',
      '4305221990010112350',
      '43052219900101123A',
      '4305221990X1011235',
      '43052290010112X',
      '4305229001011',
      'abc',
    ]) {
      const result = parseIdNumber(raw, { today });
      expect(result, raw).toMatchObject({ ok: false, code: 'ID_FORMAT' });
      expect(!result.ok && result.message).toContain('18 位（末位可为 X）或 15 位数字');
    }
  });
});

describe('checkIdAgainst', () => {
  const info = ok(MALE);

  it('accepts matching or missing typed values', () => {
    expect(checkIdAgainst(info, { birthDate: '1990-01-01', sex: 'male' })).toEqual([]);
    expect(checkIdAgainst(info, { birthDate: '1990/1/1' })).toEqual([]);
    expect(checkIdAgainst(info, { birthDate: '19900101' })).toEqual([]);
    expect(checkIdAgainst(info, {})).toEqual([]);
    expect(checkIdAgainst(info, { birthDate: '' })).toEqual([]);
  });

  it('reports a disagreeing birth date and sex', () => {
    expect(checkIdAgainst(info, { birthDate: '1990-01-02', sex: 'female' })).toEqual([
      { field: 'birthDate', message: '出生日期与身份证号不符（身份证号为 1990-01-01）' },
      { field: 'sex', message: '性别与身份证号不符（身份证号为男）' },
    ]);
    expect(checkIdAgainst(ok(STANDARD_X), { sex: 'male' })).toEqual([{ field: 'sex', message: '性别与身份证号不符（身份证号为女）' }]);
    expect(checkIdAgainst(info, { birthDate: 'not a date' })).toHaveLength(1);
  });
});

describe('ageOn', () => {
  it('counts full years around a birthday', () => {
    expect(ageOn('1990-06-15', '2025-06-14')).toBe(34);
    expect(ageOn('1990-06-15', '2025-06-15')).toBe(35);
    expect(ageOn('1990-06-15', '2025-06-16')).toBe(35);
    expect(ageOn('1990-06-15', '2025-01-01')).toBe(34);
    expect(ageOn('1990-06-15', '2025-12-31')).toBe(35);
    expect(ageOn('2025-06-15', '2025-06-15')).toBe(0);
  });

  it('has someone born on 29 February turn older on 1 March in common years', () => {
    expect(ageOn('2000-02-29', '2023-02-28')).toBe(22);
    expect(ageOn('2000-02-29', '2023-03-01')).toBe(23);
    expect(ageOn('2000-02-29', '2024-02-28')).toBe(23);
    expect(ageOn('2000-02-29', '2024-02-29')).toBe(24);
  });

  it('throws on malformed dates or a date before birth', () => {
    expect(() => ageOn('1990-02-30', '2025-01-01')).toThrow(RangeError);
    expect(() => ageOn('1990/01/01', '2025-01-01')).toThrow(RangeError);
    expect(() => ageOn('1990-01-01', '1989-12-31')).toThrow(RangeError);
  });
});

describe('maskIdNumber', () => {
  it('keeps the first 6 and last 4 of an 18-character number', () => {
    expect(maskIdNumber(MALE)).toBe('430522********1235');
    expect(maskIdNumber(STANDARD_X)).toBe('110105********002X');
  });

  it('keeps only the last 4 of anything else, and masks short strings entirely', () => {
    expect(maskIdNumber('430522900101123')).toBe('***********1123');
    expect(maskIdNumber('12345')).toBe('*2345');
    expect(maskIdNumber('1234')).toBe('****');
    expect(maskIdNumber('')).toBe('');
  });
});

describe('maskName', () => {
  it('keeps the surname and masks the rest, whatever the length', () => {
    expect(maskName('蒋余美')).toBe('蒋**');
    expect(maskName('谢团')).toBe('谢*');
    expect(maskName('欧阳娜娜')).toBe('欧***');
    expect(maskName(' 王 ')).toBe('*');
    expect(maskName('')).toBe('');
  });
});
