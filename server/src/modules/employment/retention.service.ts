import type { Writable } from 'node:stream';
import { type Expression, type RawBuilder, sql, type SqlBool } from 'kysely';
import { CARING, WILLINGNESS, FLAGS } from '../../../../contracts/laborers.ts';
import type {
  ResponsibilityQueryInput,
  RetentionListQueryInput,
  RetentionRateQueryInput,
  Returnees,
  ReturneesQueryInput,
  RiskQueryInput,
  TaskListQueryInput,
} from '../../../../contracts/employment.ts';
import type { RISK_SIGN } from '../../../../contracts/employment.ts';
import { RESPONSIBILITY_LIST_COLUMNS, RETENTION_LIST_COLUMNS, TASK_LIST_COLUMNS } from '../../../../contracts/columns/employment.ts';
import { exportCells, exportHeaders } from '../../../../contracts/list-columns.ts';
import type { Db, DbOrTx, Tx } from '../../db/database.ts';
import type { Role } from '../../db/schema.ts';
import { assertRegionInScope, regionScope, UNSCOPED } from '../../platform/access.ts';
import type { Actor, AuditContext } from '../../platform/actor.ts';
import type { AuditLog } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import type { ExportCell } from '../../platform/excel/excel-safety.ts';
import { exportFileName, exportSnapshot, exportTitle } from '../../platform/excel/list-export.ts';
import { requireRegion } from '../regions/index.ts';
import { ownEmployerId } from '../employers/index.ts';
import { accountsRepo } from '../accounts/index.ts';
import { chinaToday } from '../../platform/time.ts';
import * as repo from './retention.repo.ts';
import type { RetentionSubject } from './rules.ts';
import { laborerOf, placeOf } from './employment.service.ts';

/** The three lists and the risk list are the output areas' staff work. */
export const LIST_READERS = ['admin', 'township_operator', 'village_officer'] as const satisfies readonly Role[];
/** The retention rate: staff for their region, an employer for itself, a broker for its own hires. */
export const RATE_READERS = [...LIST_READERS, 'employer', 'broker'] as const satisfies readonly Role[];

const LIST_NAMES = { tasks: '任务清单', responsibility: '责任清单', retention: '稳岗清单' } as const;
const auditCtx = (actor: Actor): AuditContext => ({ actor, ip: actor.ip });
const ageOn = (birth: string, today: string) =>
  Number(today.slice(0, 4)) - Number(birth.slice(0, 4)) - (today.slice(5) < birth.slice(5) ? 1 : 0);
const GROUP_LENGTH = { province: 2, city: 4, county: 6 } as const;

