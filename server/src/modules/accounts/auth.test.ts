import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as OTPAuth from 'otpauth';
import { sql } from 'kysely';
import { createTestApp, DEMO_PASSWORD, type TestApp } from '../../../test/helpers.ts';
import { sm3 } from '../../platform/crypto.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const post = (url: string, payload: unknown, cookie?: string) =>
  t.app.inject({ method: 'POST', url, payload: payload as object, headers: cookie ? { cookie } : {} });
const get = (url: string, cookie?: string) => t.app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });
/** The code of the next 30-second step: a code once accepted is never accepted again, so a test that has spent this step's code uses the next one. */
const nextCode = (totp: OTPAuth.TOTP) => totp.generate({ timestamp: Date.now() + 30_000 });

describe('login', () => {
  it('sets an httpOnly, SameSite=Strict session cookie and answers who signed in', async () => {
    const response = await post('/api/v1/auth/login', { username: 'xinshao_admin', password: DEMO_PASSWORD });
    expect(response.statusCode).toBe(200);
    expect(response.json().user).toMatchObject({ username: 'xinshao_admin', role: 'admin', region: { code: '430522', name: '新邵县' } });
    const header = String(response.headers['set-cookie']);
    expect(header).toMatch(/laowu_session=/);
    expect(header).toMatch(/HttpOnly/i);
    expect(header).toMatch(/SameSite=Strict/i);
  });

  it('answers 401 with a Chinese message for a wrong password and for an unknown user alike', async () => {
    const wrong = await post('/api/v1/auth/login', { username: 'guzhang_admin', password: 'Wrong-pass1' });
    const unknown = await post('/api/v1/auth/login', { username: 'nobody_here', password: 'Wrong-pass1' });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual({ code: 'INVALID_CREDENTIALS', message: '用户名或密码错误' });
    expect(unknown.json()).toEqual(wrong.json());
  });

  it('locks the account for 15 minutes after 5 failures, even against the right password', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await post('/api/v1/auth/login', { username: 'huayuan_admin', password: `Wrong-pass${i}` })).statusCode).toBe(401);
    }
    const locked = await post('/api/v1/auth/login', { username: 'huayuan_admin', password: DEMO_PASSWORD });
    expect(locked.statusCode).toBe(423);
    expect(locked.json().code).toBe('ACCOUNT_LOCKED');
    const row = await t.database.db
      .selectFrom('account')
      .select('locked_until')
      .where('username', '=', 'huayuan_admin')
      .executeTakeFirstOrThrow();
    const minutes = (row.locked_until!.getTime() - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(14);
    expect(minutes).toBeLessThanOrEqual(15);
    // Once the lock has passed, the right password works again and the counter starts afresh.
    await t.database.db
      .updateTable('account')
      .set({ locked_until: new Date(Date.now() - 1000) })
      .where('username', '=', 'huayuan_admin')
      .execute();
    expect((await post('/api/v1/auth/login', { username: 'huayuan_admin', password: DEMO_PASSWORD })).statusCode).toBe(200);
  });

  it('ends the session at logout: the same cookie is refused afterwards', async () => {
    const cookie = await t.login('guzhang_admin');
    expect((await get('/api/v1/auth/me', cookie)).statusCode).toBe(200);
    expect((await post('/api/v1/auth/logout', undefined, cookie)).statusCode).toBe(204);
    const after = await get('/api/v1/auth/me', cookie);
    expect(after.statusCode).toBe(401);
    expect(after.json().code).toBe('UNAUTHENTICATED');
  });

  it('expires a session after 30 idle minutes', async () => {
    const cookie = await t.login('shaoyang_admin');
    await sql`UPDATE session SET last_seen_at = now() - interval '31 minutes'`.execute(t.database.db);
    const response = await get('/api/v1/auth/me', cookie);
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ code: 'SESSION_EXPIRED', message: '登录已过期，请重新登录' });
  });

  it('ends a session 12 hours after sign-in however busy it is', async () => {
    const cookie = await t.login('xinshao_admin');
    const tokenHash = sm3(cookie.slice('laowu_session='.length));
    await sql`UPDATE session SET created_at = now() - interval '11 hours 50 minutes' WHERE token_hash = ${tokenHash}`.execute(
      t.database.db,
    );
    expect((await get('/api/v1/auth/me', cookie)).statusCode).toBe(200);
    await sql`UPDATE session SET created_at = now() - interval '12 hours 1 minute', last_seen_at = now() WHERE token_hash = ${tokenHash}`.execute(
      t.database.db,
    );
    const response = await get('/api/v1/auth/me', cookie);
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ code: 'SESSION_EXPIRED', message: '登录已过期，请重新登录' });
  });

  it('answers every try alike for an existing and an unknown username: the sixth is 423 for both', async () => {
    const tries = async (username: string) => {
      const answers = [];
      for (let i = 0; i < 6; i++) {
        const r = await post('/api/v1/auth/login', { username, password: `Wrong-pass${i}` });
        answers.push({ status: r.statusCode, body: r.json() });
      }
      return answers;
    };
    const existing = await tries('guohui_employer');
    const unknown = await tries('No_Such_User');
    expect(unknown).toEqual(existing);
    expect(existing[5]).toEqual({ status: 423, body: { code: 'ACCOUNT_LOCKED', message: '连续登录失败次数过多，账号已锁定15分钟' } });
    // The unknown name is held under any spelling of its case, as an account's is.
    expect((await post('/api/v1/auth/login', { username: 'no_such_user', password: 'Wrong-pass9' })).statusCode).toBe(423);
    // Once the lock has passed, the next wrong try starts the count afresh for both alike.
    await sql`UPDATE account SET locked_until = now() - interval '1 second' WHERE username = 'guohui_employer'`.execute(t.database.db);
    await sql`UPDATE login_throttle SET locked_until = now() - interval '1 second' WHERE username_key = 'no_such_user'`.execute(
      t.database.db,
    );
    expect((await tries('No_Such_User')).map((a) => a.status)).toEqual((await tries('guohui_employer')).map((a) => a.status));
  });

  it('refuses a forged cookie', async () => {
    const response = await get('/api/v1/auth/me', 'laowu_session=' + 'A'.repeat(43));
    expect(response.statusCode).toBe(401);
    expect((await get('/api/v1/auth/me', 'laowu_session=%00%27;drop')).statusCode).toBe(401);
  });

  it('ends every session of the account on a password change and enforces the password rules', async () => {
    const first = await t.login('longxipu_operator');
    const second = await t.login('longxipu_operator');
    const weak = await post('/api/v1/auth/password', { oldPassword: DEMO_PASSWORD, newPassword: 'password1' }, first);
    expect(weak.statusCode).toBe(400);
    expect(weak.json().code).toBe('WEAK_PASSWORD');
    const changed = await post('/api/v1/auth/password', { oldPassword: DEMO_PASSWORD, newPassword: 'Zhuanyi#2026x' }, first);
    expect(changed.statusCode).toBe(204);
    expect((await get('/api/v1/auth/me', first)).statusCode).toBe(401);
    expect((await get('/api/v1/auth/me', second)).statusCode).toBe(401);
    expect((await post('/api/v1/auth/login', { username: 'longxipu_operator', password: DEMO_PASSWORD })).statusCode).toBe(401);
    expect((await post('/api/v1/auth/login', { username: 'longxipu_operator', password: 'Zhuanyi#2026x' })).statusCode).toBe(200);
  });
});

