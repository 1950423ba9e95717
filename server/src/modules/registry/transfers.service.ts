import type { CreateTransferInput, TransferRequest } from '../../../../contracts/laborers.ts';
import type { DbOrTx } from '../../db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import { regionScope } from '../../platform/access.ts';
import type { AuditLog } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { regionRefs } from '../regions/index.ts';
import { maskIdNumber, parseIdNumber } from './identity.ts';
import * as repo from './laborers.repo.ts';
import type { LaborersService } from './laborers.service.ts';
import * as transfers from './transfers.repo.ts';
import type { TransferRow } from './transfers.repo.ts';
import { TRANSFER_DECIDERS } from '../../../../contracts/roles.ts';
export { TRANSFER_DECIDERS };

/**
 * Transfer requests (迁移申请). One card per ID number in the whole platform: when a person now
 * belongs to another region, that region's staff ask the county holding the card to move it
 * (issue 4: a second registration "offers a transfer request to that county"). The requester
 * learns which county holds the card and nothing more; the holding county's admins and township
 * operators approve, which moves the card's home village as a new ledger version, so its history
 * and every "as of" list stay right.
 */

export function createTransfersService({ audit, laborers }: { audit: AuditLog; laborers: LaborersService }) {
  const ctx = (actor: Actor) => ({ actor, ip: actor.ip });
  const holds = (actor: Actor, villageCode: string) => laborers.isInScope(actor, villageCode);
  const mayDecide = (actor: Actor, row: TransferRow) =>
    row.status === 'pending' &&
    !row.card_deleted &&
    (TRANSFER_DECIDERS as readonly string[]).includes(actor.role) &&
    holds(actor, row.card_village_code);

  /** The request as this actor may see it: the card's details only when the card is in their scope. */
  async function present(db: DbOrTx, actor: Actor, rows: TransferRow[]): Promise<TransferRequest[]> {
    // Pending: the card is held where it is now; decided: where it was when decided.
    const holding = (r: TransferRow) => (r.status === 'pending' ? r.card_village_code : r.from_village_code);
    const refs = await regionRefs(
      db,
      rows.flatMap((r) => [holding(r), holding(r).slice(0, 6), r.to_village_code, r.card_village_code, r.requester_region_code]),
    );
    const ref = (code: string) => ({ code, fullName: refs.get(code)?.fullName ?? code });
    return rows.map((r) => {
      const cardVisible = !r.card_deleted && holds(actor, r.card_village_code);
      return {
        id: r.id,
        status: r.status,
        idNumberMasked: r.id_masked,
        holdingCounty: ref(holding(r).slice(0, 6)),
        fromVillage: holds(actor, holding(r)) ? ref(holding(r)) : null,
        toVillage: ref(r.to_village_code),
        reason: r.reason,
        requestedAt: r.requested_at.toISOString(),
        requestedBy: { username: r.requester_username, displayName: r.requester_display_name },
        requestingRegion: ref(r.requester_region_code),
        decidedAt: r.decided_at ? r.decided_at.toISOString() : null,
        decidedBy: r.decider_username ? { username: r.decider_username, displayName: r.decider_display_name ?? r.decider_username } : null,
        decisionReason: r.decision_reason,
        laborer: cardVisible
          ? { id: r.laborer_id, name: r.card_name, idNumberMasked: r.card_id_masked, homeVillage: ref(r.card_village_code) }
          : null,
        canDecide: mayDecide(actor, r),
      };
    });
  }

  /** A request the actor is party to (holder, requester's region), or "不存在或无权限". */
  async function loadVisible(db: DbOrTx, actor: Actor, id: string, action: string, forUpdate = false): Promise<TransferRow> {
    const row = await transfers.find(db, id, forUpdate);
    const party = row && (holds(actor, row.card_village_code) || holds(actor, row.from_village_code) || holds(actor, row.to_village_code));
    if (!party) {
      throw new AppError('NOT_FOUND').audited(ctx(actor), { action, entity: 'laborer_transfer_request', entityId: id, result: 'denied' });
    }
    return row;
  }

  async function decide(tx: DbOrTx, actor: Actor, id: string, status: 'approved' | 'rejected', reason: string | null) {
    const action = status === 'approved' ? 'laborer.transfer_approve' : 'laborer.transfer_reject';
    const request = await loadVisible(tx, actor, id, action, true);
    if (request.status !== 'pending') throw new AppError('TRANSFER_NOT_PENDING');
    // The requesting region sees its request but does not decide on it: the holder does.
    if (!holds(actor, request.card_village_code) || request.card_deleted) throw new AppError('TRANSFER_NOT_HOLDER');
    const card = await laborers.loadVisible(tx, actor, request.laborer_id, action, true);
    if (status === 'approved' && card.home_village_code !== request.to_village_code) {
      await repo.updateCard(
        tx,
        request.laborer_id,
        { home_village_code: request.to_village_code },
        {
          by: actor.id,
          kind: 'transfer',
          reason: `迁移申请 #${id}：${request.reason}${reason ? `（审批意见：${reason}）` : ''}`,
          changes: { home_village_code: [card.home_village_code, request.to_village_code] },
        },
      );
    }
    await transfers.decide(tx, id, { status, by: actor.id, reason, fromVillage: card.home_village_code });
    await audit.record(tx, ctx(actor), {
      action,
      entity: 'laborer_transfer_request',
      entityId: id,
      details: { laborer: request.laborer_id, from: card.home_village_code, to: request.to_village_code, reason },
    });
    return (await present(tx, actor, [(await transfers.find(tx, id))!]))[0];
  }

  return {
    /**
     * A request by staff of the region the person now belongs to, for a card held elsewhere. The
     * answer names the holding county only.
     */
    async create(tx: DbOrTx, actor: Actor, input: CreateTransferInput): Promise<TransferRequest> {
      const parsed = parseIdNumber(input.idNumber);
      if (!parsed.ok) throw new AppError('VALIDATION_FAILED', parsed.message, [{ field: 'body.idNumber', message: parsed.message }]);
      await laborers.checkVillage(tx, actor, input.toVillageCode);
      const existing = await repo.findIdByIdentity(tx, laborers.idIndex(parsed.value.idNumber));
      // A card merged into another lives on as the surviving card.
      const holder = existing ? await repo.survivorOf(tx, String(existing.id)) : undefined;
      if (!holder) throw new AppError('TRANSFER_NO_CARD');
      if (holds(actor, holder.home_village_code)) throw new AppError('TRANSFER_NOT_NEEDED');
      // The card's row lock serialises two requests for one card; the partial unique index backs it.
      const card = (await repo.findCard(tx, holder.id, true))!;
      if (await transfers.findPending(tx, holder.id)) throw new AppError('TRANSFER_PENDING');
      const id = await transfers.insert(tx, {
        laborer_id: holder.id,
        id_masked: maskIdNumber(parsed.value.idNumber),
        from_village_code: card.home_village_code,
        to_village_code: input.toVillageCode,
        reason: input.reason.trim(),
        requested_by: actor.id,
      });
      await audit.record(tx, ctx(actor), {
        action: 'laborer.transfer_request',
        entity: 'laborer_transfer_request',
        entityId: id,
        details: { laborer: holder.id, to: input.toVillageCode, holdingCounty: card.home_village_code.slice(0, 6) },
      });
      return (await present(tx, actor, [(await transfers.find(tx, id))!]))[0];
    },

    async list(
      tx: DbOrTx,
      actor: Actor,
      query: { direction?: 'incoming' | 'outgoing'; status?: string; page?: number; pageSize?: number },
    ) {
      const direction = query.direction ?? 'incoming';
      const pageSize = query.pageSize ?? 20;
      const { rows, total } = await transfers.list(tx, {
        direction,
        scope: (column) => regionScope(actor, column),
        status: query.status,
        offset: ((query.page ?? 1) - 1) * pageSize,
        limit: pageSize,
      });
      await audit.record(tx, ctx(actor), {
        action: 'laborer.transfer_requests',
        entity: 'laborer_transfer_request',
        details: { direction, status: query.status ?? null, total },
      });
      return { items: await present(tx, actor, rows), total };
    },

    /** The list's total for the same filter, unaudited (the workbench audits its own view). */
    async count(tx: DbOrTx, actor: Actor, query: { direction?: 'incoming' | 'outgoing'; status?: string }): Promise<number> {
      const { total } = await transfers.list(tx, {
        direction: query.direction ?? 'incoming',
        scope: (column) => regionScope(actor, column),
        status: query.status,
        offset: 0,
        limit: 1,
      });
      return total;
    },

    approve: (tx: DbOrTx, actor: Actor, id: string, reason?: string) => decide(tx, actor, id, 'approved', reason?.trim() || null),
    reject: (tx: DbOrTx, actor: Actor, id: string, reason: string) => decide(tx, actor, id, 'rejected', reason.trim()),
  };
}

export type TransfersService = ReturnType<typeof createTransfersService>;
