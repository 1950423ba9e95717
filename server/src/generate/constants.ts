import { chinaDay } from '../platform/time.ts';

/** Figures and dates every step shares, so that no step imports another for them. */

/** Registered poor laborers: Hunan's 1,518,662 (the second article); the demo's about 30,000 in three counties. */
export const PROVINCE_LABORERS = 1_518_662;
export const DEMO_LABORERS = 30_000;

/** Generated history ends here, so a seed always makes the same province (whatever today is). */
export const GENERATION_NOW = Date.parse('2026-11-20T18:00:00+08:00');

/** The generated province's "today" (China time): nothing is dated after it. */
export const GENERATION_DAY = chinaDay(GENERATION_NOW);

/** Half-years since the platform opened, with their volume relative to 2017's first half. */
export const HALVES: { from: string; to: string; weight: number }[] = [
  { from: '2016-07-01', to: '2016-12-31', weight: 0.04 },
  { from: '2017-01-01', to: '2017-06-30', weight: 1 },
  { from: '2017-07-01', to: '2017-12-31', weight: 0.02 },
  ...[2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025].flatMap((y) => [
    { from: `${y}-01-01`, to: `${y}-06-30`, weight: 0.003 },
    { from: `${y}-07-01`, to: `${y}-12-31`, weight: 0.003 },
  ]),
  // The current year: what the console shows first ("this year"), a little more than the years before.
  { from: '2026-01-01', to: '2026-06-30', weight: 0.02 },
  { from: '2026-07-01', to: '2026-12-31', weight: 0.02 },
].map((h) => ({ ...h, to: h.to < GENERATION_DAY ? h.to : GENERATION_DAY }));

/** Each preset's rows take ids from a fixed block, so a re-run adds nothing twice. */
export const idBase = (preset: 'demo' | 'province') => (preset === 'demo' ? 100_000_000 : 200_000_000);
