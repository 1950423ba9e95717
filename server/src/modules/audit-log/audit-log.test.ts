import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const lastRows = (n: number) => t.database.db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(n).execute();

describe('audit log', () => {
  it('records writes, searches and failed logins with who, role, region, IP and result', async () => {
    const cookie = await t.login('xinshao_admin');
    await t.app.inject({ method: 'GET', url: '/api/v1/accounts', headers: { cookie } });
    const [search] = await lastRows(1);
    expect(search).toMatchObject({ action: 'account.search', entity: 'account', actor_name: 'xinshao_admin', actor_role: 'admin', actor_region: '430522', result: 'success' });
    expect(search.ip).toBeTruthy();

    await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'xinshao_admin', password: 'Nope-nope1' } });
    const [failure] = await lastRows(1);
    expect(failure).toMatchObject({ action: 'auth.login', result: 'failure', actor_name: 'xinshao_admin', actor_id: null });
  });

  it('keeps the audit row and the change in one transaction: a refused write leaves neither', async () => {
    const cookie = await t.login('xinshao_admin');
    const before = await t.database.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<string>().as('n')).where('action', '=', 'account.create').executeTakeFirstOrThrow();
    const refused = await t.app.inject({
      method: 'POST', url: '/api/v1/accounts', headers: { cookie },
      payload: { username: 'dazhu_officer', displayName: '重复', password: 'Cunxinxi#2026', role: 'village_officer', regionCode: '430522107212' },
    });
    expect(refused.statusCode).toBe(409);
    const after = await t.database.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<string>().as('n')).where('action', '=', 'account.create').executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('is append-only: the database refuses UPDATE, DELETE and TRUNCATE', async () => {
    await expect(sql`UPDATE audit_log SET action = 'x'`.execute(t.database.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_log`.execute(t.database.db)).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE audit_log`.execute(t.database.db)).rejects.toThrow(/append-only/);
  });

  it('lets auditors browse and verify it, and nobody else', async () => {
    const auditor = await t.login('hunan_auditor');
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/audit?pageSize=5', headers: { cookie: auditor } });
    expect(list.statusCode).toBe(200);
    expect(list.json().total).toBeGreaterThan(0);
    const verify = await t.app.inject({ method: 'GET', url: '/api/v1/audit/verify', headers: { cookie: auditor } });
    expect(verify.json()).toMatchObject({ ok: true, firstBrokenId: null });
    const admin = await t.login('hunan_admin');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/audit', headers: { cookie: admin } })).statusCode).toBe(403);
    // And the auditor reads nothing but the audit log.
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/accounts', headers: { cookie: auditor } })).statusCode).toBe(403);
  });

  it('finds the first broken link when a row is altered behind the application’s back', async () => {
    const victim = (await t.database.db.selectFrom('audit_log').select('id').orderBy('id').offset(3).limit(1).executeTakeFirstOrThrow()).id;
    // Only a superuser who switches the guard off can do this; verification must still notice.
    await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update`.execute(t.database.db);
    await sql`UPDATE audit_log SET entity_id = 'tampered' WHERE id = ${victim}`.execute(t.database.db);
    await sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update`.execute(t.database.db);
    const result = await t.ctx.audit.verify(t.database.db);
    expect(result.ok).toBe(false);
    expect(result.firstBrokenId).toBe(String(victim));
  });
});
