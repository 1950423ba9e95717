import { sql } from 'kysely';
import type { DbOrTx } from '../../db/database.ts';
import type { Role } from '../../db/schema.ts';
import { withinRegion } from '../../platform/access.ts';

/** SQL for accounts and sessions. Rows leave as camelCase records. */
export interface AccountRecord {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  regionCode: string;
  hostRegionCode: string | null;
  passwordHash: string;
  status: 'active' | 'disabled';
  failedLogins: number;
  lockedUntil: Date | null;
  totpSecret: string | null;
  totpEnabled: boolean;
  createdAt: Date;
}

const columns = [
  'id',
  'username',
  'display_name',
  'role',
  'region_code',
  'host_region_code',
  'password_hash',
  'status',
  'failed_logins',
  'locked_until',
  'totp_secret',
  'totp_enabled',
  'created_at',
] as const;

type Row = {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  region_code: string;
  host_region_code: string | null;
  password_hash: string;
  status: 'active' | 'disabled';
  failed_logins: number;
  locked_until: Date | null;
  totp_secret: string | null;
  totp_enabled: boolean;
  created_at: Date;
};

const toRecord = (r: Row): AccountRecord => ({
  id: String(r.id),
  username: r.username,
  displayName: r.display_name,
  role: r.role,
  regionCode: r.region_code,
  hostRegionCode: r.host_region_code,
  passwordHash: r.password_hash,
  status: r.status,
  failedLogins: r.failed_logins,
  lockedUntil: r.locked_until,
  totpSecret: r.totp_secret,
  totpEnabled: r.totp_enabled,
  createdAt: r.created_at,
});

export async function findByUsername(db: DbOrTx, username: string): Promise<AccountRecord | undefined> {
  const row = await db.selectFrom('account').select(columns).where(sql`lower(username)`, '=', username.toLowerCase()).executeTakeFirst();
  return row ? toRecord(row as Row) : undefined;
}

