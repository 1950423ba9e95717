import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

/**
 * A small world built by hand around 2017-06-30 (the second article's date), whose figures are
 * worked out by hand from DOMAIN.md in stats.test.ts (and used by the e2e test). Cards are written
 * straight into the registry's tables with their ledger versions, so moves and deletions can sit at
 * exact instants; employments, services and subsidies likewise.
 */
export const DAZHU = '430522107212'; // 新邵县 龙溪铺镇 大竹村
export const TUANJIE = '430522200235'; // 新邵县 潭府乡 团结村
export const GANGGANG = '433124109269'; // 花垣县 杠杠村
export const AS_OF = '2017-06-30';

const XINSHAO = '430522';
const CHANGSHA_FURONG = '430102'; // in the province, another county
const SHENZHEN_LONGGANG = '440307'; // another province
const HUAYUAN = '433124';

type Channel = 'self_found' | 'assisted' | 'entrepreneurship' | 'public_welfare';
interface Job {
  work: string;
  channel: Channel;
  wage: number | null;
  from: string;
  to?: string;
}
interface Laborer {
  key: string;
  /** Ledger versions: from an instant (China time), in a village, deleted or not. */
  versions: { at: string; village: string; deleted?: boolean }[];
  jobs?: Job[];
}

const CREATED = '2016-03-01T10:00:00+08:00';
const at = (village: string) => [{ at: CREATED, village }];

