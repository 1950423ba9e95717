import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { seekerCard } from '../../../test/fixtures.ts';

/**
 * Issue 18 item 4: the village officer confirms the quarter's cards in one batch, with a stated
 * reason, instead of opening them one by one; one audit row per card; a card outside the
 * officer's villages refuses the whole batch.
 */
let t: TestApp;
let officer: string;
let county: string;
const ours: string[] = [];
let foreign: string;

const call = (method: 'GET' | 'POST', url: string, cookie: string, payload?: object) =>
  t.app.inject({ method, url, headers: { cookie }, payload });
const confirmedIds = async () =>
  (await sql<{ id: string }>`SELECT laborer_id::text AS id FROM laborer_confirmation`.execute(t.database.db)).rows.map((r) => r.id);

beforeAll(async () => {
  t = await createTestApp();
  [officer, county] = await Promise.all(['dazhu_officer', 'xinshao_admin'].map((u) => t.login(u)));
  for (let i = 0; i < 11; i++) {
    const r = await call(
      'POST',
      '/api/v1/laborers',
      officer,
      seekerCard(`4305221990010${String(100 + i)}1`.slice(0, 17), { name: `批量${i}` }),
    );
    expect(r.statusCode, r.body).toBe(201);
    ours.push(r.json().id);
  }
  // A card of 团结村 (潭府乡), another village of the county: not the officer's.
  const other = await call(
    'POST',
    '/api/v1/laborers',
    county,
    seekerCard('43052219920202021', { name: '外村人', homeVillageCode: '430522200235' }),
  );
  expect(other.statusCode, other.body).toBe(201);
  foreign = other.json().id;
});
afterAll(async () => t?.close());

describe('quarterly confirmation in one batch', () => {
  it('refuses the whole batch when one card is not the officer’s, and a batch without a reason; confirms nothing', async () => {
    const mixed = await call('POST', '/api/v1/laborers/confirmations', officer, {
      ids: [...ours.slice(0, 3), foreign],
      reason: '入户核实，无变化',
    });
    expect(mixed.statusCode).toBe(404);
    expect(mixed.json().message).toBe('不存在或无权限');
    expect((await call('POST', '/api/v1/laborers/confirmations', officer, { ids: ours.slice(0, 3) })).statusCode).toBe(400);
    expect((await call('POST', '/api/v1/laborers/confirmations', officer, { ids: [], reason: '入户核实' })).statusCode).toBe(400);
    expect((await call('POST', '/api/v1/laborers/confirmations', county, { ids: ours.slice(0, 3), reason: '入户核实' })).statusCode).toBe(
      403,
    );
    expect(await confirmedIds()).toEqual([]);
  });

  it('confirms ten cards in one batch, one audit row per card with the reason; a card already confirmed counts once', async () => {
    expect((await call('POST', `/api/v1/laborers/${ours[0]}/confirm`, officer)).statusCode).toBe(204);
    const batch = await call('POST', '/api/v1/laborers/confirmations', officer, { ids: ours.slice(0, 10), reason: '入户核实，无变化' });
    expect(batch.statusCode, batch.body).toBe(200);
    expect(batch.json()).toMatchObject({ cards: 10, confirmed: 9, alreadyConfirmed: 1 });
    expect((await confirmedIds()).sort()).toEqual(ours.slice(0, 10).sort());
    const due = (await call('GET', '/api/v1/laborers?confirmed=false', officer)).json();
    expect(due.items.map((l: { id: string }) => l.id)).toEqual([ours[10]]);
    const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM audit_log
      WHERE action = 'laborer.confirm' AND details->>'reason' = '入户核实，无变化' AND (details->>'batch')::int = 10`.execute(
      t.database.db,
    );
    expect(Number(rows[0]!.n)).toBe(10);
  });
});
