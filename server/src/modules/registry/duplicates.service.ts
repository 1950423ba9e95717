import { sql } from 'kysely';
import { DUPLICATE_RULES, type DuplicateGroup, type Laborer, type MergeInput } from '../../../../contracts/laborers.ts';
import type { DbOrTx } from '../../db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import { assertRegionInScope } from '../../platform/access.ts';
import type { AuditLog } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import * as repo from './laborers.repo.ts';
import type { CardRow } from './laborers.repo.ts';
import * as duplicates from './duplicates.repo.ts';
import type { LaborersService } from './laborers.service.ts';
import { compareIds } from '../../platform/ids.ts';

/**
 * Likely duplicates (疑似重复) and their merge (DOMAIN.md "Records": likely duplicates are flagged
 * for a merge that keeps both histories). One card per ID number is enforced at registration; these
 * are cards with different ID numbers that may be one person: a mistyped number, or a person
 * registered by two villages.
 */

/** Optional fields a merge fills on the surviving card when it has them empty and the duplicate does not. */
const FILLABLE = [
  'ethnicity',
  'household_code',
  'relation_to_head',
  'household_size',
  'expected_wage',
  'training_history',
  'remark',
] as const;
const FILLABLE_LISTS = ['skills', 'certificates', 'wanted_job_types', 'flags'] as const;
const isEmpty = (v: unknown) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);

/**
 * What a merge carries from the duplicate card to the survivor, in the merge's transaction: the
 * person's jobs, services and subsidies, written by the modules that own them (employment,
 * service-records, subsidies: app.ts wires their repositories' carry-over). Declared here, not
 * imported: those modules build on the registry, which must not import them.
 */
export interface MergeCarryOver {
  employments: {
    /** Pairs of jobs, one on each card, that overlap in time. */
    overlapsBetween(tx: DbOrTx, a: string, b: string): Promise<{ a: string; b: string }[]>;
    carryToCard(tx: DbOrTx, from: string, to: string): Promise<{ moved: number; open: boolean }>;
  };
  serviceRecords: { carryToCard(tx: DbOrTx, from: string, to: string): Promise<number> };
  subsidies: {
    /** Pairs of subsidies of one kind, one on each card, for the same period. */
    overlapsBetween(tx: DbOrTx, a: string, b: string): Promise<{ a: string; b: string; kind: string }[]>;
    carryToCard(tx: DbOrTx, from: string, to: string): Promise<number>;
  };
}

