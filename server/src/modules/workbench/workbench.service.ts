import type { Workbench, WorkbenchAlert, WorkbenchFigure, WorkbenchTodo } from '../../../../contracts/workbench.ts';
import {
  EMPLOYMENT_STAFF,
  FOLLOW_UP_WORKERS,
  INBOX_READERS,
  SI_REVIEWERS,
  STATS_READERS,
  SUBSIDY_APPROVERS,
  TRANSFER_DECIDERS,
  WISH_CONFIRMERS,
} from '../../../../contracts/roles.ts';
import { REFERRALS_PATH, SI_REVIEWS_PATH, SMS_INBOX_PATH, SUBSIDIES_PATH } from '../../../../contracts/paths.ts';
import type { Tx } from '../../db/database.ts';
import type { Role } from '../../db/schema.ts';
import type { Actor } from '../../platform/actor.ts';
import type { AuditLog } from '../../platform/audit.ts';
import { chinaToday } from '../../platform/time.ts';
import type { EmploymentService } from '../employment/index.ts';
import type { LaborersService } from '../registry/index.ts';
import type { TransfersService } from '../registry/index.ts';
import type { SubsidiesService } from '../subsidies/index.ts';
import type { MobileService } from '../mobile/index.ts';
import type { SmsService } from '../sms/index.ts';
import type { ReferralsService } from '../referrals/index.ts';
import type { BrokersService } from '../brokers/index.ts';
import type { StatsService } from '../stats/index.ts';
import type { SocialInsuranceService } from '../social-insurance/index.ts';

type Query = WorkbenchTodo['api']['query'];

/** A to-do: its list (page and API call, one query for both) and the owning module's count of that list. */
interface TodoSpec {
  key: string;
  label: string;
  link: string;
  path: string;
  query: Query;
  count: () => Promise<number>;
}

const among = (roles: readonly Role[], role: Role) => roles.includes(role);

/**
 * 工作台 (issue 18 item 5). No table of its own and no SQL: every count comes from the module that
 * owns the list (its `count…` function applies the list's own filter and scope), so the number on
 * the card is the total of the list its link opens.
 */
