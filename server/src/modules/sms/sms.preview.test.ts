import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { DEFAULT_TEMPLATE } from '../../../../contracts/sms.ts';
import { createTestApp, until, type TestApp } from '../../../test/helpers.ts';
import { DAZHU, insertPosting, seekerCard } from '../../../test/fixtures.ts';
import { compileTemplate, renderTemplate, segmentsOf, withSignature } from './template.ts';

/**
 * Issue 16 item 4b, "one fact, one source": the preview's recipients are the campaign's (the
 * preview said 6,607, the campaign composed from the same form 5,155: those without an eligible
 * posting were dropped later); the preview says how many get no posting and what the campaign
 * bills; the default template bills one segment; creator and approver are named by account.
 */

// A public address of a realistic length: the link is the longest field of a message.
const PUBLIC_URL = 'https://jy.hn.gov.cn';
let t: TestApp;
let operator: string;
let county: string;

const call = (method: 'GET' | 'POST', url: string, cookie: string, payload?: object) =>
  t.app.inject({ method, url, headers: { cookie }, payload });
const filters = { region: DAZHU, employmentStatus: 'unemployed' };

beforeAll(async () => {
  t = await createTestApp({ LAOWU_SMS_QUIET_HOURS: 'off', LAOWU_PUBLIC_URL: PUBLIC_URL });
  await t.sms.start({ smscPort: 0, sender: { idleMs: 50, settleGraceMs: 200 } });
  [operator, county] = await Promise.all(['longxipu_operator', 'xinshao_admin'].map((u) => t.login(u)));
  const officer = await t.login('dazhu_officer');
  const cards = [
    seekerCard('43052219900101001', { name: '吴春花', phone: '13900000011' }),
    seekerCard('43052219910101002', { name: '吴秋月', phone: '13900000012' }),
    seekerCard('43052219920101003', { name: '龙冬梅', phone: '13900000013' }),
    // Picked by the filters (unemployed, in the village) but unable to work: no posting fits, no message goes to her.
    seekerCard('43052219700101004', { name: '石桂英', phone: '13900000014', laborCapacity: 'lost' }),
    seekerCard('43052219930101005', { name: '无手机' }),
  ];
  for (const card of cards) {
    const r = await call('POST', '/api/v1/laborers', officer, card);
    expect(r.statusCode, r.body).toBe(201);
  }
  const { rows } = await sql<{ employer_id: string }>`SELECT employer_id FROM account WHERE username = 'guohui_employer'`.execute(t.ctx.db);
  await insertPosting(t.ctx.db, rows[0]!.employer_id, {
    title: '箱包缝纫工',
    headcount: 10,
    work_region_code: DAZHU,
    wage_min: 3000,
    wage_max: 4500,
  });
});
afterAll(async () => t?.close());

describe('the SMS preview and the campaign say the same', () => {
  let previewed: { recipients: number; segments: number; noPosting: number; matched: number };

  it('counts only those who will get a message: the ones without an eligible posting are named as such, with the segments billed', async () => {
    const r = await call('POST', '/api/v1/sms/preview', operator, { filters, template: DEFAULT_TEMPLATE });
    expect(r.statusCode, r.body).toBe(200);
    const p = r.json();
    expect(p).toMatchObject({ matched: 5, recipients: 3, noPosting: 1, segments: 3 });
    expect(p.skipped).toEqual(
      expect.arrayContaining([
        { reason: 'no_phone', label: '无手机号', count: 1 },
        { reason: 'no_posting', label: '没有匹配的岗位', count: 1 },
      ]),
    );
    const older = p.samples.find((s: { laborer: { name: string } }) => s.laborer.name === '石桂英');
    expect(older.skip).toBe('没有匹配的岗位');
    previewed = p;
  });

  it('the campaign saved from the same form composes exactly the previewed recipients and segments', async () => {
    const created = await call('POST', '/api/v1/sms/campaigns', operator, { name: '大竹村岗位推送', filters, template: DEFAULT_TEMPLATE });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id;
    expect((await call('POST', `/api/v1/sms/campaigns/${id}/submit`, operator)).statusCode).toBe(200);
    const pending = await until(
      () => call('GET', `/api/v1/sms/campaigns/${id}`, operator).then((x) => x.json()),
      (c) => c.status !== 'composing',
    );
    expect(pending.status).toBe('pending_approval');
    expect(pending.recipients).toBe(previewed.recipients);
    expect(pending.segments).toBe(previewed.segments);
    expect(pending.counts.skipped).toBe(previewed.matched - previewed.recipients);
    expect(pending.reasons).toEqual(
      expect.arrayContaining([expect.objectContaining({ reason: 'no_posting', count: previewed.noPosting })]),
    );

    // Creator and approver are accounts: named by username and display name, never by a display name alone.
    const approved = await call('POST', `/api/v1/sms/campaigns/${id}/approve`, county, {});
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json().createdBy).toEqual({ username: 'longxipu_operator', displayName: expect.any(String) });
    expect(approved.json().decidedBy).toEqual({ username: 'xinshao_admin', displayName: expect.any(String) });
  });

  it('the default template bills one segment (70 characters with the 【signature】) for typical names, posting and link', async () => {
    const template = compileTemplate(DEFAULT_TEMPLATE);
    expect(template.postingsNeeded).toBe(1);
    const { rows } = await sql<{
      body: string;
      segments: number;
    }>`SELECT body, segments FROM sms_message WHERE status <> 'skipped'`.execute(t.ctx.db);
    expect(rows.length).toBe(3);
    for (const m of rows) {
      expect(m.segments, m.body).toBe(1);
      expect(m.body).toMatch(/^【湖南人社】.{2,3}：.+月薪\d+(-\d+)?元，https:\/\/jy\.hn\.gov\.cn\/m\/[0-9a-z]+ 回TD退订$/);
    }
    // A full-size typical case: a three-character name, a six-character title, a six-character place
    // (city and county), a wage range, and the link of a message id in the tens of millions (5 characters).
    const text = withSignature(
      '湖南人社',
      renderTemplate(template, {
        name: '欧阳春',
        link: `${PUBLIC_URL}/m/${(50_000_000).toString(36)}`,
        postings: [{ id: '1', title: '电子装配普工', employerName: '东莞某电子厂', wageMin: 4500, wageMax: 6000, place: '东莞市长安镇' }],
      }),
    );
    expect(segmentsOf(text), text).toBe(1);
  });
});
