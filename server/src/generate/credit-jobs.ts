import { sql } from 'kysely';
import type { DbOrTx } from '../db/database.ts';

/**
 * A generated hire credits a job the employment histories already hold (brokers, teams, fairs):
 * the job becomes 就业帮扶 at the posting's employer and place, tied to its referral; a broker's
 * job goes on the broker's follow-up list. One UPDATE per 5,000 jobs.
 */
export interface CreditedJob {
  id: string;
  employer: string;
  posting: string;
  referral: number | string;
  region: string;
  occupation: string | null;
  /** The broker who follows it up, when the hire is a broker's. */
  broker?: string;
}

export async function creditJobs(db: DbOrTx, jobs: CreditedJob[]): Promise<void> {
  for (let i = 0; i < jobs.length; i += 5000) {
    const batch = jobs.slice(i, i + 5000);
    await sql`UPDATE employment e SET employer_id = x.employer, posting_id = x.posting, referral_id = x.referral, work_region_code = x.region,
        occupation_code = coalesce(x.occupation, e.occupation_code), channel = 'assisted', workplace_name = NULL, workplace_contact = NULL
      FROM unnest(${batch.map((a) => a.id)}::bigint[], ${batch.map((a) => a.employer)}::bigint[], ${batch.map((a) => a.posting)}::bigint[],
        ${batch.map((a) => String(a.referral))}::bigint[], ${batch.map((a) => a.region)}::text[], ${batch.map((a) => a.occupation)}::text[])
        AS x(id, employer, posting, referral, region, occupation)
      WHERE e.id = x.id`.execute(db);
    const followed = batch.filter((a) => a.broker);
    if (followed.length) {
      await sql`UPDATE follow_up f SET responsible_kind = 'broker', responsible_account = x.broker
        FROM unnest(${followed.map((a) => a.id)}::bigint[], ${followed.map((a) => a.broker!)}::bigint[]) AS x(id, broker) WHERE f.employment_id = x.id`.execute(
        db,
      );
    }
  }
}
