import type {
  AttendanceInput,
  CertificateInput,
  CreateTrainingClassInput,
  EnrolInput,
  FinishResult,
  Roster,
  Trainee,
  TrainingClass,
  TrainingClassList,
  TrainingClassListQueryInput,
} from '../../../../contracts/training.ts';
import { CERTIFICATE_KIND, TRAINING_ATTENDANCE_SHARE } from '../../../../contracts/training.ts';
import { occupationByCode } from '../../../../contracts/occupations.ts';
import type { Tx } from '../../db/database.ts';
import { regionContains, UNSCOPED } from '../../platform/access.ts';
import type { Actor, AuditContext } from '../../platform/actor.ts';
import type { AuditLog } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { chinaToday } from '../../platform/time.ts';
import { insertClassTraining, setClassTrainingCertificate } from '../service-records/index.ts';
import { classSubsidyTotals, classTrainingSubsidies, draftClassTrainingSubsidies } from '../subsidies/index.ts';
import * as repo from './training.repo.ts';
import { TRAINING_ORGANISERS } from '../../../../contracts/roles.ts';
export { TRAINING_ORGANISERS };

/**
 * 职业培训班: the county bureau or a township's service station organises a class of an institution
 * for its region, keeps its roster (花名册) and the hours each person attended, and finishes it
 * (结业). Finishing writes each finished person's training service record and drafts their training
 * subsidy (职业培训补贴) — through the service-records' and subsidies' modules, once per person and
 * class, held by the database — and certificates are then recorded for those who finished.
 */

const auditCtx = (actor: Actor): AuditContext => ({ actor, ip: actor.ip });

/** The hours a person must attend: the attendance rule on the class's hours (to the tenth of an hour, as hours are kept). */
export const requiredHours = (hours: number): number => Math.round(hours * TRAINING_ATTENDANCE_SHARE * 100) / 100;

type LedgerTotals = Map<string, { count: number; amount: number }>;

function presentClass(c: repo.ClassRecord, ledger: LedgerTotals): TrainingClass {
  const inLedger = ledger.get(c.id);
  return {
    id: c.id,
    region: { code: c.regionCode, name: c.regionName },
    institution: c.institution,
    course: c.course,
    occupation: { code: c.occupationCode, name: occupationByCode(c.occupationCode)?.name ?? c.occupationCode },
    hours: c.hours,
    startsOn: c.startsOn,
    endsOn: c.endsOn,
    subsidyPerPerson: c.subsidyPerPerson,
    status: c.status,
    enrolled: c.enrolled,
    completed: c.completed,
    notCompleted: c.notCompleted,
    certified: c.certified,
    subsidyPersons: inLedger?.count ?? 0,
    subsidyTotal: inLedger?.amount ?? 0,
    finishedAt: c.finishedAt?.toISOString() ?? null,
    finishedBy: c.finishedBy,
    createdBy: c.createdBy,
    createdAt: c.createdAt.toISOString(),
  };
}