export async function findById(db: DbOrTx, id: string, forUpdate = false): Promise<AccountRecord | undefined> {
  let query = db.selectFrom('account').select(columns).where('id', '=', id);
  if (forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? toRecord(row as Row) : undefined;
}

export interface AccountFilter {
  scopeRegion: string;
  region?: string;
  role?: Role;
  status?: 'active' | 'disabled';
  q?: string;
  offset: number;
  limit: number;
}

export async function list(db: DbOrTx, filter: AccountFilter): Promise<{ items: AccountRecord[]; total: number }> {
  let query = db.selectFrom('account').where(withinRegion('region_code', filter.scopeRegion));
  if (filter.region) query = query.where(withinRegion('region_code', filter.region));
  if (filter.role) query = query.where('role', '=', filter.role);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.q) {
    const like = `%${filter.q.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
    query = query.where((eb) => eb.or([eb('username', 'ilike', like), eb('display_name', 'ilike', like)]));
  }
  const [rows, count] = await Promise.all([
    query.select(columns).orderBy('region_code').orderBy('id').offset(filter.offset).limit(filter.limit).execute(),
    query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: (rows as Row[]).map(toRecord), total: Number(count.n) };
}

export interface NewAccount {
  username: string;
  displayName: string;
  role: Role;
  regionCode: string;
  hostRegionCode: string | null;
  passwordHash: string;
  createdBy: string | null;
}

export async function insert(db: DbOrTx, account: NewAccount): Promise<AccountRecord> {
  const row = await db
    .insertInto('account')
    .values({
      username: account.username,
      display_name: account.displayName,
      role: account.role,
      region_code: account.regionCode,
      host_region_code: account.hostRegionCode,
      password_hash: account.passwordHash,
      created_by: account.createdBy,
    })
    .returning(columns)
    .executeTakeFirstOrThrow();
  return toRecord(row as Row);
}

export async function usernameExists(db: DbOrTx, username: string): Promise<boolean> {
  const row = await db.selectFrom('account').select('id').where(sql`lower(username)`, '=', username.toLowerCase()).executeTakeFirst();
  return Boolean(row);
}

export async function update(
  db: DbOrTx,
  id: string,
  patch: Partial<{
    displayName: string;
    status: 'active' | 'disabled';
    passwordHash: string;
    failedLogins: number;
    lockedUntil: Date | null;
    totpSecret: string | null;
    totpEnabled: boolean;
    totpLastStep: null;
  }>,
): Promise<void> {
  const values: Record<string, unknown> = { updated_at: new Date() };
  if (patch.displayName !== undefined) values.display_name = patch.displayName;
  if (patch.status !== undefined) values.status = patch.status;
  if (patch.passwordHash !== undefined) {
    values.password_hash = patch.passwordHash;
    values.password_changed_at = new Date();
  }
  if (patch.failedLogins !== undefined) values.failed_logins = patch.failedLogins;
  if (patch.lockedUntil !== undefined) values.locked_until = patch.lockedUntil;
  if (patch.totpSecret !== undefined) values.totp_secret = patch.totpSecret;
  if (patch.totpEnabled !== undefined) values.totp_enabled = patch.totpEnabled;
  if (patch.totpLastStep !== undefined) values.totp_last_step = patch.totpLastStep;
  await db.updateTable('account').set(values).where('id', '=', id).execute();
}

/**
 * Whether a failure starts the count afresh: the lock has passed, or the last failure is more than
 * a day old. The same rule for an account and for a username no account has (login_throttle), so
 * no sequence of tries answers differently for the two.
 */
const FRESH = (lastFailed: string, lockedUntil: string) =>
  sql.raw(
    `(${lastFailed} IS NULL OR ${lastFailed} < now() - interval '1 day' OR (${lockedUntil} IS NOT NULL AND ${lockedUntil} <= now()))`,
  );

/** Count a failed login atomically; returns the new count. */
export async function recordFailedLogin(db: DbOrTx, id: string, lockAfter: number, lockMinutes: number): Promise<number> {
  const fresh = FRESH('last_failed_login_at', 'locked_until');
  const { rows } = await sql<{ failed_logins: number }>`UPDATE account SET
      failed_logins = CASE WHEN ${fresh} THEN 1 ELSE failed_logins + 1 END,
      locked_until = CASE WHEN (CASE WHEN ${fresh} THEN 1 ELSE failed_logins + 1 END) >= ${lockAfter} THEN now() + make_interval(mins => ${lockMinutes})
                          WHEN ${fresh} THEN NULL ELSE locked_until END,
      last_failed_login_at = now()
    WHERE id = ${id} RETURNING failed_logins`.execute(db);
  return rows[0]!.failed_logins;
}

/** The lock of a username no account has, if its failures set one. */
export async function unknownUsernameLockedUntil(db: DbOrTx, usernameKey: string): Promise<Date | null> {
  const { rows } = await sql<{
    locked_until: Date | null;
  }>`SELECT locked_until FROM login_throttle WHERE username_key = ${usernameKey}`.execute(db);
  return rows[0]?.locked_until ?? null;
}

/** A failed login under a username no account has: counted and locked exactly like an account's. */
export async function recordUnknownUsernameFailure(db: DbOrTx, usernameKey: string, lockAfter: number, lockMinutes: number): Promise<void> {
  const fresh = FRESH('t.last_failed_at', 't.locked_until');
  await sql`INSERT INTO login_throttle AS t (username_key, failures, locked_until, last_failed_at)
      VALUES (${usernameKey}, 1, CASE WHEN 1 >= ${lockAfter} THEN now() + make_interval(mins => ${lockMinutes}) END, now())
    ON CONFLICT (username_key) DO UPDATE SET
      failures = CASE WHEN ${fresh} THEN 1 ELSE t.failures + 1 END,
      locked_until = CASE WHEN (CASE WHEN ${fresh} THEN 1 ELSE t.failures + 1 END) >= ${lockAfter} THEN now() + make_interval(mins => ${lockMinutes})
                          WHEN ${fresh} THEN NULL ELSE t.locked_until END,
      last_failed_at = now()`.execute(db);
}

/** Rows of usernames whose failures would start afresh anyway: the table stays small. */
export async function deleteStaleLoginThrottles(db: DbOrTx): Promise<number> {
  const r =
    await sql`DELETE FROM login_throttle WHERE last_failed_at < now() - interval '1 day' AND (locked_until IS NULL OR locked_until <= now())`.execute(
      db,
    );
  return Number(r.numAffectedRows ?? 0);
}

/**
 * Accepts a TOTP time step once: true when it is later than the last one accepted for the account
 * (atomically: of two sign-ins with the same code, one wins).
 */
export async function claimTotpStep(db: DbOrTx, id: string, step: number): Promise<boolean> {
  const { rows } = await sql`UPDATE account SET totp_last_step = ${step}
    WHERE id = ${id} AND (totp_last_step IS NULL OR totp_last_step < ${step}) RETURNING id`.execute(db);
  return rows.length > 0;
}

// ---- sessions -------------------------------------------------------------------------------

export interface SessionAccount {
  account: AccountRecord;
  lastSeenAt: Date;
  createdAt: Date;
}

export async function insertSession(db: DbOrTx, tokenHash: Buffer, accountId: string, ip: string | null, userAgent: string | null) {
  await db.insertInto('session').values({ token_hash: tokenHash, account_id: accountId, ip, user_agent: userAgent }).execute();
}

export async function findSession(db: DbOrTx, tokenHash: Buffer): Promise<SessionAccount | undefined> {
  const row = await db
    .selectFrom('session')
    .innerJoin('account', 'account.id', 'session.account_id')
    .select(columns.map((c) => `account.${c}` as const))
    .select(['session.last_seen_at', 'session.created_at as session_created_at'])
    .where('session.token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (!row) return undefined;
  return { account: toRecord(row as unknown as Row), lastSeenAt: row.last_seen_at, createdAt: row.session_created_at };
}

export async function touchSession(db: DbOrTx, tokenHash: Buffer) {
  await db.updateTable('session').set({ last_seen_at: new Date() }).where('token_hash', '=', tokenHash).execute();
}

export async function deleteSession(db: DbOrTx, tokenHash: Buffer) {
  await db.deleteFrom('session').where('token_hash', '=', tokenHash).execute();
}

export async function deleteSessionsOf(db: DbOrTx, accountId: string): Promise<number> {
  const result = await db.deleteFrom('session').where('account_id', '=', accountId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function deleteIdleSessions(db: DbOrTx, idleMinutes: number): Promise<number> {
  const result = await db
    .deleteFrom('session')
    .where('last_seen_at', '<', sql<Date>`now() - make_interval(mins => ${idleMinutes})`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Usernames and display names by account id, for the audit log's rows about accounts. */
export async function namesOf(db: DbOrTx, ids: string[]): Promise<Map<string, { username: string; displayName: string }>> {
  const wanted = [...new Set(ids)].filter((id) => /^[1-9][0-9]{0,17}$/.test(id));
  if (wanted.length === 0) return new Map();
  const rows = await db.selectFrom('account').select(['id', 'username', 'display_name']).where('id', 'in', wanted).execute();
  return new Map(rows.map((r) => [String(r.id), { username: r.username, displayName: r.display_name }]));
}

/** The active village officers of each village (a village may have none, or more than one). */
export async function villageOfficersOf(db: DbOrTx, villages: string[]): Promise<Map<string, { id: string; displayName: string }[]>> {
  const wanted = [...new Set(villages)];
  const officers = new Map<string, { id: string; displayName: string }[]>();
  if (wanted.length === 0) return officers;
  const rows = await db
    .selectFrom('account')
    .select(['id', 'display_name', 'region_code'])
    .where('role', '=', 'village_officer')
    .where('status', '=', 'active')
    .where('region_code', 'in', wanted)
    .orderBy('id')
    .execute();
  for (const r of rows) {
    const list = officers.get(r.region_code) ?? [];
    list.push({ id: String(r.id), displayName: r.display_name });
    officers.set(r.region_code, list);
  }
  return officers;
}

/** The usernames of accounts whose display name is exactly `displayName`, as a subquery (the audit log's operator search). */
export function usernamesNamed(db: DbOrTx, displayName: string) {
  return db.selectFrom('account').select('username').where('display_name', '=', displayName);
}

/** Link an employer account that has no employer yet to this one (the demo installation). */
export async function linkUnlinkedAccount(db: DbOrTx, username: string, employerId: string): Promise<void> {
  await db
    .updateTable('account')
    .set({ employer_id: employerId })
    .where('username', '=', username)
    .where('role', '=', 'employer')
    .where('employer_id', 'is', null)
    .execute();
}
