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
    expect(search).toMatchObject({
      action: 'account.search',
      entity: 'account',
      actor_name: 'xinshao_admin',
      actor_role: 'admin',
      actor_region: '430522',
      result: 'success',
    });
    expect(search.ip).toBeTruthy();

    await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'xinshao_admin', password: 'Nope-nope1' } });
    const [failure] = await lastRows(1);
    expect(failure).toMatchObject({ action: 'auth.login', result: 'failure', actor_name: 'xinshao_admin', actor_id: null });
  });

  it('keeps the audit row and the change in one transaction: a refused write leaves neither', async () => {
    const cookie = await t.login('xinshao_admin');
    const before = await t.database.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('action', '=', 'account.create')
      .executeTakeFirstOrThrow();
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/v1/accounts',
      headers: { cookie },
      payload: {
        username: 'dazhu_officer',
        displayName: '重复',
        password: 'Cunxinxi#2026',
        role: 'village_officer',
        regionCode: '430522107212',
      },
    });
    expect(refused.statusCode).toBe(409);
    const after = await t.database.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('action', '=', 'account.create')
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('is append-only: the database refuses UPDATE, DELETE and TRUNCATE', async () => {
    await expect(sql`UPDATE audit_log SET action = 'x'`.execute(t.database.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_log`.execute(t.database.db)).rejects.toThrow(/append-only/);
    // TRUNCATE is refused by the chain's reference to the rows before the trigger is reached.
    await expect(sql`TRUNCATE audit_log`.execute(t.database.db)).rejects.toThrow(/append-only|foreign key/);
    await t.auditLinker.flush();
    await expect(sql`UPDATE audit_chain SET hash = hash`.execute(t.database.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_chain`.execute(t.database.db)).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE audit_chain`.execute(t.database.db)).rejects.toThrow(/append-only/);
  });

  it('chains rows written at once by many requests, without forks or gaps, and says what is pending', async () => {
    const cookie = await t.login('xinshao_admin');
    const responses = await Promise.all(
      Array.from({ length: 60 }, () => t.app.inject({ method: 'GET', url: '/api/v1/accounts?pageSize=1', headers: { cookie } })),
    );
    expect(responses.every((r) => r.statusCode === 200)).toBe(true);
    const result = await t.ctx.audit.verify(t.database.db);
    expect(result).toMatchObject({ ok: true, pending: 0, firstBrokenId: null });
    const rows = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM audit_log`.execute(t.database.db)).rows[0]!.n);
    expect(result.checked).toBe(rows);
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
    // And the auditor reads nothing but the audit log: of the accounts, only the auditors it manages (三权分立).
    const accounts = await t.app.inject({ method: 'GET', url: '/api/v1/accounts?pageSize=100', headers: { cookie: auditor } });
    expect(accounts.statusCode).toBe(200);
    expect(accounts.json().items.length).toBeGreaterThan(0);
    expect(accounts.json().items.every((a: { role: string }) => a.role === 'auditor')).toBe(true);
    const adminId = (await t.database.db.selectFrom('account').select('id').where('username', '=', 'hunan_admin').executeTakeFirstOrThrow())
      .id;
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/accounts/${adminId}`, headers: { cookie: auditor } })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/laborers', headers: { cookie: auditor } })).statusCode).toBe(403);
  });

  it('finds the first broken link when a row is altered behind the application’s back', async () => {
    await t.auditLinker.flush();
    const victim = (await t.database.db.selectFrom('audit_log').select('id').orderBy('id').offset(3).limit(1).executeTakeFirstOrThrow()).id;
    // Only a superuser who switches the guard off can do this; verification must still notice.
    await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update`.execute(t.database.db);
    await sql`UPDATE audit_log SET entity_id = 'tampered' WHERE id = ${victim}`.execute(t.database.db);
    await sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update`.execute(t.database.db);
    const result = await t.ctx.audit.verify(t.database.db);
    expect(result.ok).toBe(false);
    expect(result.firstBrokenId).toBe(String(victim));
  });

  it('notices a row whose pending marker was removed before it was linked', async () => {
    const fresh = await createTestApp();
    try {
      await fresh.auditLinker.stop();
      const cookie = await fresh.login('xinshao_admin');
      await fresh.app.inject({ method: 'GET', url: '/api/v1/accounts', headers: { cookie } });
      const [row] = await fresh.database.db.selectFrom('audit_log').select('id').orderBy('id', 'desc').limit(1).execute();
      await sql`DELETE FROM audit_pending WHERE audit_id = ${row!.id}`.execute(fresh.database.db);
      const result = await fresh.ctx.audit.verify(fresh.database.db);
      expect(result.ok).toBe(false);
      expect(result.firstBrokenId).toBe(String(row!.id));
    } finally {
      await fresh.close();
    }
  });
});
