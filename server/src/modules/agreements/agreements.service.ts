import {
  COMMITMENT_KIND,
  type Agreement,
  type AgreementListQueryInput,
  type Commitment,
  type CommitmentInput,
  type CreateAgreementInput,
  type UpdateAgreementInput,
} from '../../../../contracts/agreements.ts';
import type { DbOrTx } from '../../db/database.ts';
import type { Role } from '../../db/schema.ts';
import type { Actor, AuditContext } from '../../platform/actor.ts';
import { regionContains } from '../../platform/access.ts';
import type { AuditLog } from '../../platform/audit.ts';
import { AppError, type ErrorCode } from '../../platform/errors.ts';
import { chinaToday } from '../../platform/time.ts';
import { fairsBetween } from '../fairs/index.ts';
import { regionRefs } from '../regions/index.ts';
import { studentsEnrolled } from '../schooling/index.ts';
import { personsServed } from '../service-records/index.ts';
import * as repo from './agreements.repo.ts';
import type { AgreementColumns, AgreementRecord, CommitmentRecord } from './agreements.repo.ts';
import { AGREEMENT_READERS, AGREEMENT_WRITERS } from '../../../../contracts/roles.ts';
export { AGREEMENT_READERS, AGREEMENT_WRITERS };

/**
 * Cooperation agreements (劳务协作协议, issue 6 part 5). Agreements are not personal data: every
 * staff role reads those touching its region on either side (花垣县's staff see 济南 ↔ 湘西州; 深圳's
 * liaison office of 花垣县 also those of its host city); a province admin reads all. Admins write
 * them, when their region contains the output or the input region. Progress is computed from the
 * platform's records over the period, never typed: postings, hires, fairs (modules/fairs), training
 * service records (modules/service-records) and 两后生 school enrolments (modules/schooling).
 */

const auditCtx = (actor: Actor): AuditContext => ({ actor, ip: actor.ip });
const coded = (code: ErrorCode, field: string, message: string) => new AppError(code, message, [{ field: `body.${field}`, message }]);

/** The regions whose agreements this actor reads; null for all. */
function visibleRegions(actor: Actor): string[] | null {
  if (actor.role === 'admin' && actor.regionLevel === 1) return null;
  return actor.role === 'liaison_office' && actor.hostRegionCode ? [actor.regionCode, actor.hostRegionCode] : [actor.regionCode];
}

const overlaps = (a: string, b: string) => regionContains(a, b) || regionContains(b, a);

function mayRead(actor: Actor, a: Pick<AgreementRecord, 'outputRegionCode' | 'inputRegionCode'>): boolean {
  const regions = visibleRegions(actor);
  return regions === null || regions.some((r) => overlaps(r, a.outputRegionCode) || overlaps(r, a.inputRegionCode));
}

function mayEdit(actor: Actor, a: Pick<AgreementRecord, 'outputRegionCode' | 'inputRegionCode'>): boolean {
  return (
    (AGREEMENT_WRITERS as readonly Role[]).includes(actor.role) &&
    (regionContains(actor.regionCode, a.outputRegionCode) || regionContains(actor.regionCode, a.inputRegionCode))
  );
}

const blankToNull = (v: string | null | undefined) => (v === undefined ? undefined : v === null || v.trim() === '' ? null : v.trim());

function checkCommitments(list: CommitmentInput[]): CommitmentRecord[] {
  if (!list.length) throw coded('AGREEMENT_COMMITMENTS', 'commitments', '请至少填写一项承诺事项');
  const seen = new Set<string>();
  list.forEach((c, i) => {
    if (seen.has(c.kind))
      throw coded('AGREEMENT_COMMITMENTS', `commitments.${i}.kind`, `「${COMMITMENT_KIND.labels[c.kind]}」重复，每类承诺至多一项`);
    seen.add(c.kind);
    if (c.target !== undefined && c.target <= 0)
      throw coded('AGREEMENT_TARGET', `commitments.${i}.target`, `「${COMMITMENT_KIND.labels[c.kind]}」的承诺数量须大于 0`);
  });
  return list.map((c) => ({ kind: c.kind, target: c.target ?? null }));
}

