import type { Expression, SqlBool } from 'kysely';
import {
  DRAFTED_ONLY_KINDS,
  EMPLOYER_SUBSIDY_KIND,
  LABORER_SUBSIDY_KIND,
  RETENTION_YUAN_PER_YEAR,
  SUBSIDY_KIND,
  SUBSIDY_STATUS,
  WORK_REQUIRED_KINDS,
  type BatchApproveSubsidyInput,
  type BatchPaySubsidyInput,
  type CreateSubsidyInput,
  type DraftRetention,
  type DraftRetentionInput,
  type Eligibility,
  type EligibilityQueryInput,
  type PaySubsidyInput,
  type RejectSubsidyInput,
  type SetBankAccountInput,
  type Subsidy,
  type SubsidyBatch,
  type SubsidyList,
  type SubsidyListQueryInput,
  type SubsidySummary,
  type SubsidySummaryQueryInput,
} from '../../../../contracts/subsidies.ts';
import type { DbOrTx, Tx } from '../../db/database.ts';
import type { Role } from '../../db/schema.ts';
import { assertRegionInScope, regionContains, UNSCOPED } from '../../platform/access.ts';
import type { Actor, AuditContext } from '../../platform/actor.ts';
import type { AuditLog } from '../../platform/audit.ts';
import { allOrNothing } from '../../platform/batch.ts';
import { AppError } from '../../platform/errors.ts';
import { chinaToday, yearStart } from '../../platform/time.ts';
import * as repo from './subsidies.repo.ts';
import { accreditationThrough } from '../workshops/index.ts';
import { SUBSIDY_STAFF, SUBSIDY_MANAGERS, SUBSIDY_APPROVERS } from '../../../../contracts/roles.ts';
export { SUBSIDY_STAFF, SUBSIDY_MANAGERS, SUBSIDY_APPROVERS };

const auditCtx = (actor: Actor): AuditContext => ({ actor, ip: actor.ip });
const step = (by: string | null, at: Date | null) => (at ? { by, at: new Date(at).toISOString() } : null);
const _yuan = (n: number) => n.toLocaleString('zh-CN', { maximumFractionDigits: 2 });

/** A bank account on screen: 6222021234567890123 → 6222***********0123 (whole only in the bank file). */
export const maskAccount = (account: string): string =>
  account.length <= 8 ? '*'.repeat(account.length) : `${account.slice(0, 4)}${'*'.repeat(account.length - 8)}${account.slice(-4)}`;

export function presentSubsidy(r: repo.SubsidyRow): Subsidy {
  return {
    id: r.id,
    recipient: r.recipient,
    kind: r.kind as Subsidy['kind'],
    laborer: r.laborer_id
      ? {
          id: r.laborer_id,
          name: r.laborer_name ?? '',
          idNumberMasked: r.id_masked ?? '',
          villageCode: r.village_code ?? '',
          villageName: r.village_name ?? '',
        }
      : null,
    employer: r.employer_id ? { id: r.employer_id, name: r.employer_name ?? '', kind: r.employer_kind ?? '' } : null,
    broker: r.broker_id ? { id: r.broker_id, name: r.broker_name ?? '' } : null,
    region: { code: r.region_code, name: r.region_name },
    amount: Number(r.amount),
    periodFrom: r.period_from,
    periodTo: r.period_to,
    status: r.status,
    note: r.note,
    applied: step(r.applied_by_name, r.applied_at),
    approved: step(r.approved_by_name, r.approved_at),
    paid: step(r.paid_by_name, r.paid_at),
    paidOn: r.paid_on,
    paymentRef: r.payment_ref,
    rejected: step(r.rejected_by_name, r.rejected_at),
    rejectReason: r.reject_reason,
    bankAccountMasked: r.bank_account ? maskAccount(r.bank_account) : null,
  };
}

/** A region filter for lists: administered in it, or for a laborer of it. */
export const listScope = (actor: Actor, region: string): Expression<SqlBool> => {
  assertRegionInScope(actor, region);
  return repo.visibleIn(region);
};

/** Approvers and payers: admins bound to a county or above. */
function assertApprover(actor: Actor) {
  if (actor.role !== 'admin' || actor.regionCode.length > 6) throw new AppError('SUBSIDY_APPROVER_LEVEL');
}

