import { describe, expect, it, vi } from 'vitest';
import { Rng } from '../generate/random.ts';
import {
  addDays,
  addMonths,
  chinaDay,
  chinaDayEnd,
  chinaDayStart,
  chinaHour,
  chinaMidnightMs,
  chinaParts,
  chinaQuarter,
  chinaTimestamp,
  chinaToday,
  monthsLaterMs,
  yearStart,
} from './time.ts';

describe('China Standard Time', () => {
  it('turns a new day at 16:00 UTC, not at UTC midnight', () => {
    expect(chinaDay(new Date('2017-06-30T15:59:59.999Z'))).toBe('2017-06-30');
    expect(chinaDay(new Date('2017-06-30T16:00:00Z'))).toBe('2017-07-01');
    expect(chinaDay(Date.parse('2016-12-31T16:00:00Z'))).toBe('2017-01-01');
    expect(chinaTimestamp(Date.parse('2016-12-31T16:00:00Z'))).toBe('2017-01-01T00:00:00+08:00');
    expect(chinaHour(new Date('2017-06-30T15:59:59Z'))).toBe(23);
    expect(chinaHour(new Date('2017-06-30T16:00:00Z'))).toBe(0);
    expect(chinaParts(Date.parse('2016-12-31T16:00:00Z'))).toEqual({ year: 2017, month: 1, day: 1 });
    expect(chinaMidnightMs(Date.parse('2017-06-30T15:59:59Z'))).toBe(Date.parse('2017-06-30T00:00:00+08:00'));
    expect(chinaMidnightMs(Date.parse('2017-06-30T16:00:00Z'))).toBe(Date.parse('2017-07-01T00:00:00+08:00'));
  });

  it('writes what toISOString shifted by eight hours writes, to the second', () => {
    const rng = new Rng(3);
    for (let i = 0; i < 20_000; i++) {
      const ms = Date.parse('1956-01-01T00:00:00Z') + Math.floor(rng.next() * 2.3e12);
      const iso = new Date(ms + 8 * 3_600_000).toISOString();
      expect(chinaDay(ms)).toBe(iso.slice(0, 10));
      expect(chinaDay(new Date(ms))).toBe(iso.slice(0, 10));
      expect(chinaTimestamp(ms)).toBe(`${iso.slice(0, 19)}+08:00`);
    }
    expect(chinaDay(Date.parse('0999-06-30T00:00:00Z'))).toBe('0999-06-30');
    expect(() => chinaDay(new Date(Number.NaN))).toThrow(RangeError);
  });

  it('gives today as the China day of the clock, turning at 16:00 UTC', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(new Date('2017-06-30T15:59:59Z'));
      expect(chinaToday()).toBe('2017-06-30');
      vi.setSystemTime(new Date('2017-06-30T16:00:00Z'));
      expect(chinaToday()).toBe('2017-07-01');
    } finally {
      vi.useRealTimers();
    }
  });

  it('agrees with the Asia/Shanghai zone of the ICU database since 1992 (China kept summer time 1986–1991; the platform never did)', () => {
    const shanghai = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Asia/Shanghai',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      hourCycle: 'h23',
    });
    const rng = new Rng(5);
    for (let i = 0; i < 2_000; i++) {
      const ms = Date.parse('1992-01-01T00:00:00Z') + Math.floor(rng.next() * 1.2e12);
      const parts = Object.fromEntries(shanghai.formatToParts(ms).map((p) => [p.type, p.value]));
      expect(chinaDay(ms)).toBe(`${parts.year}-${parts.month}-${parts.day}`);
      expect(chinaHour(ms)).toBe(Number(parts.hour));
    }
  });

  it('starts and ends a China day at 16:00 UTC', () => {
    expect(chinaDayStart('2017-07-01').toISOString()).toBe('2017-06-30T16:00:00.000Z');
    expect(chinaDayEnd('2017-06-30').toISOString()).toBe('2017-06-30T16:00:00.000Z');
    expect(chinaDayEnd('2016-12-31').toISOString()).toBe('2016-12-31T16:00:00.000Z');
    expect(chinaDayEnd('2020-02-28').getTime() - chinaDayStart('2020-02-28').getTime()).toBe(86_400_000);
  });

  it('adds days across month, year and leap-day boundaries', () => {
    expect(addDays('2017-06-30', 1)).toBe('2017-07-01');
    expect(addDays('2016-12-31', 1)).toBe('2017-01-01');
    expect(addDays('2017-01-01', -1)).toBe('2016-12-31');
    expect(addDays('2020-02-28', 1)).toBe('2020-02-29');
    expect(addDays('2021-02-28', 1)).toBe('2021-03-01');
    expect(addDays('2020-03-01', -1)).toBe('2020-02-29');
    expect(addDays('2017-06-30', -364)).toBe('2016-07-01');
  });

  it('adds months the way PostgreSQL does: a day the month lacks becomes its last day', () => {
    expect(addMonths('2017-01-31', 1)).toBe('2017-02-28');
    expect(addMonths('2020-01-31', 1)).toBe('2020-02-29');
    expect(addMonths('2017-03-31', 1)).toBe('2017-04-30');
    expect(addMonths('2017-01-31', 3)).toBe('2017-04-30');
    expect(addMonths('2017-11-30', 3)).toBe('2018-02-28');
    expect(addMonths('2017-08-15', 12)).toBe('2018-08-15');
    expect(addMonths('2017-03-31', -1)).toBe('2017-02-28');
    expect(addMonths('2017-01-15', -4)).toBe('2016-09-15');
    expect(addMonths('2000-02-29', 16 * 12)).toBe('2016-02-29');
    expect(addMonths('2004-02-29', 16 * 12)).toBe('2020-02-29');
    expect(addMonths('2001-02-28', 16 * 12)).toBe('2017-02-28');
    expect(addMonths('1996-02-29', 12)).toBe('1997-02-28');
  });

  it('adds months on numbers as it does on strings (the generator’s form)', () => {
    for (const [day, n] of [
      ['2017-01-31', 1],
      ['2020-01-31', 1],
      ['2017-11-30', 3],
      ['2017-03-31', -1],
      ['2016-02-29', 12],
      ['2017-08-15', 12],
    ] as const) {
      const [y, m, d] = day.split('-').map(Number) as [number, number, number];
      expect(chinaDay(monthsLaterMs(y, m - 1, d, n))).toBe(addMonths(day, n));
      expect(monthsLaterMs(y, m - 1, d, n)).toBe(chinaDayStart(addMonths(day, n)).getTime());
    }
  });

  it('knows leap years: every fourth, not centuries, but every fourth century', () => {
    expect(addDays('2000-02-28', 1)).toBe('2000-02-29');
    expect(addDays('1900-02-28', 1)).toBe('1900-03-01');
    expect(addMonths('1900-01-31', 1)).toBe('1900-02-28');
    expect(addMonths('2000-01-31', 1)).toBe('2000-02-29');
    expect(chinaDay(monthsLaterMs(2100, 0, 31, 1))).toBe('2100-02-28');
    expect(chinaDay(monthsLaterMs(2400, 0, 31, 1))).toBe('2400-02-29');
  });

  it('puts a day in its quarter, from 00:00 CST of its first day to 00:00 CST after its last', () => {
    expect(chinaQuarter('2017-01-01')).toEqual({
      start: new Date('2016-12-31T16:00:00Z'),
      end: new Date('2017-03-31T16:00:00Z'),
      label: '2017Q1',
    });
    expect(chinaQuarter('2017-03-31').label).toBe('2017Q1');
    expect(chinaQuarter('2017-04-01')).toEqual({
      start: new Date('2017-03-31T16:00:00Z'),
      end: new Date('2017-06-30T16:00:00Z'),
      label: '2017Q2',
    });
    expect(chinaQuarter('2017-06-30').label).toBe('2017Q2');
    expect(chinaQuarter('2017-07-01').label).toBe('2017Q3');
    expect(chinaQuarter('2017-09-30').end).toEqual(new Date('2017-09-30T16:00:00Z'));
    expect(chinaQuarter('2017-12-31')).toEqual({
      start: new Date('2017-09-30T16:00:00Z'),
      end: new Date('2017-12-31T16:00:00Z'),
      label: '2017Q4',
    });
  });

  it('starts a year on January 1st', () => {
    expect(yearStart('2017-06-30')).toBe('2017-01-01');
    expect(yearStart('2017-01-01')).toBe('2017-01-01');
    expect(yearStart('2016-12-31')).toBe('2016-01-01');
  });
});
