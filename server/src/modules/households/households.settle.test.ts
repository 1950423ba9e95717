import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, until } from '../../../test/helpers.ts';
import { addDays, chinaToday } from '../../platform/time.ts';
import { Rng } from '../../generate/random.ts';
import { buildHouseholdWorld, type Card, DAZHU, TUANJIE, writeCards } from './households.fixture.ts';
import * as repo from './households.repo.ts';
import { settleAllHouseholds, startHouseholdSettler } from './households.settle.ts';
import { incomeWindow } from './households.state.ts';

/**
 * The households' derived state (migration 0062) against the ledger, day by day: the hand-built
 * world of households.fixture.ts and a random one (members joining, leaving and changing role at
 * any instant, two versions on one day, jobs overlapping, open, without a wage) — settled, the
 * figures read from the derived rows must equal the figures read from the ledger on every day a
 * household's state changes and the day before, and on every ninth day of four years; marked and
 * not yet settled, they must equal them too (the marked households are read from the ledger).
 */
let t: TestApp;
const XINSHAO = '430522';
const LONGXIPU = '430522107';
const SHENZHEN = '440307';

function randomWorld(seed: number, households: number): Card[] {
  const rng = new Rng(seed);
  const day = (from: string, spanDays: number) => addDays(from, Math.floor(rng.next() * spanDays));
  const codes = Array.from({ length: households }, (_, k) => `${k % 3 ? DAZHU : TUANJIE}${String(9000 + k)}`);
  const relations = ['户主', '配偶', '子女', '父母', null] as const;
  const cards: Card[] = [];
  for (const [k, code] of codes.entries()) {
    const n = 1 + Math.floor(rng.next() * 4);
    for (let m = 0; m < n; m++) {
      const versions: Card['versions'] = [];
      let at = day('2015-06-01', 900);
      let hour = 8 + Math.floor(rng.next() * 6);
      const count = 1 + Math.floor(rng.next() * 3);
      for (let v = 0; v < count; v++) {
        const household = v > 0 && rng.next() < 0.35 ? codes[Math.floor(rng.next() * codes.length)]! : code;
        const relation = m === 0 && v === 0 ? '户主' : relations[Math.floor(rng.next() * relations.length)]!;
        const size = rng.next() < 0.2 ? null : 1 + Math.floor(rng.next() * 6);
        versions.push({ at: `${at}T${String(hour).padStart(2, '0')}:00:00+08:00`, household, relation: relation as string, size });
        // Now and then the next version comes later the same day (this one then holds no day).
        if (rng.next() < 0.15) hour += 1 + Math.floor(rng.next() * 3);
        else {
          at = day(addDays(at, 1), 500);
          hour = 8 + Math.floor(rng.next() * 6);
        }
      }
      const jobs: NonNullable<Card['jobs']> = [];
      let start = day('2015-01-01', 700);
      const jobCount = Math.floor(rng.next() * 4);
      for (let j = 0; j < jobCount; j++) {
        const open = j === jobCount - 1 && rng.next() < 0.4;
        const to = open ? undefined : day(start, 600);
        jobs.push({
          work: rng.next() < 0.5 ? XINSHAO : SHENZHEN,
          wage: rng.next() < 0.1 ? 0 : 800 + Math.floor(rng.next() * 5000),
          from: start,
          to,
          employer: '随机测试厂',
        });
        // The next job may overlap this one or start after it.
        start = to ? day(addDays(start, 1), 700) : start;
        if (open) break;
      }
      const capacity = (['full', 'full', 'partial', 'lost', 'none'] as const)[Math.floor(rng.next() * 5)]!;
      cards.push({ key: `R${k}-${m}`, village: rng.next() < 0.7 ? DAZHU : TUANJIE, capacity, versions, jobs });
    }
  }
  return cards;
}

async function both(region: string, asOf: string) {
  const window = incomeWindow(asOf);
  const line = await repo.povertyLine(t.ctx.db, Number(asOf.slice(0, 4)));
  const [derived, ledger] = [
    await repo.figures(t.ctx.db, region, asOf, window.from, line?.yuan ?? null),
    await repo.figuresFromLedger(t.ctx.db, region, asOf, window.from, line?.yuan ?? null),
  ];
  return { derived: { asOf, region, ...derived }, ledger: { asOf, region, ...ledger } };
}

async function changeDays(): Promise<string[]> {
  const { rows } = await sql<{ day: string }>`SELECT DISTINCT day::text AS day FROM household_delta`.execute(t.ctx.db);
  const days = new Set<string>();
  for (const r of rows) {
    if (r.day < '2016-01-02' || r.day > '2021-12-31') continue;
    days.add(r.day);
    days.add(addDays(r.day, -1));
  }
  return [...days].sort();
}

beforeAll(async () => {
  t = await createTestApp();
  await buildHouseholdWorld(t.ctx.db);
  await writeCards(t.ctx.db, randomWorld(20261206, 36), 9_300_000);
});
afterAll(async () => t?.close());

