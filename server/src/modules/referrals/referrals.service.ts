import { sql, type Expression, type SqlBool } from 'kysely';
import {
  HARD_CONDITION,
  REFERRAL_TRANSITIONS,
  type CreateReferralInput,
  type Referral,
  type ReferralDetail,
  type ReferralList,
  type ReferralListQueryInput,
  type ReferralStepInput,
} from '../../../../contracts/referrals.ts';
import type { DbOrTx, Tx } from '../../db/database.ts';
import { assertRegionInScope, REGION_STAFF_ROLES, UNSCOPED } from '../../platform/access.ts';
import type { Actor, AuditContext } from '../../platform/actor.ts';
import type { AuditLog } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { ownEmployerId } from '../employers/index.ts';
import { postingState, postingsRepo } from '../postings/index.ts';
import { chinaToday } from '../../platform/time.ts';
import type { EmploymentService } from '../employment/index.ts';
import { assertBrokerCovers } from '../brokers/index.ts';
import { assertTeamForReferral } from '../teams/index.ts';
import { isAbroad } from '../regions/index.ts';
import * as repo from './referrals.repo.ts';
import { REFERRAL_STAFF, REFERRAL_CREATORS, REFERRAL_HANDLERS, REFERRAL_READERS } from '../../../../contracts/roles.ts';
export { REFERRAL_STAFF, REFERRAL_CREATORS, REFERRAL_HANDLERS, REFERRAL_READERS };

const auditCtx = (actor: Actor): AuditContext => ({ actor, ip: actor.ip });
/**
 * A hard condition a pair fails, as modules/matching reports it: its stable code, its name, and the
 * pair's own facts ("意愿县内务工，岗位在长沙市芙蓉区").
 */
export interface HardConditionFailure {
  condition: (typeof HARD_CONDITION.codes)[number];
  label: string;
  detail: string;
}

const fieldError = (field: string, message: string) => new AppError('VALIDATION_FAILED', message, [{ field: `body.${field}`, message }]);

/**
 * The caller's referrals as one condition: staff see the referrals of the laborers in their
 * region (whatever the posting), an employer account those to its own postings, a broker those
 * they made (issue 18: a broker sees how their referrals ended). The list and its export read by it.
 */
export async function referralScope(tx: DbOrTx, actor: Actor): Promise<Expression<SqlBool>> {
  if (actor.role === 'employer') {
    const own = await ownEmployerId(tx, actor);
    return own ? repo.toEmployer(own) : sql<SqlBool>`false`;
  }
  if (actor.role === 'broker') return repo.byBroker(actor.id);
  return repo.ofLaborersInScope(actor);
}

