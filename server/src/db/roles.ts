import type pg from 'pg';

/**
 * Issue 15 (等保 level 3, separation of duties in the database itself): the running application
 * connects as a role that is neither a superuser nor the owner of any table. Migrations run as the
 * owner. So the application cannot switch triggers off (`session_replication_role = replica` needs
 * a superuser), alter or drop a table, or change the audit log: on `audit_log` and `audit_chain` it
 * may only INSERT and SELECT, the append-only triggers aside; the pending markers it may also
 * delete (the linker does), and a marker deleted behind its back shows in the verification.
 */
export const APP_ROLE = 'laowu_app';

/** Creates the application role, or sets its password; never a superuser, never an owner. */
export async function ensureAppRole(owner: pg.Pool | pg.Client, role: string, password: string): Promise<void> {
  const ident = quoteIdent(role);
  const exists = await owner.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
  const literal = quoteLiteral(password);
  const attributes = 'LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT';
  // Two processes starting at once may both create it: the loser's error is harmless.
  if (!exists.rowCount)
    await owner.query(`CREATE ROLE ${ident} ${attributes} PASSWORD ${literal}`).catch((e: { code?: string }) => {
      if (e.code !== '42710' && e.code !== '23505') throw e;
    });
  await owner.query(`ALTER ROLE ${ident} ${attributes} PASSWORD ${literal}`);
}

/**
 * The application role's rights on this database, granted again after every migration (so a new
 * table is covered). Everything the application does with rows, nothing with the schema, and on
 * the audit tables only what appending and reading need.
 */
export async function grantAppRole(owner: pg.Pool | pg.Client, role: string): Promise<void> {
  const r = quoteIdent(role);
  const { rows } = await owner.query<{ db: string }>('SELECT current_database() AS db');
  await owner.query(`
    GRANT CONNECT, TEMPORARY ON DATABASE ${quoteIdent(rows[0]!.db)} TO ${r};
    GRANT USAGE ON SCHEMA public TO ${r};
    REVOKE CREATE ON SCHEMA public FROM ${r};
    -- TRUNCATE too: the statistics' derived tables are rebuilt by truncating them (stats_rebuild()).
    GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA public TO ${r};
    GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${r};
    GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO ${r};
    REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_log, audit_chain FROM ${r};
    REVOKE UPDATE, TRUNCATE, REFERENCES, TRIGGER ON audit_pending FROM ${r};
    REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_migration FROM ${r};
  `);
}

/** The connection string of `url` with another role and password. */
export function withRole(url: string, role: string, password: string): string {
  const u = new URL(url);
  u.username = encodeURIComponent(role);
  u.password = encodeURIComponent(password);
  return u.toString();
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
const quoteLiteral = (value: string) => `'${value.replace(/'/g, "''")}'`;