/** A database refusal of the second subsidy for the same person, kind and period, as the user's error. */
function duplicateOrThrow(error: unknown, kind: string): never {
  const e = error as { code?: string; constraint?: string };
  if (e?.code === '23P01' && (e.constraint === 'subsidy_laborer_once' || e.constraint === 'subsidy_employer_once')) {
    throw new AppError(
      'SUBSIDY_DUPLICATE',
      `同一对象、同一补贴类别（${SUBSIDY_KIND.labels[kind as keyof typeof SUBSIDY_KIND.labels] ?? kind}）在重叠的补贴期间已有申请或已发放，不能重复申请`,
    );
  }
  throw error;
}

/**
 * A workshop's subsidies follow its standing (issue 20 item 8): the workshop or base accredited
 * (认定) on every day of the period by one accreditation, not removed (摘牌) before its end — asked
 * of the workshops module's face. Checked on application, and again on approval and payment, since
 * a removal may be recorded after the application with a day inside its period.
 */
async function assertAccreditedThrough(tx: Tx, employer: { id: string; name: string }, kind: string, from: string, to: string) {
  const standing = await accreditationThrough(tx, employer.id, from, to);
  if (standing.covered) return;
  const label = SUBSIDY_KIND.labels[kind as keyof typeof SUBSIDY_KIND.labels] ?? kind;
  const spans = standing.spans.length ? `，期间内处于认定状态的时段：${standing.spans.join('、')}` : '，期间内未处于认定状态';
  throw new AppError(
    'SUBSIDY_WORKSHOP_NOT_ACCREDITED',
    `${employer.name}在 ${from} 至 ${to} 期间并非一直处于认定状态${spans}；“${label}”只能按认定期间申请和发放`,
    { employerId: employer.id, accredited: standing.spans },
  );
}

/** The same check for a recorded subsidy, when it is a workshop's. */
async function assertWorkshopStanding(tx: Tx, id: string) {
  const w = await repo.workshopPeriodOf(tx, id);
  if (w) await assertAccreditedThrough(tx, { id: w.employer_id, name: w.employer_name }, w.kind, w.period_from, w.period_to);
}

