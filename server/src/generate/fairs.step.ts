import { sql } from 'kysely';
import { hmacSm3 } from '../platform/crypto.ts';
import { addDays } from '../platform/time.ts';
import { idCheckChar, maskIdNumber } from '../modules/registry/index.ts';
import { fairsRepo as repo } from '../modules/fairs/index.ts';
import { openOn } from '../modules/postings/index.ts';
import type { GeneratorStep } from './step.ts';
import { DEMO_COUNTIES } from './places.ts';
import type { Rng } from './random.ts';
import { creditJobs, type CreditedJob } from './credit-jobs.ts';
import { withinRegion } from '../platform/access.ts';

/**
 * Recruitment fairs at the first article's proportions (邵阳市, 春风行动): 53 online sessions with
 * 30,000 job seekers of whom 10,829 found work; 48 offline fairs with 41,230 attendees, 4,836 of
 * them poor laborers; 10,782 intentions, 2,320 of them poor laborers'. The province preset makes
 * 邵阳's numbers over its counties; the demo a handful in the demo counties (two offline fairs
 * each, one at a village's door, and one online), scaled down per fair. Poor attendees are
 * registry cards of the county; the others are people outside the registry, kept as blind index
 * and masked number only, as the door registration keeps them. Fair ids come from a fixed block
 * per preset, each fair written in one transaction: a re-run adds nothing twice, an interrupted
 * run resumes.
 */
const OFFLINE = {
  attendees: 41_230 / 48,
  poorShare: 4_836 / 41_230,
  poorIntent: 2_320 / 4_836,
  otherIntent: (10_782 - 2_320) / (41_230 - 4_836),
};
const ONLINE = { attendees: 30_000 / 53, poorShare: 4_836 / 41_230, intent: 10_829 / 30_000 };
/** Online: 10,829 of 30,000 found work; poor attendees whose next job followed the fair (see below). */
const FAIR_HIRE_SHARE = 0.4;
const DAY_MS = 86_400_000;
/** The generator's "now" (laborers step): fairs held in the 45 days before it still have intentions in the pipeline. */
const FAIRS_NOW = Date.parse('2026-11-20T18:00:00+08:00');
const THEMES = ['春风行动', '就业援助月', '民营企业招聘月', '金秋招聘月', '东西部劳务协作'];

interface Plan {
  id: number;
  mode: 'online' | 'offline';
  county: string;
  region: string;
  village: string | null;
  heldOn: string;
  attendees: number;
  theme: string;
}

const day = (rng: Rng, from: string, days: number) => addDays(from, rng.int(0, days));

