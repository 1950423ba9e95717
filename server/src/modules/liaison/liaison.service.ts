import { sql, type Expression, type SqlBool } from 'kysely';
import type {
  CaseListQueryInput,
  CreateCaseInput,
  LiaisonCase,
  LiaisonCaseList,
  OfficePosting,
  OfficePostingList,
  UpdateCaseInput,
  Worker,
  WorkerDetail,
  WorkerList,
  WorkerListQueryInput,
} from '../../../../contracts/liaison.ts';
import type { Tx } from '../../db/database.ts';
import type { Role } from '../../db/schema.ts';
import { UNSCOPED } from '../../platform/access.ts';
import type { Actor, AuditContext } from '../../platform/actor.ts';
import type { AuditLog } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { chinaToday } from '../../platform/time.ts';
import { postingState } from '../postings/index.ts';
import * as repo from './liaison.repo.ts';
import { LIAISON_OFFICE } from '../../../../contracts/roles.ts';
export { LIAISON_OFFICE };

/**
 * Who reads cases: the office (its own records) and admins whose region holds the laborer's home
 * village — the home county follows its laborers wherever they work (DOMAIN.md, "Responsibility
 * follows status"); its city and the province above it too.
 */
export const CASE_READERS = ['liaison_office', 'admin'] as const satisfies readonly Role[];

const auditCtx = (actor: Actor): AuditContext => ({ actor, ip: actor.ip });

export function officeOf(actor: Actor): repo.Office {
  // The account table's CHECK ties a liaison office to a host city; this is the type's guard.
  if (actor.role !== 'liaison_office' || !actor.hostRegionCode) throw new AppError('LIAISON_NO_HOST_CITY');
  return { homeRegionCode: actor.regionCode, hostRegionCode: actor.hostRegionCode };
}

const presentWorker = (r: repo.WorkerRow): Worker => ({
  laborerId: String(r.laborer_id),
  name: r.name,
  sex: r.sex,
  idNumberMasked: r.id_masked,
  phoneMasked: r.phone_masked,
  villageCode: r.home_village_code,
  villageName: r.village_name,
  employment: {
    id: String(r.employment_id),
    employerId: r.employer_id === null ? null : String(r.employer_id),
    employerName: r.employer_name,
    employerContact: r.employer_contact,
    postingId: r.posting_id === null ? null : String(r.posting_id),
    postingTitle: r.posting_title,
    workRegionCode: r.work_region_code,
    workRegionName: r.work_region_name,
    occupationCode: r.occupation_code,
    startedOn: r.started_on,
    monthlyWage: r.monthly_wage,
    channel: r.channel as Worker['employment']['channel'],
  },
  openCases: r.open_cases,
});

const presentCase = (r: repo.CaseRow): LiaisonCase => ({
  id: String(r.id),
  laborerId: String(r.laborer_id),
  laborerName: r.laborer_name,
  villageName: r.village_name,
  homeRegionCode: r.home_region_code,
  hostRegionCode: r.host_region_code,
  hostRegionName: r.host_region_name,
  recordedBy: { username: r.username, displayName: r.display_name },
  reportedOn: r.reported_on,
  kind: r.kind as LiaisonCase['kind'],
  description: r.description,
  helpGiven: r.help_given,
  status: r.status as LiaisonCase['status'],
  closedOn: r.closed_on,
  employerName: r.employer_name,
  updatedAt: new Date(r.updated_at).toISOString(),
});

const presentPosting = (r: repo.OfficePostingRow, today: string): OfficePosting => ({
  id: String(r.id),
  title: r.title,
  employerId: String(r.employer_id),
  employerName: r.employer_name,
  occupationCode: r.occupation_code,
  workRegionCode: r.work_region_code,
  workRegionName: r.work_region_name,
  headcount: r.headcount,
  filled: r.filled,
  wageMin: r.wage_min,
  wageMax: r.wage_max,
  validFrom: r.valid_from,
  validTo: r.valid_to,
  state: postingState(
    { status: r.status as 'open' | 'closed', validFrom: r.valid_from, validTo: r.valid_to, filled: r.filled, headcount: r.headcount },
    today,
  ),
  hires: r.hires,
  createdBy: { username: r.username, displayName: r.display_name },
  createdAt: new Date(r.created_at).toISOString(),
});

