import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers.ts';

/**
 * Issue 15, item 8: the database protects the audit log from the application itself. The app
 * used to connect as a superuser, so `session_replication_role = replica` switched the append-only
 * triggers off. Now it connects as `laowu_app`: no superuser, no owner, INSERT and SELECT only on
 * the audit tables. (The tests' own `database` handle is the owner, to set worlds up.)
 */
describe('the application role', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  const asApp = () => t.pools.background;

  it('is neither a superuser nor the owner of the audit tables', async () => {
    const { rows } = await sql<{ who: string; superuser: boolean; owner: string }>`SELECT current_user AS who,
      (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser,
      (SELECT tableowner FROM pg_tables WHERE tablename = 'audit_log') AS owner`.execute(asApp());
    expect(rows[0]).toMatchObject({ who: 'laowu_app', superuser: false });
    expect(rows[0]!.owner).not.toBe('laowu_app');
  });

  it('cannot switch the triggers off, nor change, delete or truncate audit rows', async () => {
    await expect(sql`SET session_replication_role = replica`.execute(asApp())).rejects.toThrow(/permission denied/);
    await expect(sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update`.execute(asApp())).rejects.toThrow(/must be owner/);
    await expect(sql`UPDATE audit_log SET action = 'x'`.execute(asApp())).rejects.toThrow(/permission denied/);
    await expect(sql`DELETE FROM audit_log`.execute(asApp())).rejects.toThrow(/permission denied/);
    await expect(sql`TRUNCATE audit_log`.execute(asApp())).rejects.toThrow(/permission denied/);
    await expect(sql`DELETE FROM audit_chain`.execute(asApp())).rejects.toThrow(/permission denied/);
    await expect(sql`DROP TABLE audit_chain`.execute(asApp())).rejects.toThrow(/must be owner/);
    await expect(sql`INSERT INTO schema_migration (name, checksum) VALUES ('9999_x.sql', 'x')`.execute(asApp())).rejects.toThrow(
      /permission denied/,
    );
  });

  it('still does all its work: a write with its audit row, linked into a chain that verifies', async () => {
    const cookie = await t.login('xinshao_admin');
    const r = await t.app.inject({ method: 'GET', url: '/api/v1/accounts?pageSize=1', headers: { cookie } });
    expect(r.statusCode).toBe(200);
    await t.auditLinker.flush();
    expect(await t.ctx.audit.verify(asApp())).toMatchObject({ ok: true, pending: 0 });
  });
});
