import { sql } from 'kysely';
import type { DbOrTx } from '../../db/database.ts';
import { withinRegion } from '../../platform/access.ts';

export interface AuditFilter {
  scopeRegion: string;
  /** Province auditors also see attempts by nobody signed in (failed logins). */
  includeAnonymous: boolean;
  from?: string;
  to?: string;
  actor?: string;
  action?: string;
  entity?: string;
  result?: 'success' | 'failure' | 'denied';
  offset: number;
  limit: number;
}

export async function list(db: DbOrTx, f: AuditFilter) {
  let query = db
    .selectFrom('audit_log')
    .where((eb) =>
      f.includeAnonymous
        ? eb.or([withinRegion('actor_region', f.scopeRegion), eb('actor_region', 'is', null)])
        : withinRegion('actor_region', f.scopeRegion),
    );
  if (f.from) query = query.where('at', '>=', sql<Date>`${f.from}::date::timestamptz`);
  if (f.to) query = query.where('at', '<', sql<Date>`(${f.to}::date + 1)::timestamptz`);
  if (f.actor) query = query.where('actor_name', '=', f.actor);
  if (f.action) query = query.where('action', 'like', `${f.action.replace(/[\\%_]/g, (c) => '\\' + c)}%`);
  if (f.entity) query = query.where('entity', '=', f.entity);
  if (f.result) query = query.where('result', '=', f.result);
  const [rows, count] = await Promise.all([
    query
      .select([
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
      ])
      .orderBy('id', 'desc')
      .offset(f.offset)
      .limit(f.limit)
      .execute(),
    query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    total: Number(count.n),
    items: rows.map((r) => ({
      id: String(r.id),
      at: r.at.toISOString(),
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
    })),
  };
}
