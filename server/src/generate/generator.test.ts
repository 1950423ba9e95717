import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../test/helpers.ts';
import { generate } from './generator.ts';
import { householdFiguresFromLedger, householdFiguresOn, householdMarks } from '../modules/households/index.ts';

/**
 * A whole generate of the demo preset, as `npm start` runs it on an empty database. The laborers
 * step loads its chunks in bulk-load mode (no per-row foreign-key checks or row triggers) and adds
 * each chunk's statistics itself: what it skipped must still hold when it is done — every foreign
 * key of the database, the columns the row triggers would have filled, and statistics equal to a
 * rebuild from scratch.
 */
let t: TestApp;
let steps: { step: string; summary: string }[];

beforeAll(async () => {
  t = await createTestApp();
  steps = await generate({ preset: 'demo', seed: 1, db: t.database.db, pool: t.database.pool, config: t.config, audit: t.ctx.audit });
}, 600_000);
afterAll(async () => t?.close());

const statsTables = async () => {
  const read = async (table: string, key: string) =>
    (
      await sql
        .raw<
          Record<string, unknown>
        >(`SELECT * FROM ${table} WHERE registered <> 0 OR employed <> 0 OR in_county <> 0 OR in_province <> 0 OR self_found <> 0
      OR assisted <> 0 OR wage_sum <> 0 OR wage_n <> 0 OR new_transfers <> 0 OR placed6 <> 0 OR retained6 <> 0 ORDER BY ${key}`)
        .execute(t.ctx.db)
    ).rows;
  return {
    villageDays: await read('stats_village_day', 'village_code, day'),
    countyDays: await read('stats_county_day', 'county_code, day'),
    rollups: await read('stats_rollup', 'len, code, month'),
  };
};

