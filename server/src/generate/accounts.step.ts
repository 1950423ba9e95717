import { sql } from 'kysely';
import { withinRegion } from '../platform/access.ts';
import { hashPassword } from '../modules/accounts/index.ts';
import { DEMO_PASSWORD, ensureDemoAccounts } from './demo-accounts.ts';
import type { GeneratorStep } from './step.ts';
import { DEMO_COUNTIES, PROVINCE } from './places.ts';

/**
 * Staff accounts for the preset's regions: an admin per city and county, an operator per township,
 * an information officer per village. Usernames come from region codes (admin_430522,
 * op_430522107, vo_430522107212), so a re-run adds nothing. Generated accounts share one argon2id
 * hash of the demo password: hashing 30,000 passwords one by one would take a quarter of an hour
 * and prove nothing about the data.
 */
export const accountsStep: GeneratorStep = {
  name: 'accounts',
  description: '工作人员账号（市县管理员、乡镇经办员、村信息员）',
  async run(ctx) {
    await ensureDemoAccounts(ctx.db, ctx.audit);
    const scopes = ctx.preset === 'demo' ? [...DEMO_COUNTIES] : [PROVINCE];
    const regions = await ctx.db
      .selectFrom('region')
      .select(['code', 'level', 'name', 'full_name'])
      .where((eb) => eb.or(scopes.map((code) => withinRegion('code', code))))
      .where('level', '>=', 2)
      .orderBy('code')
      .execute();
    const hash = await hashPassword(DEMO_PASSWORD);
    const rows = regions.map((r) => {
      const [role, prefix, suffix] =
        r.level <= 3
          ? (['admin', 'admin', '人社局管理员'] as const)
          : r.level === 4
            ? (['township_operator', 'op', '劳动保障服务站'] as const)
            : (['village_officer', 'vo', '信息员'] as const);
      return {
        username: `${prefix}_${r.code}`,
        display_name: `${r.name}${suffix}`.slice(0, 50),
        role,
        region_code: r.code,
        password_hash: hash,
      };
    });
    let inserted = 0;
    for (let i = 0; i < rows.length; i += 2000) {
      const batch = rows.slice(i, i + 2000);
      const result = await sql<{ n: number }>`
        INSERT INTO account (username, display_name, role, region_code, password_hash)
        SELECT * FROM jsonb_to_recordset(${JSON.stringify(batch)}::jsonb)
          AS r(username text, display_name text, role account_role, region_code text, password_hash text)
        ON CONFLICT (lower(username)) DO NOTHING`.execute(ctx.db);
      inserted += Number(result.numAffectedRows ?? 0);
      ctx.progress('账号', Math.min(i + batch.length, rows.length), rows.length);
    }
    return `${rows.length} staff accounts in ${scopes.join(', ')} (${inserted} new)`;
  },
};
