import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { chinaToday as webChinaToday } from '../../web/src/app/china-time.ts';
import { chinaNow, dateTime, grouped, yuan } from '../../web/src/app/format.ts';
import { chinaToday } from '../src/platform/time.ts';

/**
 * The console writes numbers without the browser's Intl (web/src/app/format.ts: a page's first
 * Intl call loads ICU's locale data, 30–80 ms of a cold load). What it writes must be what
 * `toLocaleString('zh-CN')` writes — Node has the full ICU to compare with.
 */
/** file:line of the console's sources (web/src, not the field app, nor `skip`) whose line `matches`. */
function consoleLines(matches: (line: string) => boolean, skip: string[] = []): string[] {
  const root = path.resolve(import.meta.dirname, '../../web/src');
  const found: string[] = [];
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.tsx?$/.test(entry.name)) continue;
    const relative = path.relative(root, path.join(entry.parentPath, entry.name));
    if (relative.startsWith(`field${path.sep}`) || skip.includes(relative)) continue;
    readFileSync(path.join(root, relative), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (matches(line)) found.push(`${relative}:${i + 1}`);
      });
  }
  return found;
}

describe("the console's numbers, moments and today", () => {
  const values = [
    0,
    1,
    7,
    12,
    999,
    1000,
    1001,
    12_345,
    999_999,
    1_000_000,
    1_234_567_890,
    2500,
    3500,
    0.5,
    1.005,
    2.675,
    1.0049999,
    0.125,
    0.1 + 0.2,
    1234.5,
    1234.5678,
    99.995,
    9.9999,
    1e-7,
    123_456.789_123,
    -1,
    -1234.5,
    -0.5,
    2 ** 53,
  ];
  const options = [
    {},
    { maximumFractionDigits: 0 },
    { maximumFractionDigits: 2 },
    { minimumFractionDigits: 2, maximumFractionDigits: 2 },
    { minimumFractionDigits: 1 },
  ];

  it('writes what toLocaleString("zh-CN") writes', () => {
    const differ: string[] = [];
    for (const o of options)
      for (const v of values) {
        const expected = v.toLocaleString('zh-CN', o);
        // Intl writes "-0" for a negative that rounds to nothing; the console writes 0.
        if (expected === '-0' || /^-0\.?0*$/.test(expected)) continue;
        if (grouped(v, o) !== expected) differ.push(`${v} ${JSON.stringify(o)}: ${grouped(v, o)} ≠ ${expected}`);
      }
    expect(differ).toEqual([]);
  });

  it('writes a sum of money, a negative that rounds to nothing, and a moment', () => {
    expect(yuan(12_000)).toBe('12,000 元');
    expect(yuan(1234.5, { minimumFractionDigits: 2, maximumFractionDigits: 2 })).toBe('1,234.50 元');
    expect(grouped(-0.0001, { maximumFractionDigits: 2 })).toBe('0');
    expect(grouped(Number.NaN)).toBe('NaN');
    expect(dateTime('2026-12-07T14:59:07.123Z')).toMatch(/^2026-12-0[78] \d\d:59:07$/);
  });

  it('leaves Intl out of the console (the field app sorts names by pinyin with it)', () => {
    expect(
      consoleLines(
        (line) => /\.toLocale(String|DateString|TimeString)\(|\bIntl\.|\.localeCompare\(/.test(line),
        [path.join('app', 'format.ts')],
      ),
    ).toEqual([]);
  });

  it("takes today from China's clock in any browser time zone, as the server does", () => {
    const zone = process.env.TZ;
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      // China's 04:00 and 11:00 of 8 December: the day before in UTC and west of it, the same day east.
      for (const at of ['2026-12-07T20:00:00Z', '2026-12-08T03:00:00Z']) {
        vi.setSystemTime(new Date(at));
        expect(chinaToday()).toBe('2026-12-08');
        for (const tz of ['UTC', 'America/Los_Angeles', 'Asia/Tokyo', 'Asia/Shanghai', 'Pacific/Kiritimati']) {
          process.env.TZ = tz;
          expect([webChinaToday(), chinaNow().format('YYYY-MM-DD')], `${at} ${tz}`).toEqual(['2026-12-08', '2026-12-08']);
        }
      }
    } finally {
      vi.useRealTimers();
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it("starts the console's date fields on China's today, not the browser's (dayjs() only compares instants)", () => {
    // An account's lock ends at an instant: compared with the instant now, not a day.
    expect(consoleLines((line) => line.includes('dayjs()') && !line.includes('dayjs(a.lockedUntil).isAfter(dayjs())'))).toEqual([]);
  });
});