export function createWorkbenchService(deps: {
  audit: AuditLog;
  laborers: Pick<LaborersService, 'count'>;
  transfers: Pick<TransfersService, 'count'>;
  subsidies: Pick<SubsidiesService, 'count'>;
  mobile: Pick<MobileService, 'countWishes'>;
  sms: Pick<SmsService, 'countInbox'>;
  employment: Pick<EmploymentService, 'countFollowUps' | 'countCases' | 'countEmployments' | 'countEmployeeFollowUpsDue'>;
  referrals: Pick<ReferralsService, 'count'>;
  brokers: Pick<BrokersService, 'myRow'>;
  stats: Pick<StatsService, 'headline' | 'townshipDeclines'>;
  /** The social-insurance comparison's overdue reviews (optional: absent, no such to-do). */
  socialInsurance?: Pick<SocialInsuranceService, 'countReviews'>;
  /** LAOWU_DECLINE_ALERT_SHARE: a township's month-on-month fall in employed that is flagged. */
  declineAlertShare: number;
}) {
  const { audit, laborers, transfers, subsidies, mobile, sms, employment, referrals, brokers, stats, socialInsurance, declineAlertShare } =
    deps;

  /** A county's staff are told which of its townships' employed fell by more than the share last month. */
  async function alertsOf(tx: Tx, actor: Actor): Promise<WorkbenchAlert[]> {
    if (!among(STATS_READERS, actor.role) || actor.regionCode.length !== 6) return [];
    const declines = await stats.townshipDeclines(tx, actor.regionCode, declineAlertShare);
    return declines.map((d) => ({
      key: `decline_${d.code}`,
      regionCode: d.code,
      regionName: d.name,
      before: d.before,
      asOf: d.asOf,
      employedBefore: d.employedBefore,
      employed: d.employed,
      fall: d.fall,
      threshold: declineAlertShare,
      link: `/stats?region=${d.code}`,
    }));
  }

  function todoSpecs(tx: Tx, actor: Actor): TodoSpec[] {
    const role = actor.role;
    const specs: TodoSpec[] = [];
    if (role === 'village_officer') {
      // 一季度一核实: the village's cards not yet confirmed this quarter (the register's confirmed=false).
      specs.push({
        key: 'cardsToConfirm',
        label: '本季度待核实信息卡',
        link: '/laborers?confirmed=false',
        path: '/api/v1/laborers',
        query: { confirmed: false },
        count: () => laborers.count(tx, actor, { confirmed: false }),
      });
    }
    if (among(FOLLOW_UP_WORKERS, role)) {
      // Staff see their region's follow-ups; a broker or a liaison office those on its own list.
      const staff = among(EMPLOYMENT_STAFF, role);
      const query: { status: 'overdue'; mine?: boolean } = staff ? { status: 'overdue' } : { status: 'overdue', mine: true };
      specs.push({
        key: 'overdueFollowUps',
        label: '逾期未回访',
        link: staff ? '/retention?status=overdue' : '/retention?status=overdue&mine=true',
        path: '/api/v1/follow-ups',
        query: { ...query },
        count: () => employment.countFollowUps(tx, actor, query),
      });
    }
    if (among(SUBSIDY_APPROVERS, role) && actor.regionCode.length <= 6) {
      const query = { queue: true, region: actor.regionCode };
      specs.push({
        key: 'subsidyApprovals',
        label: '待审批补贴申请',
        link: '/subsidies', // an approver's page opens on 待我审批
        path: SUBSIDIES_PATH,
        query,
        count: () => subsidies.count(tx, actor, query),
      });
    }
    if (among(TRANSFER_DECIDERS, role)) {
      const query = { direction: 'incoming' as const, status: 'pending' };
      specs.push({
        key: 'transferRequests',
        label: '待审批迁移申请',
        link: '/laborers/transfers?direction=incoming&status=pending',
        path: '/api/v1/laborers/transfer-requests',
        query,
        count: () => transfers.count(tx, actor, query),
      });
    }
    if (among(WISH_CONFIRMERS, role)) {
      specs.push({
        key: 'wishRequests',
        label: '待核实意愿变更',
        link: '/wish-requests',
        path: '/api/v1/wish-requests',
        query: {},
        count: () => mobile.countWishes(tx, actor),
      });
    }
    if (among(EMPLOYMENT_STAFF, role)) {
      const query = { status: 'open' as const };
      specs.push({
        key: 'reemploymentCases',
        label: '转岗服务中',
        link: '/retention?tab=cases',
        path: '/api/v1/reemployment-cases',
        query,
        count: () => employment.countCases(tx, actor, query),
      });
    }
    if (socialInsurance && among(SI_REVIEWERS, role)) {
      // 社保比对: the reviews past their 3 working days (issue 21 item 2).
      const query = { status: 'overdue' as const };
      specs.push({
        key: 'overdueSocialInsuranceReviews',
        label: '社保比对逾期未核实',
        link: '/social-insurance?status=overdue',
        path: SI_REVIEWS_PATH,
        query,
        count: () => socialInsurance.countReviews(tx, actor, query),
      });
    }
    if (among(INBOX_READERS, role)) {
      const query = { handled: false };
      specs.push({
        key: 'smsReplies',
        label: '未处理短信回复',
        link: '/sms/inbox',
        path: SMS_INBOX_PATH,
        query,
        count: () => sms.countInbox(tx, actor, query),
      });
    }
    if (role === 'broker' || role === 'employer') {
      // A broker's referrals still waiting for the employer; an employer's applicants to interview and to decide on.
      for (const [status, label] of [
        ['recommended', role === 'broker' ? '推荐待面试' : '待面试应聘人员'],
        ['interviewed', role === 'broker' ? '已面试待录用' : '已面试待决定录用'],
      ] as const) {
        const query = { status };
        specs.push({
          key: `referrals_${status}`,
          label,
          link: `/referrals?status=${status}`,
          path: REFERRALS_PATH,
          query,
          count: () => referrals.count(tx, actor, query),
        });
      }
    }
    return specs;
  }

  async function figuresOf(tx: Tx, actor: Actor, todos: WorkbenchTodo[]): Promise<WorkbenchFigure[]> {
    const todo = (key: string) => todos.find((t) => t.key === key);
    const figures: WorkbenchFigure[] = [];
    if (among(STATS_READERS, actor.role)) {
      const h = await stats.headline(tx, actor);
      figures.push(
        { key: 'employedShare', label: '就业比例', value: h.employedShare, kind: 'share', link: '/stats' },
        {
          key: 'newTransfers',
          label: '本年新增转移就业',
          value: h.newTransfersThisYear,
          kind: 'count',
          target: h.yearTarget,
          link: '/stats',
        },
      );
      const overdue = todo('overdueFollowUps');
      if (overdue) figures.push({ key: 'overdueFollowUps', label: '逾期未回访', value: overdue.count, kind: 'count', link: overdue.link });
    }
    if (actor.role === 'broker') {
      const { row } = await brokers.myRow(tx, actor, {});
      figures.push(
        { key: 'referrals', label: '我的推荐', value: row.referrals, kind: 'count', link: '/referrals' },
        { key: 'hires', label: '录用', value: row.hires, kind: 'count', link: '/referrals?status=hired' },
        { key: 'retained6', label: '录用后在岗满6个月', value: row.retained6, kind: 'count', link: '/referrals' },
      );
    }
    if (actor.role === 'employer') {
      const waiting = todos.filter((t) => t.key.startsWith('referrals_')).reduce((n, t) => n + t.count, 0);
      figures.push(
        { key: 'applicants', label: '待处理应聘人员', value: waiting, kind: 'count', link: '/referrals' },
        {
          key: 'employees',
          label: '在职职工',
          value: await employment.countEmployments(tx, actor, { status: 'open' }),
          kind: 'count',
          link: '/employees',
        },
        {
          key: 'followUpsDue',
          label: '已到期待回访职工',
          value: await employment.countEmployeeFollowUpsDue(tx, actor, chinaToday()),
          kind: 'count',
          link: '/employees',
        },
      );
    }
    return figures;
  }

  return {
    /** GET /workbench: the actor's to-dos and key figures, in their own region; audited as one view. */
    async view(tx: Tx, actor: Actor): Promise<Workbench> {
      const todos: WorkbenchTodo[] = [];
      // One transaction, one connection: the counts run one after another.
      for (const { count, ...spec } of todoSpecs(tx, actor)) {
        todos.push({
          key: spec.key,
          label: spec.label,
          link: spec.link,
          api: { path: spec.path, query: spec.query },
          count: await count(),
        });
      }
      const figures = await figuresOf(tx, actor, todos);
      const alerts = await alertsOf(tx, actor);
      await audit.record(
        tx,
        { actor, ip: actor.ip },
        {
          action: 'workbench.view',
          entity: 'region',
          entityId: actor.regionCode,
          details: { role: actor.role, total: todos.reduce((n, t) => n + t.count, 0), alerts: alerts.length },
        },
      );
      return { role: actor.role, regionCode: actor.regionCode, asOf: chinaToday(), todos, figures, alerts };
    },
  };
}

export type WorkbenchService = ReturnType<typeof createWorkbenchService>;
