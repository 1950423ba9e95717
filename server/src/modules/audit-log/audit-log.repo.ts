import { type Expression, type ExpressionBuilder, type SelectQueryBuilder, type SqlBool, sql } from 'kysely';
import type { DbOrTx } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import { withinRegion } from '../../platform/access.ts';

/** A one-column subquery of text values (ids or usernames) another module hands over for a filter. */
// biome-ignore lint/suspicious/noExplicitAny: the owning module's query; only its one column matters here.
export type TextSubquery = SelectQueryBuilder<any, any, { id: string } | { username: string }>;

export interface AuditFilter {
  scopeRegion: string;
  /** Province auditors also see attempts by nobody signed in (failed logins). */
  includeAnonymous: boolean;
  /** [from, to) instants: the China days asked for. */
  fromAt?: Date;
  toAt?: Date;
  /** The operator: the username typed, or the usernames of accounts with that display name. */
  actor?: { username: string; named: TextSubquery };
  /** Action codes (exact) and code prefixes; both empty means no action matches. */
  actions?: { codes: string[]; prefixes: string[] };
  entity?: string;
  entityId?: string;
  /** Rows about these laborers: the object itself, or the laborer named in the details. */
  laborerIds?: TextSubquery;
  result?: 'success' | 'failure' | 'denied';
}

export interface AuditRow {
  id: string;
  at: Date;
  actorId: string | null;
  actorName: string | null;
  actorRole: string | null;
  actorRegion: string | null;
  ip: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  result: string;
  details: unknown;
}

const likePrefix = (s: string) => `${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function where(f: AuditFilter) {
  return (eb: ExpressionBuilder<Database, 'audit_log'>): Expression<SqlBool> => {
    const all: Expression<SqlBool>[] = [
      f.includeAnonymous
        ? eb.or([withinRegion('actor_region', f.scopeRegion), eb('actor_region', 'is', null)])
        : withinRegion('actor_region', f.scopeRegion),
    ];
    if (f.fromAt) all.push(eb('at', '>=', f.fromAt));
    if (f.toAt) all.push(eb('at', '<', f.toAt));
    if (f.actor) all.push(eb.or([eb('actor_name', '=', f.actor.username), eb('actor_name', 'in', f.actor.named)]));
    if (f.actions) {
      const { codes, prefixes } = f.actions;
      all.push(
        eb.or([
          ...(codes.length ? [eb('action', 'in', codes)] : []),
          ...prefixes.map((p) => eb('action', 'like', likePrefix(p))),
          ...(codes.length || prefixes.length ? [] : [sql<SqlBool>`false`]),
        ]),
      );
    }
    if (f.entity) all.push(eb('entity', '=', f.entity));
    if (f.entityId) all.push(eb('entity_id', '=', f.entityId));
    if (f.laborerIds) {
      // details->>'laborer' has its own index (migration 0031); the object has audit_log_entity_idx.
      all.push(
        eb.or([
          eb.and([eb('entity', '=', 'laborer'), eb('entity_id', 'in', f.laborerIds)]),
          eb(sql<string>`details->>'laborer'`, 'in', f.laborerIds),
        ]),
      );
    }
    if (f.result) all.push(eb('result', '=', f.result));
    return eb.and(all);
  };
}

const COLUMNS = [
  'id',
  'at',
  'actor_id',
  'actor_name',
  'actor_role',
  'actor_region',
  'ip',
  'action',
  'entity',
  'entity_id',
  'result',
  'details',
] as const;

type Stored = {
  id: string | number | bigint;
  at: Date;
  actor_id: string | number | bigint | null;
  actor_name: string | null;
  actor_role: string | null;
  actor_region: string | null;
  ip: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  result: string;
  details: unknown;
};

const toRow = (r: Stored): AuditRow => ({
  id: String(r.id),
  at: r.at,
  actorId: r.actor_id === null ? null : String(r.actor_id),
  actorName: r.actor_name,
  actorRole: r.actor_role,
  actorRegion: r.actor_region,
  ip: r.ip,
  action: r.action,
  entity: r.entity,
  entityId: r.entity_id,
  result: r.result,
  details: r.details,
});

/** One page, newest first, and the count of all matching rows. */
export async function list(db: DbOrTx, f: AuditFilter, offset: number, limit: number): Promise<{ rows: AuditRow[]; total: number }> {
  const query = db.selectFrom('audit_log').where(where(f));
  const [rows, count] = await Promise.all([
    query.select(COLUMNS).orderBy('id', 'desc').offset(offset).limit(limit).execute(),
    query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { total: Number(count.n), rows: rows.map((r) => toRow(r as Stored)) };
}

/** The rows after `beforeId` (newest first), `limit` of them: the export walks the log in id order, one batch at a time. */
export async function batch(db: DbOrTx, f: AuditFilter, beforeId: string | null, limit: number): Promise<AuditRow[]> {
  let query = db.selectFrom('audit_log').where(where(f));
  if (beforeId !== null) query = query.where('id', '<', beforeId);
  const rows = await query.select(COLUMNS).orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => toRow(r as Stored));
}
