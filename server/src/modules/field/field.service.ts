import type { FieldConflict, FieldPackage, SyncEntry, SyncInput, SyncResponse, SyncResult } from '../../../../contracts/field.ts';
import type { UpdateLaborerInput } from '../../../../contracts/laborers.ts';
import type { Db, Tx } from '../../db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import type { AuditLog } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { chinaQuarter, chinaToday } from '../../platform/time.ts';
import type { EmploymentService } from '../employment/index.ts';
import { type LaborersService, maskPhone, parseMobile } from '../registry/index.ts';
import * as repo from './field.repo.ts';

/** A village's cards fit many times over; a township's may not (its officer takes one village). */
const PACKAGE_CARDS = 5000;
const PACKAGE_FOLLOW_UPS = 2000;
/** A phone's clock may run a little ahead of the server's; more than this is a wrong clock. */
const CLOCK_SKEW_MS = 10 * 60_000;
const SYNC_REASON = '入户采集（手机离线录入后同步）';
const RESOLVE_REASON = '同步冲突处理：保留入户采集的值';

/**
 * 进村入户 (issue 19 items 2–3): the officer's villages taken onto the phone, and the phone's outbox
 * synced entry by entry. Each entry is applied in a transaction of its own together with its
 * idempotency key, so a sync cut off half way has committed whole entries only, and sending the
 * batch again answers those from the key and applies the rest. Every change goes through the
 * owning module's own path (the registry's update and create, the follow-up's record, the quarter's
 * confirmation): the same checks, the same ledger versions and audit rows as online.
 */
/**
 * Checks new card values against the card edit's own schema (PATCH /laborers/:id's body), with the
 * API's validator: the field and why, or null when they may be written.
 */
export type CheckEdit = (values: Record<string, unknown>) => { field: string; message: string } | null;