export function createSubsidiesService({ audit }: { audit: AuditLog }) {
  /** The refusal of a move: 404 outside scope, the reason otherwise (`paidOn`: the payment's day asked for). */
  async function refuseMove(tx: Tx, actor: Actor, id: string, action: 'approve' | 'pay' | 'reject', paidOn?: string): Promise<never> {
    const row = await repo.statusOf(tx, id);
    if (!row || !regionContains(actor.regionCode, row.region_code)) {
      throw new AppError('NOT_FOUND').audited(auditCtx(actor), {
        action: `subsidy.${action}`,
        entity: 'subsidy',
        entityId: id,
        result: 'denied',
      });
    }
    if (row.status === 'paid') throw new AppError('SUBSIDY_ALREADY_PAID');
    if (action === 'approve' && row.status === 'applied' && row.applied_by === actor.id) throw new AppError('SUBSIDY_SELF_APPROVAL');
    if (action === 'pay' && row.status === 'approved' && row.account_changed_by === actor.id)
      throw new AppError('SUBSIDY_ACCOUNT_SELF_PAY');
    if (action === 'pay' && row.status === 'approved' && paidOn && row.approved_on && paidOn < row.approved_on)
      throw new AppError('SUBSIDY_PAID_BEFORE_APPROVAL', `发放日期（${paidOn}）不能早于审批日期（${row.approved_on}）`);
    const expected = action === 'approve' ? '待审批' : action === 'pay' ? '已审批待发放' : '待审批或已审批待发放';
    throw new AppError(
      'SUBSIDY_STATUS',
      `该补贴当前状态为“${SUBSIDY_STATUS.labels[row.status as keyof typeof SUBSIDY_STATUS.labels]}”，只有“${expected}”的补贴可以进行这一步`,
      { status: row.status },
    );
  }

  async function present(tx: Tx, id: string): Promise<Subsidy> {
    return presentSubsidy((await repo.findSubsidy(tx, id, UNSCOPED))!);
  }

  /**
   * The moves themselves, the single record's path and each record's of a batch: a conditional
   * UPDATE that holds every rule (the status it moves from, the caller's region, not the
   * applicant's own approval, paid once, paid not before approved), else the refusal saying which.
   */
  async function approveOne(tx: Tx, actor: Actor, id: string, note: string | null) {
    if (!(await repo.approve(tx, id, actor.id, actor.regionCode, note))) await refuseMove(tx, actor, id, 'approve');
    await assertWorkshopStanding(tx, id);
  }
  async function payOne(tx: Tx, actor: Actor, id: string, paidOn: string, paymentRef: string | null) {
    if (!(await repo.pay(tx, id, actor.id, actor.regionCode, paidOn, paymentRef))) await refuseMove(tx, actor, id, 'pay', paidOn);
    await assertWorkshopStanding(tx, id);
  }

  /** A refused record of a batch in the approver's words: whose subsidy of which kind (only asked for one the caller may see). */
  async function nameOf(tx: Tx, actor: Actor, id: string): Promise<string> {
    const row = await repo.findSubsidy(tx, id, repo.visibleIn(actor.regionCode));
    if (!row) return `编号 ${id}`;
    const who = [row.employer_name, row.laborer_name].filter(Boolean).join('·');
    const kind =
      row.recipient === 'employer' && row.kind === 'social_insurance'
        ? '扶贫车间社会保险补贴'
        : SUBSIDY_KIND.labels[row.kind as keyof typeof SUBSIDY_KIND.labels];
    return `${who}的${kind}（编号 ${id}，${_yuan(Number(row.amount))} 元）`;
  }

  return {
    /**
     * POST /subsidies: an application. A laborer's subsidy for a laborer of the caller's region;
     * an employer's for an employer of it (site, logistics, employment and social-insurance
     * subsidies for workshops and bases; the retention subsidy for a laborer it kept over a year).
     */
    async apply(tx: Tx, actor: Actor, input: CreateSubsidyInput): Promise<Subsidy> {
      if (!(input.amount > 0) || input.amount > 10_000_000) throw new AppError('SUBSIDY_AMOUNT');
      if (Math.round(input.amount * 100) !== input.amount * 100) throw new AppError('SUBSIDY_AMOUNT', '补贴金额最多保留两位小数（分）');
      if (input.periodTo < input.periodFrom) throw new AppError('SUBSIDY_PERIOD');
      if ((DRAFTED_ONLY_KINDS as readonly string[]).includes(input.kind)) throw new AppError('SUBSIDY_KIND_FROM_ATTENDANCE');
      const kindLabel = SUBSIDY_KIND.labels[input.kind];
      const deny = (entity: string, entityId: string) =>
        new AppError('NOT_FOUND').audited(auditCtx(actor), { action: 'subsidy.apply', entity, entityId, result: 'denied' });

      let laborer: repo.LaborerRef | undefined;
      let employer: repo.EmployerRef | undefined;
      if (input.recipient === 'laborer') {
        if (!(input.kind in LABORER_SUBSIDY_KIND.labels))
          throw new AppError('SUBSIDY_KIND_RECIPIENT', `“${kindLabel}”不是发给劳动力个人的补贴`);
        if (!input.laborerId || input.employerId)
          throw new AppError('SUBSIDY_KIND_RECIPIENT', '劳动力个人补贴须指定劳动力，不能指定用人单位');
        laborer = await repo.findLaborer(tx, input.laborerId);
        if (!laborer || laborer.deleted || !regionContains(actor.regionCode, laborer.home_village_code))
          throw deny('laborer', input.laborerId);
      } else {
        if (!(input.kind in EMPLOYER_SUBSIDY_KIND.labels))
          throw new AppError('SUBSIDY_KIND_RECIPIENT', `“${kindLabel}”不是发给用人单位的补贴`);
        if (!(SUBSIDY_MANAGERS as readonly Role[]).includes(actor.role))
          throw new AppError('FORBIDDEN', '用人单位补贴由县人社部门或乡镇经办员申请');
        if (!input.employerId) throw new AppError('SUBSIDY_KIND_RECIPIENT', '用人单位补贴须指定用人单位');
        employer = await repo.findEmployer(tx, input.employerId);
        if (!employer || !regionContains(actor.regionCode, employer.region_code)) throw deny('employer', input.employerId);
        if (input.kind === 'retention') {
          if (!input.laborerId) throw new AppError('SUBSIDY_KIND_RECIPIENT', '稳岗补贴须指定稳定就业的劳动力');
          laborer = await repo.findLaborer(tx, input.laborerId);
          if (!laborer || laborer.deleted) throw deny('laborer', input.laborerId);
        } else {
          if (input.laborerId) throw new AppError('SUBSIDY_KIND_RECIPIENT', `“${kindLabel}”按单位发放，不指定劳动力`);
          if (employer.kind !== 'workshop' && employer.kind !== 'base') throw new AppError('SUBSIDY_EMPLOYER_KIND');
          // A workshop's subsidies follow its standing (issue 20 item 8).
          await assertAccreditedThrough(tx, { id: employer.id, name: employer.name }, input.kind, input.periodFrom, input.periodTo);
        }
      }

      if (input.kind === 'retention') {
        const year = Number(input.periodFrom.slice(0, 4));
        if (input.periodFrom !== `${year}-01-01` || input.periodTo !== `${year}-12-31`) throw new AppError('SUBSIDY_RETENTION_YEAR');
        if (input.amount !== RETENTION_YUAN_PER_YEAR) throw new AppError('SUBSIDY_RETENTION_AMOUNT');
        const [eligible] = await repo.retentionEligible(tx, {
          region: employer!.region_code,
          year,
          laborerId: laborer!.id,
          employerId: employer!.id,
        });
        if (!eligible) {
          throw new AppError(
            'SUBSIDY_NOT_EMPLOYED',
            `${laborer!.name}在${employer!.name}没有覆盖 ${year} 年、连续满一年以上的就业记录，不符合稳岗补贴条件`,
            { laborerId: laborer!.id, year },
          );
        }
      } else if ((WORK_REQUIRED_KINDS as readonly string[]).includes(input.kind) && input.recipient === 'laborer') {
        const coverage = await repo.employmentCoverage(tx, laborer!.id, input.periodFrom, input.periodTo);
        if (!coverage.covered) {
          const atWork = coverage.spans.length ? `，期间内在岗：${coverage.spans.join('、')}` : '，期间内没有就业记录';
          throw new AppError(
            'SUBSIDY_NOT_EMPLOYED',
            `${laborer!.name}在 ${input.periodFrom} 至 ${input.periodTo} 期间并非一直在岗${atWork}；“${kindLabel}”只能按在岗期间申请`,
            {
              laborerId: laborer!.id,
              atWork: coverage.spans,
            },
          );
        }
      }

      const key = {
        laborerId: laborer?.id ?? null,
        employerId: employer?.id ?? null,
        kind: input.kind,
        from: input.periodFrom,
        to: input.periodTo,
      };
      const clash = await repo.overlapping(tx, key);
      if (clash) {
        throw new AppError(
          'SUBSIDY_DUPLICATE',
          `该对象的“${kindLabel}”在 ${clash.period_from} 至 ${clash.period_to} 已有${SUBSIDY_STATUS.labels[clash.status as keyof typeof SUBSIDY_STATUS.labels]}的记录（编号 ${clash.id}），补贴期间不能重叠`,
          { existing: clash.id },
        );
      }
      const id = await repo
        .insertSubsidy(tx, {
          recipient: input.recipient,
          kind: input.kind,
          laborerId: key.laborerId,
          employerId: key.employerId,
          regionCode: employer ? employer.region_code : laborer!.home_village_code,
          homeRegionCode: laborer?.home_village_code ?? null,
          amount: input.amount,
          from: input.periodFrom,
          to: input.periodTo,
          note: input.note?.trim() ?? null,
          by: actor.id,
          bankAccount: input.recipient === 'laborer' ? (input.bankAccount ?? null) : null,
        })
        .catch((error) => duplicateOrThrow(error, input.kind));
      await audit.record(tx, auditCtx(actor), {
        action: 'subsidy.apply',
        entity: 'subsidy',
        entityId: id,
        details: {
          recipient: input.recipient,
          kind: input.kind,
          laborer: key.laborerId,
          employer: key.employerId,
          amount: input.amount,
          from: input.periodFrom,
          to: input.periodTo,
        },
      });
      return present(tx, id);
    },

    async list(tx: Tx, actor: Actor, query: SubsidyListQueryInput): Promise<SubsidyList> {
      const region = query.region ?? actor.regionCode;
      const where: Expression<SqlBool>[] = [listScope(actor, region)];
      where.push(...repo.listConditions(query, actor));
      const pageSize = query.pageSize ?? 20;
      const { rows, total, amount } = await repo.listSubsidies(tx, { where, limit: pageSize, offset: ((query.page ?? 1) - 1) * pageSize });
      await audit.record(tx, auditCtx(actor), {
        action: 'subsidy.list',
        entity: 'subsidy',
        details: {
          region,
          status: query.status,
          kind: query.kind,
          laborer: query.laborer,
          employer: query.employer,
          queue: query.queue,
          rows: rows.length,
          total,
        },
      });
      return { items: rows.map(presentSubsidy), total, amount };
    },

    /** The list's total for the same filter, unaudited (the workbench audits its own view). */
    async count(tx: DbOrTx, actor: Actor, query: SubsidyListQueryInput): Promise<number> {
      const region = query.region ?? actor.regionCode;
      const where: Expression<SqlBool>[] = [listScope(actor, region), ...repo.listConditions(query, actor)];
      return (await repo.listSubsidies(tx, { where, limit: 1, offset: 0 })).total;
    },

    async get(tx: Tx, actor: Actor, id: string): Promise<Subsidy> {
      const row = await repo.findSubsidy(tx, id, repo.visibleIn(actor.regionCode));
      if (!row)
        throw new AppError('NOT_FOUND').audited(auditCtx(actor), {
          action: 'subsidy.view',
          entity: 'subsidy',
          entityId: id,
          result: 'denied',
        });
      await audit.record(tx, auditCtx(actor), { action: 'subsidy.view', entity: 'subsidy', entityId: id });
      return presentSubsidy(row);
    },

    /** POST /subsidies/:id/approve: an admin of the county or above where it is administered, not the applicant. */
    async approve(tx: Tx, actor: Actor, id: string, note?: string): Promise<Subsidy> {
      assertApprover(actor);
      await approveOne(tx, actor, id, note?.trim() ?? null);
      await audit.record(tx, auditCtx(actor), {
        action: 'subsidy.approve',
        entity: 'subsidy',
        entityId: id,
        details: note ? { note } : null,
      });
      return present(tx, id);
    },

    async reject(tx: Tx, actor: Actor, id: string, input: RejectSubsidyInput): Promise<Subsidy> {
      assertApprover(actor);
      if (!(await repo.reject(tx, id, actor.id, actor.regionCode, input.reason.trim()))) await refuseMove(tx, actor, id, 'reject');
      await audit.record(tx, auditCtx(actor), {
        action: 'subsidy.reject',
        entity: 'subsidy',
        entityId: id,
        details: { reason: input.reason },
      });
      return present(tx, id);
    },

    /**
     * POST /subsidies/:id/pay: approved → paid, once. Concurrent attempts queue on the row; the
     * first moves it, the others find it paid (SUBSIDY_ALREADY_PAID), and the database refuses any
     * change of a paid row besides (trigger subsidy_status_guard).
     */
    async pay(tx: Tx, actor: Actor, id: string, input: PaySubsidyInput): Promise<Subsidy> {
      assertApprover(actor);
      await payOne(tx, actor, id, chinaToday(), input.paymentRef?.trim() ?? null);
      await audit.record(tx, auditCtx(actor), {
        action: 'subsidy.pay',
        entity: 'subsidy',
        entityId: id,
        details: input.paymentRef ? { paymentRef: input.paymentRef } : null,
      });
      return present(tx, id);
    },

    /**
     * PUT /subsidies/:id/bank-account: the account a laborer's subsidy is paid to, given or
     * corrected by an approver while it is not paid and not waiting in a bank batch (a line the bank
     * failed may be corrected, then batched again). Audited with both accounts masked and the reason.
     * Four eyes: the one who changed it may not batch or pay it (migration 0055) — another approver does.
     */
    async setBankAccount(tx: Tx, actor: Actor, id: string, input: SetBankAccountInput): Promise<Subsidy> {
      assertApprover(actor);
      const changed = await repo.setBankAccount(tx, id, input.bankAccount, actor.regionCode, actor.id);
      if (!changed) {
        const row = await repo.statusOf(tx, id);
        const found = await repo.findSubsidy(tx, id, UNSCOPED);
        if (!row || !found || !regionContains(actor.regionCode, row.region_code))
          throw new AppError('NOT_FOUND').audited(auditCtx(actor), {
            action: 'subsidy.bank_account',
            entity: 'subsidy',
            entityId: id,
            result: 'denied',
          });
        if (found.recipient !== 'laborer') throw new AppError('SUBSIDY_ACCOUNT_RECIPIENT');
        if (row.status === 'paid') throw new AppError('SUBSIDY_ALREADY_PAID');
        if (await repo.inPendingBatch(tx, id)) throw new AppError('SUBSIDY_ACCOUNT_IN_BATCH');
        throw new AppError(
          'SUBSIDY_STATUS',
          `该补贴当前状态为“${SUBSIDY_STATUS.labels[row.status as keyof typeof SUBSIDY_STATUS.labels]}”，只有待审批或已审批待发放的补贴可以修改收款账号`,
          { status: row.status },
        );
      }
      await audit.record(tx, auditCtx(actor), {
        action: 'subsidy.bank_account',
        entity: 'subsidy',
        entityId: id,
        details: {
          accountBefore: changed.before ? maskAccount(changed.before) : null,
          accountAfter: maskAccount(input.bankAccount),
          reason: input.reason,
        },
      });
      return present(tx, id);
    },

    /**
     * POST /subsidies/approvals: the ticked applications approved in one action (issue 18 item 4),
     * each through the single approval's path with the stated reason as its 审批意见. All or none:
     * one that cannot be approved (outside the caller's region, the caller's own application, no
     * longer waiting) refuses the whole batch, naming it. One audit row per subsidy.
     */
    async approveMany(tx: Tx, actor: Actor, input: BatchApproveSubsidyInput): Promise<SubsidyBatch> {
      assertApprover(actor);
      const reason = input.reason.trim();
      const batch = new Set(input.ids).size;
      const { ids } = await allOrNothing(
        input.ids,
        async (id) => {
          await approveOne(tx, actor, id, reason);
          await audit.record(tx, auditCtx(actor), {
            action: 'subsidy.approve',
            entity: 'subsidy',
            entityId: id,
            details: { reason, batch },
          });
        },
        {
          name: (id) => nameOf(tx, actor, id),
          heading: (refused, total) => `所选 ${total} 笔补贴中有 ${refused} 笔不能批准，本批均未批准`,
        },
      );
      return { ...(await repo.totalOf(tx, ids)), ids };
    },

    /**
     * POST /subsidies/payments: approved subsidies marked paid in one action, on the day the money
     * went out (not after today, not before a subsidy's approval), each through the single
     * payment's path: never paid twice, the caller's region. All or none; one audit row per subsidy.
     */
    async payMany(tx: Tx, actor: Actor, input: BatchPaySubsidyInput): Promise<SubsidyBatch> {
      assertApprover(actor);
      const today = chinaToday();
      if (input.paidOn > today) throw new AppError('SUBSIDY_PAID_IN_FUTURE', `发放日期（${input.paidOn}）不能晚于今天（${today}）`);
      const reason = input.reason.trim();
      const paymentRef = input.paymentRef?.trim() || null;
      const batch = new Set(input.ids).size;
      const { ids } = await allOrNothing(
        input.ids,
        async (id) => {
          await payOne(tx, actor, id, input.paidOn, paymentRef);
          await audit.record(tx, auditCtx(actor), {
            action: 'subsidy.pay',
            entity: 'subsidy',
            entityId: id,
            details: { paidOn: input.paidOn, paymentRef, reason, batch },
          });
        },
        {
          name: (id) => nameOf(tx, actor, id),
          heading: (refused, total) => `所选 ${total} 笔补贴中有 ${refused} 笔不能发放，本批均未发放`,
        },
      );
      return { ...(await repo.totalOf(tx, ids)), ids };
    },

    /**
     * A bank batch's line returned 成功 (subsidies.payments.service.ts): approved → paid through the
     * single payment's path, on the bank's day, the batch as its payment reference.
     */
    async payThroughBank(tx: Tx, actor: Actor, id: string, paidOn: string, paymentRef: string): Promise<void> {
      assertApprover(actor);
      await payOne(tx, actor, id, paidOn, paymentRef);
      await audit.record(tx, auditCtx(actor), { action: 'subsidy.pay', entity: 'subsidy', entityId: id, details: { paidOn, paymentRef } });
    },

    /** GET /subsidies/summary: per kind, persons receiving it (paid in the period), payments and yuan; the pipeline's backlog. */
    async summary(tx: Tx, actor: Actor, query: SubsidySummaryQueryInput): Promise<SubsidySummary> {
      const region = query.region ?? actor.regionCode;
      assertRegionInScope(actor, region);
      const to = query.to ?? chinaToday();
      const from = query.from ?? yearStart(to);
      if (to < from) throw new AppError('PERIOD_UPSIDE_DOWN');
      const [name, paid, pending] = await Promise.all([
        repo.regionName(tx, region),
        repo.paidByKind(tx, region, from, to),
        repo.pendingCounts(tx, region),
      ]);
      if (!name) throw new AppError('REGION_NOT_FOUND');
      const labelOf = (kind: string, recipient: string) =>
        recipient === 'employer' && kind === 'social_insurance'
          ? '扶贫车间社会保险补贴'
          : (SUBSIDY_KIND.labels[kind as keyof typeof SUBSIDY_KIND.labels] ?? kind);
      return {
        region: { code: region, name },
        from,
        to,
        pending,
        kinds: paid.map((p) => ({
          kind: p.recipient === 'employer' && p.kind === 'social_insurance' ? 'workshop_social_insurance' : p.kind,
          label: labelOf(p.kind, p.recipient),
          persons: p.persons,
          payments: p.payments,
          amount: p.amount,
        })),
      };
    },

    /** GET /subsidies/retention/eligibility: who the region's employers kept over a year, for the year, with what they already have. */
    async eligibility(tx: Tx, actor: Actor, query: EligibilityQueryInput): Promise<Eligibility> {
      const region = query.region ?? actor.regionCode;
      assertRegionInScope(actor, region);
      const name = await repo.regionName(tx, region);
      if (!name) throw new AppError('REGION_NOT_FOUND');
      const pageSize = query.pageSize ?? 50;
      const offset = ((query.page ?? 1) - 1) * pageSize;
      const rows = await repo.retentionEligible(tx, { region, year: query.year, onlyNew: query.onlyNew, limit: pageSize, offset });
      const counts = rows.length
        ? { total: Number(rows[0]!.total), fresh: Number(rows[0]!.fresh), listed: Number(rows[0]!.listed) }
        : await repo.retentionCounts(tx, { region, year: query.year, onlyNew: query.onlyNew });
      await audit.record(tx, auditCtx(actor), {
        action: 'subsidy.retention_eligibility',
        entity: 'subsidy',
        details: { region, year: query.year, rows: rows.length, total: counts.total },
      });
      return {
        year: query.year,
        region: { code: region, name },
        total: counts.total,
        new: counts.fresh,
        listed: counts.listed,
        amount: counts.fresh * RETENTION_YUAN_PER_YEAR,
        items: rows.map((r) => ({
          laborer: {
            id: r.laborer_id,
            name: r.laborer_name,
            idNumberMasked: r.id_masked,
            villageCode: r.village_code,
            villageName: r.village_name,
          },
          employer: { id: r.employer_id, name: r.employer_name, kind: r.employer_kind, regionCode: r.employer_region },
          since: r.since,
          until: r.until,
          months: r.months,
          amount: RETENTION_YUAN_PER_YEAR,
          existing: r.existing_id
            ? { id: r.existing_id, status: r.existing_status as Subsidy['status'], employerId: r.existing_employer! }
            : null,
        })),
      };
    },

    /**
     * POST /subsidies/retention/draft: the platform drafts the list — one application (applied) per
     * eligible laborer without one, or per chosen laborer — for an approver to decide row by row.
     */
    async draftRetention(tx: Tx, actor: Actor, input: DraftRetentionInput): Promise<DraftRetention> {
      assertRegionInScope(actor, input.region);
      if (!(await repo.regionName(tx, input.region))) throw new AppError('REGION_NOT_FOUND');
      if (input.year > Number(chinaToday().slice(0, 4))) throw new AppError('SUBSIDY_RETENTION_FUTURE');
      const before = await repo.retentionCounts(tx, { region: input.region, year: input.year });
      const { created, amount } = await repo.draftRetention(tx, {
        region: input.region,
        year: input.year,
        laborerIds: input.laborerIds,
        by: actor.id,
        amount: RETENTION_YUAN_PER_YEAR,
        note: `平台按就业记录生成的 ${input.year} 年度稳岗补贴名单`,
      });
      const asked = input.laborerIds ? input.laborerIds.length : before.fresh;
      await audit.record(tx, auditCtx(actor), {
        action: 'subsidy.retention_draft',
        entity: 'subsidy',
        details: { region: input.region, year: input.year, created, chosen: input.laborerIds?.length ?? null, amount },
      });
      return { year: input.year, region: input.region, created, skipped: Math.max(0, asked - created), amount };
    },
  };
}

export type SubsidiesService = ReturnType<typeof createSubsidiesService>;
export { repo as subsidiesRepo };
