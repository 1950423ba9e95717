import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, until, type TestApp } from '../../../test/helpers.ts';
import { DAZHU, insertPosting, seekerCard } from '../../../test/fixtures.ts';
import { chinaDayStart, chinaToday } from '../../platform/time.ts';

const PHONE = '13700000001';
const OTHER = '13700000002';
/** A third card, for the guessing tests: its codes and failures are its own. */
const GUESSED = '13700000003';
let t: TestApp;
let officer: string;
let guzhang: string;
let laborerId: string;
let otherId: string;
let postingId: string;

const post = (url: string, payload: object, cookie?: string) =>
  t.app.inject({ method: 'POST', url, payload, headers: cookie ? { cookie } : {} });
/** A request from another client address (request.ip), so the per-address limits of one test do not reach another. */
const postFrom = (remoteAddress: string, url: string, payload: object) => t.app.inject({ method: 'POST', url, payload, remoteAddress });
const get = (url: string, cookie?: string) => t.app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });

/**
 * The code the SMSC received for a number: the laborer reads it off the phone. The message leaves
 * after the answer (so a registered number answers as fast as an unknown one): wait for the one of
 * the newest code.
 */
async function lastCode(phone: string): Promise<string> {
  const newest = (await sql<{ id: string }>`SELECT max(id) AS id FROM mobile_code`.execute(t.ctx.db)).rows[0]!.id;
  const m = await until(
    () => t.sms.smsc!.received.find((r) => r.to === phone && r.ref === `otp-${newest}`),
    Boolean,
    'the sign-in code',
    10_000,
  ).catch(() => undefined);
  return /验证码为(\d{6})/.exec(m?.text ?? '')?.[1] ?? '';
}
/** Lets the per-minute limit pass without waiting: the test's own codes are moved back in time. */
const ageCodes = (phone: string, seconds: number) =>
  sql`UPDATE mobile_code SET created_at = created_at - make_interval(secs => ${seconds}) WHERE id IN (SELECT id FROM mobile_code ORDER BY id DESC LIMIT 20)`
    .execute(t.ctx.db)
    .then(() => phone);

async function signIn(phone: string): Promise<string> {
  const code = await post('/api/v1/mobile/code', { phone });
  expect(code.statusCode, code.body).toBe(200);
  const login = await post('/api/v1/mobile/login', { phone, code: await lastCode(phone) });
  expect(login.statusCode, login.body).toBe(200);
  const cookie = login.cookies.find((c) => c.name === 'laowu_mobile')!;
  expect(cookie.httpOnly).toBe(true);
  return `laowu_mobile=${cookie.value}`;
}

beforeAll(async () => {
  t = await createTestApp({ LAOWU_SMS_QUIET_HOURS: 'off' });
  await t.sms.start({ smscPort: 0, send: false });
  [officer, guzhang] = await Promise.all(['dazhu_officer', 'guzhang_admin'].map((u) => t.login(u)));
  const a = await post('/api/v1/laborers', seekerCard('43052219920202001', { name: '龙小梅', phone: PHONE, expectedWage: 3000 }), officer);
  expect(a.statusCode, a.body).toBe(201);
  laborerId = a.json().id;
  const b = await post('/api/v1/laborers', seekerCard('43052219920202002', { name: '龙小兰', phone: OTHER }), officer);
  otherId = b.json().id;
  expect((await post('/api/v1/laborers', seekerCard('43052219920202003', { name: '龙小竹', phone: GUESSED }), officer)).statusCode).toBe(
    201,
  );
  const { rows } = await sql<{ employer_id: string }>`SELECT employer_id FROM account WHERE username = 'guohui_employer'`.execute(t.ctx.db);
  postingId = await insertPosting(t.ctx.db, rows[0]!.employer_id, {
    title: '手机页测试缝纫工',
    headcount: 3,
    work_region_code: DAZHU,
    wage_min: 4800,
    wage_max: 5600,
    food: true,
    housing: true,
  });
});
afterAll(async () => t?.close());

