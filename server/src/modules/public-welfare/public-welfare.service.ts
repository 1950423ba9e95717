import {
  PAID_DAYS_PER_MONTH,
  type AssignPublicWelfareInput,
  type Attendance,
  type CreatePublicWelfarePostInput,
  type DraftPayInput,
  type ExitPublicWelfareInput,
  type PayDraft,
  type PublicWelfareHolding,
  type PublicWelfareHoldingListQueryInput,
  type PublicWelfarePost,
  type PublicWelfarePostListQueryInput,
  type RecordAttendanceInput,
} from '../../../../contracts/public-welfare.ts';
import type { Tx } from '../../db/database.ts';
import { assertRegionInScope, regionContains, UNSCOPED } from '../../platform/access.ts';
import type { Actor, AuditContext } from '../../platform/actor.ts';
import type { AuditLog } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { addDays, addMonths, chinaToday } from '../../platform/time.ts';
import { findEmployer } from '../employers/index.ts';
import type { EmploymentService } from '../employment/index.ts';
import { draftPublicWelfarePay, subsidyStatuses } from '../subsidies/index.ts';
import * as repo from './public-welfare.repo.ts';

const auditCtx = (actor: Actor): AuditContext => ({ actor, ip: actor.ip });
/** The occupation of the posts' jobs: 4-09 水利、环境和公共设施管理服务人员 (保洁、护林、道路养护 …). */
const PUBLIC_WELFARE_OCCUPATION = '4-09';

const monthStart = (month: string) => `${month}-01`;
const monthEnd = (month: string) => addDays(addMonths(monthStart(month), 1), -1);
const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1;

/** The month's pay: the standard × days / 21.75, at most the standard, in fen. */
export const monthlyPay = (standard: number, days: number): number =>
  Math.min(standard, Math.round((standard * days * 100) / PAID_DAYS_PER_MONTH) / 100);

/**
 * Who may hold a public-welfare post (the card's own fields): able to work (全部 or 部分劳动能力);
 * unable to leave home — caring for elders or children (家庭原因) or unwilling to go out (不愿外出) —,
 * since those who can go out are helped to a job outside first; and not a village cadre (村干部,
 * the card's flag), who is paid as a cadre. Returns the refusal, or null.
 */
export function ineligibility(card: Pick<repo.CardRow, 'labor_capacity' | 'caring' | 'willingness' | 'flags'>): AppError | null {
  if (card.labor_capacity !== 'full' && card.labor_capacity !== 'partial') return new AppError('PUBLIC_WELFARE_NOT_ABLE');
  if (card.flags.includes('village_cadre')) return new AppError('PUBLIC_WELFARE_VILLAGE_CADRE');
  if (card.caring === 'none' && card.willingness !== 'stay_home') return new AppError('PUBLIC_WELFARE_CAN_LEAVE_HOME');
  return null;
}

const presentPost = (r: repo.PostRow): PublicWelfarePost => ({
  id: r.id,
  name: r.name,
  employer: { id: r.employer_id, name: r.employer_name },
  region: { code: r.region_code, name: r.region_name },
  monthlyPay: Number(r.monthly_pay),
  headcount: r.headcount,
  filled: r.filled,
  duties: r.duties,
});

const presentHolding = (r: repo.HoldingRow): PublicWelfareHolding => ({
  id: r.id,
  post: { id: r.post_id, name: r.post_name, monthlyPay: Number(r.monthly_pay), regionName: r.post_region_name },
  laborer: { id: r.laborer_id, name: r.laborer_name, idNumberMasked: r.id_masked, villageName: r.village_name },
  employmentId: r.employment_id,
  startedOn: r.started_on,
  endedOn: r.ended_on,
  endReason: r.end_reason as PublicWelfareHolding['endReason'],
});