export function createTrainingService({ audit }: { audit: AuditLog }) {
  /** The class as this actor may work it, locked; otherwise a 404 whose refusal is audited. */
  async function classFor(tx: Tx, actor: Actor, id: string, action: string): Promise<repo.ClassRecord> {
    const found = await repo.findClass(tx, id, repo.classesInScope(actor), true);
    if (!found)
      throw new AppError('NOT_FOUND').audited(auditCtx(actor), { action, entity: 'training_class', entityId: id, result: 'denied' });
    return found;
  }

  async function present(tx: Tx, classes: repo.ClassRecord[]): Promise<TrainingClass[]> {
    const ledger = await classSubsidyTotals(
      tx,
      classes.map((c) => c.id),
    );
    return classes.map((c) => presentClass(c, ledger));
  }

  /** The roster as the organiser reads it: identifiers masked; each person's subsidy as the ledger holds it. */
  async function roster(tx: Tx, id: string): Promise<Roster> {
    const found = (await repo.findClass(tx, id, UNSCOPED))!;
    const [[trainingClass], rows, subsidies] = await Promise.all([
      present(tx, [found]),
      repo.rosterOf(tx, id),
      classTrainingSubsidies(tx, id),
    ]);
    const required = requiredHours(found.hours);
    const trainees: Trainee[] = rows.map((r) => ({
      laborerId: r.laborer_id,
      name: r.name,
      idNumberMasked: r.id_masked,
      phoneMasked: r.phone_masked,
      villageCode: r.home_village_code,
      villageName: r.village_name,
      hoursAttended: Number(r.hours_attended),
      meetsAttendance: Number(r.hours_attended) >= required,
      result: r.result,
      certificateKind: r.certificate_kind,
      certificateNo: r.certificate_no,
      subsidy: subsidies.get(r.laborer_id) ?? null,
    }));
    return { trainingClass: trainingClass!, trainees, requiredHours: required };
  }

  /** The ids of the request not on the roster: one refusal, audited. */
  async function assertOnRoster(tx: Tx, actor: Actor, id: string, ids: string[], action: string): Promise<void> {
    const on = new Set(await repo.onRoster(tx, id, ids));
    const absent = ids.filter((l) => !on.has(l));
    if (absent.length)
      throw new AppError('TRAINING_NOT_ON_ROSTER', undefined, { laborerIds: absent }).audited(auditCtx(actor), {
        action,
        entity: 'training_class',
        entityId: id,
        result: 'denied',
        details: { laborerIds: absent },
      });
  }

  return {
    async create(tx: Tx, actor: Actor, input: CreateTrainingClassInput): Promise<TrainingClass> {
      const region = input.regionCode ?? actor.regionCode;
      if (region.length > 9 || !regionContains(actor.regionCode, region)) throw new AppError('TRAINING_REGION_INVALID');
      if (!(await repo.regionName(tx, region))) throw new AppError('REGION_NOT_FOUND');
      if (!occupationByCode(input.occupationCode)) throw new AppError('TRAINING_OCCUPATION_UNKNOWN');
      if (input.endsOn < input.startsOn) throw new AppError('TRAINING_PERIOD');
      const institution = input.institution.trim();
      const course = input.course.trim();
      if (!institution || !course)
        throw new AppError('VALIDATION_FAILED', '培训机构和培训项目不能为空', [
          { field: institution ? 'body.course' : 'body.institution', message: '不能为空' },
        ]);
      const id = await repo.insertClass(tx, {
        regionCode: region,
        institution,
        course,
        occupationCode: input.occupationCode,
        hours: input.hours,
        startsOn: input.startsOn,
        endsOn: input.endsOn,
        subsidyPerPerson: input.subsidyPerPerson ?? 0,
        by: actor.id,
      });
      await audit.record(tx, auditCtx(actor), {
        action: 'training_class.create',
        entity: 'training_class',
        entityId: id,
        details: {
          region,
          institution,
          course,
          occupation: input.occupationCode,
          hours: input.hours,
          startsOn: input.startsOn,
          endsOn: input.endsOn,
          subsidyPerPerson: input.subsidyPerPerson ?? 0,
        },
      });
      return (await present(tx, [(await repo.findClass(tx, id, UNSCOPED))!]))[0]!;
    },

    async list(tx: Tx, actor: Actor, query: TrainingClassListQueryInput): Promise<TrainingClassList> {
      if (query.region && !regionContains(actor.regionCode, query.region)) throw new AppError('REGION_OUT_OF_SCOPE');
      const pageSize = query.pageSize ?? 20;
      const { rows, total } = await repo.listClasses(tx, {
        scope: repo.classesInScope(actor),
        region: query.region,
        status: query.status,
        limit: pageSize,
        offset: ((query.page ?? 1) - 1) * pageSize,
      });
      return { items: await present(tx, rows), total };
    },

    async get(tx: Tx, actor: Actor, id: string): Promise<TrainingClass> {
      const found = await repo.findClass(tx, id, repo.classesInScope(actor));
      if (!found) throw new AppError('NOT_FOUND');
      return (await present(tx, [found]))[0]!;
    },

    /** The roster names people: every view is audited. */
    async roster(tx: Tx, actor: Actor, id: string): Promise<Roster> {
      await classFor(tx, actor, id, 'training_class.roster');
      const answer = await roster(tx, id);
      await audit.record(tx, auditCtx(actor), {
        action: 'training_class.roster',
        entity: 'training_class',
        entityId: id,
        details: { shown: answer.trainees.length },
      });
      return answer;
    },

    /** 报名: laborers of the class's region (so of the caller's), each once, while the class is open. */
    async enrol(tx: Tx, actor: Actor, id: string, input: EnrolInput): Promise<Roster> {
      const found = await classFor(tx, actor, id, 'training_class.enrol');
      if (found.status !== 'open') throw new AppError('TRAINING_CLASS_FINISHED');
      const eligible = await repo.enrollable(tx, input.laborerIds, found.regionCode);
      const unknown = input.laborerIds.filter((l) => !eligible.has(l));
      if (unknown.length) {
        throw new AppError('NOT_FOUND', '劳动力不存在，或不在本培训班组织地区（您的辖区）内', { laborerIds: unknown }).audited(
          auditCtx(actor),
          {
            action: 'training_class.enrol',
            entity: 'training_class',
            entityId: id,
            result: 'denied',
            details: { laborerIds: unknown },
          },
        );
      }
      const already = await repo.onRoster(tx, id, input.laborerIds);
      if (already.length) throw new AppError('TRAINING_ALREADY_ENROLLED', undefined, { laborerIds: already });
      await repo.enrol(tx, id, input.laborerIds, actor.id);
      await audit.record(tx, auditCtx(actor), {
        action: 'training_class.enrol',
        entity: 'training_class',
        entityId: id,
        details: { laborerIds: input.laborerIds },
      });
      return roster(tx, id);
    },

    /** 出勤: the hours each person attended in all, recorded by the organiser while the class is open. */
    async attendance(tx: Tx, actor: Actor, id: string, input: AttendanceInput): Promise<Roster> {
      const found = await classFor(tx, actor, id, 'training_class.attendance');
      if (found.status !== 'open') throw new AppError('TRAINING_CLASS_FINISHED');
      const ids = input.entries.map((e) => e.laborerId);
      if (new Set(ids).size !== ids.length)
        throw new AppError('VALIDATION_FAILED', '同一人员只能登记一次课时', [
          { field: 'body.entries', message: '同一人员只能登记一次课时' },
        ]);
      const over = input.entries.filter((e) => e.hours > found.hours);
      if (over.length)
        throw new AppError('TRAINING_HOURS_OVER', `出勤课时不能超过培训班的总课时（${found.hours} 课时）`, {
          laborerIds: over.map((e) => e.laborerId),
        });
      await assertOnRoster(tx, actor, id, ids, 'training_class.attendance');
      await repo.setHours(tx, id, input.entries);
      await audit.record(tx, auditCtx(actor), {
        action: 'training_class.attendance',
        entity: 'training_class',
        entityId: id,
        details: { entries: input.entries },
      });
      return roster(tx, id);
    },

    /**
     * 结业. The first time, each person on the roster is judged against the attendance rule and the
     * class is closed; every time, those who finished get their training service record and their
     * training subsidy — the database keeps both to one per person and class, so finishing again
     * (or two organisers at once) writes nothing twice.
     */
    async finish(tx: Tx, actor: Actor, id: string): Promise<FinishResult> {
      const found = await classFor(tx, actor, id, 'training_class.finish');
      if (found.endsOn > chinaToday()) throw new AppError('TRAINING_NOT_ENDED', `培训班 ${found.endsOn} 结束，之后才能结业`);
      const required = requiredHours(found.hours);
      const again = found.status === 'finished';
      await repo.finish(tx, id, required, actor.id);
      const rows = await repo.rosterOf(tx, id);
      const finished = rows.filter((r) => r.result === 'completed');
      const occupation = occupationByCode(found.occupationCode)?.name ?? found.occupationCode;
      const recordsCreated = await insertClassTraining(tx, {
        classId: id,
        servedOn: found.endsOn,
        provider: found.institution,
        course: found.course,
        content: `职业培训班结业（${occupation}，${found.startsOn} 至 ${found.endsOn}，共 ${found.hours} 课时）`,
        by: actor.id,
        people: finished.map((r) => ({
          laborerId: r.laborer_id,
          hours: Number(r.hours_attended),
          certificate: r.certificate_no ? `${CERTIFICATE_KIND.labels[r.certificate_kind!]} ${r.certificate_no}` : null,
        })),
      });
      const drafted = await draftClassTrainingSubsidies(tx, {
        classId: id,
        from: found.startsOn,
        to: found.endsOn,
        amount: found.subsidyPerPerson,
        laborerIds: finished.map((r) => r.laborer_id),
        note: `职业培训班（${found.course}，${found.institution}，${found.startsOn} 至 ${found.endsOn}）结业培训补贴`,
        by: actor.id,
      });
      const subsidiesSkipped = found.subsidyPerPerson > 0 ? finished.length - drafted.created : 0;
      await audit.record(tx, auditCtx(actor), {
        action: 'training_class.finish',
        entity: 'training_class',
        entityId: id,
        details: {
          again,
          requiredHours: required,
          completed: finished.length,
          notCompleted: rows.length - finished.length,
          serviceRecords: recordsCreated,
          created: drafted.created,
          skipped: subsidiesSkipped,
          amount: drafted.amount,
        },
      });
      return {
        completed: finished.length,
        notCompleted: rows.length - finished.length,
        recordsCreated,
        subsidiesCreated: drafted.created,
        subsidiesSkipped,
        amount: drafted.amount,
        roster: await roster(tx, id),
      };
    },

    /** 证书: for a person who finished, after the class finished; also written on their training record of the class. */
    async certificate(tx: Tx, actor: Actor, id: string, input: CertificateInput): Promise<Roster> {
      const found = await classFor(tx, actor, id, 'training_class.certificate');
      if (found.status !== 'finished') throw new AppError('TRAINING_CLASS_NOT_FINISHED');
      await assertOnRoster(tx, actor, id, [input.laborerId], 'training_class.certificate');
      const trainee = (await repo.rosterOf(tx, id)).find((r) => r.laborer_id === input.laborerId)!;
      if (trainee.result !== 'completed') throw new AppError('TRAINING_NOT_COMPLETED');
      const number = input.number.trim();
      const holder = await repo.certificateHolder(tx, input.kind, number);
      if (holder && !(holder.class_id === id && holder.laborer_id === input.laborerId)) throw new AppError('TRAINING_CERTIFICATE_TAKEN');
      await repo.setCertificate(tx, id, input.laborerId, input.kind, number);
      await setClassTrainingCertificate(tx, id, input.laborerId, `${CERTIFICATE_KIND.labels[input.kind]} ${number}`);
      await audit.record(tx, auditCtx(actor), {
        action: 'training_class.certificate',
        entity: 'training_class',
        entityId: id,
        details: { laborer: input.laborerId, kind: input.kind, number, before: trainee.certificate_no },
      });
      return roster(tx, id);
    },
  };
}

export type TrainingService = ReturnType<typeof createTrainingService>;
