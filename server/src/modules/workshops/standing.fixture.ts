import { sql } from 'kysely';
import type { DbOrTx } from '../../db/database.ts';

/**
 * A workshop or base accredited from a day, written as the data generator writes it (no decider,
 * no criteria): for other modules' tests whose world needs a workshop in standing — the subsidy
 * ledger refuses a workshop subsidy otherwise (issue 20 item 8).
 */
export async function accreditedSince(db: DbOrTx, employerId: string, day: string): Promise<void> {
  await sql`INSERT INTO workshop_standing (employer_id, act, effective_on) VALUES (${employerId}, 'accreditation', ${day}::date)`.execute(
    db,
  );
}