const dateError = (field: string, message: string) => new AppError('LIAISON_CASE_DATE', message, [{ field: `body.${field}`, message }]);
const page = (q: { page?: number; pageSize?: number }) => {
  const pageSize = q.pageSize ?? 20;
  return { limit: pageSize, offset: ((q.page ?? 1) - 1) * pageSize };
};

export function createLiaisonService({ audit }: { audit: AuditLog }) {
  /** The cases this caller may read: the office its own records; an admin those of the laborers of its region. */
  function caseScope(actor: Actor): Expression<SqlBool> {
    if (actor.role === 'liaison_office') return repo.officeCases(officeOf(actor));
    if (actor.role === 'admin') return repo.casesOfLaborersInScope(actor);
    return sql<SqlBool>`false`;
  }

  /** A worker of the office, or 404 "不存在或无权限" (the refusal audited): outside the scope nothing is told. */
  async function loadWorker(tx: Tx, actor: Actor, laborerId: string, action: string): Promise<repo.WorkerRow> {
    const row = await repo.findWorker(tx, officeOf(actor), laborerId);
    if (!row)
      throw new AppError('NOT_FOUND').audited(auditCtx(actor), { action, entity: 'laborer', entityId: laborerId, result: 'denied' });
    return row;
  }

  async function casesOfWorker(tx: Tx, actor: Actor, laborerId: string): Promise<LiaisonCase[]> {
    const { rows } = await repo.listCases(tx, caseScope(actor), { laborer: laborerId, limit: 200, offset: 0 });
    return rows.map(presentCase);
  }

  return {
    /** GET /liaison/workers: the home county's laborers with an open employment in the host city. */
    async listWorkers(tx: Tx, actor: Actor, query: WorkerListQueryInput): Promise<WorkerList> {
      const { rows, total } = await repo.listWorkers(tx, officeOf(actor), { q: query.q, ...page(query) });
      // A list of named people is a search over personal data: audited (DOMAIN.md).
      await audit.record(tx, auditCtx(actor), {
        action: 'liaison.worker.list',
        entity: 'laborer',
        details: { q: query.q ?? null, page: query.page ?? 1, shown: rows.length, total },
      });
      return { items: rows.map(presentWorker), total };
    },

    /** GET /liaison/workers/:laborerId: the worker, their current employment and the office's cases about them. */
    async getWorker(tx: Tx, actor: Actor, laborerId: string): Promise<WorkerDetail> {
      const row = await loadWorker(tx, actor, laborerId, 'liaison.worker.view');
      const cases = await casesOfWorker(tx, actor, laborerId);
      await audit.record(tx, auditCtx(actor), { action: 'liaison.worker.view', entity: 'laborer', entityId: laborerId });
      return { ...presentWorker(row), cases };
    },

    /** POST /liaison/workers/:laborerId/cases: a problem the worker reported (and any help given so far). */
    async createCase(tx: Tx, actor: Actor, laborerId: string, input: CreateCaseInput): Promise<LiaisonCase> {
      const worker = await loadWorker(tx, actor, laborerId, 'liaison.case.create');
      const today = chinaToday();
      const reportedOn = input.reportedOn ?? today;
      if (reportedOn > today) throw dateError('reportedOn', '反映日期不能晚于今天');
      if (reportedOn < worker.started_on) throw dateError('reportedOn', `反映日期不能早于本次就业的入职日期（${worker.started_on}）`);
      const id = await repo.insertCase(tx, {
        laborerId,
        officeAccountId: actor.id,
        office: officeOf(actor),
        employmentId: String(worker.employment_id),
        reportedOn,
        kind: input.kind,
        description: input.description.trim(),
        helpGiven: input.helpGiven?.trim() || null,
      });
      await audit.record(tx, auditCtx(actor), {
        action: 'liaison.case.create',
        entity: 'liaison_case',
        entityId: id,
        details: { laborer: laborerId, kind: input.kind, reportedOn, employment: String(worker.employment_id) },
      });
      return presentCase((await repo.findCase(tx, id, UNSCOPED))!);
    },

    /** PATCH /liaison/cases/:id: correct an open case, or close it (办结) with the help given. */
    async updateCase(tx: Tx, actor: Actor, id: string, input: UpdateCaseInput): Promise<LiaisonCase> {
      const row = await repo.findCase(tx, id, caseScope(actor), true);
      if (!row)
        throw new AppError('NOT_FOUND').audited(auditCtx(actor), {
          action: 'liaison.case.update',
          entity: 'liaison_case',
          entityId: id,
          result: 'denied',
        });
      if (row.status === 'closed') throw new AppError('LIAISON_CASE_CLOSED', undefined, { closedOn: row.closed_on });
      if (input.closedOn !== undefined && input.status !== 'closed') {
        const message = '只有办结时填写办结日期';
        throw new AppError('VALIDATION_FAILED', message, [{ field: 'body.closedOn', message }]);
      }
      const next = {
        kind: input.kind ?? row.kind,
        description: input.description?.trim() ?? row.description,
        helpGiven: input.helpGiven?.trim() ?? row.help_given,
        status: row.status,
        closedOn: null as string | null,
      };
      if (input.status === 'closed') {
        if (!next.helpGiven)
          throw new AppError('LIAISON_CASE_HELP_REQUIRED', undefined, [{ field: 'body.helpGiven', message: '办结时须填写为其提供的帮助' }]);
        const today = chinaToday();
        const closedOn = input.closedOn ?? today;
        if (closedOn > today) throw dateError('closedOn', '办结日期不能晚于今天');
        if (closedOn < row.reported_on) throw dateError('closedOn', `办结日期不能早于反映日期（${row.reported_on}）`);
        Object.assign(next, { status: 'closed', closedOn });
      }
      await repo.updateCase(tx, id, actor.id, next);
      const changed = (['kind', 'description', 'helpGiven'] as const).filter((k) => input[k] !== undefined);
      await audit.record(tx, auditCtx(actor), {
        action: input.status === 'closed' ? 'liaison.case.close' : 'liaison.case.update',
        entity: 'liaison_case',
        entityId: id,
        details: { laborer: String(row.laborer_id), changed, ...(input.status === 'closed' ? { closedOn: next.closedOn } : {}) },
      });
      return presentCase((await repo.findCase(tx, id, UNSCOPED))!);
    },

    /** GET /liaison/cases: the office's cases, or (an admin) the cases of the laborers of its region. */
    async listCases(tx: Tx, actor: Actor, query: CaseListQueryInput): Promise<LiaisonCaseList> {
      const { rows, total } = await repo.listCases(tx, caseScope(actor), {
        status: query.status,
        kind: query.kind,
        laborer: query.laborer,
        ...page(query),
      });
      await audit.record(tx, auditCtx(actor), {
        action: 'liaison.case.list',
        entity: 'liaison_case',
        details: {
          filter: { status: query.status ?? null, kind: query.kind ?? null, laborer: query.laborer ?? null },
          shown: rows.length,
          total,
        },
      });
      return { items: rows.map(presentCase), total };
    },

    /** GET /liaison/postings: the postings the office published in its host city (not personal data: not audited). */
    async listPostings(tx: Tx, actor: Actor, query: { page?: number; pageSize?: number }): Promise<OfficePostingList> {
      const { rows, total } = await repo.listOfficePostings(tx, officeOf(actor), page(query));
      const today = chinaToday();
      return { items: rows.map((r) => presentPosting(r, today)), total };
    },
  };
}

export type LiaisonService = ReturnType<typeof createLiaisonService>;