export function createPublicWelfareService({
  audit,
  employment,
}: {
  audit: AuditLog;
  employment: Pick<EmploymentService, 'open' | 'end'>;
}) {
  async function loadHolding(tx: Tx, actor: Actor, id: string, action: string, forUpdate = false) {
    const row = await repo.findHolding(tx, id, repo.holdingsInScope(actor), forUpdate);
    if (!row)
      throw new AppError('NOT_FOUND').audited(auditCtx(actor), {
        action,
        entity: 'public_welfare_holding',
        entityId: id,
        result: 'denied',
      });
    return row;
  }

  const attendanceOut = (rows: repo.AttendanceRow[], statuses: Map<string, string>): Attendance[] =>
    rows.map((a) => ({
      month: a.month,
      daysWorked: a.days_worked,
      pay: Number(a.pay),
      subsidy: a.subsidy_id ? { id: a.subsidy_id, status: statuses.get(a.subsidy_id) ?? 'applied' } : null,
    }));

  return {
    async listPosts(tx: Tx, actor: Actor, query: PublicWelfarePostListQueryInput) {
      if (query.region) assertRegionInScope(actor, query.region);
      const page = query.page ?? 1;
      const pageSize = query.pageSize ?? 20;
      const { rows, total } = await repo.listPosts(tx, {
        scope: repo.postsInScope(actor),
        region: query.region,
        limit: pageSize,
        offset: (page - 1) * pageSize,
      });
      await audit.record(tx, auditCtx(actor), {
        action: 'public_welfare_post.list',
        entity: 'public_welfare_post',
        details: { filter: { region: query.region }, shown: rows.length },
      });
      return { items: rows.map(presentPost), total };
    },

    async createPost(tx: Tx, actor: Actor, input: CreatePublicWelfarePostInput): Promise<PublicWelfarePost> {
      assertRegionInScope(actor, input.regionCode);
      if (Boolean(input.employerId) === Boolean(input.employerName)) throw new AppError('PUBLIC_WELFARE_EMPLOYER_REQUIRED');
      if (input.employerId && !(await findEmployer(tx, input.employerId)))
        throw new AppError('EMPLOYMENT_EMPLOYER_UNKNOWN', undefined, { employerId: input.employerId });
      if (Math.round(input.monthlyPay * 100) !== input.monthlyPay * 100)
        throw new AppError('VALIDATION_FAILED', '月补贴标准最多保留两位小数（分）', [
          { field: 'body.monthlyPay', message: '最多保留两位小数' },
        ]);
      let id: string;
      try {
        id = await repo.insertPost(tx, {
          name: input.name.trim(),
          employerId: input.employerId ?? null,
          employerName: input.employerName?.trim() ?? null,
          regionCode: input.regionCode,
          monthlyPay: input.monthlyPay,
          headcount: input.headcount,
          duties: input.duties?.trim() ?? null,
          by: actor.id,
        });
      } catch (e) {
        // The place's code has the right shape but names no region (its foreign key).
        if ((e as { code?: string }).code === '23503') throw new AppError('REGION_NOT_FOUND', '岗位所在地行政区划不存在');
        throw e;
      }
      await audit.record(tx, auditCtx(actor), {
        action: 'public_welfare_post.create',
        entity: 'public_welfare_post',
        entityId: id,
        details: { region: input.regionCode, monthlyPay: input.monthlyPay, headcount: input.headcount },
      });
      return presentPost((await repo.findPost(tx, id, UNSCOPED))!);
    },

    async listHoldings(tx: Tx, actor: Actor, query: PublicWelfareHoldingListQueryInput) {
      if (query.region) assertRegionInScope(actor, query.region);
      const page = query.page ?? 1;
      const pageSize = query.pageSize ?? 20;
      const { rows, total } = await repo.listHoldings(tx, {
        actor,
        region: query.region,
        post: query.post,
        status: query.status,
        limit: pageSize,
        offset: (page - 1) * pageSize,
      });
      await audit.record(tx, auditCtx(actor), {
        action: 'public_welfare_holding.list',
        entity: 'public_welfare_holding',
        details: { filter: { region: query.region, post: query.post, status: query.status }, shown: rows.length },
      });
      return { items: rows.map(presentHolding), total };
    },

    /**
     * 安置: the eligibility checks on the card, then the employment record opened through the
     * employment module (channel public_welfare, its checks: no open job already, not before 16,
     * not in the future), then the holding pointing at it — one transaction.
     */
    async assign(tx: Tx, actor: Actor, input: AssignPublicWelfareInput): Promise<PublicWelfareHolding> {
      const post = await repo.findPost(tx, input.postId, repo.postsInScope(actor), true);
      if (!post)
        throw new AppError('NOT_FOUND').audited(auditCtx(actor), {
          action: 'public_welfare_holding.assign',
          entity: 'public_welfare_post',
          entityId: input.postId,
          result: 'denied',
        });
      const card = await repo.card(tx, input.laborerId);
      if (!card || card.deleted || !regionContains(actor.regionCode, card.home_village_code))
        throw new AppError('NOT_FOUND').audited(auditCtx(actor), {
          action: 'public_welfare_holding.assign',
          entity: 'laborer',
          entityId: input.laborerId,
          result: 'denied',
        });
      const refusal = ineligibility(card);
      if (refusal) throw refusal;
      // The posts are for the county's own people (不离乡土): the post lies in the card's home county.
      if (!post.region_code.startsWith(card.home_village_code.slice(0, 6))) throw new AppError('PUBLIC_WELFARE_NOT_LOCAL');
      if (post.filled >= post.headcount) throw new AppError('PUBLIC_WELFARE_POST_FULL', `该公益性岗位已满员（${post.headcount} 人）`);
      const employmentId = await employment.open(tx, actor, {
        laborerId: input.laborerId,
        employerId: post.employer_id,
        postingId: null,
        referralId: null,
        workplaceName: post.employer_id ? null : post.employer_name,
        workplaceContact: null,
        workRegionCode: post.region_code,
        occupationCode: PUBLIC_WELFARE_OCCUPATION,
        startedOn: input.startedOn,
        monthlyWage: Math.round(Number(post.monthly_pay)),
        socialInsurance: false,
        channel: 'public_welfare',
        reason: `安置公益性岗位：${post.name}（${post.employer_name}，${post.region_name}）`,
        via: { publicWelfarePost: post.id },
      });
      const id = await repo.insertHolding(tx, { postId: post.id, laborerId: input.laborerId, employmentId, by: actor.id });
      await audit.record(tx, auditCtx(actor), {
        action: 'public_welfare_holding.assign',
        entity: 'public_welfare_holding',
        entityId: id,
        details: { laborer: input.laborerId, post: post.id, employment: employmentId, startedOn: input.startedOn },
      });
      return presentHolding((await repo.findHolding(tx, id, UNSCOPED))!);
    },

    /** 退岗: the employment record ended through the employment module (its follow-ups settled, the card back on the demand list). */
    async exit(tx: Tx, actor: Actor, id: string, input: ExitPublicWelfareInput): Promise<PublicWelfareHolding> {
      const row = await loadHolding(tx, actor, id, 'public_welfare_holding.exit', true);
      if (row.ended_on !== null) throw new AppError('PUBLIC_WELFARE_HOLDING_ENDED', `该劳动力已于 ${row.ended_on} 退出此公益性岗位`);
      await employment.end(tx, actor, row.employment_id, input, { publicWelfareHolding: id });
      await repo.markExited(tx, id, actor.id);
      await audit.record(tx, auditCtx(actor), {
        action: 'public_welfare_holding.exit',
        entity: 'public_welfare_holding',
        entityId: id,
        details: { laborer: row.laborer_id, employment: row.employment_id, endedOn: input.endedOn, reason: input.reason },
      });
      return presentHolding((await repo.findHolding(tx, id, UNSCOPED))!);
    },

    async attendance(tx: Tx, actor: Actor, id: string): Promise<{ items: Attendance[] }> {
      await loadHolding(tx, actor, id, 'public_welfare_attendance.view');
      const rows = await repo.attendanceOf(tx, id);
      const statuses = await subsidyStatuses(
        tx,
        rows.flatMap((r) => (r.subsidy_id ? [r.subsidy_id] : [])),
      );
      await audit.record(tx, auditCtx(actor), {
        action: 'public_welfare_attendance.view',
        entity: 'public_welfare_holding',
        entityId: id,
        details: { shown: rows.length },
      });
      return { items: attendanceOut(rows, statuses) };
    },

    /**
     * The days worked in a month, within the days the holding was open in it (up to today). The
     * same days again change nothing; other days after the month's pay was drafted are refused
     * while that subsidy stands (a rejected one may be corrected and drafted again).
     */
    async recordAttendance(tx: Tx, actor: Actor, id: string, input: RecordAttendanceInput): Promise<Attendance> {
      const row = await loadHolding(tx, actor, id, 'public_welfare_attendance.record', true);
      const today = chinaToday();
      const from = row.started_on > monthStart(input.month) ? row.started_on : monthStart(input.month);
      const last = [monthEnd(input.month), today, ...(row.ended_on ? [row.ended_on] : [])].sort()[0]!;
      if (last < from)
        throw new AppError(
          'PUBLIC_WELFARE_MONTH_OUTSIDE',
          `${input.month} 不在此人的在岗期间内（${row.started_on} 至 ${row.ended_on ?? '今'}）`,
        );
      const open = daysBetween(from, last);
      if (input.daysWorked > open)
        throw new AppError('PUBLIC_WELFARE_DAYS_EXCEED', `出勤天数（${input.daysWorked}）超过 ${input.month} 的在岗天数（${open} 天）`, {
          days: open,
        });
      const pay = monthlyPay(Number(row.monthly_pay), input.daysWorked);
      const [before] = await repo.attendanceOf(tx, id, input.month);
      const statuses = await subsidyStatuses(tx, before?.subsidy_id ? [before.subsidy_id] : []);
      const drafted = before?.subsidy_id && statuses.get(before.subsidy_id) !== 'rejected' ? before.subsidy_id : null;
      if (before && before.days_worked === input.daysWorked && (drafted || Number(before.pay) === pay))
        return attendanceOut([before], statuses)[0]!;
      if (drafted) throw new AppError('PUBLIC_WELFARE_PAY_DRAFTED', undefined, { subsidyId: drafted });
      await repo.upsertAttendance(tx, { holdingId: id, month: input.month, daysWorked: input.daysWorked, pay, by: actor.id });
      await audit.record(tx, auditCtx(actor), {
        action: 'public_welfare_attendance.record',
        entity: 'public_welfare_holding',
        entityId: id,
        details: {
          laborer: row.laborer_id,
          month: input.month,
          daysWorked: input.daysWorked,
          amount: pay,
          ...(before ? { before: before.days_worked } : {}),
        },
      });
      return { month: input.month, daysWorked: input.daysWorked, pay, subsidy: null };
    },

    /**
     * 生成月补贴: the month's pay of every person with days recorded on the caller's posts in the
     * region, one public-welfare subsidy (applied) per person and month — a person with two posts
     * in a month is paid their sum once. A month already drafted (a subsidy standing) is skipped,
     * and the database refuses a second one (subsidy_laborer_once over the whole month).
     */
    async draftPay(tx: Tx, actor: Actor, input: DraftPayInput): Promise<PayDraft> {
      const region = input.region ?? actor.regionCode;
      assertRegionInScope(actor, region);
      if (monthEnd(input.month) >= chinaToday()) throw new AppError('PUBLIC_WELFARE_MONTH_NOT_OVER');
      const rows = await repo.attendanceOfMonth(tx, { month: input.month, scope: repo.postsInScope(actor), region });
      const statuses = await subsidyStatuses(
        tx,
        rows.flatMap((r) => (r.subsidy_id ? [r.subsidy_id] : [])),
      );
      const standing = new Set(rows.filter((r) => r.subsidy_id && statuses.get(r.subsidy_id) !== 'rejected').map((r) => r.laborer_id));
      const byLaborer = new Map<string, { amount: number; holdings: string[] }>();
      for (const r of rows) {
        if (standing.has(r.laborer_id)) continue;
        const line = byLaborer.get(r.laborer_id) ?? { amount: 0, holdings: [] };
        line.amount = Math.round((line.amount + Number(r.pay)) * 100) / 100;
        line.holdings.push(r.holding_id);
        byLaborer.set(r.laborer_id, line);
      }
      const made = await draftPublicWelfarePay(tx, {
        from: monthStart(input.month),
        to: monthEnd(input.month),
        lines: [...byLaborer].map(([laborerId, l]) => ({ laborerId, amount: l.amount })),
        note: `公益性岗位 ${input.month} 月补贴（按出勤）`,
        by: actor.id,
      });
      for (const m of made) await repo.setSubsidy(tx, byLaborer.get(m.laborerId)!.holdings, input.month, m.subsidyId);
      const amount = Math.round(made.reduce((s, m) => s + m.amount, 0) * 100) / 100;
      const persons = new Set(rows.map((r) => r.laborer_id)).size;
      await audit.record(tx, auditCtx(actor), {
        action: 'public_welfare_pay.draft',
        entity: 'subsidy',
        details: { region, month: input.month, created: made.length, amount },
      });
      return { month: input.month, drafted: made.length, amount, skipped: persons - made.length };
    },
  };
}

export type PublicWelfareService = ReturnType<typeof createPublicWelfareService>;