export function createRetentionService({ audit }: { audit: AuditLog }) {
  const scopeRegion = (actor: Actor, region: string | undefined) => {
    const r = region ?? actor.regionCode;
    assertRegionInScope(actor, r);
    return r;
  };

  const presentTask = (r: repo.TaskRow, today: string) => ({
    laborer: laborerOf(r),
    age: ageOn(r.birth_date, today),
    willingness: r.willingness,
    wantedJobTypes: r.wanted_job_types,
    expectedWage: r.expected_wage,
    skills: r.skills,
    certificates: r.certificates,
    caring: r.caring,
    flags: r.flags,
    openCaseId: r.open_case_id === null ? null : String(r.open_case_id),
  });

  const presentResponsibility = (r: repo.ResponsibilityRow) => {
    const responsible: { kind: string; name: string; code: string | null }[] = [
      { kind: 'home_county', name: r.home_county_name, code: r.home_county_code },
      ...(r.officer_name ? [{ kind: 'village_officer', name: r.officer_name, code: r.home_village_code }] : []),
    ];
    if (r.employed) {
      if (r.work_county_code && r.work_county_code !== r.home_county_code)
        responsible.push({ kind: 'work_county', name: r.work_county_name ?? r.work_county_code, code: r.work_county_code });
      if (r.liaison_name) responsible.push({ kind: 'liaison_office', name: r.liaison_name, code: null });
      if (r.broker_name) responsible.push({ kind: 'broker', name: r.broker_name, code: null });
    }
    const tasks: string[] = [];
    if (!r.employed) tasks.push(r.open_case_id ? '转岗服务中' : '待转移就业');
    if (r.overdue > 0) tasks.push(`逾期回访 ${r.overdue} 次`);
    if (r.due_soon > 0) tasks.push(`30 天内待回访 ${r.due_soon} 次`);
    return { laborer: laborerOf(r), employed: r.employed, workRegionName: r.work_region_name, responsible, tasks };
  };

  const signsOf = (r: repo.RiskRow) => {
    const signs: { sign: (typeof RISK_SIGN.codes)[number]; detail: string }[] = [];
    if (r.overdue > 0) signs.push({ sign: 'overdue_follow_up', detail: `${r.overdue} 次回访逾期，最早应于 ${r.oldest_overdue} 回访` });
    if (r.problem) signs.push({ sign: 'reported_problem', detail: `${r.problem_on} 回访反映：${r.problem}` });
    if (r.far_caring)
      signs.push({
        sign: 'far_with_caring',
        detail: `在省外务工，家中${CARING.labels[r.caring as keyof typeof CARING.labels] ?? r.caring}`,
      });
    if (r.short_jobs > 0) signs.push({ sign: 'short_tenure', detail: `近两年有 ${r.short_jobs} 份工作不足 90 天` });
    if (r.low_wage) signs.push({ sign: 'wage_below_expectation', detail: `月工资 ${r.monthly_wage} 元，期望 ${r.expected_wage} 元` });
    return signs;
  };

  return {
    async tasks(tx: Tx, actor: Actor, query: TaskListQueryInput) {
      const region = scopeRegion(actor, query.region);
      const page = query.page ?? 1;
      const pageSize = query.pageSize ?? 20;
      const scope = regionScope(actor, 'l.home_village_code');
      const [rows, total] = await Promise.all([
        repo.tasks(tx, { scope, region, willingness: query.willingness, limit: pageSize, offset: (page - 1) * pageSize }),
        repo.tasksTotal(tx, { scope, region, willingness: query.willingness }),
      ]);
      await audit.record(tx, auditCtx(actor), { action: 'list.tasks', entity: 'laborer', details: { region, shown: rows.length } });
      const today = chinaToday();
      return { items: rows.map((r) => presentTask(r, today)), total };
    },

    async responsibility(tx: Tx, actor: Actor, query: ResponsibilityQueryInput) {
      const region = scopeRegion(actor, query.region);
      const side = query.side ?? 'home';
      const page = query.page ?? 1;
      const pageSize = query.pageSize ?? 20;
      const today = chinaToday();
      const scope = regionScope(actor, 'l.home_village_code');
      const summary = await repo.responsibilitySummary(tx, { scope, region, side, today });
      const rows = await repo.responsibility(tx, { scope, region, side, today, limit: pageSize, offset: (page - 1) * pageSize });
      await audit.record(tx, auditCtx(actor), {
        action: 'list.responsibility',
        entity: 'laborer',
        details: { region, side, shown: rows.length },
      });
      const total = Number(summary.total);
      return {
        summary: {
          notEmployed: total - Number(summary.employed),
          employed: Number(summary.employed),
          followedByLiaison: Number(summary.liaison),
          openCases: Number(summary.cases),
          overdueFollowUps: Number(summary.overdue),
        },
        items: rows.map(presentResponsibility),
        total,
      };
    },

    async retention(tx: Tx, actor: Actor, query: RetentionListQueryInput) {
      const region = scopeRegion(actor, query.region);
      const length = GROUP_LENGTH[query.groupBy ?? 'city'];
      const page = query.page ?? 1;
      const pageSize = query.pageSize ?? 20;
      // The retention list's region is the home village copied onto the employment (migration 0016).
      const scope = regionScope(actor, 'e.home_village_code');
      const groups = await repo.retentionGroups(tx, { scope, region, length });
      const [items, itemsTotal] = await Promise.all([
        repo.retentionItems(tx, { scope, region, workRegion: query.workRegion, limit: pageSize, offset: (page - 1) * pageSize }),
        query.workRegion
          ? repo.retentionItemsTotal(tx, { scope, region, workRegion: query.workRegion })
          : Promise.resolve(groups.reduce((s, g) => s + Number(g.n), 0)),
      ]);
      await audit.record(tx, auditCtx(actor), {
        action: 'list.retention',
        entity: 'employment',
        details: { region, groupBy: query.groupBy ?? 'city', workRegion: query.workRegion, shown: items.length },
      });
      return {
        groups: groups.map((g) => ({ regionCode: g.code, regionName: g.name ?? g.code, laborers: Number(g.n) })),
        total: groups.reduce((s, g) => s + Number(g.n), 0),
        items: items.map((r) => ({
          laborer: laborerOf(r),
          employmentId: String(r.employment_id),
          workRegionCode: r.work_region_code,
          workRegionName: r.work_region_name,
          employer: r.employer,
          contact: r.contact,
          startedOn: r.started_on,
          monthlyWage: r.monthly_wage,
        })),
        itemsTotal,
      };
    },

    /**
     * 本月返乡人员 (issue 20 item 2): the jobs that ended this month of the region's laborers, each
     * with who is to call them — the follow-up's responsible account, else the village's officers.
     */
    async returnees(tx: Tx, actor: Actor, query: ReturneesQueryInput): Promise<Returnees> {
      const region = scopeRegion(actor, query.region);
      const page = query.page ?? 1;
      const pageSize = query.pageSize ?? 20;
      const to = chinaToday();
      const from = `${to.slice(0, 7)}-01`;
      const f = { scope: regionScope(actor, 'l.home_village_code'), region, from, to };
      const [rows, total] = await Promise.all([
        repo.returnees(tx, { ...f, limit: pageSize, offset: (page - 1) * pageSize }),
        repo.returneesTotal(tx, f),
      ]);
      const [names, officers] = await Promise.all([
        accountsRepo.namesOf(
          tx,
          rows.flatMap((r) => (r.responsible_account === null ? [] : [String(r.responsible_account)])),
        ),
        accountsRepo.villageOfficersOf(
          tx,
          rows.filter((r) => r.responsible_account === null).map((r) => r.home_village_code),
        ),
      ]);
      await audit.record(tx, auditCtx(actor), {
        action: 'list.returnees',
        entity: 'employment',
        details: { region, from, to, shown: rows.length },
      });
      return {
        from,
        to,
        total,
        items: rows.map((r) => {
          const account = r.responsible_account === null ? null : String(r.responsible_account);
          const named = account === null ? undefined : names.get(account);
          return {
            laborer: laborerOf(r),
            employmentId: String(r.employment_id),
            workRegionName: r.work_region_name,
            employer: r.employer,
            startedOn: r.started_on,
            endedOn: r.ended_on,
            endReason: r.end_reason as Returnees['items'][number]['endReason'],
            responsible:
              account !== null
                ? [{ kind: 'follow_up' as const, accountId: account, name: named?.displayName ?? account }]
                : (officers.get(r.home_village_code) ?? []).map((o) => ({
                    kind: 'village_officer' as const,
                    accountId: o.id,
                    name: o.displayName,
                  })),
          };
        }),
      };
    },

    async rate(tx: Tx, actor: Actor, query: RetentionRateQueryInput) {
      const months = query.months ?? 6;
      const today = chinaToday();
      const asOf = query.asOf ?? today;
      if (asOf > today)
        throw new AppError('VALIDATION_FAILED', '截至日期不能晚于今天', [{ field: 'querystring.asOf', message: '截至日期不能晚于今天' }]);
      let placements: RawBuilder<SqlBool> = sql<SqlBool>`true`;
      let subject: RetentionSubject = 'region';
      let region = query.region;
      // Whose placements: the people registered as of the date (docs/domain-notes-asof.md §2), in
      // the caller's scope — an employer or a broker reads its own placements wherever the laborer is.
      let people: Expression<SqlBool> = regionScope(actor, 'v.home_village_code');
      // An employer account's or a broker's own rate unless it names itself otherwise.
      if (actor.role === 'employer' && !query.employer) query = { ...query, employer: (await ownEmployerId(tx, actor)) ?? '0' };
      if (actor.role === 'broker' && !query.broker) query = { ...query, broker: actor.id };
      if (query.employer) {
        // An employer's rate: its own (an employer account), or any employer for staff (their laborers).
        if (actor.role === 'employer' && (await ownEmployerId(tx, actor)) !== query.employer) throw new AppError('NOT_FOUND');
        placements = sql<SqlBool>`e.employer_id = ${query.employer}`;
        if (actor.role === 'employer') people = UNSCOPED;
        subject = 'employer';
      } else if (query.broker) {
        if (actor.role === 'broker' && actor.id !== query.broker) throw new AppError('NOT_FOUND');
        placements = sql<SqlBool>`EXISTS (SELECT 1 FROM referral rf WHERE rf.id = e.referral_id AND rf.created_by = ${query.broker} AND rf.channel = 'broker')`;
        if (actor.role === 'broker') people = UNSCOPED;
        subject = 'broker';
      } else {
        region = scopeRegion(actor, region);
      }
      if (region && (query.employer || query.broker)) assertRegionInScope(actor, region);
      const filter = { placements, region, people, months, asOf, subject };
      const page = query.page ?? 1;
      const pageSize = query.pageSize ?? 20;
      const items = await repo.rateItems(tx, { ...filter, list: query.list, limit: pageSize, offset: (page - 1) * pageSize });
      const figure = { placed: items.placed, retained: items.retained };
      await audit.record(tx, auditCtx(actor), {
        action: 'retention.rate',
        entity: 'employment',
        details: { region: query.region, employer: query.employer, broker: query.broker, months, asOf, shown: items.rows.length },
      });
      return {
        asOf,
        months,
        placed: figure.placed,
        retained: figure.retained,
        rate: figure.placed ? Math.round((figure.retained / figure.placed) * 10_000) / 10_000 : null,
        items: items.rows.map((r) => ({
          laborer: laborerOf(r),
          employmentId: String(r.employment_id),
          workplace: r.workplace,
          startedOn: r.started_on,
          endedOn: r.ended_on,
          retained: r.retained,
        })),
        itemsTotal: items.total,
      };
    },

    /** The region's rate after 1…12 months (the dashboards' retention curve), one query for all twelve. */
    async curve(tx: Tx, actor: Actor, query: { region?: string; asOf?: string; maxMonths?: number }) {
      const today = chinaToday();
      const asOf = query.asOf ?? today;
      if (asOf > today)
        throw new AppError('VALIDATION_FAILED', '截至日期不能晚于今天', [{ field: 'querystring.asOf', message: '截至日期不能晚于今天' }]);
      const r = scopeRegion(actor, query.region);
      // The people as of the date, by their card's village then (docs/domain-notes-asof.md §2).
      const points = await repo.curve(tx, {
        region: r,
        people: regionScope(actor, 'v.home_village_code'),
        peopleToday: regionScope(actor, 'e.home_village_code'),
        asOf,
        today: asOf === today,
        maxMonths: query.maxMonths ?? 12,
      });
      await audit.record(tx, auditCtx(actor), { action: 'retention.curve', entity: 'employment', details: { region: r, asOf } });
      return points.map((p) => ({ ...p, rate: p.placed ? Math.round((p.retained / p.placed) * 10_000) / 10_000 : null }));
    },

    async risks(tx: Tx, actor: Actor, query: RiskQueryInput) {
      const region = scopeRegion(actor, query.region);
      const page = query.page ?? 1;
      const pageSize = query.pageSize ?? 20;
      const rows = await repo.risks(tx, {
        scope: regionScope(actor, 'l.home_village_code'),
        region,
        today: chinaToday(),
        sign: query.sign,
        limit: pageSize,
        offset: (page - 1) * pageSize,
      });
      await audit.record(tx, auditCtx(actor), {
        action: 'retention.risks',
        entity: 'employment',
        details: { region, sign: query.sign, shown: rows.length },
      });
      return {
        items: rows.map((r) => ({
          laborer: laborerOf(r),
          employmentId: String(r.employment_id),
          workplace: r.workplace,
          workRegionName: r.work_region_name,
          startedOn: r.started_on,
          score: r.score,
          signs: signsOf(r),
        })),
        total: rows.length ? Number(rows[0]!.total) : 0,
      };
    },

    /** Checks the region before the download starts, so a refusal comes back as JSON. */
    checkExport(actor: Actor, region: string | undefined) {
      return scopeRegion(actor, region);
    },

    /**
     * One of the three lists as .xlsx for a region (issue 18 item 2): every row, read in batches
     * from one snapshot, identifiers masked, under a title row naming the list, the region and the
     * date; the file ends only after the audit row with its row count has committed.
     */
    async export(db: Db, actor: Actor, list: 'tasks' | 'responsibility' | 'retention', region: string, output: Writable): Promise<number> {
      return exportSnapshot(db, output, async (tx) => {
        const scope = regionScope(actor, 'l.home_village_code');
        const today = chinaToday();
        const batch = 2000;
        let headers: string[];
        let rows: AsyncIterable<ExportCell[]>;
        const label = <T extends Record<string, string>>(dict: { labels: T }, code: string) =>
          (dict.labels as Record<string, string>)[code] ?? code;
        if (list === 'tasks') {
          headers = exportHeaders(TASK_LIST_COLUMNS);
          rows = (async function* () {
            for (let after = '0'; ; ) {
              const page = await repo.tasks(tx, { scope, region, limit: batch, offset: 0, afterId: after });
              for (const r of page) {
                yield exportCells<typeof TASK_LIST_COLUMNS, ExportCell>(TASK_LIST_COLUMNS, {
                  name: r.laborer_name,
                  idNumberMasked: r.id_masked,
                  phoneMasked: r.phone_masked,
                  village: r.village_name,
                  age: ageOn(r.birth_date, today),
                  willingness: label(WILLINGNESS, r.willingness),
                  wantedJobTypes: r.wanted_job_types.join('、'),
                  expectedWage: r.expected_wage,
                  skills: r.skills.join('、'),
                  certificates: r.certificates.join('、'),
                  caring: label(CARING, r.caring),
                  flags: r.flags.map((f) => label(FLAGS, f)).join('、'),
                  openCase: r.open_case_id ? '服务中' : '',
                });
              }
              if (page.length < batch) return;
              after = String(page[page.length - 1]!.laborer_id);
            }
          })();
        } else if (list === 'responsibility') {
          headers = exportHeaders(RESPONSIBILITY_LIST_COLUMNS);
          rows = (async function* () {
            for (let after = '0'; ; ) {
              const page = await repo.responsibility(tx, { scope, region, side: 'home', today, limit: batch, offset: 0, afterId: after });
              for (const r of page) {
                const p = presentResponsibility(r);
                yield exportCells<typeof RESPONSIBILITY_LIST_COLUMNS, ExportCell>(RESPONSIBILITY_LIST_COLUMNS, {
                  name: r.laborer_name,
                  idNumberMasked: r.id_masked,
                  phoneMasked: r.phone_masked,
                  village: r.village_name,
                  employed: r.employed ? '已就业' : '未就业',
                  workRegionName: r.work_region_name,
                  responsible: p.responsible.map((x) => x.name).join('；'),
                  tasks: p.tasks.join('；'),
                });
              }
              if (page.length < batch) return;
              after = String(page[page.length - 1]!.laborer_id);
            }
          })();
        } else {
          headers = exportHeaders(RETENTION_LIST_COLUMNS);
          const PLACE = { in_county: '县内', in_province: '县外省内', out_of_province: '省外' } as const;
          rows = (async function* () {
            for (let after = '0'; ; ) {
              const page = await repo.retentionItems(tx, {
                scope: regionScope(actor, 'e.home_village_code'),
                region,
                limit: batch,
                offset: 0,
                afterId: after,
              });
              for (const r of page) {
                yield exportCells<typeof RETENTION_LIST_COLUMNS, ExportCell>(RETENTION_LIST_COLUMNS, {
                  name: r.laborer_name,
                  idNumberMasked: r.id_masked,
                  phoneMasked: r.phone_masked,
                  village: r.village_name,
                  workRegionName: r.work_region_name,
                  place: PLACE[placeOf(r.home_village_code, r.work_region_code)],
                  employer: r.employer,
                  contact: r.contact,
                  startedOn: r.started_on,
                  monthlyWage: r.monthly_wage,
                });
              }
              if (page.length < batch) return;
              after = String(page[page.length - 1]!.employment_id);
            }
          })();
        }
        const sheet = LIST_NAMES[list];
        return {
          sheet,
          title: exportTitle(sheet, (await requireRegion(tx, region)).name, []),
          headers,
          rows,
          record: (count) =>
            audit.record(tx, auditCtx(actor), { action: `list.${list}.export`, entity: 'laborer', details: { region, rows: count } }),
        };
      });
    },

    /** The file name of a list's export: 任务清单-<region>-<date>.xlsx. */
    async exportFileName(db: DbOrTx, list: 'tasks' | 'responsibility' | 'retention', region: string): Promise<string> {
      return exportFileName(LIST_NAMES[list], (await requireRegion(db, region)).name);
    },
  };
}

export type RetentionService = ReturnType<typeof createRetentionService>;