describe('two factors (TOTP)', () => {
  it('enrols a TOTP and then requires it at login', async () => {
    const cookie = await t.login('dazhu_officer');
    const setup = await post('/api/v1/auth/totp/setup', undefined, cookie);
    expect(setup.statusCode).toBe(200);
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(setup.json().secret) });
    expect((await post('/api/v1/auth/totp/enable', { code: '000000' === totp.generate() ? '111111' : '000000' }, cookie)).statusCode).toBe(
      401,
    );
    expect((await post('/api/v1/auth/totp/enable', { code: totp.generate() }, cookie)).statusCode).toBe(204);

    const withoutCode = await post('/api/v1/auth/login', { username: 'dazhu_officer', password: DEMO_PASSWORD });
    expect(withoutCode.statusCode).toBe(401);
    expect(withoutCode.json().code).toBe('TOTP_REQUIRED');
    const wrongCode = await post('/api/v1/auth/login', {
      username: 'dazhu_officer',
      password: DEMO_PASSWORD,
      totp: totp.generate() === '123456' ? '654321' : '123456',
    });
    expect(wrongCode.json().code).toBe('TOTP_INVALID');
    // The code that enabled the factor is spent: the sign-in uses the next one.
    const ok = await post('/api/v1/auth/login', { username: 'dazhu_officer', password: DEMO_PASSWORD, totp: nextCode(totp) });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().user.totpEnabled).toBe(true);
  });

  it('accepts a TOTP code once: the same code, or an older one, is refused the second time', async () => {
    const cookie = await t.login('huayuan_shenzhen');
    const setup = await post('/api/v1/auth/totp/setup', undefined, cookie);
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(setup.json().secret) });
    const enabling = totp.generate();
    expect((await post('/api/v1/auth/totp/enable', { code: enabling }, cookie)).statusCode).toBe(204);
    const code = nextCode(totp);
    const first = await post('/api/v1/auth/login', { username: 'huayuan_shenzhen', password: DEMO_PASSWORD, totp: code });
    expect(first.statusCode).toBe(200);
    for (const replayed of [code, enabling]) {
      const again = await post('/api/v1/auth/login', { username: 'huayuan_shenzhen', password: DEMO_PASSWORD, totp: replayed });
      expect(again.statusCode).toBe(401);
      expect(again.json()).toEqual({ code: 'TOTP_REPLAYED', message: '该动态验证码已使用过，请等待验证器显示下一个验证码' });
      expect(again.cookies.find((c) => c.name === 'laowu_session')).toBeUndefined();
    }
  });

  it('turns the second factor off only with the password and a current, unused code', async () => {
    const cookie = await t.login('longxipu_broker');
    const setup = await post('/api/v1/auth/totp/setup', undefined, cookie);
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(setup.json().secret) });
    const enabling = totp.generate();
    expect((await post('/api/v1/auth/totp/enable', { code: enabling }, cookie)).statusCode).toBe(204);
    const noCode = await post('/api/v1/auth/totp/disable', { password: DEMO_PASSWORD }, cookie);
    expect(noCode.statusCode).toBe(400);
    expect(noCode.json().details[0]).toMatchObject({ field: 'body.code', message: '缺少必填字段 code' });
    const wrong = await post(
      '/api/v1/auth/totp/disable',
      { password: DEMO_PASSWORD, code: enabling === '000000' ? '111111' : '000000' },
      cookie,
    );
    expect(wrong.json().code).toBe('TOTP_INVALID');
    const replayed = await post('/api/v1/auth/totp/disable', { password: DEMO_PASSWORD, code: enabling }, cookie);
    expect(replayed.json().code).toBe('TOTP_REPLAYED');
    expect((await get('/api/v1/auth/me', cookie)).json().totpEnabled).toBe(true);
    expect((await post('/api/v1/auth/totp/disable', { password: DEMO_PASSWORD, code: nextCode(totp) }, cookie)).statusCode).toBe(204);
    expect((await get('/api/v1/auth/me', cookie)).json().totpEnabled).toBe(false);
  });

  it('when configuration requires it, an admin without a TOTP can only enrol one', async () => {
    const strict = await createTestApp({ LAOWU_REQUIRE_TOTP_FOR_ADMINS: 'true' });
    try {
      const cookie = await strict.login('guzhang_admin');
      const me = await strict.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });
      expect(me.json().totpSetupRequired).toBe(true);
      const accounts = await strict.app.inject({ method: 'GET', url: '/api/v1/accounts', headers: { cookie } });
      expect(accounts.statusCode).toBe(403);
      expect(accounts.json().code).toBe('TOTP_SETUP_REQUIRED');
      const setup = await strict.app.inject({ method: 'POST', url: '/api/v1/auth/totp/setup', headers: { cookie } });
      const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(setup.json().secret) });
      await strict.app.inject({ method: 'POST', url: '/api/v1/auth/totp/enable', headers: { cookie }, payload: { code: totp.generate() } });
      const again = await strict.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'guzhang_admin', password: DEMO_PASSWORD, totp: nextCode(totp) },
      });
      const cookie2 = `laowu_session=${again.cookies[0].value}`;
      expect((await strict.app.inject({ method: 'GET', url: '/api/v1/accounts', headers: { cookie: cookie2 } })).statusCode).toBe(200);
      // Non-admin staff are not forced.
      const officer = await strict.login('dazhu_officer').catch(() => null);
      expect(officer).not.toBeNull();
    } finally {
      await strict.close();
    }
  });
});

