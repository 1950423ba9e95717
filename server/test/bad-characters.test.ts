import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Role } from '../src/db/schema.ts';
import { randomToken, sm3 } from '../src/platform/crypto.ts';
import { createTestApp, type TestApp } from './helpers.ts';
import { seekerCard } from './fixtures.ts';
import { registerTestClient } from '../src/modules/exchange/exchange.fixture.ts';

/**
 * NUL and lone surrogates reach PostgreSQL as a 500 (text refuses NUL, jsonb a lone surrogate)
 * unless they are stopped at the edge: every route answers them with a 400 of its own code.
 */
const ACCOUNT_OF: Partial<Record<Role, string>> = {
  admin: 'xinshao_admin',
  township_operator: 'longxipu_operator',
  village_officer: 'dazhu_officer',
  broker: 'longxipu_broker',
  liaison_office: 'huayuan_shenzhen',
  employer: 'guohui_employer',
  auditor: 'hunan_auditor',
};

let t: TestApp;
const cookies = new Map<string, string>();
let mobileCookie = '';
/** A client system of the data exchange (its routes take its key, not a session). */
let exchangeAuthorization = '';

beforeAll(async () => {
  t = await createTestApp();
  for (const [role, username] of Object.entries(ACCOUNT_OF)) cookies.set(role, await t.login(username));
  const { rows } = await sql<{
    id: string;
  }>`INSERT INTO laborer (id_index, id_cipher, id_masked, name, name_pinyin, name_initials, sex, birth_date,
      home_village_code, poverty_status, education, labor_capacity, health, willingness, caring, employment_status)
    VALUES ('\\x02', 'x', '430522********0002', '字符测试', 'zifuceshi', 'zfcs', 'male', '1990-01-01', '430522107212', 'registered', '70',
      'full', 'healthy', 'in_county', 'none', 'unemployed') RETURNING id`.execute(t.ctx.db);
  const token = randomToken();
  await sql`INSERT INTO mobile_session (token_hash, laborer_id, expires_at) VALUES (${sm3(token)}, ${rows[0]!.id}, now() + interval '1 day')`.execute(
    t.ctx.db,
  );
  mobileCookie = `laowu_mobile=${token}`;
  exchangeAuthorization = (await registerTestClient(t.ctx.db)).authorization;
});
afterAll(async () => t?.close());

const key = (r: { method: string; url: string }) => `${r.method} ${r.url}`;
/** A caller the route lets through, so the request reaches the check and the handler behind it. */
function callerOf(route: (typeof t.routes)[number]): Record<string, string> {
  const access = route.access;
  if ('public' in access) return {};
  if ('laborer' in access) return { cookie: mobileCookie };
  if ('exchange' in access) return { authorization: exchangeAuthorization };
  const role = access.roles === 'any' ? 'admin' : access.roles.find((r) => cookies.has(r));
  return role ? { cookie: cookies.get(role)! } : {};
}
const concrete = (url: string) => url.replace(':code', '430522').replace(/:[A-Za-z]+/g, '1');
/** Logout and the password change end the session they are called with: they go last. */
const apiRoutes = () =>
  t.routes
    .filter((r) => r.url.startsWith('/api/v1/'))
    .sort((a, b) => Number(/logout|password/.test(a.url)) - Number(/logout|password/.test(b.url)));

