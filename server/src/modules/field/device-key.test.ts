import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { seekerCard } from '../../../test/fixtures.ts';
import type { Actor } from '../../platform/actor.ts';
import { createDeviceKeyService } from './device-key.service.ts';

/**
 * Issue 19 item 4: the phone's offline copy and outbox are encrypted under a key the server gives
 * only to the village officer signed in with an enabled account, audited; signing out of the phone
 * replaces it, after which the old generation neither opens (the phone has no key for it) nor
 * syncs; a disabled account takes no key and syncs nothing.
 */
let t: TestApp;
let county: string; // xinshao_admin: 新邵县
const PASSWORD = 'Cunxinxi#2026';

const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, cookie: string, generation?: number, payload?: object) =>
  t.app.inject({
    method,
    url,
    headers: { cookie, ...(generation !== undefined ? { 'x-field-key-generation': String(generation) } : {}) },
    payload,
  });
const takeKey = (cookie: string) => call('GET', '/api/v1/field/key', cookie);
const pack = (cookie: string, generation: number) => call('GET', '/api/v1/field/package', cookie, generation);
const sync = (cookie: string, generation: number, entries: object[]) => call('POST', '/api/v1/field/sync', cookie, generation, { entries });

/** A village officer of 大竹村 of its own, signed in. */
async function newOfficer(username: string) {
  const r = await call('POST', '/api/v1/accounts', county, undefined, {
    username,
    displayName: '测试信息员',
    password: PASSWORD,
    role: 'village_officer',
    regionCode: '430522107212',
  });
  expect(r.statusCode, r.body).toBe(201);
  return { id: r.json().id as string, cookie: await t.login(username, PASSWORD) };
}

async function newCard(body17: string, name: string) {
  const r = await call('POST', '/api/v1/laborers', county, undefined, seekerCard(body17, { name, homeVillageCode: '430522107212' }));
  expect(r.statusCode, r.body).toBe(201);
  return r.json() as { id: string; version: number };
}
const remarkEdit = (c: { id: string; version: number }, remark: string) => ({
  key: randomUUID(),
  kind: 'update',
  laborerId: c.id,
  baseVersion: c.version,
  capturedAt: new Date(Date.now() - 3_600_000).toISOString(),
  changes: [{ field: 'remark', old: null, new: remark }],
});
const auditRows = async (action: string, accountId: string) =>
  (
    await sql<{ result: string; details: Record<string, unknown> }>`SELECT result, details FROM audit_log
      WHERE action = ${action} AND entity_id = ${accountId} ORDER BY id`.execute(t.ctx.db)
  ).rows;

beforeAll(async () => {
  t = await createTestApp();
  county = await t.login('xinshao_admin');
});
afterAll(async () => t?.close());

describe("the phone's device key", () => {
  it('is released to the officer signed in, audited: the same key at every release until sign-out, another for another officer', async () => {
    const first = await newOfficer('key_officer_a');
    const r = await takeKey(first.cookie);
    expect(r.statusCode, r.body).toBe(200);
    const key = r.json();
    expect(key).toMatchObject({ generation: 1, offlineDays: 7 });
    expect(Buffer.from(key.key, 'base64url')).toHaveLength(32);
    expect(r.headers['cache-control']).toBe('no-store');
    // Signed in again (the phone after 7 days without a sync): the same generation, so an outbox encrypted under it opens.
    const again = await takeKey(await t.login('key_officer_a', PASSWORD));
    expect(again.json()).toMatchObject({ generation: 1, key: key.key });
    const other = await newOfficer('key_officer_b');
    expect((await takeKey(other.cookie)).json().key).not.toBe(key.key);
    const audits = await auditRows('field.key_release', first.id);
    expect(audits.map((a) => [a.result, a.details.keyGeneration])).toEqual([
      ['success', 1],
      ['success', 1],
    ]);
  });

  it('is refused to every role but those who sign in on the phone (village officers, brokers), and to nobody signed in', async () => {
    expect((await takeKey(await t.login('longxipu_operator'))).json().code).toBe('FORBIDDEN');
    expect((await takeKey(county)).statusCode).toBe(403);
    // A broker works online, but what the page keeps of them (their sign-in, their to-dos) is encrypted too.
    expect((await takeKey(await t.login('longxipu_broker'))).json().generation).toBe(1);
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/v1/field/key' });
    expect(anonymous.statusCode).toBe(401);
  });

  it('is replaced when the officer signs out of the phone: the old generation can take no package and sync nothing, audited', async () => {
    const officer = await newOfficer('key_officer_rotate');
    const old = (await takeKey(officer.cookie)).json();
    expect((await pack(officer.cookie, old.generation)).statusCode).toBe(200);
    const signOut = await call('DELETE', '/api/v1/field/key', officer.cookie);
    expect(signOut.statusCode, signOut.body).toBe(204);
    expect((await auditRows('field.key_rotate', officer.id)).map((a) => a.details.keyGeneration)).toEqual([2]);

    const c = await newCard('43052219900303101', '换钥人');
    const refusedSync = await sync(officer.cookie, old.generation, [remarkEdit(c, '旧手机上的修改')]);
    expect(refusedSync.statusCode).toBe(409);
    expect(refusedSync.json()).toMatchObject({ code: 'FIELD_KEY_ROTATED' });
    expect(refusedSync.json().message).toContain('重新登录');
    const refusedPackage = await pack(officer.cookie, old.generation);
    expect(refusedPackage.json().code).toBe('FIELD_KEY_ROTATED');
    // Nothing of the refused sync was applied or kept.
    expect((await call('GET', `/api/v1/laborers/${c.id}`, county)).json().remark).not.toBe('旧手机上的修改');
    const kept = await sql<{ n: string }>`SELECT count(*) AS n FROM field_sync_entry WHERE account_id = ${officer.id}`.execute(t.ctx.db);
    expect(Number(kept.rows[0]!.n)).toBe(0);
    const denied = [...(await auditRows('field.sync', officer.id)), ...(await auditRows('field.package', officer.id))];
    expect(
      denied.filter((a) => a.result === 'denied').map((a) => [a.details.reason, a.details.keyGeneration, a.details.currentKeyGeneration]),
    ).toEqual([
      ['FIELD_KEY_ROTATED', 1, 2],
      ['FIELD_KEY_ROTATED', 1, 2],
    ]);

    // Signed in again: the new generation, another key, and the phone works with it.
    const fresh = (await takeKey(officer.cookie)).json();
    expect(fresh.generation).toBe(2);
    expect(fresh.key).not.toBe(old.key);
    expect((await pack(officer.cookie, 2)).statusCode).toBe(200);
    const synced = await sync(officer.cookie, 2, [remarkEdit(c, '新手机上的修改')]);
    expect(synced.json().results[0].status).toBe('applied');
    // A generation never released, or none named: refused before anything is read.
    expect((await pack(officer.cookie, 3)).json().code).toBe('FIELD_KEY_UNKNOWN');
    expect((await call('GET', '/api/v1/field/package', officer.cookie)).json().code).toBe('VALIDATION_FAILED');
  });
});

