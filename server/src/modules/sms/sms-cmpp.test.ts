import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, until, type TestApp } from '../../../test/helpers.ts';
import { DAZHU, insertPosting, seekerCard } from '../../../test/fixtures.ts';
import { ConfigError, loadConfig } from '../../config.ts';

/**
 * Issue 21 item 7: the platform configured for CMPP (LAOWU_SMS_PROTOCOL=cmpp) sends a campaign
 * through the local CMPP 3.0 ISMG as it does through the SMPP SMSC: one message per recipient,
 * receipts stored, replies and opt-outs received, quiet hours and the daily cap as configured.
 */
const PHONES = ['13800000011', '13800000012', '13800000013'];
let t: TestApp;
let operator: string;
let county: string;
const call = (method: 'GET' | 'POST', url: string, cookie: string, payload?: object) =>
  t.app.inject({ method, url, headers: { cookie }, payload });
// Long enough to go as two parts behind a user data header.
const TEMPLATE =
  '{姓名}您好，{岗位1}招工，月薪{月薪1}，工作地点{地点1}，包吃住，签订正式劳动合同，按月足额发放工资。详情及申请：{链接} 回复TD退订';

describe('configuration', () => {
  it('chooses the protocol and refuses what a CMPP gateway cannot take', () => {
    const base = { NODE_ENV: 'test', LAOWU_DATA_DIR: 'var/test-cmpp-config' };
    const cmpp = loadConfig({ ...base, LAOWU_SMS_PROTOCOL: 'cmpp', LAOWU_CMPP_VERSION: '2.0' }).sms;
    expect(cmpp.protocol).toBe('cmpp');
    expect(cmpp.cmpp).toMatchObject({ port: 7890, version: 0x20, window: 16 });
    // Outside production with no gateway named, a local ISMG with a secret of its own.
    expect(cmpp.localSmsc).toBe(true);
    expect(cmpp.cmpp.sharedSecret).toMatch(/^[0-9a-f]{12}$/);
    expect(loadConfig({ ...base, LAOWU_SMS_PROTOCOL: 'cmpp', LAOWU_CMPP_HOST: 'ismg.example' }).sms.localSmsc).toBe(false);
    expect(loadConfig(base).sms.protocol).toBe('smpp');
    expect(() => loadConfig({ ...base, LAOWU_SMS_PROTOCOL: 'sgip' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, LAOWU_CMPP_VERSION: '3.1' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, LAOWU_CMPP_SP_ID: '9012345' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, LAOWU_CMPP_SRC_ID: '1069-0000' })).toThrow(ConfigError);
  });
});

describe('a campaign through the local CMPP ISMG', () => {
  beforeAll(async () => {
    t = await createTestApp({ LAOWU_SMS_PROTOCOL: 'cmpp', LAOWU_SMS_QUIET_HOURS: 'off', LAOWU_PUBLIC_URL: 'http://m.test' });
    await t.sms.start({ smscPort: 0, sender: { idleMs: 50, settleGraceMs: 200 } });
    [operator, county] = await Promise.all(['longxipu_operator', 'xinshao_admin'].map((u) => t.login(u)));
    const officer = await t.login('dazhu_officer');
    for (let i = 0; i < PHONES.length; i++) {
      const r = await call(
        'POST',
        '/api/v1/laborers',
        officer,
        seekerCard(`43052219910101${String(i + 1).padStart(3, '0')}`, { name: `移动${i + 1}`, phone: PHONES[i] }),
      );
      expect(r.statusCode, r.body).toBe(201);
    }
    const { rows } = await sql<{ employer_id: string }>`SELECT employer_id FROM account WHERE username = 'guohui_employer'`.execute(
      t.ctx.db,
    );
    await insertPosting(t.ctx.db, rows[0]!.employer_id, {
      title: '箱包缝纫工',
      headcount: 10,
      work_region_code: DAZHU,
      wage_min: 3000,
      wage_max: 4500,
    });
  });
  afterAll(async () => t?.close());

  it('sends one message per recipient, long texts joined again, every receipt stored against its message', async () => {
    expect(t.sms.gateway!.name).toMatch(/^cmpp3:\/\//);
    const created = await call('POST', '/api/v1/sms/campaigns', operator, {
      name: '移动网关推送',
      filters: { region: DAZHU, employmentStatus: 'unemployed' },
      template: TEMPLATE,
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id;
    expect((await call('POST', `/api/v1/sms/campaigns/${id}/submit`, operator)).statusCode).toBe(200);
    await until(
      () => call('GET', `/api/v1/sms/campaigns/${id}`, operator).then((r) => r.json()),
      (c) => c.status === 'pending_approval',
    );
    expect((await call('POST', `/api/v1/sms/campaigns/${id}/approve`, county, { note: '同意' })).statusCode).toBe(200);
    const done = await until(
      () => call('GET', `/api/v1/sms/campaigns/${id}`, operator).then((r) => r.json()),
      (c) => c.status === 'done' && c.counts.delivered === PHONES.length,
    );
    expect(done.counts).toMatchObject({ queued: 0, sending: 0, sent: 0, delivered: 3, failed: 0 });
    const received = t.sms.smsc!.received;
    expect(received.map((m) => m.to).sort()).toEqual(PHONES);
    const { rows: bodies } = await sql<{ body: string; segments: number }>`SELECT body, segments FROM sms_message
      WHERE campaign_id = ${id} AND status = 'delivered' ORDER BY id`.execute(t.ctx.db);
    // What the phone shows is exactly the composed text, though it travelled in parts.
    expect(received.map((m) => m.text).sort()).toEqual(bodies.map((b) => b.body).sort());
    expect(bodies.every((b) => b.segments >= 2)).toBe(true);
    // A receipt per part, each settled to its message.
    const { rows: receipts } = await sql<{
      matched: string;
      unmatched: string;
    }>`SELECT count(*) FILTER (WHERE message_id IS NOT NULL) AS matched,
      count(*) FILTER (WHERE message_id IS NULL) AS unmatched FROM sms_receipt`.execute(t.ctx.db);
    expect(Number(receipts[0]!.unmatched)).toBe(0);
    expect(Number(receipts[0]!.matched)).toBe(bodies.reduce((n, b) => n + b.segments, 0));
  });

  it('a "TD" reply through the ISMG opts the number out', async () => {
    expect(t.sms.smsc!.sendReply(PHONES[0]!, 'TD')).toBe(true);
    await until(
      () =>
        sql<{ n: string }>`SELECT count(*) AS n FROM sms_inbound WHERE kind = 'opt_out'`
          .execute(t.ctx.db)
          .then((r) => Number(r.rows[0]!.n)),
      (n) => n === 1,
    );
  });
});
