import type {
  CreateEnrolmentInput,
  Enrolment,
  EnrolmentList,
  EnrolmentListQueryInput,
  FinishEnrolmentInput,
} from '../../../../contracts/schooling.ts';
import type { Tx } from '../../db/database.ts';
import { assertRegionInScope, regionContains } from '../../platform/access.ts';
import type { Actor, AuditContext } from '../../platform/actor.ts';
import type { AuditLog } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { chinaToday } from '../../platform/time.ts';
import { jobsStartedFrom } from '../employment/index.ts';
import { regionRefs } from '../regions/index.ts';
import * as repo from './schooling.repo.ts';

const auditCtx = (actor: Actor): AuditContext => ({ actor, ip: actor.ip });
const fieldError = (field: string, message: string) => new AppError('VALIDATION_FAILED', message, [{ field: `body.${field}`, message }]);

/** Each enrolment with the first job its laborer started on or after finishing (none before finishing). */
async function withJobs(tx: Tx, rows: repo.EnrolmentRow[]): Promise<Enrolment[]> {
  const finished = rows.filter((r) => r.finished_on !== null);
  const earliest = finished.map((r) => r.finished_on!).sort()[0];
  const jobs = earliest ? await jobsStartedFrom(tx, [...new Set(finished.map((r) => r.laborer_id))], earliest) : [];
  return rows.map((r) => {
    const job = r.finished_on ? jobs.find((j) => j.laborerId === r.laborer_id && j.startedOn >= r.finished_on!) : undefined;
    return {
      id: r.id,
      laborer: { id: r.laborer_id, name: r.name, idNumberMasked: r.id_masked, villageCode: r.region_code, villageName: r.village_name },
      schoolName: r.school_name,
      schoolKind: r.school_kind,
      schoolRegion: { code: r.school_region_code, name: r.school_region_name },
      programme: r.programme,
      startedOn: r.started_on,
      finishedOn: r.finished_on,
      note: r.note,
      job: job ? { employer: job.employer, startedOn: job.startedOn, endedOn: job.endedOn } : null,
    };
  });
}

/**
 * 两后生 school enrolments (issue 20 item 4): written and read by the staff of the laborer's home
 * region (the card's scope); every write and every list on record in the same transaction.
 */
export function createSchoolingService({ audit }: { audit: AuditLog }) {
  async function checkDays(startedOn: string, finishedOn: string | null | undefined) {
    const today = chinaToday();
    if (startedOn > today) throw new AppError('ENROLMENT_DATES', '入学日期不能晚于今天');
    if (finishedOn && finishedOn < startedOn) throw new AppError('ENROLMENT_DATES');
    if (finishedOn && finishedOn > today) throw new AppError('ENROLMENT_DATES', '毕业（结业）日期不能晚于今天');
  }

  return {
    /** POST /school-enrolments: a laborer of the caller's region enrolled in a school. */
    async create(tx: Tx, actor: Actor, input: CreateEnrolmentInput): Promise<Enrolment> {
      await checkDays(input.startedOn, input.finishedOn);
      const laborer = await repo.findLaborer(tx, input.laborerId);
      if (!laborer || laborer.deleted || !regionContains(actor.regionCode, laborer.homeVillageCode))
        throw new AppError('NOT_FOUND', '劳动力不存在或无权限').audited(auditCtx(actor), {
          action: 'school_enrolment.create',
          entity: 'laborer',
          entityId: input.laborerId,
          result: 'denied',
        });
      if (!(await regionRefs(tx, [input.schoolRegionCode])).has(input.schoolRegionCode))
        throw fieldError('schoolRegionCode', `行政区划 ${input.schoolRegionCode} 不存在`);
      const id = await repo.insert(tx, {
        laborerId: laborer.id,
        regionCode: laborer.homeVillageCode,
        schoolName: input.schoolName.trim(),
        schoolKind: input.schoolKind,
        schoolRegionCode: input.schoolRegionCode,
        programme: input.programme.trim(),
        startedOn: input.startedOn,
        finishedOn: input.finishedOn ?? null,
        note: input.note?.trim() || null,
        by: actor.id,
      });
      if (!id) throw new AppError('ENROLMENT_DUPLICATE');
      await audit.record(tx, auditCtx(actor), {
        action: 'school_enrolment.create',
        entity: 'school_enrolment',
        entityId: id,
        details: { laborer: laborer.id, school: input.schoolName.trim(), programme: input.programme.trim(), startedOn: input.startedOn },
      });
      return (await withJobs(tx, [(await repo.find(tx, id, actor.regionCode))!]))[0]!;
    },

    /** POST /school-enrolments/:id/finish: the day the laborer finished school. */
    async finish(tx: Tx, actor: Actor, id: string, input: FinishEnrolmentInput): Promise<Enrolment> {
      const row = await repo.find(tx, id, actor.regionCode, true);
      if (!row)
        throw new AppError('NOT_FOUND').audited(auditCtx(actor), {
          action: 'school_enrolment.finish',
          entity: 'school_enrolment',
          entityId: id,
          result: 'denied',
        });
      await checkDays(row.started_on, input.finishedOn);
      await repo.finish(tx, id, input.finishedOn);
      await audit.record(tx, auditCtx(actor), {
        action: 'school_enrolment.finish',
        entity: 'school_enrolment',
        entityId: id,
        details: { laborer: row.laborer_id, before: row.finished_on, finishedOn: input.finishedOn },
      });
      return (await withJobs(tx, [(await repo.find(tx, id, actor.regionCode))!]))[0]!;
    },

    /** GET /school-enrolments: the region's enrolments (names, masked ID numbers): a search over personal data, on record. */
    async list(tx: Tx, actor: Actor, query: EnrolmentListQueryInput): Promise<EnrolmentList> {
      const region = query.region ?? actor.regionCode;
      assertRegionInScope(actor, region);
      const pageSize = query.pageSize ?? 20;
      const { rows, total } = await repo.list(tx, {
        region,
        from: query.from,
        to: query.to,
        laborer: query.laborer,
        limit: pageSize,
        offset: ((query.page ?? 1) - 1) * pageSize,
      });
      await audit.record(tx, auditCtx(actor), {
        action: 'school_enrolment.list',
        entity: 'school_enrolment',
        details: { region, filter: { from: query.from, to: query.to, laborer: query.laborer }, shown: rows.length },
      });
      return { items: await withJobs(tx, rows), total };
    },
  };
}

export type SchoolingService = ReturnType<typeof createSchoolingService>;