export function createReferralsService({
  audit,
  employment,
  matching,
}: {
  audit: AuditLog;
  employment: Pick<EmploymentService, 'open'>;
  /**
   * The hard conditions of a pair (modules/matching's hardConditionOf, wired in app.ts): a person's
   * referral passes them or states why not. Declared here rather than imported: matching writes
   * its suggestions through this module, and the two must not import each other.
   */
  matching: { hardConditionOf(tx: DbOrTx, laborerId: string, postingId: string): Promise<HardConditionFailure | null> };
}) {
  const scopeOf = referralScope;

  const nextSteps = (status: string) => (REFERRAL_TRANSITIONS[status] ?? []) as Referral['next'];

  const present = (r: repo.ReferralRow): Referral => ({
    id: String(r.id),
    status: r.status as Referral['status'],
    channel: r.channel as Referral['channel'],
    laborer: {
      id: String(r.laborer_id),
      name: r.laborer_name,
      sex: r.sex,
      idNumberMasked: r.id_masked,
      phoneMasked: r.phone_masked,
      villageCode: r.home_village_code,
      villageName: r.village_name,
    },
    posting: {
      id: String(r.posting_id),
      title: r.posting_title,
      employerId: String(r.employer_id),
      employerName: r.employer_name,
      workRegionCode: r.work_region_code,
      wageMin: r.wage_min,
      wageMax: r.wage_max,
    },
    createdBy: r.created_by_username ? { username: r.created_by_username, displayName: r.created_by_name ?? r.created_by_username } : null,
    teamId: r.team_id === null ? null : String(r.team_id),
    override:
      r.override_condition && r.override_reason
        ? {
            condition: r.override_condition as keyof typeof HARD_CONDITION.labels,
            label: HARD_CONDITION.labels[r.override_condition as keyof typeof HARD_CONDITION.labels] ?? r.override_condition,
            reason: r.override_reason,
          }
        : null,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
    next: nextSteps(r.status),
  });

  async function detail(tx: DbOrTx, row: repo.ReferralRow): Promise<ReferralDetail> {
    const [steps, employment] = await Promise.all([repo.steps(tx, row.id), repo.employmentOfReferral(tx, row.id)]);
    return {
      ...present(row),
      steps: steps.map((s) => ({
        status: s.status as ReferralDetail['steps'][number]['status'],
        at: new Date(s.at).toISOString(),
        by: s.username ? { username: s.username, displayName: s.display_name ?? s.username } : null,
        note: s.note,
      })),
      employment: employment
        ? {
            id: String(employment.id),
            startedOn: employment.started_on,
            endedOn: employment.ended_on,
            monthlyWage: employment.monthly_wage,
            workRegionCode: employment.work_region_code,
            channel: employment.channel as NonNullable<ReferralDetail['employment']>['channel'],
          }
        : null,
    };
  }

  /**
   * The pair's hard conditions (issue 16: a broker could refer a laborer who wants work in the
   * county only to a posting in 长沙 while the staff's matching screen refused the pair). A
   * failing pair is refused with the condition named, unless the referrer states a reason,
   * which is then kept with the condition it overrides.
   */
  async function conditionsOrReason(
    tx: DbOrTx,
    input: CreateReferralInput,
    workRegionCode: string,
  ): Promise<{ condition: string; reason: string } | null> {
    const failed = await matching.hardConditionOf(tx, input.laborerId, input.postingId);
    if (!failed) return null;
    // Work abroad is open to ages 18–40 in good health (docs/domain.md §12): no reason overrides it.
    if (isAbroad(workRegionCode) && (failed.condition === 'age' || failed.condition === 'abroad_health'))
      throw new AppError('REFERRAL_ABROAD_INELIGIBLE', `不符合出国务工条件：${failed.detail}`, {
        condition: failed.condition,
        label: failed.label,
        detail: failed.detail,
      });
    const reason = input.overrideReason?.trim();
    if (!reason || [...reason].length < 4) {
      throw new AppError(
        'REFERRAL_CONDITION_FAILED',
        `不符合岗位硬性条件“${failed.label}”：${failed.detail}。如确需推荐，请填写理由（至少4个字）`,
        {
          condition: failed.condition,
          label: failed.label,
          detail: failed.detail,
        },
      );
    }
    return { condition: failed.condition, reason };
  }

  /** A referral the caller may see (and move), or 404 "不存在或无权限", the refusal audited. */
  async function loadVisible(tx: DbOrTx, actor: Actor, id: string, action: string, forUpdate = false): Promise<repo.ReferralRow> {
    const row = await repo.findById(tx, id, await scopeOf(tx, actor), forUpdate);
    if (!row) throw new AppError('NOT_FOUND').audited(auditCtx(actor), { action, entity: 'referral', entityId: id, result: 'denied' });
    return row;
  }

  return {
    /**
     * Puts a laborer of the caller's region forward for an open posting (POST /referrals): staff,
     * a broker for its villages, a recruitment team. The pair passes the matching engine's hard
     * conditions, the same the matching screens refuse it by, or the referrer states why it goes
     * ahead (overrideReason, kept on the referral). `options.agreedAtFair`: an intention both
     * sides reached face to face at a fair (modules/fairs) is recorded as it was agreed.
     */
    async create(tx: Tx, actor: Actor, input: CreateReferralInput, options: { agreedAtFair?: boolean } = {}): Promise<ReferralDetail> {
      const laborer = await repo.laborerHome(tx, input.laborerId);
      // A broker's referral is credited to the broker (channel 'broker', created_by); nobody else may claim that channel.
      if ((actor.role === 'broker') !== (input.channel === 'broker')) {
        throw new AppError(
          'REFERRAL_CHANNEL',
          actor.role === 'broker' ? '劳务经纪人推荐的渠道须为“劳务经纪人”' : '只有劳务经纪人本人可以登记“劳务经纪人”渠道的推荐',
        );
      }
      if (actor.role === 'broker' && laborer) await assertBrokerCovers(tx, actor, laborer.home_village_code);
      else if (!laborer || !REGION_STAFF_ROLES.includes(actor.role) || !laborer.home_village_code.startsWith(actor.regionCode)) {
        throw new AppError('NOT_FOUND', '劳动力不存在或无权限').audited(auditCtx(actor), {
          action: 'referral.create',
          entity: 'laborer',
          entityId: input.laborerId,
          result: 'denied',
        });
      }
      const posting = await repo.postingState(tx, input.postingId);
      if (!posting) throw new AppError('NOT_FOUND', '岗位不存在');
      const state = postingState(
        {
          status: posting.status as 'open' | 'closed',
          validFrom: posting.valid_from,
          validTo: posting.valid_to,
          filled: posting.filled,
          headcount: posting.headcount,
        },
        chinaToday(),
      );
      if (state !== 'open') {
        const why = { closed: '岗位已关闭', not_started: '岗位尚未生效', expired: '岗位已过有效期', full: '岗位已招满' }[state];
        throw new AppError('REFERRAL_POSTING_NOT_OPEN', `${why}，不能推荐`, { state });
      }
      // A team's referral (招工小分队): the team in the caller's region, for the posting's employer.
      if (input.teamId !== undefined && actor.role === 'broker')
        throw new AppError('REFERRAL_CHANNEL', '劳务经纪人的推荐不能记入招工小分队');
      const teamId =
        input.teamId === undefined
          ? null
          : await assertTeamForReferral(tx, actor, input.teamId, laborer!.home_village_code, String(posting.employer_id));
      const override = options.agreedAtFair ? null : await conditionsOrReason(tx, input, posting.work_region_code);
      const id = await repo.insert(tx, {
        laborerId: input.laborerId,
        postingId: input.postingId,
        channel: input.channel,
        status: 'recommended',
        by: actor.id,
        teamId,
        override,
      });
      if (!id) {
        // One open referral per (laborer, posting): the partial unique index decides, races included.
        const open = await repo.openReferralOf(tx, input.laborerId, input.postingId);
        throw new AppError('REFERRAL_EXISTS', undefined, open ? { referralId: String(open.id), status: open.status } : undefined);
      }
      await repo.insertStep(tx, id, 'recommended', actor.id, input.note?.trim() || null);
      await audit.record(tx, auditCtx(actor), {
        action: 'referral.create',
        entity: 'referral',
        entityId: id,
        details: {
          laborer: input.laborerId,
          posting: input.postingId,
          channel: input.channel,
          ...(teamId ? { team: teamId } : {}),
          ...(override ? { override } : {}),
        },
      });
      return detail(tx, (await repo.findById(tx, id, UNSCOPED))!);
    },

    /**
     * A laborer's own application from the mobile page (channel 'self', issue 9): the card is the
     * signed-in laborer's own, so no staff scope applies and no account makes it (created_by and
     * the step's by_account stay empty; the audit row names the laborer). Same posting rules as create.
     */
    /** `via`: an application made at an online fair (channel 招聘会, issue 19) rather than from the job list. */
    async applySelf(
      tx: Tx,
      laborerId: string,
      postingId: string,
      context: AuditContext,
      via: { channel: 'fair'; step: string } | null = null,
    ): Promise<{ id: string; status: string }> {
      const posting = await repo.postingState(tx, postingId);
      if (!posting) throw new AppError('NOT_FOUND', '岗位不存在');
      const state = postingState(
        {
          status: posting.status as 'open' | 'closed',
          validFrom: posting.valid_from,
          validTo: posting.valid_to,
          filled: posting.filled,
          headcount: posting.headcount,
        },
        chinaToday(),
      );
      if (state !== 'open') {
        const why = { closed: '岗位已关闭', not_started: '岗位尚未生效', expired: '岗位已过有效期', full: '岗位已招满' }[state];
        throw new AppError('REFERRAL_POSTING_NOT_OPEN', `${why}，不能申请`, { state });
      }
      const channel = via?.channel ?? 'self';
      const id = await repo.insert(tx, { laborerId, postingId, channel, status: 'recommended', by: null as unknown as string });
      if (!id) throw new AppError('REFERRAL_EXISTS', '您已申请过该岗位，正在处理中');
      await repo.insertStep(tx, id, 'recommended', null as unknown as string, via?.step ?? '劳动者本人在手机端申请');
      await audit.record(tx, context, {
        action: 'referral.create',
        entity: 'referral',
        entityId: id,
        details: { laborer: laborerId, posting: postingId, channel },
      });
      return { id, status: 'recommended' };
    },

    /** The list's total for the same filter, unaudited (the workbench audits its own view). */
    async count(tx: DbOrTx, actor: Actor, query: Omit<ReferralListQueryInput, 'page' | 'pageSize'>): Promise<number> {
      if (query.region && actor.role !== 'employer') assertRegionInScope(actor, query.region);
      return repo.count(tx, {
        scope: await scopeOf(tx, actor),
        posting: query.posting,
        laborer: query.laborer,
        status: query.status,
        region: query.region,
      });
    },

    async list(tx: Tx, actor: Actor, query: ReferralListQueryInput): Promise<ReferralList> {
      if (query.region && actor.role !== 'employer') assertRegionInScope(actor, query.region);
      const pageSize = query.pageSize ?? 20;
      const { rows, total } = await repo.list(tx, {
        scope: await scopeOf(tx, actor),
        posting: query.posting,
        laborer: query.laborer,
        status: query.status,
        region: query.region,
        limit: pageSize,
        offset: ((query.page ?? 1) - 1) * pageSize,
      });
      // A list of named people is a search over personal data: it is audited.
      await audit.record(tx, auditCtx(actor), {
        action: 'referral.list',
        entity: 'referral',
        details: {
          filter: { posting: query.posting, laborer: query.laborer, status: query.status, region: query.region },
          shown: rows.length,
        },
      });
      return { items: rows.map(present), total };
    },

    async get(tx: Tx, actor: Actor, id: string): Promise<ReferralDetail> {
      const row = await loadVisible(tx, actor, id, 'referral.view');
      await audit.record(tx, auditCtx(actor), { action: 'referral.view', entity: 'referral', entityId: id });
      return detail(tx, row);
    },

    /**
     * One step of the pipeline (POST /referrals/:id/steps). Hired opens the laborer's employment
     * (employer, place of work and occupation from the posting), marks the card employed in the
     * ledger, and takes one of the posting's openings — all in the caller's transaction.
     */
    async step(tx: Tx, actor: Actor, id: string, input: ReferralStepInput): Promise<ReferralDetail> {
      const row = await loadVisible(tx, actor, id, 'referral.step', true);
      if (input.status !== 'hired') {
        if (input.startedOn !== undefined) throw fieldError('startedOn', '只有录用时填写入职日期');
        if (input.monthlyWage !== undefined) throw fieldError('monthlyWage', '只有录用时填写月工资');
      }
      if (!nextSteps(row.status).includes(input.status)) {
        throw new AppError(
          'REFERRAL_TRANSITION',
          `推荐当前为“${STATUS_LABEL[row.status] ?? row.status}”，不能改为“${STATUS_LABEL[input.status]}”`,
          {
            from: row.status,
            to: input.status,
            allowed: nextSteps(row.status),
          },
        );
      }
      const note = input.note?.trim() || null;
      const details: Record<string, unknown> = {
        from: row.status,
        to: input.status,
        laborer: String(row.laborer_id),
        posting: String(row.posting_id),
      };
      if (input.status === 'hired') {
        const startedOn = input.startedOn ?? chinaToday();
        const monthlyWage = input.monthlyWage ?? row.wage_min;
        if (await repo.openEmploymentOf(tx, row.laborer_id)) throw new AppError('EMPLOYMENT_OPEN_EXISTS');
        if (!(await postingsRepo.takeOpening(tx, row.posting_id))) throw new AppError('REFERRAL_POSTING_FULL');
        // The employment module opens the record: its checks, follow-ups, the card's status, a closed re-employment case.
        const employmentId = await employment.open(tx, actor, {
          laborerId: String(row.laborer_id),
          employerId: String(row.employer_id),
          postingId: String(row.posting_id),
          referralId: String(row.id),
          workplaceName: null,
          workplaceContact: null,
          workRegionCode: row.work_region_code,
          occupationCode: row.occupation_code,
          startedOn,
          monthlyWage,
          socialInsurance: false,
          // A job found through a referral is employment through assistance (就业帮扶).
          channel: 'assisted',
          reason: `经推荐入职：${row.employer_name}·${row.posting_title}`,
          via: { referral: String(row.id) },
        });
        Object.assign(details, { employment: employmentId, startedOn, monthlyWage });
      }
      await repo.setStatus(tx, id, input.status, actor.id);
      await repo.insertStep(tx, id, input.status, actor.id, note);
      await audit.record(tx, auditCtx(actor), { action: 'referral.step', entity: 'referral', entityId: id, details });
      return detail(tx, (await repo.findById(tx, id, UNSCOPED))!);
    },
  };
}

const STATUS_LABEL: Record<string, string> = {
  proposed: '待采纳',
  recommended: '已推荐',
  interviewed: '已面试',
  hired: '已录用',
  not_hired: '未录用',
  withdrawn: '已撤回',
  dismissed: '已驳回',
  superseded: '已被替代',
};

export type ReferralsService = ReturnType<typeof createReferralsService>;