describe('session sweeping', () => {
  it('removes only sessions idle longer than the limit', async () => {
    const { deleteIdleSessions } = await import('./accounts.repo.ts');
    await t.login('hunan_admin');
    await sql`UPDATE session SET last_seen_at = now() - interval '2 hours' WHERE account_id = (SELECT id FROM account WHERE username = 'hunan_admin')`.execute(
      t.database.db,
    );
    const fresh = await t.login('shaoyang_admin');
    expect(await deleteIdleSessions(t.database.db, 30)).toBeGreaterThan(0);
    expect((await get('/api/v1/auth/me', fresh)).statusCode).toBe(200);
  });

  it('sweeps the failures of unknown usernames once they would start afresh, and keeps the ones that still count', async () => {
    const { deleteStaleLoginThrottles } = await import('./accounts.repo.ts');
    await sql`INSERT INTO login_throttle (username_key, failures, last_failed_at) VALUES ('stale_name', 3, now() - interval '25 hours'), ('recent_name', 3, now())`.execute(
      t.database.db,
    );
    await deleteStaleLoginThrottles(t.database.db);
    const { rows } = await sql<{
      username_key: string;
    }>`SELECT username_key FROM login_throttle WHERE username_key IN ('stale_name', 'recent_name')`.execute(t.database.db);
    expect(rows.map((r) => r.username_key)).toEqual(['recent_name']);
  });
});