export const fairsStep: GeneratorStep = {
  name: 'fairs',
  description: '招聘会（线上/线下、进村招聘）、现场登记的参会人员与达成的就业意向',
  async run(ctx) {
    const rng = ctx.rng;
    const demo = ctx.preset === 'demo';
    const base = demo ? 100_000 : 200_000;
    const counties = demo
      ? [...DEMO_COUNTIES]
      : (await sql<{ code: string }>`SELECT code FROM region WHERE parent_code = '4305' ORDER BY code`.execute(ctx.db)).rows.map(
          (r) => r.code,
        );
    const scale = demo ? 0.15 : 1;
    const plans: Plan[] = [];
    let id = base;
    const offlineCount = demo ? counties.length * 2 : 48;
    const onlineCount = demo ? counties.length : 53;
    for (let i = 0; i < offlineCount; i++) {
      const county = counties[i % counties.length]!;
      plans.push({
        id: id++,
        mode: 'offline',
        county,
        region: county,
        village: i % 2 === 1 || !demo ? 'pick' : null,
        heldOn: day(rng, '2026-02-10', 260),
        attendees: Math.max(20, Math.round(OFFLINE.attendees * scale * (0.5 + rng.next()))),
        theme: rng.pick(THEMES),
      });
    }
    for (let i = 0; i < onlineCount; i++) {
      const county = counties[i % counties.length]!;
      plans.push({
        id: id++,
        mode: 'online',
        county,
        region: demo ? county : '4305',
        village: null,
        heldOn: day(rng, '2026-02-10', 80),
        attendees: Math.max(20, Math.round(ONLINE.attendees * scale * (0.5 + rng.next()))),
        theme: '春风行动',
      });
    }
    // Province: 邵阳's offline fairs go to villages (易地搬迁安置点, 村部) one time in three.
    if (!demo) for (const p of plans) if (p.village === 'pick') p.village = rng.next() < 1 / 3 ? 'pick' : null;

    const { rows: existing } = await sql<{ id: string }>`SELECT id FROM fair WHERE id >= ${base} AND id < ${base + 100_000}`.execute(
      ctx.db,
    );
    const done = new Set(existing.map((r) => Number(r.id)));
    const openPostings = (
      await sql<{ id: string }>`SELECT id FROM posting p WHERE ${openOn('p', '2026-11-20')}
      ORDER BY id LIMIT 5000`.execute(ctx.db)
    ).rows.map((r) => String(r.id));
    if (!openPostings.length) return 'no open postings: run the postings step first';
    const names = new Map(
      (
        await sql<{
          code: string;
          name: string;
        }>`SELECT code, name FROM region WHERE code = ANY(${[...new Set([...counties, '4305'])]}::text[])`.execute(ctx.db)
      ).rows.map((r) => [r.code, r.name]),
    );
    const indexKey = ctx.config.secrets.identifierIndexKey;
    let added = 0;
    let attendeesAdded = 0;
    let intentionsAdded = 0;
    let hiresAdded = 0;
    // Fair referrals and their steps are by the organising county's bureau admin (or any province admin).
    const { rows: admins } = await sql<{ id: string; region_code: string }>`SELECT id::text AS id, region_code FROM account
      WHERE role = 'admin' AND status = 'active' ORDER BY length(region_code) DESC, id`.execute(ctx.db);

    type CardRow = { id: string; hex: string; id_masked: string; home_village_code: string; village: string };
    const cardsOf = new Map<string, CardRow[]>();
    for (const plan of plans) {
      // Every draw happens whether or not the fair is already there, so a resumed run makes the same fairs.
      const fairRng = rng.fork(`fair-${plan.id}`);
      if (done.has(plan.id)) continue;
      const organiser = (admins.find((a) => plan.county.startsWith(a.region_code)) ?? admins[0])?.id ?? null;
      // A county's cards are read once for all its fairs (a county holds ~20,000).
      let cards = cardsOf.get(plan.county);
      if (!cards) {
        cards = (
          await sql<CardRow>`SELECT l.id, encode(l.id_index, 'hex') AS hex,
            l.id_masked, l.home_village_code, r.name AS village
          FROM laborer l JOIN region r ON r.code = l.home_village_code
          WHERE ${withinRegion('l.home_village_code', plan.county)} AND l.deleted_at IS NULL ORDER BY l.id`.execute(ctx.db)
        ).rows;
        cardsOf.set(plan.county, cards);
      }
      let village: { code: string; name: string } | null = null;
      let pool = cards;
      if (plan.village && !cards.length) {
        // A county without cards yet (a bare database): still a village's door.
        const { rows: villages } = await sql<{ code: string; name: string }>`SELECT code, name FROM region
          WHERE level = 5 AND ${withinRegion('code', plan.county)} ORDER BY code LIMIT 500`.execute(ctx.db);
        if (villages.length) village = fairRng.pick(villages);
      } else if (plan.village) {
        const c = fairRng.pick(cards);
        village = { code: c.home_village_code, name: c.village };
        // At a village's door the poor attendees are mostly the village's own, the rest from around.
        pool = [
          ...cards.filter((x) => x.home_village_code === c.home_village_code),
          ...cards.filter((x) => x.home_village_code !== c.home_village_code).slice(0, 300),
        ];
      }
      const place = names.get(plan.county) ?? plan.county;
      const title =
        plan.mode === 'online'
          ? `${names.get(plan.region) ?? ''}${plan.theme}线上招聘会（第${plan.id - base + 1}场）`
          : village
            ? `${village.name}“送岗上门”招聘会`
            : `${place}${plan.theme}专场招聘会`;
      const poorWanted = Math.min(
        pool.length,
        Math.round(plan.attendees * (plan.mode === 'online' ? ONLINE.poorShare : OFFLINE.poorShare)),
      );
      // Job seekers come to fairs: about half the poor attendees are laborers whose next job (in the
      // employment histories) began within 60 days after the fair — the fair's hires, below.
      const { rows: upcoming } = await sql<{
        laborer_id: string;
      }>`SELECT DISTINCT e.laborer_id::text AS laborer_id FROM employment e JOIN laborer l ON l.id = e.laborer_id
        WHERE ${withinRegion('l.home_village_code', plan.county)} AND e.referral_id IS NULL
          AND e.channel IN ('self_found', 'assisted') AND e.started_on > ${plan.heldOn}::date AND e.started_on <= ${plan.heldOn}::date + 60`.execute(
        ctx.db,
      );
      const soon = new Set(upcoming.map((r) => r.laborer_id));
      const seekers = sample(
        fairRng,
        pool.filter((c) => soon.has(String(c.id))),
        Math.round(poorWanted * FAIR_HIRE_SHARE),
      );
      const picked = new Set(seekers.map((c) => String(c.id)));
      const poor = [
        ...seekers,
        ...sample(
          fairRng,
          pool.filter((c) => !picked.has(String(c.id))),
          poorWanted - seekers.length,
        ),
      ];
      const others = new Set<string>();
      while (others.size < plan.attendees - poor.length) others.add(strangerId(fairRng, plan.county));
      const postings = sample(fairRng, openPostings, fairRng.int(8, 20));
      await ctx.db.transaction().execute(async (tx) => {
        const { rows } = await sql<{
          id: string;
        }>`INSERT INTO fair (id, title, mode, held_on, region_code, place_region_code, address, village_code, organiser_name)
          VALUES (${plan.id}, ${title}, ${plan.mode}, ${plan.heldOn}, ${village && plan.region === plan.county ? plan.county : plan.region},
            ${village?.code ?? plan.county}, ${plan.mode === 'online' ? null : village ? `${village.name}村部` : `${place}人力资源市场`},
            ${village?.code ?? null}, ${`${names.get(plan.region) ?? ''}人力资源和社会保障局`})
          ON CONFLICT (id) DO NOTHING RETURNING id`.execute(tx);
        if (!rows.length) return;
        await repo.addParticipants(tx, String(plan.id), [], postings);
        const inserted = await repo.insertAttendees(tx, String(plan.id), null, [
          ...poor.map((c) => ({
            laborerId: String(c.id),
            idHex: c.hex,
            idMasked: c.id_masked,
            phoneHex: null,
            phoneMasked: null,
            poor: true,
          })),
          ...[...others].map((n) => ({
            laborerId: null,
            idHex: hmacSm3(indexKey, 'id:', n).toString('hex'),
            idMasked: maskIdNumber(n),
            phoneHex: null,
            phoneMasked: null,
            poor: false,
          })),
        ]);
        const attendeeIds: string[] = [];
        const postingIds: string[] = [];
        for (const a of inserted) {
          const rate = plan.mode === 'online' ? ONLINE.intent : a.laborer_id !== null ? OFFLINE.poorIntent : OFFLINE.otherIntent;
          if (fairRng.next() < rate) {
            attendeeIds.push(String(a.id));
            postingIds.push(fairRng.pick(postings));
          }
        }
        await sql`INSERT INTO fair_intention (fair_id, attendee_id, posting_id, created_at)
          SELECT ${plan.id}, a, p, ${plan.heldOn}::date FROM unnest(${attendeeIds}::bigint[], ${postingIds}::bigint[]) AS t(a, p)`.execute(
          tx,
        );
        // Each poor attendee's intention is a fair-channel referral; where the laborer's next job began
        // within 60 days it is that job's hire (the job then names the posting's employer and place).
        const { rows: intents } = await sql<{
          id: string;
          laborer_id: string;
          posting_id: string;
          employer_id: string;
          work_region_code: string;
          occupation_code: string;
        }>`
          SELECT i.id::text AS id, a.laborer_id::text AS laborer_id, i.posting_id::text AS posting_id, p.employer_id::text AS employer_id, p.work_region_code, p.occupation_code
          FROM fair_intention i JOIN fair_attendee a ON a.id = i.attendee_id JOIN posting p ON p.id = i.posting_id
          WHERE i.fair_id = ${plan.id} AND a.laborer_id IS NOT NULL ORDER BY i.id`.execute(tx);
        const { rows: jobs } = await sql<{
          id: string;
          laborer_id: string;
          started_on: string;
        }>`SELECT DISTINCT ON (laborer_id) id::text AS id,
            laborer_id::text AS laborer_id, started_on::text AS started_on FROM employment
          WHERE laborer_id = ANY(${intents.map((i) => i.laborer_id)}::bigint[]) AND referral_id IS NULL AND channel IN ('self_found', 'assisted')
            AND started_on > ${plan.heldOn}::date AND started_on <= ${plan.heldOn}::date + 60 ORDER BY laborer_id, started_on`.execute(tx);
        const jobOf = new Map(jobs.map((j) => [j.laborer_id, j]));
        const held = Date.parse(`${plan.heldOn}T10:00:00+08:00`);
        const recent = FAIRS_NOW - held < 45 * DAY_MS;
        // The referrals, their two steps, the intentions' links and the hires' jobs: a statement each.
        const made: { intention: string; laborer: string; posting: string; status: string; created: string; closed: string }[] = [];
        const hires: (Omit<CreditedJob, 'referral'> & { laborer: string })[] = [];
        for (const i of intents) {
          const job = jobOf.get(i.laborer_id);
          if ((!job && recent) || !organiser) continue; // still in the pipeline: left to the staff's follow-up of the intention
          jobOf.delete(i.laborer_id);
          const start = job ? Date.parse(`${job.started_on}T09:00:00+08:00`) : 0;
          const status = job ? 'hired' : fairRng.next() < 0.7 ? 'not_hired' : 'withdrawn';
          const closed = job ? Math.max(held + DAY_MS, start - DAY_MS) : held + fairRng.int(3, 20) * DAY_MS;
          made.push({
            intention: i.id,
            laborer: i.laborer_id,
            posting: i.posting_id,
            status,
            created: new Date(held).toISOString(),
            closed: new Date(closed).toISOString(),
          });
          if (job)
            hires.push({
              id: job.id,
              laborer: i.laborer_id,
              employer: i.employer_id,
              posting: i.posting_id,
              region: i.work_region_code,
              occupation: i.occupation_code,
            });
        }
        if (made.length) {
          // One intention per attendee, so a fair's referrals are told apart by their laborer.
          const { rows: refs } = await sql<{
            id: string;
            laborer_id: string;
          }>`INSERT INTO referral (laborer_id, posting_id, channel, status, created_by, created_at, updated_by, updated_at)
            SELECT l, p, 'fair', s, ${organiser}, c, ${organiser}, d
            FROM unnest(${made.map((m) => m.laborer)}::bigint[], ${made.map((m) => m.posting)}::bigint[], ${made.map((m) => m.status)}::text[],
              ${made.map((m) => m.created)}::timestamptz[], ${made.map((m) => m.closed)}::timestamptz[]) AS x(l, p, s, c, d)
            RETURNING id::text AS id, laborer_id::text AS laborer_id`.execute(tx);
          const referralOf = new Map(refs.map((r) => [r.laborer_id, r.id]));
          const ids = made.map((m) => referralOf.get(m.laborer)!);
          await sql`INSERT INTO referral_step (referral_id, status, at, by_account)
            SELECT r, st.status, st.at, ${organiser} FROM unnest(${ids}::bigint[], ${made.map((m) => m.status)}::text[],
              ${made.map((m) => m.created)}::timestamptz[], ${made.map((m) => m.closed)}::timestamptz[]) AS x(r, s, c, d)
            CROSS JOIN LATERAL (VALUES ('recommended', x.c), (x.s, x.d)) AS st(status, at)`.execute(tx);
          await sql`UPDATE fair_intention f SET referral_id = x.r FROM unnest(${made.map((m) => m.intention)}::bigint[], ${ids}::bigint[]) AS x(i, r)
            WHERE f.id = x.i`.execute(tx);
          await creditJobs(
            tx,
            hires.map(({ laborer, ...h }) => ({ ...h, referral: referralOf.get(laborer)! })),
          );
          hiresAdded += hires.length;
        }
        added++;
        attendeesAdded += inserted.length;
        intentionsAdded += attendeeIds.length;
      });
      ctx.progress('招聘会', plans.indexOf(plan) + 1, plans.length);
    }
    // Fair ids come from fixed blocks: keep the identity sequence past them for fairs staff create.
    await sql`SELECT setval(pg_get_serial_sequence('fair', 'id'), greatest((SELECT max(id) FROM fair), 1))`.execute(ctx.db);
    return `${added} fairs added (${plans.length - added} already there), ${attendeesAdded} attendees, ${intentionsAdded} intentions, ${hiresAdded} hires`;
  },
};

function sample<T>(rng: Rng, items: readonly T[], n: number): T[] {
  const copy = items.slice();
  const k = Math.min(n, copy.length);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rng.next() * (copy.length - i));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, k);
}

/** A valid ID number of someone from the county who is not on the registry. */
function strangerId(rng: Rng, county: string): string {
  const year = rng.int(1966, 2004);
  const body = `${county.slice(0, 6)}${year}${String(rng.int(1, 12)).padStart(2, '0')}${String(rng.int(1, 28)).padStart(2, '0')}${String(rng.int(0, 999)).padStart(3, '0')}`;
  return body + idCheckChar(body);
}
