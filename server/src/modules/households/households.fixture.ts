import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

/**
 * Households built by hand around 2017 (households.test.ts works every figure out from it; the
 * browser test opens one from a card). Cards are written straight into the registry's tables
 * with their ledger versions, so a move from one household to another sits at an exact instant.
 *
 *   H1 …0001 大竹村  A1 户主 (job all year, 3,000), A2 配偶 (job from 2017-01-01, 2,000),
 *                    A3 父母 whose card is in 团结村 (丧失劳动能力); 家庭人口 4 — two members employed
 *   H2 …0002 大竹村  B1 户主, B2 子女 (部分劳动能力), no job — 零就业家庭 with able members
 *   H3 …0003 团结村  C1 户主 alone, 丧失劳动能力 / 不具备就业条件 — no able member
 *   H4 …0004 大竹村  D1 户主 (job all year, 2,400, 家庭人口 1) and D2 子女 (job all year, 3,000)
 *                    until 2017-05-10 10:00, when D2 sets up H6 of their own (分户) as its 户主
 *   H5 …0005 大竹村  E1 户主 (job from 2017-01-01, 2,500), E2 配偶 (无劳动能力); 家庭人口 3 — below
 *                    the 2017 line on 2017-05-01, above it on 2017-06-30
 */
export const DAZHU = '430522107212'; // 新邵县 龙溪铺镇 大竹村
export const TUANJIE = '430522200235'; // 新邵县 潭府乡 团结村
export const HH = (n: number) => `${DAZHU}${String(n).padStart(4, '0')}`;
export const MOVED_AT = '2017-05-10T10:00:00+08:00';

const XINSHAO = '430522';
const SHENZHEN = '440307';
const CREATED = '2016-03-01T10:00:00+08:00';

interface Version {
  at: string;
  household: string;
  relation: string;
  size: number | null;
}
export interface Card {
  key: string;
  village: string;
  capacity: 'full' | 'partial' | 'lost' | 'none';
  versions: Version[];
  jobs?: { work: string; wage: number; from: string; to?: string; employer: string }[];
}
const one = (household: string, relation: string, size: number | null): Version[] => [{ at: CREATED, household, relation, size }];

export const CARDS: Card[] = [
  {
    key: 'A1',
    village: DAZHU,
    capacity: 'full',
    versions: one(HH(1), '户主', 4),
    jobs: [{ work: SHENZHEN, wage: 3000, from: '2016-01-01', employer: '深圳电子厂' }],
  },
  {
    key: 'A2',
    village: DAZHU,
    capacity: 'full',
    versions: one(HH(1), '配偶', 4),
    jobs: [{ work: XINSHAO, wage: 2000, from: '2017-01-01', employer: '大竹村扶贫车间' }],
  },
  { key: 'A3', village: TUANJIE, capacity: 'lost', versions: one(HH(1), '父母', null) },
  { key: 'B1', village: DAZHU, capacity: 'full', versions: one(HH(2), '户主', 3) },
  { key: 'B2', village: DAZHU, capacity: 'partial', versions: one(HH(2), '子女', 3) },
  { key: 'C1', village: TUANJIE, capacity: 'lost', versions: [{ at: CREATED, household: `${TUANJIE}0003`, relation: '户主', size: 1 }] },
  {
    key: 'D1',
    village: DAZHU,
    capacity: 'full',
    versions: one(HH(4), '户主', 1),
    jobs: [{ work: XINSHAO, wage: 2400, from: '2016-01-01', employer: '新邵县建筑公司' }],
  },
  {
    key: 'D2',
    village: DAZHU,
    capacity: 'full',
    versions: [
      { at: CREATED, household: HH(4), relation: '子女', size: 2 },
      { at: MOVED_AT, household: HH(6), relation: '户主', size: 1 },
    ],
    jobs: [{ work: SHENZHEN, wage: 3000, from: '2016-03-01', employer: '深圳服装厂' }],
  },
  {
    key: 'E1',
    village: DAZHU,
    capacity: 'full',
    versions: one(HH(5), '户主', 3),
    jobs: [{ work: XINSHAO, wage: 2500, from: '2017-01-01', employer: '大竹村扶贫车间' }],
  },
  { key: 'E2', village: DAZHU, capacity: 'none', versions: one(HH(5), '配偶', 3) },
];

const BASE_ID = 9_200_000;

/** Writes the world; returns each card's id by key. */
export const buildHouseholdWorld = (db: Db): Promise<Record<string, string>> => writeCards(db, CARDS, BASE_ID);

/** Writes cards with their ledger versions and jobs, ids from `baseId` on; returns each card's id by key. */
export async function writeCards(db: Db, cards: Card[], baseId: number): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  await db.transaction().execute(async (tx) => {
    for (const [i, c] of cards.entries()) {
      const id = String(baseId + i);
      ids[c.key] = id;
      const last = c.versions[c.versions.length - 1]!;
      const name = `户测${c.key}`;
      const status = c.capacity === 'lost' || c.capacity === 'none' ? 'not_working' : c.jobs ? 'employed' : 'unemployed';
      const sex = i % 2 ? 'female' : 'male';
      await sql`INSERT INTO laborer (id, id_index, id_cipher, id_masked, phone_masked, name, name_pinyin, name_initials, sex, birth_date, home_village_code,
          household_code, relation_to_head, household_size, poverty_status, education, labor_capacity, health, willingness, caring, employment_status,
          created_at, version)
        VALUES (${id}, ${Buffer.from(`household-${baseId}-${c.key}`)}, 'x', ${`430522********${String(2000 + i)}`}, ${`138****${String(7000 + i)}`},
          ${name}, ${`huce${c.key.toLowerCase()}`}, ${`hc${c.key.toLowerCase()}`}, ${sex}, '1985-05-01', ${c.village},
          ${last.household}, ${last.relation}, ${last.size}, 'registered', '70', ${c.capacity}, 'healthy', 'in_county', 'none', ${status},
          ${c.versions[0]!.at}::timestamptz, ${c.versions.length})`.execute(tx);
      for (const [v, version] of c.versions.entries()) {
        const next = c.versions[v + 1];
        const previous = c.versions[v - 1];
        const changes = previous ? { household_code: [previous.household, version.household] } : {};
        await sql`INSERT INTO laborer_version (laborer_id, version, valid_from, valid_to, change_kind, changes, name, sex, birth_date, home_village_code,
            poverty_status, education, labor_capacity, health, skills, certificates, willingness, wanted_job_types, caring, flags, employment_status,
            household_code, relation_to_head, household_size)
          VALUES (${id}, ${v + 1}, ${version.at}::timestamptz, ${next ? next.at : 'infinity'}::timestamptz, ${v === 0 ? 'create' : 'update'},
            ${JSON.stringify(changes)}::jsonb, ${name}, ${sex}, '1985-05-01', ${c.village}, 'registered', '70', ${c.capacity}, 'healthy', '{}', '{}',
            'in_county', '{}', 'none', '{}', ${status}, ${version.household}, ${version.relation}, ${version.size})`.execute(tx);
      }
      for (const job of c.jobs ?? []) {
        await sql`INSERT INTO employment (laborer_id, work_region_code, started_on, ended_on, end_reason, monthly_wage, channel, workplace_name)
          VALUES (${id}, ${job.work}, ${job.from}::date, ${job.to ?? null}::date, ${job.to ? 'contract_ended' : null}, ${job.wage}, 'self_found', ${job.employer})`.execute(
          tx,
        );
      }
    }
  });
  return ids;
}
