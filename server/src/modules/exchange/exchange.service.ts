import { randomBytes, timingSafeEqual } from 'node:crypto';
import type {
  CreatedExchangeClient,
  CreateExchangeClientInput,
  ExchangeChange,
  ExchangeChanges,
  ExchangeChangesQueryInput,
  ExchangeClient,
  ExchangeClientList,
  ExchangeKind,
} from '../../../../contracts/exchange.ts';
import type { Db, DbOrTx, Tx } from '../../db/database.ts';
import { assertRegionInScope } from '../../platform/access.ts';
import type { Actor, AuditContext, ExchangeClientIdentity } from '../../platform/actor.ts';
import type { AuditLog } from '../../platform/audit.ts';
import { randomToken, sm3 } from '../../platform/crypto.ts';
import { AppError } from '../../platform/errors.ts';
import { chinaToday } from '../../platform/time.ts';
import { employmentsForExchange } from '../employment/index.ts';
import { accountsRepo } from '../accounts/index.ts';
import { regionRefs, requireRegion } from '../regions/index.ts';
import { laborersForExchange } from '../registry/index.ts';
import { serviceRecordsForExchange } from '../service-records/index.ts';
import { subsidiesForExchange } from '../subsidies/index.ts';
import * as repo from './exchange.repo.ts';

/**
 * 数据交换 (issue 21 item 5; docs/exchange.md): client systems registered by a province admin read
 * an incremental, region-scoped feed of changes to cards, jobs, service records and subsidies.
 */

/** The Authorization header of a client: `Bearer <keyId>.<secret>`, the secret 32 random bytes in base64url. */
const AUTHORIZATION = /^Bearer (lwx_[0-9a-f]{16})\.([A-Za-z0-9_-]{43})$/;
/** Compared against when the key id is unknown, so an unknown key costs what a wrong secret costs. */
const NO_SECRET = sm3('no such client');
/** Positions a request looks ahead at most: a county's client in a province's feed reads a bounded range per request. */
export const SCAN_WINDOW = 50_000;

const auditCtx = (actor: Actor): AuditContext => ({ actor, ip: actor.ip });
const clientCtx = (client: { keyId: string }, ip: string): AuditContext => ({ actor: null, ip, claimedUsername: client.keyId });
const isProvinceAdmin = (actor: Actor) => actor.role === 'admin' && actor.regionCode.length === 2;
const iso = (t: Date | string | null) => (t === null ? null : new Date(t).toISOString());

async function present(db: DbOrTx, rows: repo.ClientRow[]): Promise<ExchangeClient[]> {
  const regions = await regionRefs(
    db,
    rows.map((r) => r.region_code),
  );
  const accounts = await accountsRepo.namesOf(
    db,
    rows.map((r) => String(r.created_by)),
  );
  return rows.map((r) => ({
    id: String(r.id),
    name: r.name,
    keyId: r.key_id,
    regionCode: r.region_code,
    regionName: regions.get(r.region_code)?.fullName ?? r.region_code,
    kinds: r.kinds as ExchangeKind[],
    note: r.note,
    createdBy: accounts.get(String(r.created_by))?.displayName ?? String(r.created_by),
    createdAt: iso(r.created_at)!,
    revokedAt: iso(r.revoked_at),
    lastReadAt: iso(r.last_read_at),
    lastCursor: r.last_cursor === null ? null : String(r.last_cursor),
  }));
}