export const LABORERS: Laborer[] = [
  // 大竹村
  { key: 'a1', versions: at(DAZHU), jobs: [{ work: XINSHAO, channel: 'self_found', wage: 2000, from: '2016-05-01' }] },
  { key: 'a2', versions: at(DAZHU), jobs: [{ work: SHENZHEN_LONGGANG, channel: 'assisted', wage: 4000, from: '2017-03-01' }] },
  { key: 'a3', versions: at(DAZHU), jobs: [{ work: CHANGSHA_FURONG, channel: 'self_found', wage: 3000, from: '2017-06-30' }] },
  {
    key: 'a4',
    versions: at(DAZHU),
    jobs: [{ work: SHENZHEN_LONGGANG, channel: 'assisted', wage: 3500, from: '2017-02-01', to: '2017-06-30' }],
  },
  {
    key: 'a5',
    versions: at(DAZHU),
    jobs: [{ work: SHENZHEN_LONGGANG, channel: 'self_found', wage: 3000, from: '2017-02-01', to: '2017-06-29' }],
  },
  { key: 'a6', versions: at(DAZHU), jobs: [{ work: XINSHAO, channel: 'entrepreneurship', wage: null, from: '2017-07-01' }] },
  { key: 'a7', versions: at(DAZHU) },
  {
    key: 'a8',
    versions: at(DAZHU),
    jobs: [
      { work: SHENZHEN_LONGGANG, channel: 'assisted', wage: 3000, from: '2016-01-10', to: '2017-01-01' },
      { work: CHANGSHA_FURONG, channel: 'assisted', wage: 2800, from: '2017-03-01' },
    ],
  },
  { key: 'a9', versions: at(DAZHU), jobs: [{ work: SHENZHEN_LONGGANG, channel: 'public_welfare', wage: 1500, from: '2017-01-01' }] },
  {
    key: 'a10',
    versions: at(DAZHU),
    jobs: [
      { work: SHENZHEN_LONGGANG, channel: 'self_found', wage: 3000, from: '2016-12-01', to: '2016-12-31' },
      { work: XINSHAO, channel: 'self_found', wage: 2500, from: '2017-01-02' },
    ],
  },
  {
    key: 'a11',
    versions: at(DAZHU),
    jobs: [{ work: SHENZHEN_LONGGANG, channel: 'self_found', wage: 3000, from: '2016-03-01', to: '2016-07-31' }],
  },
  // 团结村 and moves
  {
    key: 'b1',
    versions: [
      { at: CREATED, village: DAZHU },
      { at: '2017-05-10T09:00:00+08:00', village: TUANJIE },
    ],
    jobs: [{ work: SHENZHEN_LONGGANG, channel: 'assisted', wage: 4200, from: '2016-06-01' }],
  },
  {
    key: 'b2',
    versions: [
      { at: CREATED, village: TUANJIE },
      { at: '2017-06-30T15:00:00+08:00', village: DAZHU },
    ],
  },
  {
    key: 'b3',
    versions: [
      { at: CREATED, village: TUANJIE },
      { at: '2017-07-01T09:00:00+08:00', village: DAZHU },
    ],
    jobs: [{ work: CHANGSHA_FURONG, channel: 'self_found', wage: 3300, from: '2017-04-01' }],
  },
  {
    key: 'b4',
    versions: [
      { at: CREATED, village: TUANJIE },
      { at: '2017-06-15T11:00:00+08:00', village: TUANJIE, deleted: true },
    ],
    jobs: [{ work: SHENZHEN_LONGGANG, channel: 'assisted', wage: 3900, from: '2016-08-01' }],
  },
  {
    key: 'b5',
    versions: [
      { at: CREATED, village: TUANJIE },
      { at: '2017-07-05T11:00:00+08:00', village: TUANJIE, deleted: true },
    ],
    jobs: [{ work: XINSHAO, channel: 'assisted', wage: 2600, from: '2017-05-01' }],
  },
  {
    key: 'b6',
    versions: [{ at: '2017-07-01T10:00:00+08:00', village: TUANJIE }],
    jobs: [{ work: XINSHAO, channel: 'assisted', wage: 2600, from: '2017-07-02' }],
  },
  { key: 'b7', versions: [{ at: '2017-06-30T23:00:00+08:00', village: TUANJIE }] },
  { key: 'b8', versions: [{ at: '2017-07-01T00:00:00+08:00', village: TUANJIE }] },
  // 杠杠村 (花垣县), and a card moved from there to 大竹村
  { key: 'c1', versions: at(GANGGANG), jobs: [{ work: HUAYUAN, channel: 'self_found', wage: 2200, from: '2016-02-01' }] },
  { key: 'c2', versions: at(GANGGANG), jobs: [{ work: XINSHAO, channel: 'assisted', wage: 2700, from: '2017-02-15' }] },
  { key: 'c3', versions: at(GANGGANG) },
  {
    key: 'c4',
    versions: at(GANGGANG),
    jobs: [{ work: SHENZHEN_LONGGANG, channel: 'self_found', wage: 3000, from: '2017-01-15', to: '2017-05-31' }],
  },
  {
    key: 'c5',
    versions: [
      { at: CREATED, village: GANGGANG },
      { at: '2017-03-01T10:00:00+08:00', village: DAZHU },
    ],
    jobs: [{ work: HUAYUAN, channel: 'self_found', wage: 2400, from: '2016-09-01' }],
  },
];

const BASE_ID = 9_100_000;