export function createFieldService({
  audit,
  laborers,
  employment,
}: {
  audit: AuditLog;
  laborers: LaborersService;
  employment: Pick<EmploymentService, 'recordFollowUp' | 'dueFollowUpsInScope'>;
}) {
  const ctx = (actor: Actor) => ({ actor, ip: actor.ip });

  /** The new values as a card edit must have them (checkEdit), or the entry is refused naming the field. */
  function checkValues(checkEdit: CheckEdit, values: Record<string, unknown>) {
    const problem = checkEdit(values);
    if (!problem) return;
    throw new AppError('VALIDATION_FAILED', `字段「${problem.field}」的值不合法`, [
      { field: `body.${problem.field}`, message: '取值不合法' },
    ]);
  }

  /** A value as a conflict shows it: a phone number masked, as cards show it. */
  const shown = (field: string, value: unknown) => {
    if (field !== 'phone' || typeof value !== 'string') return value;
    const parsed = parseMobile(value);
    return parsed.ok ? maskPhone(parsed.value) : '***';
  };

  /**
   * Field by field: a field already holding the officer's value needs nothing; one that someone
   * else changed since the base version is a conflict (both values, who, when); the rest are applied
   * through the registry's update, the capture time in the ledger version.
   */
  async function merge(
    tx: Tx,
    actor: Actor,
    e: { key: string; laborerId: string; baseVersion: number; capturedAt: Date },
    values: Record<string, unknown>,
    reason: string,
    checkEdit: CheckEdit,
  ) {
    const card = await laborers.loadVisible(tx, actor, e.laborerId, 'laborer.update', true);
    if (e.baseVersion > card.version) throw new AppError('FIELD_BASE_VERSION');
    checkValues(checkEdit, values);
    const since = await laborers.changedSince(tx, actor, e.laborerId, e.baseVersion);
    const apply: Record<string, unknown> = {};
    const conflicting: { field: string; mine: unknown; theirs: NonNullable<ReturnType<typeof since.get>> }[] = [];
    for (const [field, value] of Object.entries(values)) {
      const differs = Object.keys(laborers.changesFor(card, { [field]: value }).changes).length > 0;
      if (!differs) continue;
      const theirs = since.get(field);
      if (theirs) conflicting.push({ field, mine: shown(field, value), theirs });
      else apply[field] = value;
    }
    let version = card.version;
    if (Object.keys(apply).length) {
      const updated = await laborers.update(tx, actor, e.laborerId, apply as UpdateLaborerInput, {
        capturedAt: e.capturedAt,
        reason,
        via: { fieldSync: e.key },
      });
      version = updated.version;
    }
    const conflicts: FieldConflict[] = conflicting.map((c) => ({
      field: c.field,
      mine: c.mine,
      theirs: c.theirs.value,
      by: c.theirs.by,
      at: c.theirs.at,
      version,
    }));
    return { applied: Object.keys(apply), conflicts };
  }

  async function apply(tx: Tx, actor: Actor, entry: SyncEntry, capturedAt: Date, checkEdit: CheckEdit): Promise<repo.StoredResult> {
    const base = { key: entry.key, kind: entry.kind };
    switch (entry.kind) {
      case 'update': {
        const values = Object.fromEntries(entry.changes.map((c) => [c.field, c.new]));
        const { applied, conflicts } = await merge(tx, actor, { ...entry, capturedAt }, values, SYNC_REASON, checkEdit);
        return { ...base, status: conflicts.length ? 'conflict' : 'applied', laborerId: entry.laborerId, applied, conflicts };
      }
      case 'resolve': {
        if (!(await repo.conflictOf(tx, actor.id, entry.resolves, entry.laborerId))) throw new AppError('FIELD_NOTHING_TO_RESOLVE');
        const mine = entry.choices.filter((c) => c.choice === 'mine');
        const values = Object.fromEntries(mine.map((c) => [c.field, c.value]));
        const { applied, conflicts } = await merge(tx, actor, { ...entry, capturedAt }, values, RESOLVE_REASON, checkEdit);
        await repo.markResolved(tx, actor.id, entry.resolves);
        await audit.record(tx, ctx(actor), {
          action: 'field.resolve',
          entity: 'laborer',
          entityId: entry.laborerId,
          details: {
            resolves: entry.resolves,
            keptMine: mine.map((c) => c.field),
            tookTheirs: entry.choices.filter((c) => c.choice === 'theirs').map((c) => c.field),
          },
        });
        return { ...base, status: conflicts.length ? 'conflict' : 'applied', laborerId: entry.laborerId, applied, conflicts };
      }
      case 'create': {
        // 一人一卡: a number already registered anywhere never makes a second card.
        const holder = await laborers.holderOf(tx, actor, entry.card.idNumber);
        if (holder?.deleted) throw new AppError('LABORER_EXISTS', '该身份证号的信息卡已注销，未新建；请在电脑端核实');
        if (holder?.inScope)
          return {
            ...base,
            status: 'duplicate',
            laborerId: holder.laborerId,
            message: '该身份证号在本辖区已有信息卡，未新建第二张；请在已有的信息卡上核对修改',
          };
        if (holder)
          return {
            ...base,
            status: 'transfer',
            county: holder.county,
            message: `该身份证号已在${holder.county.fullName}登记，未新建；如此人已迁入本村，请向该县申请迁移`,
          };
        const card = await laborers.create(tx, actor, entry.card, { capturedAt, reason: SYNC_REASON, via: { fieldSync: entry.key } });
        return { ...base, status: 'applied', laborerId: card.id };
      }
      case 'follow_up': {
        const followUp = await employment.recordFollowUp(tx, actor, entry.followUpId, entry.record);
        return { ...base, status: 'applied', laborerId: followUp.laborer.id };
      }
      case 'confirm': {
        await laborers.confirm(tx, actor, entry.laborerId);
        return { ...base, status: 'applied', laborerId: entry.laborerId };
      }
    }
  }

  /** The record an entry is about: a follow-up's id, else the card's (a new card's once made). */
  const entityIdOf = (entry: SyncEntry) => (entry.kind === 'follow_up' ? entry.followUpId : 'laborerId' in entry ? entry.laborerId : null);

  /** One entry: answered from its key when it was answered before, else applied (or refused) and its answer kept. */
  async function syncEntry(db: Db, actor: Actor, entry: SyncEntry, checkEdit: CheckEdit): Promise<SyncResult> {
    const stored = await repo.answered(db, actor.id, entry.key);
    if (stored) return { ...stored, replayed: true };
    const capturedAt = new Date(entry.capturedAt);
    const claim = { accountId: actor.id, key: entry.key, kind: entry.kind, capturedAt };
    try {
      const result = await db.transaction().execute(async (tx) => {
        if (!(await repo.claim(tx, claim))) return null;
        if (capturedAt.getTime() > Date.now() + CLOCK_SKEW_MS) throw new AppError('FIELD_CAPTURED_IN_FUTURE');
        const answer = await apply(tx, actor, entry, capturedAt, checkEdit);
        await repo.settle(tx, actor.id, entry.key, answer);
        await audit.record(tx, ctx(actor), {
          action: 'field.entry',
          entity: entry.kind === 'follow_up' ? 'follow_up' : 'laborer',
          entityId: entry.kind === 'follow_up' ? entry.followUpId : (answer.laborerId ?? null),
          details: { syncKey: entry.key, kind: entry.kind, capturedAt: capturedAt.toISOString(), status: answer.status },
        });
        return answer;
      });
      if (result) return { ...result, replayed: false };
    } catch (error) {
      // Anything but a refusal (the database gone, a bug) fails the request: the entries before
      // this one are committed with their keys, and the phone sends the batch again.
      if (!(error instanceof AppError)) throw error;
      const refused: repo.StoredResult = { key: entry.key, kind: entry.kind, status: 'refused', code: error.code, message: error.message };
      const kept = await db.transaction().execute(async (tx) => {
        // The refusal's own audit rows (a card out of scope: 'denied'), as the app's error handler writes them.
        for (const a of error.audits) await audit.record(tx, a.context, a.entry);
        if (!(await repo.claim(tx, claim))) return false;
        await repo.settle(tx, actor.id, entry.key, refused);
        await audit.record(tx, ctx(actor), {
          action: 'field.entry',
          entity: entry.kind === 'follow_up' ? 'follow_up' : 'laborer',
          entityId: entityIdOf(entry),
          result: 'failure',
          details: { syncKey: entry.key, kind: entry.kind, capturedAt: capturedAt.toISOString(), status: 'refused', code: error.code },
        });
        return true;
      });
      if (kept) return { ...refused, replayed: false };
    }
    // Another request sent the same entry at the same moment and answered it.
    return { ...(await repo.answered(db, actor.id, entry.key))!, replayed: true };
  }

  return {
    /** The officer's villages to take offline: their cards (masked, as cards show them) and the follow-ups due. */
    async package(tx: Tx, actor: Actor): Promise<FieldPackage> {
      const cards = await laborers.cardsInScope(tx, actor, PACKAGE_CARDS);
      const followUps = await employment.dueFollowUpsInScope(tx, actor, PACKAGE_FOLLOW_UPS);
      const quarter = chinaQuarter(chinaToday());
      await audit.record(tx, ctx(actor), {
        action: 'field.package',
        entity: 'laborer',
        details: { region: actor.regionCode, cards: cards.length, followUps: followUps.length },
      });
      return {
        takenAt: new Date().toISOString(),
        regionCode: actor.regionCode,
        quarter: { label: quarter.label, start: quarter.start.toISOString(), end: quarter.end.toISOString() },
        cards,
        followUps,
      };
    },

    /**
     * The outbox, in the order it was captured. Each entry commits on its own (see above), so this
     * takes the database, not one transaction. The answer: each entry's result, and the cards the
     * entries touched as they stand now, for the phone's copy.
     */
    async sync(db: Db, actor: Actor, input: SyncInput, checkEdit: CheckEdit): Promise<SyncResponse> {
      const results: SyncResult[] = [];
      for (const entry of input.entries) results.push(await syncEntry(db, actor, entry, checkEdit));
      const touched = results.flatMap((r) => (r.laborerId ? [r.laborerId] : []));
      const cards = await db.transaction().execute(async (tx) => {
        const cards = await laborers.presentVisible(tx, actor, touched);
        const count = (status: string) => results.filter((r) => r.status === status && !r.replayed).length;
        await audit.record(tx, ctx(actor), {
          action: 'field.sync',
          entity: 'laborer',
          details: {
            entries: results.length,
            replayed: results.filter((r) => r.replayed).length,
            applied: count('applied'),
            conflicts: count('conflict'),
            refused: count('refused'),
            cards: cards.map((c) => c.id),
          },
        });
        return cards;
      });
      return { results, cards };
    },
  };
}

export type FieldService = ReturnType<typeof createFieldService>;
