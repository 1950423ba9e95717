import { sql } from 'kysely';
import type { Db } from '../src/db/database.ts';
import { idCheckChar } from '../src/modules/registry/identity.ts';
import { creditCodeCheckChar } from '../src/modules/employers/credit-code.ts';

/**
 * Test data the API tests share: valid identifiers, and employers and postings put straight into
 * the database where no demo account may create them (an employer in 深圳, say).
 */
export const DAZHU = '430522107212';

/** A GB 11643 ID number from its first 17 characters. */
export const makeId = (body17: string) => body17 + idCheckChar(body17);
/** A GB 32100 credit code from its first 17 characters. */
export const creditCode = (body17: string) => body17 + creditCodeCheckChar(body17);

/** A laborer card for POST /api/v1/laborers: a job seeker of 大竹村 unless told otherwise. */
export const seekerCard = (body17: string, extra: Record<string, unknown> = {}) => ({
  idNumber: makeId(body17),
  name: '测试人',
  homeVillageCode: DAZHU,
  povertyStatus: 'registered',
  education: '70',
  laborCapacity: 'full',
  health: 'healthy',
  willingness: 'in_county',
  caring: 'none',
  employmentStatus: 'unemployed',
  ...extra,
});

export async function insertEmployer(db: Db, code: string, name: string, region: string, kind = 'ordinary'): Promise<string> {
  const { rows } = await sql<{ id: string }>`INSERT INTO employer (credit_code, name, region_code, kind)
    VALUES (${code}, ${name}, ${region}, ${kind}) RETURNING id`.execute(db);
  return rows[0]!.id;
}

export interface PostingFixture {
  title: string;
  occupation_code?: string;
  work_region_code: string;
  headcount: number;
  wage_min?: number;
  wage_max?: number;
  food?: boolean;
  housing?: boolean;
  age_min?: number;
  age_max?: number;
  min_education?: string | null;
  skills?: string[];
  reserved_for_poor?: boolean;
  valid_to?: string;
  status?: 'open' | 'closed';
}

/** An open posting valid since 2020 until 2099 unless told otherwise. */
export async function insertPosting(db: Db, employerId: string, fields: PostingFixture): Promise<string> {
  const f = {
    occupation_code: '6-05-01-03',
    wage_min: 2600,
    wage_max: 3600,
    age_min: 16,
    age_max: 60,
    food: false,
    housing: false,
    min_education: null,
    skills: [],
    reserved_for_poor: false,
    valid_to: '2099-12-31',
    status: 'open',
    ...fields,
  };
  const { rows } = await sql<{
    id: string;
  }>`INSERT INTO posting (employer_id, title, occupation_code, work_region_code, headcount, wage_min, wage_max,
      food, housing, age_min, age_max, min_education, skills, reserved_for_poor, valid_from, valid_to, status)
    VALUES (${employerId}, ${f.title}, ${f.occupation_code}, ${f.work_region_code}, ${f.headcount}, ${f.wage_min}, ${f.wage_max},
      ${f.food}, ${f.housing}, ${f.age_min}, ${f.age_max}, ${f.min_education}, ${f.skills}, ${f.reserved_for_poor}, '2020-01-01', ${f.valid_to}, ${f.status})
    RETURNING id`.execute(db);
  return rows[0]!.id;
}
