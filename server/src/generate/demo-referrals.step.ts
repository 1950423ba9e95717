import { sql } from 'kysely';
import type { GeneratorStep } from './step.ts';
import { DEMO_EMPLOYER } from './demo-employers.ts';

/**
 * The demo's employer account (guohui_employer, 邵阳国辉箱包扶贫车间 in 大竹村) with applicants to act
 * on: six of 大竹村's job seekers referred to its postings by the village officer in the last two
 * weeks, two of them interviewed already, so whoever signs in as the employer can interview and
 * hire. The generated referrals go to the generated employers; without this the demo employer's
 * list was empty. Demo preset only; nothing twice.
 */
const DAZHU = '430522107212';

export const demoReferralsStep: GeneratorStep = {
  name: 'demo-referrals',
  description: '演示用人单位（国辉箱包扶贫车间）的待处理推荐',
  async run(ctx) {
    if (ctx.preset !== 'demo') return 'only the demo preset refers to the demo employer';
    const { rows: postings } = await sql<{ id: string }>`SELECT p.id::text AS id FROM posting p JOIN employer e ON e.id = p.employer_id
      WHERE e.credit_code = ${DEMO_EMPLOYER.creditCode} AND p.status = 'open' ORDER BY p.id`.execute(ctx.db);
    if (postings.length === 0) return 'the demo employer has no open postings';
    const { rows: had } = await sql`SELECT 1 FROM referral WHERE posting_id = ANY(${postings.map((p) => p.id)}::bigint[]) LIMIT 1`.execute(
      ctx.db,
    );
    if (had.length) return 'the demo employer has referrals already';
    const { rows: officer } = await sql<{ id: string }>`SELECT id::text AS id FROM account WHERE username = 'dazhu_officer'`.execute(
      ctx.db,
    );
    if (!officer.length) return 'no dazhu_officer account';
    // Job seekers of the village, of working age for the postings (18-55), with no open referral.
    const { rows: seekers } = await sql<{ id: string }>`SELECT l.id::text AS id FROM laborer l
      WHERE l.home_village_code = ${DAZHU} AND l.deleted_at IS NULL AND l.employment_status = 'unemployed'
        AND l.labor_capacity IN ('full', 'partial') AND l.willingness IN ('in_county', 'in_province')
        AND l.birth_date BETWEEN (now() - interval '55 years')::date AND (now() - interval '18 years')::date
        AND NOT EXISTS (SELECT 1 FROM referral r WHERE r.laborer_id = l.id AND r.status IN ('recommended', 'interviewed'))
      ORDER BY l.id LIMIT 6`.execute(ctx.db);
    const by = officer[0]!.id;
    const day = 86_400_000;
    const now = Date.now();
    await ctx.db.transaction().execute(async (tx) => {
      for (const [i, s] of seekers.entries()) {
        const created = new Date(now - (14 - 2 * i) * day);
        const interviewed = i < 2 ? new Date(created.getTime() + 3 * day) : null;
        const { rows } = await sql<{
          id: string;
        }>`INSERT INTO referral (laborer_id, posting_id, channel, status, created_by, created_at, updated_by, updated_at)
          VALUES (${s.id}, ${postings[i % postings.length]!.id}, 'staff', ${interviewed ? 'interviewed' : 'recommended'}, ${by}, ${created}, ${by}, ${interviewed ?? created})
          RETURNING id::text AS id`.execute(tx);
        await sql`INSERT INTO referral_step (referral_id, status, at, by_account) VALUES (${rows[0]!.id}, 'recommended', ${created}, ${by})`.execute(
          tx,
        );
        if (interviewed)
          await sql`INSERT INTO referral_step (referral_id, status, at, by_account) VALUES (${rows[0]!.id}, 'interviewed', ${interviewed}, ${by})`.execute(
            tx,
          );
      }
    });
    return `${seekers.length} of 大竹村's job seekers referred to the demo employer (${Math.min(2, seekers.length)} interviewed)`;
  },
};
