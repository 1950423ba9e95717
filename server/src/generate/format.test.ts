import { describe, expect, it } from 'vitest';
import { cstDay, cstTimestamp } from './format.ts';
import { Rng } from './random.ts';

describe('generated dates in China time', () => {
  it('write what toISOString shifted by eight hours writes, to the second', () => {
    const rng = new Rng(3);
    for (let i = 0; i < 20_000; i++) {
      const ms = Date.parse('1956-01-01T00:00:00Z') + Math.floor(rng.next() * 2.3e12);
      const iso = new Date(ms + 8 * 3_600_000).toISOString();
      expect(cstDay(ms)).toBe(iso.slice(0, 10));
      expect(cstTimestamp(ms)).toBe(`${iso.slice(0, 19)}+08:00`);
    }
  });

  it('cross midnight at 16:00 UTC', () => {
    expect(cstDay(Date.parse('2017-06-30T15:59:59Z'))).toBe('2017-06-30');
    expect(cstDay(Date.parse('2017-06-30T16:00:00Z'))).toBe('2017-07-01');
    expect(cstTimestamp(Date.parse('2016-12-31T16:00:00Z'))).toBe('2017-01-01T00:00:00+08:00');
  });
});
