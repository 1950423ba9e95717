import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers.ts';

let t: TestApp;
let cookie: string;
beforeAll(async () => {
  t = await createTestApp();
  cookie = await t.login('xinshao_admin');
});
afterAll(async () => t?.close());

const countAccounts = async () =>
  Number(
    (
      await t.database.db
        .selectFrom('account')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('bad input gets a clear 4xx in one shape and changes nothing', () => {
  it('malformed JSON', async () => {
    const before = await countAccounts();
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/accounts',
      headers: { cookie, 'content-type': 'application/json' },
      payload: '{"username": "a",',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ code: 'MALFORMED_JSON', message: '请求内容不是合法的 JSON' });
    expect(await countAccounts()).toBe(before);
  });

  it('a 10 MB body', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ username: 'x', password: 'y'.repeat(10 * 1024 * 1024) }),
    });
    expect(response.statusCode).toBe(413);
    expect(response.json().code).toBe('BODY_TOO_LARGE');
  });

  it('unknown fields, wrong types and a username with control characters', async () => {
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'a', password: 'b', admin: true },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().details[0]).toMatchObject({ field: 'body.admin', rule: 'additionalProperties' });
    const before = await countAccounts();
    const control = await t.app.inject({
      method: 'POST',
      url: '/api/v1/accounts',
      headers: { cookie },
      payload: {
        username: 'bad\u0007name',
        displayName: '控制字符',
        password: 'Cunxinxi#2026',
        role: 'village_officer',
        regionCode: '430522107212',
      },
    });
    expect(control.statusCode).toBe(400);
    expect(control.json().code).toBe('VALIDATION_FAILED');
    const wrongType = await t.app.inject({ method: 'GET', url: '/api/v1/accounts?page=abc', headers: { cookie } });
    expect(wrongType.statusCode).toBe(400);
    const unknownQuery = await t.app.inject({ method: 'GET', url: '/api/v1/accounts?sort=1;DROP', headers: { cookie } });
    expect(unknownQuery.statusCode).toBe(400);
    expect(await countAccounts()).toBe(before);
  });

  it('region codes of the wrong length or that do not exist', async () => {
    const wrongLength = await t.app.inject({
      method: 'POST',
      url: '/api/v1/accounts',
      headers: { cookie },
      payload: {
        username: 'len_officer',
        displayName: '长度',
        password: 'Cunxinxi#2026',
        role: 'village_officer',
        regionCode: '4305221072',
      },
    });
    expect(wrongLength.statusCode).toBe(400);
    const missing = await t.app.inject({
      method: 'POST',
      url: '/api/v1/accounts',
      headers: { cookie },
      payload: {
        username: 'ghost_officer',
        displayName: '不存在',
        password: 'Cunxinxi#2026',
        role: 'village_officer',
        regionCode: '430522107999',
      },
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('REGION_NOT_FOUND');
  });

  it('SQL-looking strings are data, never SQL', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: `/api/v1/accounts?q=${encodeURIComponent("' OR '1'='1")}`,
      headers: { cookie },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ items: [], total: 0 });
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: "admin' --", password: "' OR 1=1 --" },
    });
    expect(login.statusCode).toBe(401);
  });

  it('unknown API paths and server errors never carry a stack trace', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/no-such-thing', headers: { cookie } });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ code: 'ROUTE_NOT_FOUND', message: '接口不存在' });
    // Break the database under the app: the answer is a plain 500 in the same shape.
    await t.database.db.schema.alterTable('session').renameTo('session_gone').execute();
    try {
      const broken = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });
      expect(broken.statusCode).toBe(500);
      expect(broken.json()).toEqual({ code: 'INTERNAL', message: '服务器内部错误，请稍后再试' });
      expect(broken.body).not.toMatch(/at |\.ts|session_gone/);
    } finally {
      await t.database.db.schema.alterTable('session_gone').renameTo('session').execute();
    }
  });
});