export function createExchangeService({ audit }: { audit: AuditLog }) {
  return {
    /** GET /exchange/clients: the client systems of the admin's region (a county admin sees those reading its county). */
    async listClients(tx: Tx, actor: Actor): Promise<ExchangeClientList> {
      return { items: await present(tx, await repo.listClients(tx, actor.regionCode)) };
    },

    /** POST /exchange/clients: a province admin registers a client system; its secret is shown in this answer only. */
    async createClient(tx: Tx, actor: Actor, input: CreateExchangeClientInput): Promise<CreatedExchangeClient> {
      if (!isProvinceAdmin(actor)) throw new AppError('EXCHANGE_PROVINCE_ONLY');
      assertRegionInScope(actor, input.regionCode);
      await requireRegion(tx, input.regionCode);
      const keyId = `lwx_${randomBytes(8).toString('hex')}`;
      const secret = randomToken(32);
      const kinds = [...new Set(input.kinds)];
      const id = await repo.insertClient(tx, {
        name: input.name.trim(),
        keyId,
        secretHash: sm3(secret),
        regionCode: input.regionCode,
        kinds,
        note: input.note?.trim() || null,
        createdBy: actor.id,
      });
      await audit.record(tx, auditCtx(actor), {
        action: 'exchange_client.create',
        entity: 'exchange_client',
        entityId: id,
        details: { name: input.name.trim(), keyId, regionCode: input.regionCode, kinds },
      });
      const [client] = await present(tx, [(await repo.findClient(tx, id, actor.regionCode))!]);
      return { client: client!, secret, authorization: `Bearer ${keyId}.${secret}` };
    },

    /** POST /exchange/clients/:id/revoke: the key stops working at once; the client's history stays. */
    async revokeClient(tx: Tx, actor: Actor, id: string): Promise<ExchangeClient> {
      const found = await repo.findClient(tx, id, actor.regionCode);
      if (!found) throw new AppError('NOT_FOUND');
      if (!isProvinceAdmin(actor)) throw new AppError('EXCHANGE_PROVINCE_ONLY');
      if (!(await repo.revokeClient(tx, id, actor.id))) throw new AppError('EXCHANGE_CLIENT_REVOKED_ALREADY');
      await audit.record(tx, auditCtx(actor), {
        action: 'exchange_client.revoke',
        entity: 'exchange_client',
        entityId: id,
        details: { name: found.name, keyId: found.key_id },
      });
      const [client] = await present(tx, [(await repo.findClient(tx, id, actor.regionCode))!]);
      return client!;
    },

    /**
     * The client system behind an Authorization header, or a refusal with a stable code: no header
     * or not of the form → EXCHANGE_UNAUTHENTICATED; unknown key id or wrong secret →
     * EXCHANGE_CREDENTIALS_INVALID; a revoked key with its right secret → EXCHANGE_CLIENT_REVOKED.
     * Refusals of a named key are audited.
     */
    async authenticate(db: DbOrTx, header: string | undefined, ip: string): Promise<ExchangeClientIdentity> {
      const match = header ? AUTHORIZATION.exec(header) : null;
      if (!match) throw new AppError('EXCHANGE_UNAUTHENTICATED');
      const [, keyId, secret] = match as unknown as [string, string, string];
      const row = await repo.findClientByKeyId(db, keyId);
      const rightSecret = timingSafeEqual(sm3(secret), row?.secret_hash ?? NO_SECRET) && row !== undefined;
      const refuse = (code: 'EXCHANGE_CREDENTIALS_INVALID' | 'EXCHANGE_CLIENT_REVOKED') =>
        new AppError(code).audited(clientCtx({ keyId }, ip), {
          action: 'exchange.authenticate',
          entity: 'exchange_client',
          entityId: row ? String(row.id) : null,
          result: 'denied',
          details: { keyId, reason: code },
        });
      if (!row || !rightSecret) throw refuse('EXCHANGE_CREDENTIALS_INVALID');
      if (row.revoked_at !== null) throw refuse('EXCHANGE_CLIENT_REVOKED');
      return { id: String(row.id), keyId, name: row.name, regionCode: row.region_code, kinds: row.kinds, ip };
    },

    /**
     * GET /exchange/changes: the changes after the cursor the client may read, each with its record
     * as it is now, and the next cursor. Pending changes are linked first (their own short
     * transactions, as the background linker does), then the page is read, the client's last read
     * noted and the read audited in one transaction.
     */
    async changes(db: Db, client: ExchangeClientIdentity, query: ExchangeChangesQueryInput): Promise<ExchangeChanges> {
      await repo.link(db);
      return db.transaction().execute(async (tx) => {
        const after = query.since ?? '0';
        const limit = query.limit ?? 200;
        const { rows, top } = await repo.changesAfter(tx, {
          after,
          limit,
          window: SCAN_WINDOW,
          kinds: client.kinds,
          region: client.regionCode,
        });
        if (BigInt(after) > BigInt(top)) throw new AppError('EXCHANGE_CURSOR_AHEAD');
        const full = rows.length === limit;
        // A full page ends at its last change; otherwise everything up to the window's end (or the
        // top) was looked at, and nothing at or below the top can appear later.
        const windowEnd = BigInt(after) + BigInt(SCAN_WINDOW);
        const next = full ? String(rows[rows.length - 1]!.position) : String(windowEnd < BigInt(top) ? windowEnd : BigInt(top));
        const idsOf = (kind: ExchangeKind) => [...new Set(rows.filter((r) => r.kind === kind).map((r) => String(r.record_id)))];
        const region = client.regionCode;
        const [laborers, employments, serviceRecords, subsidies] = [
          await laborersForExchange(tx, idsOf('laborer'), region, chinaToday()),
          await employmentsForExchange(tx, idsOf('employment'), region),
          await serviceRecordsForExchange(tx, idsOf('service_record'), region),
          await subsidiesForExchange(tx, idsOf('subsidy'), region),
        ];
        const changes: ExchangeChange[] = rows.map((r) => {
          const id = String(r.record_id);
          const change: ExchangeChange = {
            position: String(r.position),
            kind: r.kind as ExchangeKind,
            id,
            operation: r.operation as ExchangeChange['operation'],
            changedAt: iso(r.changed_at)!,
            removed: true,
          };
          const record =
            r.kind === 'laborer'
              ? { laborer: laborers.get(id) }
              : r.kind === 'employment'
                ? { employment: employments.get(id) }
                : r.kind === 'service_record'
                  ? { serviceRecord: serviceRecords.get(id) }
                  : { subsidy: subsidies.get(id) };
          const shape = Object.values(record)[0];
          return shape ? { ...change, ...record, removed: false } : change;
        });
        await repo.markRead(tx, client.id, next);
        await audit.record(tx, clientCtx(client, client.ip), {
          action: 'exchange.changes',
          entity: 'exchange_client',
          entityId: client.id,
          details: { client: client.name, since: after, next, rows: changes.length },
        });
        return { changes, next, more: full || BigInt(next) < BigInt(top) };
      });
    },
  };
}

export type ExchangeService = ReturnType<typeof createExchangeService>;
