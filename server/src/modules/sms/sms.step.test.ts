import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { DAZHU, insertPosting, seekerCard } from '../../../test/fixtures.ts';
import { smsStep } from '../../generate/sms.step.ts';
import type { GeneratorContext } from '../../generate/generator.ts';
import { Rng } from '../../generate/random.ts';

let t: TestApp;
const context = (): GeneratorContext => ({
  preset: 'demo',
  seed: 1,
  rng: new Rng(1).fork('sms'),
  db: t.database.db,
  pool: undefined as never,
  config: t.config,
  audit: t.ctx.audit,
  progress: () => {},
});

beforeAll(async () => {
  t = await createTestApp();
  const officer = await t.login('dazhu_officer');
  for (let i = 0; i < 40; i++) {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/laborers',
      headers: { cookie: officer },
      payload: seekerCard(`43052219880303${String(i + 1).padStart(3, '0')}`, {
        name: `生成${i}`,
        ...(i % 10 ? { phone: `1360000${String(i).padStart(4, '0')}` } : {}),
      }),
    });
    expect(r.statusCode, r.body).toBe(201);
  }
  const { rows } = await sql<{ employer_id: string }>`SELECT employer_id FROM account WHERE username = 'guohui_employer'`.execute(t.ctx.db);
  await insertPosting(t.ctx.db, rows[0]!.employer_id, {
    title: '生成测试缝纫工',
    headcount: 10,
    work_region_code: DAZHU,
    food: true,
    housing: true,
  });
});
afterAll(async () => t?.close());

describe('the SMS generator step', () => {
  it('makes done campaigns with one message per (campaign, laborer), their fates and reasons, and adds nothing on a second run', async () => {
    const summary = await smsStep.run(context());
    expect(summary).toMatch(/^3 campaigns in 新邵县, \d+ messages to \d+ laborers/);
    const { rows } = await sql<{
      status: string;
      reason: string | null;
      n: string;
    }>`SELECT status, reason, count(*) AS n FROM sms_message GROUP BY 1, 2`.execute(t.ctx.db);
    const by = Object.fromEntries(rows.map((r) => [`${r.status}:${r.reason ?? ''}`, Number(r.n)]));
    expect(by['delivered:']).toBeGreaterThan(0);
    expect(by['skipped:no_phone']).toBeGreaterThan(0);
    const { rows: dup } = await sql<{
      n: string;
    }>`SELECT count(*) AS n FROM (SELECT campaign_id, laborer_id FROM sms_message GROUP BY 1, 2 HAVING count(*) > 1) d`.execute(t.ctx.db);
    expect(Number(dup[0]!.n)).toBe(0);
    const { rows: c } = await sql<{ status: string; recipients: number }>`SELECT status, recipients FROM sms_campaign ORDER BY id`.execute(
      t.ctx.db,
    );
    expect(c.map((x) => x.status)).toEqual(['done', 'done', 'done']);
    const { rows: sample } = await sql<{ body: string }>`SELECT body FROM sms_message WHERE status = 'delivered' LIMIT 1`.execute(t.ctx.db);
    expect(sample[0]!.body).toMatch(/^【湖南人社】生成\d+您好，.+招工，月薪\d+(-\d+)?元，工作地点.+。回复TD退订$/);
    // The campaigns read like any other in the console.
    const admin = await t.login('xinshao_admin');
    const list = (await t.app.inject({ method: 'GET', url: '/api/v1/sms/campaigns', headers: { cookie: admin } })).json();
    expect(list.total).toBe(3);
    expect(list.items[0].counts.delivered).toBeGreaterThan(0);
    expect(await smsStep.run(context())).toBe('sms campaigns already generated (3 campaigns)');
  });
});