/** Writes the world; returns each laborer's id by key. */
export async function buildHandWorld(db: Db): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  await db.transaction().execute(async (tx) => {
    for (const [i, l] of LABORERS.entries()) {
      const id = String(BASE_ID + i);
      ids[l.key] = id;
      const last = l.versions[l.versions.length - 1]!;
      const name = `统计${l.key}`;
      await sql`INSERT INTO laborer (id, id_index, id_cipher, id_masked, name, name_pinyin, name_initials, sex, birth_date, home_village_code,
          poverty_status, education, labor_capacity, health, willingness, caring, employment_status, created_at, deleted_at, version)
        VALUES (${id}, ${Buffer.from(`stats-${l.key}`)}, 'x', ${`430522********${String(1000 + i)}`}, ${name}, ${`tongji${l.key}`}, ${`tj${l.key}`},
          ${i % 2 ? 'female' : 'male'}, '1990-05-01', ${last.village}, 'registered', '70', 'full', 'healthy', 'out_of_province', 'none',
          ${l.jobs?.some((j) => !j.to) ? 'employed' : 'unemployed'}, ${l.versions[0]!.at}::timestamptz, ${last.deleted ? last.at : null}::timestamptz, ${l.versions.length})`.execute(
        tx,
      );
      for (const [v, version] of l.versions.entries()) {
        const next = l.versions[v + 1];
        await sql`INSERT INTO laborer_version (laborer_id, version, valid_from, valid_to, change_kind, name, sex, birth_date, home_village_code,
            poverty_status, education, labor_capacity, health, skills, certificates, willingness, wanted_job_types, caring, flags, employment_status, deleted)
          VALUES (${id}, ${v + 1}, ${version.at}::timestamptz, ${next ? next.at : 'infinity'}::timestamptz,
            ${v === 0 ? 'create' : version.deleted ? 'delete' : 'update'}, ${name}, ${i % 2 ? 'female' : 'male'}, '1990-05-01', ${version.village},
            'registered', '70', 'full', 'healthy', '{}', '{}', 'out_of_province', '{}', 'none', '{}', 'unemployed', ${version.deleted ?? false})`.execute(
          tx,
        );
      }
      for (const job of l.jobs ?? []) {
        await sql`INSERT INTO employment (laborer_id, work_region_code, started_on, ended_on, end_reason, monthly_wage, channel, workplace_name)
          VALUES (${id}, ${job.work}, ${job.from}::date, ${job.to ?? null}::date, ${job.to ? 'contract_ended' : null}, ${job.wage}, ${job.channel}, '统计测试单位')`.execute(
          tx,
        );
      }
    }
    // Services (person-times; the region is the home village when served).
    const services: [string, string, string, string][] = [
      ['a1', 'guidance', '2017-02-01', DAZHU],
      ['a1', 'guidance', '2017-03-01', DAZHU],
      ['a2', 'introduction', '2017-05-05', DAZHU],
      ['a3', 'training', AS_OF, DAZHU],
      ['a4', 'training', '2017-07-01', DAZHU],
      ['a5', 'entrepreneurship', '2016-12-31', DAZHU],
      ['c1', 'guidance', '2017-04-01', GANGGANG],
    ];
    for (const [key, kind, on, village] of services) {
      await sql`INSERT INTO service_record (laborer_id, region_code, kind, served_on, provider, course, hours)
        VALUES (${ids[key]}, ${village}, ${kind}, ${on}::date, '县公共就业服务中心', ${kind === 'training' ? '缝纫工' : null}, ${kind === 'training' ? 40 : null})`.execute(
        tx,
      );
    }
    // Subsidies (persons paid in the period).
    const subsidies: [string, string, string, string, string | null][] = [
      ['a1', 'training', '2017-01-01', '2017-01-31', '2017-03-10'],
      ['a1', 'training', '2017-04-01', '2017-04-30', '2017-05-10'],
      ['a2', 'social_insurance', '2017-03-01', '2017-03-31', '2017-04-01'],
      ['a3', 'job', '2017-06-01', '2017-06-30', AS_OF],
      ['a4', 'policy_support', '2017-06-01', '2017-06-30', '2017-07-02'],
      ['a5', 'policy_support', '2017-06-01', '2017-06-30', null],
      ['a8', 'policy_support', '2017-01-01', '2017-01-31', '2017-02-02'],
    ];
    for (const [key, kind, from, to, paid] of subsidies) {
      await sql`INSERT INTO subsidy (recipient, kind, laborer_id, region_code, home_region_code, amount, period_from, period_to, status, approved_at, paid_at, paid_on)
        VALUES ('laborer', ${kind}, ${ids[key]}, ${DAZHU}, ${DAZHU}, 500, ${from}::date, ${to}::date, ${paid ? 'paid' : 'approved'},
          ${from}::timestamptz, ${paid}::timestamptz, ${paid}::date)`.execute(tx);
    }
  });
  return ids;
}
