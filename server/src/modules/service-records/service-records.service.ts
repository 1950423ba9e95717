import type {
  CreateServiceRecordInput,
  PersonTimes,
  PersonTimesQueryInput,
  ServiceRecord,
  ServiceRecordList,
  ServiceRecordListQueryInput,
} from '../../../../contracts/service-records.ts';
import type { Tx } from '../../db/database.ts';
import { assertRegionInScope, regionContains } from '../../platform/access.ts';
import type { Actor, AuditContext } from '../../platform/actor.ts';
import type { AuditLog } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { chinaToday, yearStart } from '../../platform/time.ts';
import * as repo from './service-records.repo.ts';
import { SERVICE_STAFF } from '../../../../contracts/roles.ts';
export { SERVICE_STAFF };

const auditCtx = (actor: Actor): AuditContext => ({ actor, ip: actor.ip });

export function presentRecord(r: repo.RecordRow): ServiceRecord {
  return {
    id: r.id,
    laborer: {
      id: r.laborer_id,
      name: r.laborer_name,
      idNumberMasked: r.id_masked,
      villageCode: r.village_code,
      villageName: r.village_name,
    },
    kind: r.kind,
    servedOn: r.served_on,
    provider: r.provider,
    content: r.content,
    posting: r.posting_id ? { id: r.posting_id, title: r.posting_title ?? '' } : null,
    course: r.course,
    hours: r.hours === null ? null : Number(r.hours),
    certificate: r.certificate,
    recordedBy: r.recorded_by,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

/** 1 January of the year of `to` (the statistics count "from 1 January up to a date"). */
export const periodOf = (from: string | undefined, to: string | undefined): { from: string; to: string } => {
  const end = to ?? chinaToday();
  return { from: from ?? yearStart(end), to: end };
};

/**
 * The list's filters checked, for the list and its export alike: the region the caller's, the
 * period the right way round, the laborer one of the caller's (404 otherwise, the refusal audited
 * as `action`). Returns the region the list reads.
 */
export async function checkListQuery(
  tx: Tx,
  actor: Actor,
  query: Pick<ServiceRecordListQueryInput, 'region' | 'laborer' | 'from' | 'to'>,
  action: 'service_record.list' | 'service_record.export',
): Promise<string> {
  const region = query.region ?? actor.regionCode;
  assertRegionInScope(actor, region);
  if (query.from && query.to && query.to < query.from) throw new AppError('PERIOD_UPSIDE_DOWN');
  if (query.laborer) {
    const laborer = await repo.findLaborer(tx, query.laborer);
    if (!laborer || !regionContains(actor.regionCode, laborer.home_village_code)) {
      throw new AppError('NOT_FOUND').audited(auditCtx(actor), { action, entity: 'laborer', entityId: query.laborer, result: 'denied' });
    }
  }
  return region;
}

export function createServiceRecordsService({ audit }: { audit: AuditLog }) {
  return {
    /** POST /service-records: one service given to a laborer of the caller's region, dated, by the caller. */
    async create(tx: Tx, actor: Actor, input: CreateServiceRecordInput): Promise<ServiceRecord> {
      const laborer = await repo.findLaborer(tx, input.laborerId);
      if (!laborer || laborer.deleted || !regionContains(actor.regionCode, laborer.home_village_code)) {
        throw new AppError('NOT_FOUND').audited(auditCtx(actor), {
          action: 'service_record.create',
          entity: 'laborer',
          entityId: input.laborerId,
          result: 'denied',
        });
      }
      if (input.servedOn > chinaToday()) throw new AppError('SERVICE_DATE_FUTURE');
      const training = input.kind === 'training';
      if (training && (!input.course || input.hours === undefined)) throw new AppError('SERVICE_TRAINING_FIELDS');
      if (!training && (input.course || input.hours !== undefined || input.certificate)) {
        throw new AppError('SERVICE_TRAINING_FIELDS', '培训项目、课时和证书只用于职业培训');
      }
      let postingId: string | null = null;
      if (input.postingId) {
        if (input.kind !== 'introduction') throw new AppError('SERVICE_POSTING_ONLY_INTRODUCTION');
        const posting = await repo.findPosting(tx, input.postingId);
        if (!posting) throw new AppError('VALIDATION_FAILED', '岗位不存在', [{ field: 'body.postingId', message: '岗位不存在' }]);
        postingId = posting.id;
      }
      const id = await repo.insertRecord(tx, {
        laborerId: laborer.id,
        regionCode: laborer.home_village_code,
        kind: input.kind,
        servedOn: input.servedOn,
        provider: input.provider?.trim() ?? null,
        content: input.content?.trim() ?? null,
        postingId,
        course: input.course?.trim() ?? null,
        hours: input.hours ?? null,
        certificate: input.certificate?.trim() ?? null,
        by: actor.id,
      });
      await audit.record(tx, auditCtx(actor), {
        action: 'service_record.create',
        entity: 'service_record',
        entityId: id,
        details: { laborer: laborer.id, kind: input.kind, servedOn: input.servedOn },
      });
      return presentRecord((await repo.findRecord(tx, id))!);
    },

    /** GET /service-records: the services of the region's laborers (or of one laborer), newest first; the view is audited. */
    async list(tx: Tx, actor: Actor, query: ServiceRecordListQueryInput): Promise<ServiceRecordList> {
      const region = await checkListQuery(tx, actor, query, 'service_record.list');
      const pageSize = query.pageSize ?? 20;
      const { rows, total } = await repo.listRecords(tx, {
        region,
        laborerId: query.laborer,
        kind: query.kind,
        from: query.from,
        to: query.to,
        limit: pageSize,
        offset: ((query.page ?? 1) - 1) * pageSize,
      });
      await audit.record(tx, auditCtx(actor), {
        action: 'service_record.list',
        entity: 'service_record',
        entityId: query.laborer,
        details: { region, kind: query.kind, from: query.from, to: query.to, rows: rows.length, total },
      });
      return { items: rows.map(presentRecord), total };
    },

    /** GET /service-records/person-times: person-times per kind (and persons), by month and by child region. */
    async personTimes(tx: Tx, actor: Actor, query: PersonTimesQueryInput): Promise<PersonTimes> {
      const region = query.region ?? actor.regionCode;
      assertRegionInScope(actor, region);
      const { from, to } = periodOf(query.from, query.to);
      if (to < from) throw new AppError('PERIOD_UPSIDE_DOWN');
      const [name, totals, persons, months, children] = await Promise.all([
        repo.regionName(tx, region),
        repo.personTimes(tx, region, from, to),
        repo.personsServed(tx, region, from, to),
        repo.personTimesByMonth(tx, region, from, to),
        repo.personTimesByChild(tx, region, from, to),
      ]);
      if (!name) throw new AppError('REGION_NOT_FOUND');
      return { region: { code: region, name }, from, to, totals, persons, months, children };
    },
  };
}

export type ServiceRecordsService = ReturnType<typeof createServiceRecordsService>;