export function createAgreementsService({ audit }: { audit: AuditLog }) {
  /** The whole agreement after an edit or at creation: period, regions (exist, distinct, not nested) and the writer's scope. */
  async function checkAgreement(db: DbOrTx, actor: Actor, a: AgreementColumns) {
    if (a.validTo < a.validFrom)
      throw coded('AGREEMENT_PERIOD', 'validTo', `协议期截止日期（${a.validTo}）不能早于开始日期（${a.validFrom}）`);
    const refs = await regionRefs(db, [a.outputRegionCode, a.inputRegionCode]);
    for (const field of ['outputRegionCode', 'inputRegionCode'] as const) {
      if (!refs.has(a[field])) throw coded('VALIDATION_FAILED', field, `行政区划 ${a[field]} 不存在`);
    }
    if (overlaps(a.outputRegionCode, a.inputRegionCode)) {
      throw coded(
        'AGREEMENT_SAME_REGION',
        'inputRegionCode',
        `输出地（${refs.get(a.outputRegionCode)!.fullName}）与输入地（${refs.get(a.inputRegionCode)!.fullName}）不能相同，也不能相互包含`,
      );
    }
    if (!mayEdit(actor, a)) {
      throw new AppError('REGION_OUT_OF_SCOPE', '输出地和输入地均不在您的管辖范围内，只能登记本辖区参与的劳务协作协议', [
        { field: 'body.outputRegionCode', message: '不在管辖范围内' },
      ]);
    }
  }

  async function progress(
    db: DbOrTx,
    a: AgreementRecord,
    c: CommitmentRecord,
    names: Map<string, { fullName: string }>,
  ): Promise<Commitment> {
    const input = names.get(a.inputRegionCode)?.fullName ?? a.inputRegionCode;
    const output = names.get(a.outputRegionCode)?.fullName ?? a.outputRegionCode;
    const period = `${a.validFrom} 至 ${a.validTo}`;
    switch (c.kind) {
      case 'posts':
        return {
          ...c,
          source: 'computed',
          achieved: await repo.postsProvided(db, a.inputRegionCode, a.validFrom, a.validTo),
          basis: `${period}发布的、工作地点在${input}的岗位招聘人数合计`,
        };
      case 'hires':
        return {
          ...c,
          source: 'computed',
          achieved: await repo.hiresMade(db, a.outputRegionCode, a.inputRegionCode, a.validFrom, a.validTo),
          basis: `${period}经推荐录用到${input}岗位的${output}户籍劳动力人数`,
        };
      case 'fairs':
        return {
          ...c,
          source: 'computed',
          achieved: await fairsBetween(db, a.outputRegionCode, a.inputRegionCode, a.validFrom, a.validTo),
          basis: `${period}举办的、由一方组织或在一方举办且有另一方用人单位参会的招聘会场次`,
        };
      case 'trained':
        return {
          ...c,
          source: 'computed',
          achieved: (await personsServed(db, a.outputRegionCode, a.validFrom, a.validTo)).training,
          basis: `${period}接受职业培训（服务记录）的${output}劳动力人数`,
        };
      case 'students':
        return {
          ...c,
          source: 'computed',
          achieved: await studentsEnrolled(db, a.outputRegionCode, a.inputRegionCode, a.validFrom, a.validTo),
          basis: `${period}入读${input}技工院校的${output}两后生人数（就读登记）`,
        };
    }
  }

  async function present(db: DbOrTx, actor: Actor, rows: AgreementRecord[]): Promise<Agreement[]> {
    const refs = await regionRefs(
      db,
      rows.flatMap((r) => [r.outputRegionCode, r.inputRegionCode]),
    );
    const commitments = await repo.commitmentsOf(
      db,
      rows.map((r) => r.id),
    );
    const today = chinaToday();
    const ref = (code: string) => {
      const r = refs.get(code);
      return { code, name: r?.name ?? code, fullName: r?.fullName ?? code };
    };
    const out: Agreement[] = [];
    for (const r of rows) {
      const list: Commitment[] = [];
      for (const c of commitments.get(r.id) ?? []) list.push(await progress(db, r, c, refs));
      out.push({
        id: r.id,
        title: r.title,
        outputRegion: ref(r.outputRegionCode),
        inputRegion: ref(r.inputRegionCode),
        signedOn: r.signedOn,
        validFrom: r.validFrom,
        validTo: r.validTo,
        notes: r.notes,
        state: r.validFrom > today ? 'pending' : r.validTo < today ? 'ended' : 'active',
        commitments: list,
        editable: mayEdit(actor, r),
        createdAt: r.createdAt.toISOString(),
        updatedAt: r.updatedAt.toISOString(),
      });
    }
    return out;
  }

  async function loadVisible(db: DbOrTx, actor: Actor, id: string, forUpdate = false) {
    const agreement = await repo.findById(db, id, forUpdate);
    if (!agreement || !mayRead(actor, agreement)) throw new AppError('NOT_FOUND');
    return agreement;
  }

  return {
    async list(tx: DbOrTx, actor: Actor, query: AgreementListQueryInput): Promise<{ items: Agreement[]; total: number }> {
      const rows = await repo.list(tx, { visibleRegions: visibleRegions(actor), region: query.region, activeOn: query.activeOn });
      return { items: await present(tx, actor, rows), total: rows.length };
    },

    async get(tx: DbOrTx, actor: Actor, id: string): Promise<Agreement> {
      return (await present(tx, actor, [await loadVisible(tx, actor, id)]))[0];
    },

    async create(tx: DbOrTx, actor: Actor, input: CreateAgreementInput): Promise<Agreement> {
      const columns: AgreementColumns = {
        title: input.title.trim(),
        outputRegionCode: input.outputRegionCode,
        inputRegionCode: input.inputRegionCode,
        signedOn: input.signedOn ?? null,
        validFrom: input.validFrom,
        validTo: input.validTo,
        notes: blankToNull(input.notes) ?? null,
      };
      await checkAgreement(tx, actor, columns);
      const commitments = checkCommitments(input.commitments);
      const id = await repo.insert(tx, columns, actor.id);
      await repo.replaceCommitments(tx, id, commitments);
      await audit.record(tx, auditCtx(actor), {
        action: 'agreement.create',
        entity: 'cooperation_agreement',
        entityId: id,
        details: {
          title: columns.title,
          output: columns.outputRegionCode,
          input: columns.inputRegionCode,
          validFrom: columns.validFrom,
          validTo: columns.validTo,
          commitments,
        },
      });
      return (await present(tx, actor, [(await repo.findById(tx, id))!]))[0];
    },

    async update(tx: DbOrTx, actor: Actor, id: string, input: UpdateAgreementInput): Promise<Agreement> {
      const agreement = await loadVisible(tx, actor, id, true);
      // Readable (it touches the caller's region) but not the caller's to change.
      if (!mayEdit(actor, agreement)) throw new AppError('REGION_OUT_OF_SCOPE', '该协议的输出地和输入地均不在您的管辖范围内，不能修改');
      const patch: Partial<AgreementColumns> = {};
      if (input.title !== undefined) patch.title = input.title.trim();
      if (input.outputRegionCode !== undefined) patch.outputRegionCode = input.outputRegionCode;
      if (input.inputRegionCode !== undefined) patch.inputRegionCode = input.inputRegionCode;
      if (input.signedOn !== undefined) patch.signedOn = input.signedOn;
      if (input.validFrom !== undefined) patch.validFrom = input.validFrom;
      if (input.validTo !== undefined) patch.validTo = input.validTo;
      if (input.notes !== undefined) patch.notes = blankToNull(input.notes) ?? null;
      const changes: Record<string, [unknown, unknown]> = {};
      for (const [key, value] of Object.entries(patch) as [keyof AgreementColumns, unknown][]) {
        if ((agreement[key] ?? null) === (value ?? null)) delete patch[key];
        else changes[key] = [agreement[key] ?? null, value ?? null];
      }
      const { id: _id, createdAt: _c, updatedAt: _u, ...current } = agreement;
      await checkAgreement(tx, actor, { ...current, ...patch });
      if (input.commitments !== undefined) {
        const next = checkCommitments(input.commitments);
        const before = (await repo.commitmentsOf(tx, [id])).get(id) ?? [];
        const key = (l: CommitmentRecord[]) => JSON.stringify([...l].sort((a, b) => a.kind.localeCompare(b.kind)));
        if (key(before) !== key(next)) {
          await repo.replaceCommitments(tx, id, next);
          changes.commitments = [before, next];
        }
      }
      if (!Object.keys(changes).length) return (await present(tx, actor, [agreement]))[0];
      const row = await repo.update(tx, id, patch);
      await audit.record(tx, auditCtx(actor), {
        action: 'agreement.update',
        entity: 'cooperation_agreement',
        entityId: id,
        details: { changes },
      });
      return (await present(tx, actor, [row]))[0];
    },
  };
}

export type AgreementsService = ReturnType<typeof createAgreementsService>;