describe('signing in with phone and a one-time SMS code', () => {
  it('refuses a number that is not a mainland mobile', async () => {
    const r = await post('/api/v1/mobile/code', { phone: '07315551234' });
    expect(r.statusCode).toBe(400);
    expect(r.json().message).toBe('手机号须为 11 位大陆手机号码');
  });

  it('answers an unknown number the same way and sends it nothing', async () => {
    const before = t.sms.smsc!.received.length;
    const r = await post('/api/v1/mobile/code', { phone: '13799999999' });
    expect(r.statusCode).toBe(200);
    expect(r.json().message).toContain('如该号码已在劳动力信息库登记');
    expect(t.sms.smsc!.received.length).toBe(before);
  });

  it('limits codes to 1 a minute, 5 an hour and 10 a day per number', async () => {
    expect((await post('/api/v1/mobile/code', { phone: OTHER })).statusCode).toBe(200);
    const flood = await post('/api/v1/mobile/code', { phone: OTHER });
    expect(flood.statusCode).toBe(429);
    expect(flood.json()).toMatchObject({ code: 'MOBILE_CODE_RATE', message: '验证码每分钟只能获取 1 次，请稍后再试' });
    for (let i = 0; i < 4; i++) {
      await ageCodes(OTHER, 61);
      expect((await post('/api/v1/mobile/code', { phone: OTHER })).statusCode).toBe(200);
    }
    await ageCodes(OTHER, 61);
    const hourly = await post('/api/v1/mobile/code', { phone: OTHER });
    expect(hourly.statusCode).toBe(429);
    expect(hourly.json().message).toContain('1 小时内');
    await sql`UPDATE mobile_code SET created_at = now() - interval '61 minutes' WHERE created_at > now() - interval '1 hour'`.execute(
      t.ctx.db,
    );
    // "10 a day" is per China day. Five more codes early today (older than an hour) make ten today;
    // in a China day's first hour that cannot be, and five codes of the day before (older than an
    // hour too, or they would meet the hourly limit) must not count.
    const dayStart = chinaDayStart(chinaToday());
    const today = Date.now() - dayStart.getTime() >= 65 * 60_000;
    const at = new Date(today ? dayStart.getTime() + 60_000 : Math.min(dayStart.getTime() - 60_000, Date.now() - 61 * 60_000));
    await sql`INSERT INTO mobile_code (phone_index, code_hash, created_at, expires_at)
      SELECT phone_index, code_hash, ${at}, now() FROM mobile_code ORDER BY id DESC LIMIT 5`.execute(t.ctx.db);
    await sql`UPDATE mobile_code SET created_at = ${at} WHERE created_at > ${at} AND created_at <= now() - interval '1 hour'`.execute(
      t.ctx.db,
    );
    const daily = await post('/api/v1/mobile/code', { phone: OTHER });
    if (today) {
      expect(daily.statusCode).toBe(429);
      expect(daily.json().message).toContain('今日');
    } else expect(daily.statusCode, daily.body).toBe(200);
  });

  it('a code works once, within five minutes; a wrong one is refused', async () => {
    expect((await post('/api/v1/mobile/code', { phone: PHONE })).statusCode).toBe(200);
    const code = await lastCode(PHONE);
    expect(code).toMatch(/^\d{6}$/);
    const wrong = await post('/api/v1/mobile/login', { phone: PHONE, code: code === '000000' ? '111111' : '000000' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().code).toBe('MOBILE_CODE_INVALID');
    expect((await post('/api/v1/mobile/login', { phone: PHONE, code })).statusCode).toBe(200);
    const reused = await post('/api/v1/mobile/login', { phone: PHONE, code });
    expect(reused.statusCode).toBe(401);
    expect(reused.json()).toMatchObject({ code: 'MOBILE_CODE_USED', message: '验证码已使用过，请重新获取' });
    await ageCodes(PHONE, 61);
    expect((await post('/api/v1/mobile/code', { phone: PHONE })).statusCode).toBe(200);
    const late = await lastCode(PHONE);
    await sql`UPDATE mobile_code SET expires_at = now() - interval '1 second' WHERE id = (SELECT max(id) FROM mobile_code)`.execute(
      t.ctx.db,
    );
    const expired = await post('/api/v1/mobile/login', { phone: PHONE, code: late });
    expect(expired.statusCode).toBe(401);
    expect(expired.json()).toMatchObject({ code: 'MOBILE_CODE_EXPIRED', message: '验证码已过期，请重新获取' });
  });
});

describe('a sign-in code cannot be guessed, and the page tells no one who is registered', () => {
  const wrongOf = (code: string, i: number) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0');

  it('answers a registered and an unknown number with the same status and body', async () => {
    const known = await postFrom('10.1.0.1', '/api/v1/mobile/code', { phone: GUESSED });
    const unknown = await postFrom('10.1.0.1', '/api/v1/mobile/code', { phone: '13712345678' });
    expect(known.statusCode).toBe(200);
    expect(unknown.statusCode).toBe(known.statusCode);
    expect(unknown.body).toBe(known.body);
    expect(unknown.headers['content-type']).toBe(known.headers['content-type']);
    await ageCodes(GUESSED, 3600 * 2);
  });

  it('counts every wrong code: five spend the code, so the sixth wrong try and then the right code are refused', async () => {
    expect((await postFrom('10.1.0.2', '/api/v1/mobile/code', { phone: GUESSED })).statusCode).toBe(200);
    const code = await lastCode(GUESSED);
    for (let i = 0; i < 6; i++) {
      const wrong = await postFrom('10.1.0.2', '/api/v1/mobile/login', { phone: GUESSED, code: wrongOf(code, i) });
      expect(wrong.statusCode).toBe(401);
      expect(wrong.json().code).toBe('MOBILE_CODE_INVALID');
    }
    const right = await postFrom('10.1.0.2', '/api/v1/mobile/login', { phone: GUESSED, code });
    expect(right.statusCode).toBe(401);
    expect(right.json()).toEqual({ code: 'MOBILE_CODE_SPENT', message: '验证码错误次数过多，已作废，请重新获取' });
    expect(right.cookies.find((c) => c.name === 'laowu_mobile')).toBeUndefined();
    // The failures are committed and audited, though each answer was a refusal.
    const { rows } = await sql<{
      n: string;
    }>`SELECT count(*) AS n FROM audit_log WHERE action = 'mobile.login' AND result = 'failure' AND ip = '10.1.0.2'`.execute(t.ctx.db);
    expect(Number(rows[0]!.n)).toBe(7);
  });

  it('after ten wrong codes for a number in an hour, even a fresh right code is refused', async () => {
    await ageCodes(GUESSED, 61);
    expect((await postFrom('10.1.0.3', '/api/v1/mobile/code', { phone: GUESSED })).statusCode).toBe(200);
    const code = await lastCode(GUESSED);
    // Six wrong tries above and four here, from another address: the number's limit is reached.
    for (let i = 0; i < 4; i++)
      expect((await postFrom('10.1.0.3', '/api/v1/mobile/login', { phone: GUESSED, code: wrongOf(code, i) })).statusCode).toBe(401);
    const right = await postFrom('10.1.0.3', '/api/v1/mobile/login', { phone: GUESSED, code });
    expect(right.statusCode).toBe(429);
    expect(right.json()).toEqual({ code: 'MOBILE_LOGIN_RATE', message: '验证码错误次数过多，请 1 小时后再试' });
  });

  it('after twenty wrong codes from one client address in an hour, that address is refused for every number', async () => {
    for (let i = 0; i < 20; i++) {
      const r = await postFrom('10.1.0.4', '/api/v1/mobile/login', { phone: `1390000${String(i).padStart(4, '0')}`, code: '123456' });
      expect(r.statusCode).toBe(401);
    }
    const next = await postFrom('10.1.0.4', '/api/v1/mobile/login', { phone: '13900009999', code: '123456' });
    expect(next.statusCode).toBe(429);
    expect(next.json().code).toBe('MOBILE_LOGIN_RATE');
    // Another address is not held back by it.
    expect((await postFrom('10.1.0.5', '/api/v1/mobile/login', { phone: '13900009999', code: '123456' })).json().code).toBe(
      'MOBILE_CODE_INVALID',
    );
  });

  it('one client address gets codes for at most 20 numbers an hour', async () => {
    for (let i = 0; i < 20; i++) {
      const r = await postFrom('10.1.0.6', '/api/v1/mobile/code', { phone: `1360000${String(i).padStart(4, '0')}` });
      expect(r.statusCode, r.body).toBe(200);
    }
    const refused = await postFrom('10.1.0.6', '/api/v1/mobile/code', { phone: '13600009999' });
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toEqual({ code: 'MOBILE_CODE_RATE', message: '本网络获取验证码的次数过多，请稍后再试' });
    expect((await postFrom('10.1.0.7', '/api/v1/mobile/code', { phone: '13600009999' })).statusCode).toBe(200);
  });

  it('the platform as a whole sends at most the configured number of codes an hour', async () => {
    const limit = t.config.sms.mobileCodesPerHour;
    await sql`INSERT INTO mobile_code (phone_index, code_hash, expires_at, requested_ip)
      SELECT '\\x00', '\\x00', now(), '10.2.' || (g / 250) || '.' || (g % 250) FROM generate_series(1, ${limit}) g`.execute(t.ctx.db);
    try {
      const refused = await postFrom('10.1.0.8', '/api/v1/mobile/code', { phone: '13600008888' });
      expect(refused.statusCode).toBe(429);
      expect(refused.json()).toEqual({ code: 'MOBILE_CODE_RATE', message: '验证码发送繁忙，请稍后再试' });
    } finally {
      await sql`DELETE FROM mobile_code WHERE phone_index = '\\x00'`.execute(t.ctx.db);
    }
  });
});

describe('the laborer’s own page', () => {
  let cookie: string;
  beforeAll(async () => {
    await ageCodes(PHONE, 3600 * 2);
    cookie = await signIn(PHONE);
  });

  it('shows the own card with identifiers masked, and nobody else’s', async () => {
    const me = await get('/api/v1/mobile/me', cookie);
    expect(me.statusCode, me.body).toBe(200);
    expect(me.json()).toMatchObject({ id: laborerId, name: '龙小梅', phoneMasked: '137****0001', smsOptedOut: false, pendingWishes: null });
    expect(me.json().idNumberMasked).toMatch(/^430522\*+\d{3}[\dX]$/);
    expect(me.body).not.toContain(PHONE);
    expect(me.body).not.toContain(otherId === laborerId ? 'x' : '龙小兰');
    // Staff sessions do not open the laborer's page; the page's session opens no staff route.
    expect((await get('/api/v1/mobile/me', officer)).statusCode).toBe(403);
    expect((await get('/api/v1/mobile/me')).statusCode).toBe(401);
    expect((await get(`/api/v1/laborers/${otherId}`, cookie)).statusCode).toBe(401);
  });

  it('recommends postings with reasons in plain words, and applies as a self referral', async () => {
    const rec = await get('/api/v1/mobile/recommendations', cookie);
    expect(rec.statusCode, rec.body).toBe(200);
    const item = rec.json().items.find((i: { posting: { id: string } }) => i.posting.id === postingId);
    expect(item.reasons.join('；')).toContain('包食宿');
    expect(item.applied).toBe(false);
    const applied = await post('/api/v1/mobile/applications', { postingId }, cookie);
    expect(applied.statusCode, applied.body).toBe(201);
    const again = await post('/api/v1/mobile/applications', { postingId }, cookie);
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toBe('您已申请过该岗位，正在处理中');
    const { rows } = await sql<{ channel: string; created_by: string | null; laborer_id: string }>`
      SELECT channel, created_by, laborer_id::text AS laborer_id FROM referral WHERE id = ${applied.json().id}`.execute(t.ctx.db);
    expect(rows[0]).toEqual({ channel: 'self', created_by: null, laborer_id: laborerId });
    expect((await get('/api/v1/mobile/applications', cookie)).json().items[0]).toMatchObject({
      postingId,
      title: '手机页测试缝纫工',
      status: 'recommended',
    });
    // The village officer sees the application in the referral list.
    const staff = await get(`/api/v1/referrals?laborer=${laborerId}`, officer);
    expect(staff.json().items[0]).toMatchObject({ channel: 'self', posting: { id: postingId } });
  });

  it('sends wishes as a pending ledger change the village officer confirms', async () => {
    const sent = await post(
      '/api/v1/mobile/wishes',
      { willingness: 'out_of_province', wantedJobTypes: ['电子装配工'], expectedWage: 5000 },
      cookie,
    );
    expect(sent.statusCode, sent.body).toBe(200);
    const me = (await get('/api/v1/mobile/me', cookie)).json();
    expect(me.wishes.willingness).toBe('in_county');
    expect(me.pendingWishes.changes).toEqual({ willingness: 'out_of_province', wantedJobTypes: ['电子装配工'], expectedWage: 5000 });
    expect((await get('/api/v1/wish-requests', guzhang)).json().total).toBe(0);
    const list = (await get('/api/v1/wish-requests', officer)).json();
    expect(list.items).toEqual([
      expect.objectContaining({
        laborer: expect.objectContaining({ id: laborerId }),
        current: expect.objectContaining({ willingness: 'in_county' }),
      }),
    ]);
    expect((await post(`/api/v1/wish-requests/${list.items[0].id}/confirm`, {}, guzhang)).statusCode).toBe(404);
    const ok = await post(`/api/v1/wish-requests/${list.items[0].id}/confirm`, { note: '电话核实' }, officer);
    expect(ok.statusCode, ok.body).toBe(200);
    const card = (await get(`/api/v1/laborers/${laborerId}`, officer)).json();
    expect(card).toMatchObject({ willingness: 'out_of_province', wantedJobTypes: ['电子装配工'], expectedWage: 5000 });
    const history = (await get(`/api/v1/laborers/${laborerId}/history`, officer)).json();
    expect(history.items[0].reason).toContain('手机端申请修改就业意愿');
    expect(history.items[0].by.username).toBe('dazhu_officer');
    expect((await post(`/api/v1/wish-requests/${list.items[0].id}/confirm`, {}, officer)).statusCode).toBe(409);
  });

  it('opts out of SMS and back in', async () => {
    expect((await post('/api/v1/mobile/sms-preference', { receive: false }, cookie)).json()).toEqual({ smsOptedOut: true });
    expect((await get('/api/v1/mobile/me', cookie)).json().smsOptedOut).toBe(true);
    expect((await post('/api/v1/mobile/sms-preference', { receive: true }, cookie)).json()).toEqual({ smsOptedOut: false });
  });

  it('signs out', async () => {
    expect((await post('/api/v1/mobile/logout', {}, cookie)).statusCode).toBe(200);
    expect((await get('/api/v1/mobile/me', cookie)).statusCode).toBe(401);
  });
});

describe('when the SMS gateway is down', () => {
  it('a registered number is answered exactly like an unknown one', async () => {
    await t.sms.stop();
    await sql`UPDATE mobile_code SET created_at = created_at - interval '2 hours'`.execute(t.ctx.db);
    const known = await postFrom('10.1.0.9', '/api/v1/mobile/code', { phone: GUESSED });
    const unknown = await postFrom('10.1.0.9', '/api/v1/mobile/code', { phone: '13712340000' });
    expect(known.statusCode, known.body).toBe(200);
    expect(unknown.statusCode).toBe(200);
    expect(unknown.body).toBe(known.body);
    // The message is sent after the answer, and its failure is on record, not in the answer.
    const failed = await until(
      async () =>
        Number(
          (
            await sql<{
              n: string;
            }>`SELECT count(*) AS n FROM audit_log WHERE action = 'mobile.code_sent' AND result = 'failure' AND ip = '10.1.0.9'`.execute(
              t.ctx.db,
            )
          ).rows[0]!.n,
        ),
      (n) => n > 0,
      'the failed send on record',
      10_000,
    ).catch(() => 0);
    expect(failed).toBe(1);
  });
});