describe('a disabled account', () => {
  it('can neither take the key nor sync: its sessions end, signing in again is refused, nothing is applied', async () => {
    const officer = await newOfficer('key_officer_disabled');
    const key = (await takeKey(officer.cookie)).json();
    const c = await newCard('43052219900303102', '停用人');
    const disabled = await call('PATCH', `/api/v1/accounts/${officer.id}`, county, undefined, { status: 'disabled' });
    expect(disabled.statusCode, disabled.body).toBe(200);

    const refusedSync = await sync(officer.cookie, key.generation, [remarkEdit(c, '停用后的修改')]);
    expect(refusedSync.statusCode).toBe(401);
    expect(refusedSync.json().code).toBe('UNAUTHENTICATED');
    expect((await takeKey(officer.cookie)).statusCode).toBe(401);
    const signIn = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'key_officer_disabled', password: PASSWORD },
    });
    expect(signIn.statusCode).toBe(403);
    expect(signIn.json()).toMatchObject({ code: 'ACCOUNT_DISABLED', message: '账号已停用' });
    expect((await call('GET', `/api/v1/laborers/${c.id}`, county)).json().remark).not.toBe('停用后的修改');
    const kept = await sql<{ n: string }>`SELECT count(*) AS n FROM field_sync_entry WHERE account_id = ${officer.id}`.execute(t.ctx.db);
    expect(Number(kept.rows[0]!.n)).toBe(0);
  });

  it('disabled while its request was on its way: the key and the sync are refused in the transaction, with ACCOUNT_DISABLED', async () => {
    const officer = await newOfficer('key_officer_racing');
    const actor: Actor = {
      id: officer.id,
      username: 'key_officer_racing',
      displayName: '测试信息员',
      role: 'village_officer',
      regionCode: '430522107212',
      regionLevel: 5,
      hostRegionCode: null,
      totpEnabled: false,
      ip: '127.0.0.1',
    };
    const keys = createDeviceKeyService({ audit: t.ctx.audit, identifierKey: t.ctx.config.secrets.identifierKey });
    await t.ctx.db.transaction().execute((tx) => keys.release(tx, actor));
    expect((await call('PATCH', `/api/v1/accounts/${officer.id}`, county, undefined, { status: 'disabled' })).statusCode).toBe(200);
    const release = t.ctx.db.transaction().execute((tx) => keys.release(tx, actor));
    await expect(release).rejects.toMatchObject({ code: 'ACCOUNT_DISABLED', message: expect.stringContaining('账号已停用') });
    const admit = t.ctx.db.transaction().execute((tx) => keys.admit(tx, actor, 1, 'field.sync'));
    await expect(admit).rejects.toMatchObject({ code: 'ACCOUNT_DISABLED' });
  });
});