describe('NUL and lone surrogates are a 400 on every route, never a 500', () => {
  it('in a query parameter of every GET route', async () => {
    const failures: string[] = [];
    for (const route of apiRoutes().filter((r) => r.method === 'GET')) {
      for (const bad of ['%00', 'a%00b', '%ED%A0%80']) {
        const r = await t.app.inject({ method: 'GET', url: `${concrete(route.url)}?q=${bad}`, headers: callerOf(route) });
        if (r.statusCode >= 500 || (bad !== '%ED%A0%80' && r.json().code !== 'INVALID_CHARACTERS'))
          failures.push(`${key(route)} ?q=${bad}: ${r.statusCode} ${r.body.slice(0, 100)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('in a path parameter of every route that has one', async () => {
    const failures: string[] = [];
    for (const route of apiRoutes().filter((r) => r.url.includes(':'))) {
      const url = concrete(route.url.replace(/:[A-Za-z]+/, '%00'));
      const r = await t.app.inject({
        method: route.method as 'GET',
        url,
        headers: callerOf(route),
        payload: route.method === 'GET' ? undefined : {},
      });
      if (r.statusCode !== 400 || r.json().code !== 'INVALID_CHARACTERS')
        failures.push(`${key(route)} ${url}: ${r.statusCode} ${r.body.slice(0, 100)}`);
    }
    expect(failures).toEqual([]);
  });

  it('in a JSON body string (and a key) of every POST, PUT and PATCH route', async () => {
    const failures: string[] = [];
    const bodies = [{ name: '\u0000' }, { name: 'ab\uD800c' }, { nested: [{ note: '\uDC00' }] }, { ['k\u0000']: 'v' }];
    for (const route of apiRoutes().filter((r) => ['POST', 'PUT', 'PATCH'].includes(r.method))) {
      for (const payload of bodies) {
        const r = await t.app.inject({ method: route.method as 'POST', url: concrete(route.url), headers: callerOf(route), payload });
        // Multipart uploads do not take JSON (415); every other route reads the body and refuses it.
        const ok = r.statusCode === 415 ? route.url.includes('imports') : r.statusCode === 400 && r.json().code === 'INVALID_CHARACTERS';
        if (!ok) failures.push(`${key(route)} ${JSON.stringify(payload)}: ${r.statusCode} ${r.body.slice(0, 100)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('answers in Chinese and says which field', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/laborers',
      headers: { cookie: cookies.get('village_officer')! },
      payload: seekerCard('43052219920303001', { name: '王\u0000五' }),
    });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toEqual({
      code: 'INVALID_CHARACTERS',
      message: '请求中含有不允许的字符（空字符或不完整的 Unicode 字符），请删除后重试',
      details: [{ field: 'body.name', message: '含有空字符或不完整的 Unicode 字符' }],
    });
  });
});

describe('bidirectional controls are refused in names', () => {
  const RLO = '\u202E';
  const expectRefused = (r: { statusCode: number; json(): { code: string; details: { field: string }[] } }, field: string) => {
    expect(r.statusCode).toBe(400);
    expect(r.json().code).toBe('NAME_INVALID_CHARACTERS');
    expect(r.json().details[0].field).toBe(field);
  };

  it('a laborer’s name, an account’s display name and an employer’s name, each with a clear code', async () => {
    const officer = { cookie: cookies.get('village_officer')! };
    const admin = { cookie: cookies.get('admin')! };
    for (const mark of [RLO, '\u202A', '\u2066', '\u2069']) {
      expectRefused(
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/laborers',
          headers: officer,
          payload: seekerCard('43052219920303002', { name: `张三${mark}exe` }),
        }),
        'body.name',
      );
    }
    expectRefused(
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/accounts',
        headers: admin,
        payload: {
          username: 'bidi_officer',
          displayName: `信息员${RLO}abc`,
          password: 'Cunxinxi#2026',
          role: 'village_officer',
          regionCode: '430522107212',
        },
      }),
      'body.displayName',
    );
    const dazhu = await t.database.db.selectFrom('account').select('id').where('username', '=', 'dazhu_officer').executeTakeFirstOrThrow();
    expectRefused(
      await t.app.inject({
        method: 'PATCH',
        url: `/api/v1/accounts/${dazhu.id}`,
        headers: admin,
        payload: { displayName: `${RLO}员息信` },
      }),
      'body.displayName',
    );
    expectRefused(
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/employers',
        headers: admin,
        payload: { name: `邵阳${RLO}箱包厂`, creditCode: '91430522MA4L000000', kind: 'enterprise', regionCode: '430522' },
      }),
      'body.name',
    );
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/accounts',
      headers: admin,
      payload: {
        username: 'bidi_officer',
        displayName: `信息员${RLO}`,
        password: 'x',
        role: 'village_officer',
        regionCode: '430522107212',
      },
    });
    expect(r.json().message).toBe('名称中不能含有文字方向控制字符（如 U+202E），请删除后重新输入');
    expect(
      await t.database.db.selectFrom('account').select('id').where('username', '=', 'bidi_officer').executeTakeFirst(),
    ).toBeUndefined();
  });

  it('an ordinary name with ethnic-minority characters and a middle dot still passes', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/laborers',
      headers: { cookie: cookies.get('village_officer')! },
      payload: seekerCard('43052219920303003', { name: '阿依古丽·买买提' }),
    });
    expect(r.statusCode, r.body).toBe(201);
  });
});