export function createDuplicatesService({
  audit,
  laborers,
  carryOver: { employments, serviceRecords, subsidies },
}: {
  audit: AuditLog;
  laborers: LaborersService;
  carryOver: MergeCarryOver;
}) {
  const ctx = (actor: Actor) => ({ actor, ip: actor.ip });

  return {
    /**
     * Groups of likely duplicates under the region (the actor's own by default), each with its
     * cards and why they were grouped. Pairs dismissed as "not the same person" are left out; a
     * group is listed while at least one of its pairs is not dismissed.
     */
    async list(tx: DbOrTx, actor: Actor, query: { region?: string; page?: number; pageSize?: number }) {
      const region = query.region ?? actor.regionCode;
      assertRegionInScope(actor, region);
      // A province holds 1.5 million cards: a city (about 100,000) is the widest view.
      if (region.length < 4) throw new AppError('DUPLICATES_REGION_TOO_BROAD');
      const found = await duplicates.candidates(tx, actor, region);
      const dismissed = await duplicates.dismissedPairs(tx, [...new Set(found.flatMap((g) => g.ids))]);

      // One group per set of cards: the same pair found by both rules is one group with two reasons.
      const groups = new Map<string, { rules: Set<'name_birth' | 'phone'>; ids: string[]; village: string }>();
      for (const candidate of found) {
        const live = new Set<string>();
        for (let i = 0; i < candidate.ids.length; i++) {
          for (let j = i + 1; j < candidate.ids.length; j++) {
            if (dismissed.has(duplicates.pairKey(candidate.ids[i], candidate.ids[j]))) continue;
            live.add(candidate.ids[i]).add(candidate.ids[j]);
          }
        }
        if (live.size < 2) continue;
        const ids = [...live].sort(compareIds);
        const key = ids.join('-');
        const group = groups.get(key) ?? { rules: new Set(), ids, village: candidate.village };
        group.rules.add(candidate.rule);
        groups.set(key, group);
      }
      const ordered = [...groups.entries()].sort(([ka, a], [kb, b]) =>
        a.village < b.village ? -1 : a.village > b.village ? 1 : ka < kb ? -1 : ka > kb ? 1 : 0,
      );
      const pageSize = query.pageSize ?? 20;
      const page = ordered.slice(((query.page ?? 1) - 1) * pageSize, (query.page ?? 1) * pageSize);
      const cards = new Map(
        (
          await laborers.present(
            tx,
            await repo.findCards(
              tx,
              page.flatMap(([, g]) => g.ids),
            ),
          )
        ).map((l) => [l.id, l]),
      );
      const items: DuplicateGroup[] = page.map(([key, g]) => {
        const rules = (['name_birth', 'phone'] as const).filter((r) => g.rules.has(r));
        return {
          key,
          rules,
          reason: rules.map((r) => DUPLICATE_RULES.labels[r]).join('；'),
          laborers: g.ids.map((id) => cards.get(id)).filter((l): l is Laborer => Boolean(l)),
        };
      });
      await audit.record(tx, ctx(actor), { action: 'laborer.duplicates', entity: 'laborer', details: { region, groups: ordered.length } });
      return { region, items, total: ordered.length };
    },

    /**
     * Merge a duplicate into the surviving card. The duplicate is deleted and points at the
     * survivor, with a 'merge' version in its ledger; the survivor gets a 'merge' version that
     * records what it took over (fields it had empty). Both ledgers stay, and the survivor's
     * history shows the duplicate's versions. Both cards must be in the actor's scope.
     */
    async merge(tx: DbOrTx, actor: Actor, survivorId: string, input: MergeInput): Promise<Laborer> {
      const { duplicateId, reason } = input;
      if (survivorId === duplicateId) throw new AppError('MERGE_SAME_CARD');
      // Lock both rows in id order, so two merges of the same pair cannot deadlock.
      const locked = new Map<string, CardRow>();
      for (const id of [survivorId, duplicateId].sort(compareIds))
        locked.set(id, await laborers.loadVisible(tx, actor, id, 'laborer.merge', true));
      const survivor = locked.get(survivorId)!;
      const duplicate = locked.get(duplicateId)!;
      if (await duplicates.pendingTransferOf(tx, duplicateId)) throw new AppError('MERGE_TRANSFER_PENDING');

      const patch: Record<string, unknown> = {};
      const changes: Record<string, [unknown, unknown]> = {};
      if (input.fillEmptyFields !== false) {
        const s = survivor as unknown as Record<string, unknown>;
        const d = duplicate as unknown as Record<string, unknown>;
        for (const field of [...FILLABLE, ...FILLABLE_LISTS]) {
          if (isEmpty(s[field]) && !isEmpty(d[field])) {
            patch[field] = d[field];
            changes[field] = [s[field] ?? null, d[field]];
          }
        }
        if (!survivor.phone_masked && duplicate.phone_masked) {
          // The phone moves encrypted, as stored; the ledger keeps its masked form only.
          Object.assign(patch, await duplicates.findPhoneSecret(tx, duplicateId));
          changes.phone = [null, duplicate.phone_masked];
        }
      }
      // The person's jobs, services and subsidies move to the surviving card (DOMAIN.md: the merged
      // card's jobs, services and subsidies are the survivor's; docs/domain-notes-asof.md §5) — unless
      // that would make one person hold two jobs at once or the same subsidy twice: staff correct those first.
      const jobClash = await employments.overlapsBetween(tx, duplicateId, survivorId);
      if (jobClash.length) throw new AppError('MERGE_EMPLOYMENT_OVERLAP', undefined, { employments: jobClash });
      const subsidyClash = await subsidies.overlapsBetween(tx, duplicateId, survivorId);
      if (subsidyClash.length) throw new AppError('MERGE_SUBSIDY_OVERLAP', undefined, { subsidies: subsidyClash });

      const now = sql<Date>`now()` as unknown as Date;
      // Retired first, so the records carried next take the survivor's village of their own day
      // (migration 0029: a merged card counts only before the survivor existed).
      const retired = await repo.updateCard(
        tx,
        duplicateId,
        { deleted_at: now, merged_into: survivorId },
        {
          by: actor.id,
          kind: 'merge',
          reason,
          changes: {},
          related: survivorId,
        },
      );
      const jobs = await employments.carryToCard(tx, duplicateId, survivorId);
      const services = await serviceRecords.carryToCard(tx, duplicateId, survivorId);
      const paid = await subsidies.carryToCard(tx, duplicateId, survivorId);
      // Both ledgers say what moved: the retired card's merge version what it gave, the survivor's what it took.
      const carried: Record<string, [unknown, unknown]> = {};
      if (jobs.moved) carried.employments = [jobs.moved, 0];
      if (services) carried.service_records = [services, 0];
      if (paid) carried.subsidies = [paid, 0];
      if (Object.keys(carried).length) await duplicates.recordCarried(tx, duplicateId, retired.version, carried);
      for (const [field, [n]] of Object.entries(carried)) changes[field] = [null, `并入 ${n} 条`];
      if (jobs.open && survivor.employment_status !== 'employed') {
        patch.employment_status = 'employed';
        changes.employment_status = [survivor.employment_status, 'employed'];
      }
      const row = await repo.updateCard(tx, survivorId, patch, { by: actor.id, kind: 'merge', reason, changes, related: duplicateId });
      await audit.record(tx, ctx(actor), {
        action: 'laborer.merge',
        entity: 'laborer',
        entityId: survivorId,
        details: {
          duplicate: duplicateId,
          reason,
          filled: Object.keys(changes).filter((f) => !(f in carried)),
          carried: { employments: jobs.moved, serviceRecords: services, subsidies: paid },
        },
      });
      return (await laborers.present(tx, [row]))[0];
    },

    /** "Not the same person": the pair is no longer listed. Both cards must be in the actor's scope. */
    async dismiss(tx: DbOrTx, actor: Actor, ids: string[], reason: string | undefined) {
      const [a, b] = ids;
      if (a === b)
        throw new AppError('VALIDATION_FAILED', '请选择两张不同的信息卡', [{ field: 'body.laborerIds', message: '两张信息卡不能相同' }]);
      for (const id of [a, b].sort(compareIds)) await laborers.loadVisible(tx, actor, id, 'laborer.duplicate_dismiss');
      const inserted = await duplicates.dismiss(tx, a, b, actor.id, reason?.trim() || null);
      await audit.record(tx, ctx(actor), {
        action: 'laborer.duplicate_dismiss',
        entity: 'laborer',
        entityId: a,
        details: { other: b, reason: reason ?? null, alreadyDismissed: !inserted },
      });
    },
  };
}

export type DuplicatesService = ReturnType<typeof createDuplicatesService>;
