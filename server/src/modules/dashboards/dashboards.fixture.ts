import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { withinRegion } from '../../platform/access.ts';

/**
 * Small hand-made worlds for the dashboard and assessment tests: cards with their ledger
 * versions, employments, referrals with dated steps — written straight into the tables, with
 * the dates the figures are worked out from.
 */
export interface CardSpec {
  name: string;
  /** [village, valid_from, valid_to?, deleted?] per ledger version, oldest first. */
  versions: [string, string, string?, boolean?][];
  complete?: boolean;
  capacity?: 'full' | 'partial' | 'lost';
}

export async function insertCard(db: Db, spec: CardSpec): Promise<string> {
  const current = spec.versions[spec.versions.length - 1]!;
  const deleted = current[3] === true;
  const c = spec.complete ?? false;
  const { rows } = await sql<{
    id: string;
  }>`INSERT INTO laborer (id_index, id_cipher, id_masked, name, name_pinyin, name_initials, sex, birth_date,
      home_village_code, poverty_status, education, labor_capacity, health, willingness, caring, employment_status, phone_cipher, phone_masked,
      household_code, ethnicity, wanted_job_types, expected_wage, deleted_at)
    VALUES (${randomBytes(16)}, 'x', '430522********0001', ${spec.name}, 'ceshi', 'cs', 'male', '1980-01-01', ${current[0]}, 'registered', '70',
      ${spec.capacity ?? 'full'}, 'healthy', 'in_county', 'none', 'unemployed', ${c ? 'cipher' : null}, ${c ? '138****0000' : null},
      ${c ? 'H001' : null}, ${c ? '01' : null}, ${c ? ['6-05'] : []}, ${c ? 3000 : null}, ${deleted ? current[1] : null})
    RETURNING id`.execute(db);
  const id = rows[0]!.id;
  let version = 1;
  for (const [village, from, to, del] of spec.versions) {
    await sql`INSERT INTO laborer_version (laborer_id, version, valid_from, valid_to, change_kind, name, sex, birth_date, home_village_code,
        poverty_status, education, labor_capacity, health, skills, certificates, willingness, wanted_job_types, caring, flags, employment_status, deleted)
      VALUES (${id}, ${version}, ${from}, ${to ?? 'infinity'}, ${version === 1 ? 'create' : del ? 'delete' : 'update'}, ${spec.name}, 'male', '1980-01-01',
        ${village}, 'registered', '70', ${spec.capacity ?? 'full'}, 'healthy', '{}', '{}', 'in_county', '{}', 'none', '{}', 'unemployed', ${del ?? false})`.execute(
      db,
    );
    version++;
  }
  return id;
}

export async function insertEmployment(
  db: Db,
  laborerId: string,
  job: { work: string; from: string; to?: string; referralId?: string },
): Promise<string> {
  const { rows } = await sql<{
    id: string;
  }>`INSERT INTO employment (laborer_id, work_region_code, started_on, ended_on, end_reason, channel, referral_id, monthly_wage, workplace_name)
    VALUES (${laborerId}, ${job.work}, ${job.from}, ${job.to ?? null}, ${job.to ? 'resigned' : null}, 'assisted', ${job.referralId ?? null}, 3000, '测试单位')
    RETURNING id`.execute(db);
  return rows[0]!.id;
}

/** A referral with its dated steps ([status, instant] in order); its status is the last step's. */
export async function insertReferral(db: Db, laborerId: string, postingId: string, by: string, steps: [string, string][]): Promise<string> {
  const { rows } = await sql<{ id: string }>`INSERT INTO referral (laborer_id, posting_id, channel, status, created_by, updated_by)
    VALUES (${laborerId}, ${postingId}, 'staff', ${steps[steps.length - 1]![0]}, ${by}, ${by}) RETURNING id`.execute(db);
  const id = rows[0]!.id;
  for (const [status, at] of steps) {
    await sql`INSERT INTO referral_step (referral_id, status, at, by_account) VALUES (${id}, ${status}, ${at}, ${by})`.execute(db);
  }
  return id;
}

export async function accountId(db: Db, username: string): Promise<string> {
  return String((await sql<{ id: string }>`SELECT id FROM account WHERE username = ${username}`.execute(db)).rows[0]!.id);
}

/** A village under the region other than the ones given (the region tree is loaded in the template). */
export async function villageUnder(db: Db, prefix: string, notUnder: string[] = []): Promise<string> {
  const { rows } = await sql<{ code: string }>`SELECT code FROM region WHERE level = 5 AND ${withinRegion('code', prefix)}
    ORDER BY code`.execute(db);
  return rows.find((r) => !notUnder.some((n) => r.code.startsWith(n)))!.code;
}