describe('households: derived state', () => {
  it('marked and not yet settled, the figures equal the ledger (read from it)', async () => {
    expect(await repo.dirtyCount(t.ctx.db)).toBeGreaterThan(0);
    for (const asOf of ['2016-06-30', '2017-05-01', '2017-06-30', '2018-02-28', '2019-12-31']) {
      const { derived, ledger } = await both(XINSHAO, asOf);
      expect(derived).toEqual(ledger);
    }
  });

  it('settled, the figures equal the ledger on every day a household changes, the day before, and every ninth day', async () => {
    await settleAllHouseholds(t.ctx.db);
    expect(await repo.dirtyCount(t.ctx.db)).toBe(0);
    const days = await changeDays();
    expect(days.length).toBeGreaterThan(100);
    let reaching = 0;
    for (const asOf of days) {
      const { derived, ledger } = await both(XINSHAO, asOf);
      expect(derived).toEqual(ledger);
      reaching += ledger.reachingLine;
    }
    // The world is not trivial: households reach the line on some of those days.
    expect(reaching).toBeGreaterThan(0);
    for (let asOf = '2016-01-03'; asOf < '2020-01-01'; asOf = addDays(asOf, 9)) {
      for (const region of [XINSHAO, LONGXIPU, DAZHU, TUANJIE]) {
        const { derived, ledger } = await both(region, asOf);
        expect(derived).toEqual(ledger);
      }
    }
  });

  it('settling every household again, unchanged, writes none of the sums', async () => {
    await settleAllHouseholds(t.ctx.db);
    const versions = async () =>
      (
        await sql<{ v: string }>`SELECT string_agg(xmin::text, ',' ORDER BY village_code, day) AS v FROM household_village_day`.execute(
          t.ctx.db,
        )
      ).rows[0]!.v;
    const before = await versions();
    await repo.markAll(t.ctx.db);
    expect(await settleAllHouseholds(t.ctx.db)).toBeGreaterThan(0);
    // The same row versions: no (village, day) was upserted with a difference of zero.
    expect(await versions()).toBe(before);
  });

  it('follows a change: exact before the settler runs, exact after, and nothing left marked', async () => {
    await settleAllHouseholds(t.ctx.db);
    const before = await both(XINSHAO, '2017-06-30');
    // E1 of H5 (households.fixture.ts) left the workshop on 2017-03-31: H5 has nobody at work on
    // 2017-06-30, becomes a 零就业家庭, and with 2,500 × 90 days × 12/365 = 7,397 yuan for three
    // falls below the line (3 × 3,335).
    await sql`UPDATE employment SET ended_on = '2017-03-31', end_reason = 'resigned'
               WHERE workplace_name = '大竹村扶贫车间' AND monthly_wage = 2500`.execute(t.ctx.db);
    expect(await repo.dirtyCount(t.ctx.db)).toBeGreaterThan(0);
    const marked = await both(XINSHAO, '2017-06-30');
    expect(marked.derived).toEqual(marked.ledger);
    expect(marked.ledger).toEqual({
      ...before.ledger,
      withEmployed: before.ledger.withEmployed - 1,
      zeroEmployment: before.ledger.zeroEmployment + 1,
      reachingLine: before.ledger.reachingLine - 1,
    });
    await settleAllHouseholds(t.ctx.db);
    expect(await repo.dirtyCount(t.ctx.db)).toBe(0);
    for (const asOf of ['2017-03-30', '2017-03-31', '2017-04-01', '2017-06-30', '2018-03-31', '2018-04-01']) {
      const { derived, ledger } = await both(XINSHAO, asOf);
      expect(derived).toEqual(ledger);
    }
  });

  it('a new line for a year marks every household, and the figures follow it', async () => {
    await settleAllHouseholds(t.ctx.db);
    await repo.setPovertyLine(
      t.ctx.db,
      2017,
      9000,
      (await sql<{ id: string }>`SELECT id::text FROM account LIMIT 1`.execute(t.ctx.db)).rows[0]!.id,
    );
    expect(await repo.dirtyCount(t.ctx.db)).toBeGreaterThan(0);
    await settleAllHouseholds(t.ctx.db);
    for (const asOf of ['2017-01-01', '2017-06-30', '2017-12-31']) {
      const { derived, ledger } = await both(XINSHAO, asOf);
      expect(derived).toEqual(ledger);
    }
  });

  it("a running server's background settler takes the marks of a card written through the API", async () => {
    await settleAllHouseholds(t.ctx.db);
    const stop = startHouseholdSettler(t.ctx.db, 50);
    try {
      // B2's card version of H2 ends now: from today H2 has one member on the platform.
      await sql`UPDATE laborer_version SET valid_to = now() WHERE laborer_id = (SELECT laborer_id FROM laborer_version WHERE household_code = ${`${DAZHU}0002`} AND relation_to_head = '子女' AND valid_to = 'infinity')
                 AND valid_to = 'infinity'`.execute(t.ctx.db);
      expect(await repo.dirtyCount(t.ctx.db)).toBeGreaterThan(0);
      await until(
        () => repo.dirtyCount(t.ctx.db),
        (n) => n === 0,
        'the settler to take the marks',
      );
      const { derived, ledger } = await both(XINSHAO, chinaToday());
      expect(derived).toEqual(ledger);
    } finally {
      stop();
    }
  });
});