describe('the demo preset, generated whole', () => {
  it('loaded its laborers in bulk-load mode with statistics per chunk (the test server runs as a superuser)', () => {
    const laborers = steps.find((s) => s.step === 'laborers')!;
    expect(laborers.summary).toContain('bulk-load mode');
    expect(laborers.summary).toContain('statistics added per chunk');
    expect(steps.map((s) => s.step)).toEqual(expect.arrayContaining(['stats-pause', 'stats-resume', 'stats-targets']));
  });

  it("credits recruitment teams with hires at the article's rate (270 teams, 20,426 hires), each a job the histories hold", async () => {
    const { rows } = await sql<{ teams: string; hires: string; jobs: string }>`SELECT (SELECT count(*) FROM recruitment_team) AS teams,
        (SELECT count(*) FROM referral WHERE team_id IS NOT NULL AND status = 'hired') AS hires,
        (SELECT count(*) FROM employment e JOIN referral r ON r.id = e.referral_id WHERE r.team_id IS NOT NULL AND r.status = 'hired') AS jobs`.execute(
      t.ctx.db,
    );
    const teams = Number(rows[0]!.teams);
    const hires = Number(rows[0]!.hires);
    expect(teams).toBeGreaterThan(0);
    // The demo's 30,000 laborers are 2 % of the province: 400 hires over its 9 teams is the article's rate.
    expect(hires).toBeGreaterThan(0.6 * 400);
    expect(Number(rows[0]!.jobs)).toBe(hires);
  });

  it('puts the generated training person-times into classes: finished rosters of at most 50, each record inside its class, every occupation in the table', async () => {
    const { rows } = await sql<{
      classes: string;
      trainees: string;
      records: string;
      linked: string;
      outside: string;
      big: string;
      open: string;
    }>`
      SELECT (SELECT count(*) FROM training_class) AS classes, (SELECT count(*) FROM training_enrolment WHERE result = 'completed') AS trainees,
        (SELECT count(*) FROM service_record WHERE kind = 'training') AS records,
        (SELECT count(*) FROM service_record WHERE training_class_id IS NOT NULL) AS linked,
        (SELECT count(*) FROM service_record s JOIN training_class c ON c.id = s.training_class_id
          WHERE s.served_on NOT BETWEEN c.starts_on AND c.ends_on OR NOT EXISTS
            (SELECT 1 FROM training_enrolment e WHERE e.class_id = c.id AND e.laborer_id = s.laborer_id)) AS outside,
        (SELECT count(*) FROM (SELECT class_id FROM training_enrolment GROUP BY 1 HAVING count(*) > 50) x) AS big,
        (SELECT count(*) FROM training_class WHERE status <> 'finished') AS open`.execute(t.ctx.db);
    const r = rows[0]!;
    expect(Number(r.classes)).toBeGreaterThan(0);
    expect(Number(r.linked)).toBe(Number(r.trainees));
    // Nearly every training person-time is someone on a class roster (a second record of the same course and quarter stays alone).
    expect(Number(r.linked)).toBeGreaterThan(0.95 * Number(r.records));
    expect([r.outside, r.big, r.open].map(Number)).toEqual([0, 0, 0]);
    const { occupationByCode } = await import('../../../contracts/occupations.ts');
    const { rows: codes } = await sql<{ code: string }>`SELECT DISTINCT occupation_code AS code FROM training_class`.execute(t.ctx.db);
    expect(codes.filter((c) => !occupationByCode(c.code))).toEqual([]);
  });

  it('gives the demo employer (guohui_employer) applicants to act on', async () => {
    const { rows } = await sql<{
      status: string;
      n: string;
    }>`SELECT r.status, count(*) AS n FROM referral r JOIN posting p ON p.id = r.posting_id
      JOIN account a ON a.employer_id = p.employer_id AND a.username = 'guohui_employer' GROUP BY r.status ORDER BY r.status`.execute(
      t.ctx.db,
    );
    expect(rows.map((r) => [r.status, Number(r.n)])).toEqual([
      ['interviewed', 2],
      ['recommended', 4],
    ]);
  });

  it('writes no impossible dates or sexes: no subsidy approved before it was applied for or paid before approval; names match the sex of the ID number', async () => {
    const { rows: subsidies } = await sql<{ n: string }>`SELECT count(*) AS n FROM subsidy
      WHERE approved_at < applied_at OR paid_at < approved_at OR paid_on < (applied_at AT TIME ZONE 'Asia/Shanghai')::date`.execute(
      t.database.db,
    );
    expect(Number(subsidies[0]!.n)).toBe(0);
    // Given names that are only men's or only women's in this part of China (an independent list, not the generator's pools).
    const { rows: names } = await sql<{ sex: string; n: string }>`SELECT sex, count(*) AS n FROM laborer
      WHERE (sex = 'female' AND substr(name, 2) IN ('强', '军', '刚', '伟', '志强', '建国', '国平', '小军', '宏伟'))
         OR (sex = 'male' AND substr(name, 2) IN ('金花', '银花', '翠花', '秀英', '桂兰', '红梅', '冬梅', '淑珍', '美玲', '娟'))
      GROUP BY sex`.execute(t.database.db);
    expect(names).toEqual([]);
  });

  it('dates no record of a person before the day their card was registered (services, subsidies, referrals, fair attendance); a job may have begun before', async () => {
    // The card's registration: its first ledger version. A job the person already held when the card
    // was collected keeps its real start (docs/domain.md §2); it counts only from the registration.
    const { rows } = await sql<{ what: string; n: string }>`
      WITH reg AS (SELECT laborer_id, min(valid_from) AS at FROM laborer_version GROUP BY laborer_id)
      SELECT 'service' AS what, count(*) AS n FROM service_record s JOIN reg ON reg.laborer_id = s.laborer_id
        WHERE s.served_on < (reg.at AT TIME ZONE 'Asia/Shanghai')::date
      UNION ALL SELECT 'subsidy paid', count(*) FROM subsidy s JOIN reg ON reg.laborer_id = s.laborer_id
        WHERE s.paid_on < (reg.at AT TIME ZONE 'Asia/Shanghai')::date
      UNION ALL SELECT 'subsidy applied', count(*) FROM subsidy s JOIN reg ON reg.laborer_id = s.laborer_id
        WHERE (s.applied_at AT TIME ZONE 'Asia/Shanghai')::date < (reg.at AT TIME ZONE 'Asia/Shanghai')::date
      UNION ALL SELECT 'referral', count(*) FROM referral r JOIN reg ON reg.laborer_id = r.laborer_id WHERE r.created_at < reg.at
      UNION ALL SELECT 'fair attendance', count(*) FROM fair_attendee a JOIN reg ON reg.laborer_id = a.laborer_id WHERE a.registered_at < reg.at
      ORDER BY 1`.execute(t.database.db);
    expect(rows.map((r) => [r.what, Number(r.n)])).toEqual([
      ['fair attendance', 0],
      ['referral', 0],
      ['service', 0],
      ['subsidy applied', 0],
      ['subsidy paid', 0],
    ]);
  });

  it('gives every public_welfare job its post and holding (公益性岗位), and pays a holder’s month at most once', async () => {
    const { rows } = await sql<{ jobs: number; held: number; posts: number; months: number; paid: number }>`SELECT
        (SELECT count(*)::int FROM employment e JOIN laborer l ON l.id = e.laborer_id WHERE e.channel = 'public_welfare' AND l.deleted_at IS NULL) AS jobs,
        (SELECT count(*)::int FROM public_welfare_holding) AS held,
        (SELECT count(*)::int FROM public_welfare_post) AS posts,
        (SELECT count(*)::int FROM public_welfare_attendance) AS months,
        (SELECT count(DISTINCT subsidy_id)::int FROM public_welfare_attendance) AS paid`.execute(t.ctx.db);
    const r = rows[0]!;
    expect(r.jobs).toBeGreaterThan(50);
    expect(r.held).toBe(r.jobs);
    expect(r.posts).toBeGreaterThan(0);
    expect(r.months).toBeGreaterThan(0);
    expect(r.paid).toBe(r.months);
  });

  it('sends 湘西’s 两后生 to 济南’s technical schools: young people of 湘西 enrolled at 16–20, most finished three years on', async () => {
    const { rows } = await sql<{ n: number; xiangxi: number; jinan: number; young: number; finished: number }>`SELECT count(*)::int AS n,
        count(*) FILTER (WHERE e.region_code LIKE '4331%' AND l.home_village_code = e.region_code)::int AS xiangxi,
        count(*) FILTER (WHERE e.school_region_code LIKE '3701%')::int AS jinan,
        count(*) FILTER (WHERE age(e.started_on, l.birth_date) BETWEEN interval '16 years' AND interval '21 years')::int AS young,
        count(*) FILTER (WHERE e.finished_on = e.started_on + interval '3 years' - interval '63 days')::int AS finished
      FROM school_enrolment e JOIN laborer l ON l.id = e.laborer_id`.execute(t.ctx.db);
    const r = rows[0]!;
    expect(r.n).toBe(40);
    expect([r.xiangxi, r.jinan, r.young]).toEqual([40, 40, 40]);
    expect(r.finished).toBe(36);
  });

  it('every foreign key of the database holds', async () => {
    const { rows: keys } = await sql<{ name: string; child: string; parent: string; child_cols: string[]; parent_cols: string[] }>`
      SELECT c.conname AS name, c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent,
        array_agg(a.attname::text ORDER BY k.ord) AS child_cols, array_agg(f.attname::text ORDER BY k.ord) AS parent_cols
      FROM pg_constraint c
      CROSS JOIN LATERAL unnest(c.conkey, c.confkey) WITH ORDINALITY AS k(ck, pk, ord)
      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.ck
      JOIN pg_attribute f ON f.attrelid = c.confrelid AND f.attnum = k.pk
      WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace
      GROUP BY c.oid, c.conname, c.conrelid, c.confrelid`.execute(t.ctx.db);
    expect(keys.length).toBeGreaterThan(40);
    const q = (name: string) => `"${name.replaceAll('"', '""')}"`;
    const broken: string[] = [];
    for (const key of keys) {
      const present = key.child_cols.map((c) => `x.${q(c)} IS NOT NULL`).join(' AND ');
      const match = key.child_cols.map((c, i) => `p.${q(key.parent_cols[i]!)} = x.${q(c)}`).join(' AND ');
      const { rows } = await sql
        .raw<{ n: string }>(
          `SELECT count(*) AS n FROM ${key.child} x WHERE ${present} AND NOT EXISTS (SELECT 1 FROM ${key.parent} p WHERE ${match})`,
        )
        .execute(t.ctx.db);
      if (Number(rows[0]!.n) > 0) broken.push(`${key.name}: ${rows[0]!.n}`);
    }
    expect(broken).toEqual([]);
  });

  it("each job and follow-up carries its card's home village (and each job the months it kept), as the row triggers would have written them", async () => {
    const { rows } = await sql<{ n: string; home: string; kept: string }>`SELECT count(*) AS n,
        count(*) FILTER (WHERE e.home_village_code IS DISTINCT FROM l.home_village_code OR e.laborer_deleted <> (l.deleted_at IS NOT NULL)) AS home,
        count(*) FILTER (WHERE e.kept_months IS DISTINCT FROM employment_kept_mask(e.laborer_id, e.started_on)) AS kept
      FROM employment e JOIN laborer l ON l.id = e.laborer_id`.execute(t.ctx.db);
    expect(Number(rows[0]!.n)).toBeGreaterThan(20_000);
    expect({ home: Number(rows[0]!.home), kept: Number(rows[0]!.kept) }).toEqual({ home: 0, kept: 0 });
    // And each follow-up its card's home village (migration 0066).
    const { rows: followUps } = await sql<{ n: string; home: string }>`SELECT count(*) AS n,
        count(*) FILTER (WHERE f.home_village_code IS DISTINCT FROM l.home_village_code OR f.laborer_deleted <> (l.deleted_at IS NOT NULL)) AS home
      FROM follow_up f JOIN laborer l ON l.id = f.laborer_id`.execute(t.ctx.db);
    expect(Number(followUps[0]!.n)).toBeGreaterThan(20_000);
    expect(Number(followUps[0]!.home)).toBe(0);
  });

  it("settles every household's derived state: nothing left marked, and the county's figures read from it equal the ledger", async () => {
    expect(steps.find((s) => s.step === 'households')!.summary).toMatch(/^\d+ households settled/);
    expect(await householdMarks(t.ctx.db)).toBe(0);
    for (const asOf of ['2017-06-30', '2019-12-31']) {
      const derived = await householdFiguresOn(t.ctx.db, '430522', asOf);
      expect(derived.households).toBeGreaterThan(100);
      expect(derived).toEqual(await householdFiguresFromLedger(t.ctx.db, '430522', asOf));
    }
  });

  it('the statistics added chunk by chunk (and followed by the triggers after) equal a rebuild from scratch, and are current', async () => {
    const {
      rows: [state],
    } = await sql<{ stale_since: Date | null }>`SELECT stale_since FROM stats_state`.execute(t.ctx.db);
    expect(state!.stale_since).toBeNull();
    const generated = await statsTables();
    expect(generated.villageDays.length).toBeGreaterThan(10_000);
    expect(generated.rollups.length).toBeGreaterThan(1_000);
    await sql`SELECT stats_rebuild()`.execute(t.database.db);
    const rebuilt = await statsTables();
    expect(generated.countyDays).toEqual(rebuilt.countyDays);
    expect(generated.rollups).toEqual(rebuilt.rollups);
    expect(generated.villageDays).toEqual(rebuilt.villageDays);
  });

  it('accredits the workshops and bases with poor laborers at work, reviews them yearly, removes a few, and pays workshop subsidies only for years they were accredited through', async () => {
    const { rows } = await sql<{
      units: string;
      accredited: string;
      removed: string;
      failed: string;
      reviews: string;
      outside: string;
      subsidised: string;
    }>`
      SELECT (SELECT count(*) FROM employer WHERE kind IN ('workshop', 'base')) AS units,
             (SELECT count(DISTINCT employer_id) FROM workshop_standing WHERE act = 'accreditation') AS accredited,
             (SELECT count(*) FROM workshop_standing WHERE act = 'removal') AS removed,
             (SELECT count(*) FROM workshop_standing WHERE act = 'review' AND NOT review_passed) AS failed,
             (SELECT count(*) FROM workshop_standing WHERE act = 'review') AS reviews,
             (SELECT count(*) FROM subsidy s WHERE s.recipient = 'employer' AND s.kind <> 'retention' AND NOT EXISTS (
                SELECT 1 FROM workshop_standing a WHERE a.employer_id = s.employer_id AND a.act = 'accreditation' AND a.effective_on <= s.period_from
                  AND NOT EXISTS (SELECT 1 FROM workshop_standing r WHERE r.employer_id = s.employer_id AND r.act = 'removal'
                                    AND r.effective_on > a.effective_on AND r.effective_on <= s.period_to))) AS outside,
             (SELECT count(*) FROM subsidy s WHERE s.recipient = 'employer' AND s.kind <> 'retention') AS subsidised`.execute(t.ctx.db);
    const r = Object.fromEntries(Object.entries(rows[0]!).map(([k, v]) => [k, Number(v)]));
    expect(r.accredited / r.units).toBeGreaterThan(0.5);
    expect(r.failed).toBeGreaterThan(0);
    expect(r.removed).toBeGreaterThan(0);
    expect(r.removed).toBeLessThanOrEqual(r.failed);
    expect(r.failed / r.reviews).toBeLessThan(0.1);
    expect(r.subsidised).toBeGreaterThan(0);
    expect(r.outside).toBe(0);
  });
});
