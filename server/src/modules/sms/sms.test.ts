import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, until, type TestApp } from '../../../test/helpers.ts';
import { DAZHU, insertPosting, seekerCard } from '../../../test/fixtures.ts';
import { loadConfig } from '../../config.ts';
import { chinaToday } from '../../platform/time.ts';
import { inQuietHours } from '../../tasks/sms-sender.ts';
import { compileTemplate, linkCode, messageIdOfCode, segmentsOf, withSignature } from './template.ts';

describe('templates and segments', () => {
  it('counts 70 characters as one message and longer text in parts of 67, the 【signature】 included', () => {
    expect(segmentsOf('字'.repeat(70))).toBe(1);
    expect(segmentsOf('字'.repeat(71))).toBe(2);
    expect(segmentsOf('字'.repeat(134))).toBe(2);
    expect(segmentsOf('字'.repeat(135))).toBe(3);
    const signed = withSignature('湖南人社', '字'.repeat(64));
    expect([...signed].length).toBe(70);
    expect(segmentsOf(signed)).toBe(1);
    expect(segmentsOf(withSignature('湖南人社', '字'.repeat(65)))).toBe(2);
  });

  it('knows its fields and refuses unknown ones and stray braces', () => {
    expect(compileTemplate('{姓名}您好，{岗位1}{月薪1}，{岗位2}，详见{链接}').postingsNeeded).toBe(2);
    expect(() => compileTemplate('{姓名}您好，{工资}')).toThrow('模板中有未知字段：{工资}');
    expect(() => compileTemplate('{姓名您好')).toThrow(/大括号/);
  });

  it('turns message ids into short link codes and back', () => {
    expect(messageIdOfCode(linkCode('123456789'))).toBe('123456789');
    expect(messageIdOfCode('A!')).toBeNull();
  });

  it('keeps quiet hours 21:00–08:00 China time', () => {
    const config = loadConfig({ NODE_ENV: 'test', LAOWU_DATA_DIR: 'var/test-sms' }).sms;
    expect(inQuietHours(config, new Date('2026-11-24T13:30:00Z'))).toBe(true); // 21:30 CST
    expect(inQuietHours(config, new Date('2026-11-23T23:59:00Z'))).toBe(true); // 07:59 CST
    expect(inQuietHours(config, new Date('2026-11-24T00:00:00Z'))).toBe(false); // 08:00 CST
    expect(inQuietHours(config, new Date('2026-11-24T12:59:00Z'))).toBe(false); // 20:59 CST
  });
});

const PHONES = ['13900000001', '13900000002', '13900000003', '13900000004'];
let t: TestApp;
let county: string;
let operator: string;
let officer: string;
let guzhang: string;
const laborerIds: string[] = [];
let noPhoneId: string;

const call = (method: 'GET' | 'POST', url: string, cookie: string, payload?: object) =>
  t.app.inject({ method, url, headers: { cookie }, payload });
const TEMPLATE = '{姓名}您好，{岗位1}招工，月薪{月薪1}，工作地点{地点1}。详情及申请：{链接} 回复TD退订';
const filters = { region: DAZHU, employmentStatus: 'unemployed' };

beforeAll(async () => {
  t = await createTestApp({ LAOWU_SMS_QUIET_HOURS: 'off', LAOWU_PUBLIC_URL: 'http://m.test' });
  await t.sms.start({ smscPort: 0, sender: { idleMs: 50, settleGraceMs: 200 } });
  [county, operator, officer, guzhang] = await Promise.all(
    ['xinshao_admin', 'longxipu_operator', 'dazhu_officer', 'guzhang_admin'].map((u) => t.login(u)),
  );
  for (let i = 0; i < PHONES.length; i++) {
    const r = await call(
      'POST',
      '/api/v1/laborers',
      officer,
      seekerCard(`43052219900101${String(i + 1).padStart(3, '0')}`, { name: `短信${i + 1}`, phone: PHONES[i] }),
    );
    expect(r.statusCode, r.body).toBe(201);
    laborerIds.push(r.json().id);
  }
  const none = await call('POST', '/api/v1/laborers', officer, seekerCard('43052219900102001', { name: '无手机' }));
  expect(none.statusCode, none.body).toBe(201);
  noPhoneId = none.json().id;
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

describe('a campaign from compose to delivery', () => {
  let id: string;

  it('previews real recipients with their own posting, the count and the segments; audited', async () => {
    const r = await call('POST', '/api/v1/sms/preview', operator, { filters, template: TEMPLATE });
    expect(r.statusCode, r.body).toBe(200);
    const p = r.json();
    expect(p.matched).toBe(5);
    expect(p.recipients).toBe(4);
    expect(p.skipped).toEqual([{ reason: 'no_phone', label: '无手机号', count: 1 }]);
    const first = p.samples.find((s: { laborer: { name: string } }) => s.laborer.name === '短信1');
    expect(first.text).toMatch(
      /^【湖南人社】短信1您好，\S+招工，月薪\d+-\d+元，工作地点\S+。详情及申请：http:\/\/m\.test\/m\/[0-9a-z]+ 回复TD退订$/,
    );
    expect(first.segments).toBe(first.chars <= 70 ? 1 : Math.ceil(first.chars / 67));
    expect(first.laborer.phoneMasked).toBe('139****0001');
    expect(p.samples.find((s: { laborer: { name: string } }) => s.laborer.name === '无手机').skip).toBe('无手机号');
    const audit = await sql<{ n: string }>`SELECT count(*) AS n FROM audit_log WHERE action = 'sms.preview'`.execute(t.ctx.db);
    expect(Number(audit.rows[0]!.n)).toBe(1);
  });

  it('refuses an unknown field, a region outside scope, and filters that pick nobody', async () => {
    const unknown = await call('POST', '/api/v1/sms/preview', operator, { filters, template: '{姓名}，{工资}' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ code: 'SMS_TEMPLATE_UNKNOWN_FIELD', message: '模板中有未知字段：{工资}' });
    const outside = await call('POST', '/api/v1/sms/preview', guzhang, { filters, template: TEMPLATE });
    expect(outside.statusCode).toBe(403);
    const created = await call('POST', '/api/v1/sms/campaigns', operator, {
      name: '无人活动',
      filters: { region: DAZHU, ageMin: 70, ageMax: 80 },
      template: '{姓名}您好',
    });
    expect(created.statusCode, created.body).toBe(201);
    const submit = await call('POST', `/api/v1/sms/campaigns/${created.json().id}/submit`, operator);
    expect(submit.statusCode).toBe(400);
    expect(submit.json().code).toBe('SMS_NO_RECIPIENTS');
  });

  it('composes one message per recipient on submit; the submitter cannot approve it; another manager can', async () => {
    const created = await call('POST', '/api/v1/sms/campaigns', operator, { name: '大竹村春季岗位推送', filters, template: TEMPLATE });
    expect(created.statusCode, created.body).toBe(201);
    id = created.json().id;
    expect(created.json().status).toBe('draft');
    const submitted = await call('POST', `/api/v1/sms/campaigns/${id}/submit`, operator);
    expect(submitted.statusCode, submitted.body).toBe(200);
    const pending = await until(
      () => call('GET', `/api/v1/sms/campaigns/${id}`, operator).then((r) => r.json()),
      (c) => c.status !== 'composing',
    );
    expect(pending).toMatchObject({ status: 'pending_approval', recipients: 4, counts: { queued: 4, skipped: 1 }, canDecide: false });
    expect(pending.reasons).toEqual([{ reason: 'no_phone', label: '无手机号', count: 1 }]);
    const self = await call('POST', `/api/v1/sms/campaigns/${id}/approve`, operator, {});
    expect(self.statusCode).toBe(403);
    expect(self.json().code).toBe('SMS_SELF_APPROVAL');
    const other = await call('GET', `/api/v1/sms/campaigns/${id}`, county);
    expect(other.json().canDecide).toBe(true);
    expect(t.sms.smsc!.received.filter((m) => m.ref && !m.ref.startsWith('otp')).length).toBe(0);
    const approved = await call('POST', `/api/v1/sms/campaigns/${id}/approve`, county, { note: '同意' });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json().decidedBy.username).toBe('xinshao_admin');
  });

  it('sends exactly one message per recipient through the SMSC and records the receipts', async () => {
    const done = await until(
      () => call('GET', `/api/v1/sms/campaigns/${id}`, operator).then((r) => r.json()),
      (c) => c.status === 'done',
    );
    expect(done.counts).toEqual({ queued: 0, sending: 0, sent: 0, delivered: 4, failed: 0, skipped: 1 });
    const received = t.sms.smsc!.received.filter((m) => m.ref && !m.ref.startsWith('otp'));
    expect(received.map((m) => m.to).sort()).toEqual(PHONES);
    expect(received[0]!.text.startsWith('【湖南人社】')).toBe(true);
    const receipts = await sql<{
      n: string;
    }>`SELECT count(*) AS n FROM sms_receipt r JOIN sms_message m ON m.id = r.message_id WHERE m.campaign_id = ${id}`.execute(t.ctx.db);
    expect(Number(receipts.rows[0]!.n)).toBe(4);
    const messages = await call('GET', `/api/v1/sms/campaigns/${id}/messages?status=skipped`, operator);
    expect(messages.json().items).toEqual([
      expect.objectContaining({ reason: 'no_phone', reasonLabel: '无手机号', laborer: expect.objectContaining({ id: noPhoneId }) }),
    ]);
  });

  it('the database itself refuses a second message to the same laborer in a campaign', async () => {
    await expect(
      sql`INSERT INTO sms_message (campaign_id, laborer_id, village_code, body, segments)
      VALUES (${id}, ${laborerIds[0]}, ${DAZHU}, 'x', 1)`.execute(t.ctx.db),
    ).rejects.toThrow(/sms_message_campaign_id_laborer_id_key/);
  });

  it('keeps campaigns in scope: another county sees none of them', async () => {
    expect((await call('GET', `/api/v1/sms/campaigns/${id}`, guzhang)).statusCode).toBe(404);
    expect((await call('GET', '/api/v1/sms/campaigns', guzhang)).json().total).toBe(0);
  });
});

describe('replies, opt-outs, failures and the daily cap', () => {
  it('"TD" opts the number out; other replies land in the inbox of the laborer’s region only', async () => {
    expect(t.sms.smsc!.sendReply('13900000001', 'TD')).toBe(true);
    expect(t.sms.smsc!.sendReply('13900000002', '请问包住吗？')).toBe(true);
    expect(t.sms.smsc!.sendReply('13911112222', '你们是谁')).toBe(true);
    await until(
      () => sql<{ n: string }>`SELECT count(*) AS n FROM sms_inbound`.execute(t.ctx.db).then((r) => Number(r.rows[0]!.n)),
      (n) => n === 3,
    );
    const inbox = (await call('GET', '/api/v1/sms/inbox', officer)).json();
    expect(inbox.total).toBe(2);
    expect(inbox.items.map((i: { body: string; kind: string }) => [i.kind, i.body]).sort()).toEqual([
      ['opt_out', 'TD'],
      ['reply', '请问包住吗？'],
    ]);
    expect(inbox.items[0].phoneMasked).toMatch(/^139\*{4}000[12]$/);
    // The unknown number's reply is kept, but no region's inbox shows it.
    expect((await call('GET', '/api/v1/sms/inbox', guzhang)).json().total).toBe(0);
    const reply = inbox.items.find((i: { kind: string }) => i.kind === 'reply');
    expect((await call('POST', `/api/v1/sms/inbox/${reply.id}/handled`, officer)).statusCode).toBe(200);
    expect((await call('POST', `/api/v1/sms/inbox/${reply.id}/handled`, guzhang)).statusCode).toBe(404);
  });

  it('a later campaign skips the opted-out number, a number at its daily cap, and records a failed delivery', async () => {
    const smsc = t.sms.smsc!;
    const before = smsc.received.length;
    const today = chinaToday();
    const { rows } = await sql<{ phone_index: Buffer }>`SELECT phone_index FROM laborer WHERE id = ${laborerIds[2]}`.execute(t.ctx.db);
    await sql`INSERT INTO sms_number_day (phone_index, day, sent) VALUES (${rows[0]!.phone_index}, ${today}, 50)
      ON CONFLICT (phone_index, day) DO UPDATE SET sent = 50`.execute(t.ctx.db);
    smsc.failNumbers(['13900000004']);
    const created = await call('POST', '/api/v1/sms/campaigns', operator, {
      name: '第二轮',
      filters,
      template: '{姓名}您好，新岗位{岗位}，{链接}',
    });
    const id = created.json().id;
    expect((await call('POST', `/api/v1/sms/campaigns/${id}/submit`, operator)).statusCode).toBe(200);
    await until(
      () => call('GET', `/api/v1/sms/campaigns/${id}`, operator).then((r) => r.json().status),
      (s) => s === 'pending_approval',
    );
    expect((await call('POST', `/api/v1/sms/campaigns/${id}/approve`, county, {})).statusCode).toBe(200);
    const done = await until(
      () => call('GET', `/api/v1/sms/campaigns/${id}`, operator).then((r) => r.json()),
      (c) => c.status === 'done',
    );
    expect(done.counts).toMatchObject({ delivered: 1, failed: 1, skipped: 3 });
    expect(Object.fromEntries(done.reasons.map((r: { reason: string; count: number }) => [r.reason, r.count]))).toEqual({
      opted_out: 1,
      daily_cap: 1,
      no_phone: 1,
      undeliverable: 1,
    });
    expect(
      smsc.received
        .slice(before)
        .map((m) => m.to)
        .sort(),
    ).toEqual(['13900000002', '13900000004']);
  });

  it('refuses a campaign whose every number is at today’s cap', async () => {
    const { rows } = await sql<{ phone_index: Buffer }>`SELECT phone_index FROM laborer WHERE id = ${laborerIds[3]}`.execute(t.ctx.db);
    const today = chinaToday();
    await sql`INSERT INTO sms_number_day (phone_index, day, sent) VALUES (${rows[0]!.phone_index}, ${today}, 50)
      ON CONFLICT (phone_index, day) DO UPDATE SET sent = 50`.execute(t.ctx.db);
    const { rows: r2 } = await sql<{ name: string }>`SELECT name FROM laborer WHERE id = ${laborerIds[3]}`.execute(t.ctx.db);
    const created = await call('POST', '/api/v1/sms/campaigns', operator, {
      name: '超上限',
      filters: { ...filters, region: DAZHU },
      template: '{姓名}',
    });
    // Narrow to the capped laborer by name-free filters: age of the card is fixed by its ID number; use a direct status change instead.
    await sql`UPDATE sms_campaign SET filters = ${JSON.stringify({ region: DAZHU, employmentStatus: 'unemployed', skill: 'capped-only' })}::jsonb WHERE id = ${created.json().id}`.execute(
      t.ctx.db,
    );
    await sql`UPDATE laborer SET skills = ARRAY['capped-only'] WHERE id = ${laborerIds[3]}`.execute(t.ctx.db);
    const submit = await call('POST', `/api/v1/sms/campaigns/${created.json().id}/submit`, operator);
    expect(submit.statusCode).toBe(400);
    expect(submit.json()).toMatchObject({ code: 'SMS_OVER_DAILY_CAP', message: '所选劳动力今日接收的短信均已达 50 条上限，请明天再发送' });
    expect(r2[0]!.name).toBe('短信4');
  });
});

describe('quiet hours', () => {
  it('sends nothing between 21:00 and 08:00 China time: the approved campaign waits, and says so', async () => {
    await t.sms.stop();
    // The rule on (this file's app runs with it off), and a sender whose clock reads 22:00 China time.
    t.config.sms.quietHours = { from: 21, to: 8 };
    await t.sms.start({ smscPort: 0, sender: { idleMs: 50, now: () => new Date('2026-11-24T14:00:00Z') } });
    await sql`UPDATE laborer SET skills = '{}' WHERE id = ${laborerIds[3]}`.execute(t.ctx.db);
    await sql`DELETE FROM sms_number_day`.execute(t.ctx.db);
    const created = await call('POST', '/api/v1/sms/campaigns', operator, { name: '夜间活动', filters, template: '{姓名}您好，{岗位}' });
    const id = created.json().id;
    expect((await call('POST', `/api/v1/sms/campaigns/${id}/submit`, operator)).statusCode).toBe(200);
    await until(
      () => call('GET', `/api/v1/sms/campaigns/${id}`, operator).then((r) => r.json().status),
      (s) => s === 'pending_approval',
    );
    expect((await call('POST', `/api/v1/sms/campaigns/${id}/approve`, county, {})).statusCode).toBe(200);
    const waiting = await until(
      () => call('GET', `/api/v1/sms/campaigns/${id}`, operator).then((r) => r.json()),
      (c) => Boolean(c.message),
    );
    expect(waiting.message).toContain('静默时段');
    expect(waiting.status).toBe('sending');
    expect(waiting.counts.queued).toBeGreaterThan(0);
    expect(t.sms.smsc!.received.filter((m) => !m.ref?.startsWith('otp'))).toEqual([]);
  });
});
