import { occupationByCode } from '../../../../contracts/occupations.ts';
import type {
  CreatePostingInput,
  Posting,
  PostingListQueryInput,
  PostingState,
  UpdatePostingInput,
} from '../../../../contracts/postings.ts';
import type { DbOrTx } from '../../db/database.ts';
import type { Actor, AuditContext } from '../../platform/actor.ts';
import { regionContains } from '../../platform/access.ts';
import type { AuditLog } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { EMPLOYER_READERS, employerRefs, findEmployer, ownEmployerId } from '../employers/index.ts';
import type { EmployerRecord } from '../employers/index.ts';
import { isAbroad, regionRefs } from '../regions/index.ts';
import { chinaToday } from '../../platform/time.ts';
import * as repo from './postings.repo.ts';
import type { PostingColumns, PostingRecord } from './postings.repo.ts';
import { POSTING_WRITERS } from '../../../../contracts/roles.ts';
import { ABROAD_AGE } from '../../../../contracts/postings.ts';
export { POSTING_WRITERS };

/** Open postings per employer on a day, for the employers' list (handed to it by app.ts). */
export { openPostingCounts } from './postings.repo.ts';

/**
 * Job postings (岗位). Every staff role reads them anywhere (postings are not personal data, and an
 * output county must see the jobs in 深圳 for its laborers); an employer account reads its own.
 *
 * Writers: admins and township operators whose scope holds the employer's region or the place of
 * work; the employer account for its own employer; liaison offices (驻外劳务对接服务中心) for the
 * postings they gather in their host city (the place of work inside account.host_region_code).
 */
export const POSTING_READERS = EMPLOYER_READERS;

const auditCtx = (actor: Actor): AuditContext => ({ actor, ip: actor.ip });
const fieldError = (field: string, message: string) => new AppError('VALIDATION_FAILED', message, [{ field: `body.${field}`, message }]);
const coded = (code: ConstructorParameters<typeof AppError>[0], field: string, message?: string) => {
  const error = new AppError(code, message);
  return new AppError(code, message, [{ field: `body.${field}`, message: error.message }]);
};

/** What a posting is on a date: open, or why it is not in the job supply list. */
export function postingState(
  p: Pick<PostingRecord, 'status' | 'validFrom' | 'validTo' | 'filled' | 'headcount'>,
  today: string,
): PostingState {
  if (p.status === 'closed') return 'closed';
  if (p.validFrom > today) return 'not_started';
  if (p.validTo < today) return 'expired';
  if (p.filled >= p.headcount) return 'full';
  return 'open';
}

/** Whether this actor may write postings of this employer at this place of work. */
export function mayWritePosting(
  actor: Actor,
  employer: Pick<EmployerRecord, 'id' | 'regionCode'>,
  workRegionCode: string,
  ownId: string | null,
): boolean {
  switch (actor.role) {
    case 'admin':
    case 'township_operator':
      return regionContains(actor.regionCode, employer.regionCode) || regionContains(actor.regionCode, workRegionCode);
    case 'employer':
      return ownId !== null && ownId === employer.id;
    case 'liaison_office':
      return actor.hostRegionCode !== null && regionContains(actor.hostRegionCode, workRegionCode);
    default:
      return false;
  }
}

const cleanList = (list: string[] | undefined) =>
  list === undefined ? undefined : [...new Set(list.map((s) => s.trim()).filter(Boolean))];
const cleanText = (v: string | null | undefined) => (v === undefined ? undefined : v === null || v.trim() === '' ? null : v.trim());

export function createPostingsService({ audit }: { audit: AuditLog }) {
  async function present(db: DbOrTx, actor: Actor, rows: PostingRecord[], ownId: string | null): Promise<Posting[]> {
    const today = chinaToday();
    const employers = await employerRefs(
      db,
      rows.map((r) => r.employerId),
    );
    const regions = await regionRefs(db, [...rows.map((r) => r.workRegionCode), ...[...employers.values()].map((e) => e.regionCode)]);
    const regionName = (code: string) => {
      const r = regions.get(code);
      return { code, name: r?.name ?? code, fullName: r?.fullName ?? code };
    };
    return rows.map((p) => {
      const employer = employers.get(p.employerId)!;
      return {
        id: p.id,
        title: p.title,
        employer: { id: employer.id, name: employer.name, kind: employer.kind, region: regionName(employer.regionCode) },
        occupation: { code: p.occupationCode, label: occupationByCode(p.occupationCode)?.name ?? p.occupationCode },
        workRegion: regionName(p.workRegionCode),
        headcount: p.headcount,
        filled: p.filled,
        openings: Math.max(0, p.headcount - p.filled),
        wageMin: p.wageMin,
        wageMax: p.wageMax,
        food: p.food,
        housing: p.housing,
        ageMin: p.ageMin,
        ageMax: p.ageMax,
        minEducation: p.minEducation,
        skills: p.skills,
        certificates: p.certificates,
        reservedForPoor: p.reservedForPoor,
        validFrom: p.validFrom,
        validTo: p.validTo,
        status: p.status,
        state: postingState(p, today),
        description: p.description,
        editable: mayWritePosting(actor, employer, p.workRegionCode, ownId),
        createdAt: p.createdAt.toISOString(),
        updatedAt: p.updatedAt.toISOString(),
      };
    });
  }

  /** A posting this actor may read, or 404 "不存在或无权限" (an employer account reads only its own). */
  async function loadVisible(db: DbOrTx, actor: Actor, id: string, ownId: string | null, forUpdate = false) {
    const posting = await repo.findById(db, id, forUpdate);
    if (!posting || (actor.role === 'employer' && posting.employerId !== ownId)) throw new AppError('NOT_FOUND');
    return posting;
  }

  /**
   * A posting this actor may change, with its employer. Writers outside it get the same 404 as for a
   * record they cannot see (README: refusals of records outside scope answer 404).
   */
  async function loadWritable(db: DbOrTx, actor: Actor, id: string, ownId: string | null) {
    const posting = await loadVisible(db, actor, id, ownId, true);
    const employer = (await findEmployer(db, posting.employerId))!;
    if (!mayWritePosting(actor, employer, posting.workRegionCode, ownId)) throw new AppError('NOT_FOUND');
    return { posting, employer };
  }

  /** The employer a new posting belongs to: the account's own, or the one named (which must exist). */
  async function resolveEmployer(db: DbOrTx, actor: Actor, employerId: string | undefined, ownId: string | null): Promise<EmployerRecord> {
    if (actor.role === 'employer') {
      if (!ownId) throw new AppError('EMPLOYER_NOT_LINKED');
      if (employerId !== undefined && employerId !== ownId) throw new AppError('FORBIDDEN', '只能为本单位发布岗位');
      return (await findEmployer(db, ownId))!;
    }
    if (employerId === undefined) throw fieldError('employerId', '请选择用人单位');
    const employer = await findEmployer(db, employerId);
    if (!employer) throw fieldError('employerId', '用人单位不存在');
    return employer;
  }

  /** The place of work: an existing region, a county or below (any county of China). */
  async function checkWorkRegion(db: DbOrTx, code: string) {
    const region = (await regionRefs(db, [code])).get(code);
    if (!region) throw fieldError('workRegionCode', `行政区划 ${code} 不存在`);
    if (code.length < 6) {
      if (isAbroad(code)) throw coded('POSTING_LOCATION_NOT_COUNTY', 'workRegionCode', '境外岗位请选择具体的国家或地区');
      throw new AppError(
        'POSTING_LOCATION_NOT_COUNTY',
        `工作地点须为县级或县级以下行政区划，${region.fullName}是${code.length === 2 ? '省' : '市'}级`,
        [{ field: 'body.workRegionCode', message: '须为县级或县级以下行政区划' }],
      );
    }
    return region;
  }

  function checkOccupation(code: string) {
    if (!occupationByCode(code)) {
      throw coded(
        'POSTING_OCCUPATION_UNKNOWN',
        'occupationCode',
        `工种代码 ${code} 不在《中华人民共和国职业分类大典》（2022 年版）代码表中`,
      );
    }
  }

  /**
   * A posting abroad (issue 20 item 10, docs/domain.md §12): only an employer holding an overseas
   * labour-cooperation licence (对外劳务合作经营资格证书) valid through the posting's last day posts
   * it, and its ages lie within 18–40, the age work abroad is open to.
   */
  function checkAbroad(employer: EmployerRecord, p: Pick<PostingColumns, 'workRegionCode' | 'validTo' | 'ageMin' | 'ageMax'>) {
    if (!isAbroad(p.workRegionCode)) return;
    if (!employer.overseasLicenseNo || !employer.overseasLicenseValidUntil)
      throw coded('POSTING_ABROAD_UNLICENSED', 'workRegionCode', `${employer.name}未登记对外劳务合作经营资格证书，不能发布境外岗位`);
    if (employer.overseasLicenseValidUntil < p.validTo)
      throw coded(
        'POSTING_ABROAD_UNLICENSED',
        'validTo',
        `${employer.name}的对外劳务合作经营资格证书有效期至 ${employer.overseasLicenseValidUntil}，早于岗位有效期截止日期 ${p.validTo}`,
      );
    if (p.ageMin < ABROAD_AGE.min || p.ageMax > ABROAD_AGE.max)
      throw coded(
        'POSTING_ABROAD_AGE',
        'ageMin',
        `境外岗位的年龄要求须在 ${ABROAD_AGE.min}–${ABROAD_AGE.max} 岁之间（现为 ${p.ageMin}–${p.ageMax} 岁）`,
      );
  }

  /** The rules between fields, on the posting as it would be saved. */
  function checkRanges(p: Pick<PostingColumns, 'headcount' | 'filled' | 'wageMin' | 'wageMax' | 'ageMin' | 'ageMax'>) {
    if (!Number.isInteger(p.headcount) || p.headcount < 1) throw coded('POSTING_HEADCOUNT', 'headcount');
    if (p.filled > p.headcount) throw coded('POSTING_FILLED', 'filled', `已招人数（${p.filled}）不能超过招聘人数（${p.headcount}）`);
    if (p.wageMin > p.wageMax) throw coded('POSTING_WAGE_RANGE', 'wageMin', `月薪下限（${p.wageMin} 元）不能高于上限（${p.wageMax} 元）`);
    if (p.ageMin > p.ageMax) throw coded('POSTING_AGE_RANGE', 'ageMin', `年龄下限（${p.ageMin} 岁）不能高于上限（${p.ageMax} 岁）`);
  }

  /**
   * The validity: a posting being published (created, given a new end date, or reopened) must not
   * have ended already (POSTING_EXPIRED, checked first: an end date before today is that, whatever
   * the start); and it must not end before it starts (POSTING_VALIDITY).
   */
  function checkValidity(p: Pick<PostingColumns, 'validFrom' | 'validTo'>, publishing: boolean) {
    if (publishing && p.validTo < chinaToday())
      throw coded('POSTING_EXPIRED', 'validTo', `有效期截止日期（${p.validTo}）已过，不能发布已过期的岗位`);
    if (p.validTo < p.validFrom)
      throw coded('POSTING_VALIDITY', 'validTo', `有效期截止日期（${p.validTo}）不能早于开始日期（${p.validFrom}）`);
  }

  function refuseScope(actor: Actor): never {
    if (actor.role === 'liaison_office') {
      throw new AppError('REGION_OUT_OF_SCOPE', '驻外劳务对接服务中心只能发布所在城市的岗位：工作地点不在本中心所在城市', [
        { field: 'body.workRegionCode', message: '工作地点须在本中心所在城市' },
      ]);
    }
    throw new AppError('REGION_OUT_OF_SCOPE', '用人单位所在地和工作地点都不在您的管辖范围内');
  }

  return {
    present,

    async list(tx: DbOrTx, actor: Actor, query: PostingListQueryInput): Promise<{ items: Posting[]; total: number }> {
      const ownId = await ownEmployerId(tx, actor);
      if (actor.role === 'employer' && !ownId) return { items: [], total: 0 };
      const pageSize = query.pageSize ?? 20;
      const result = await repo.list(tx, {
        onlyEmployerId: ownId ?? undefined,
        region: query.region,
        employerId: query.employerId,
        occupation: query.occupation,
        status: query.status,
        openOn: query.openOnly ? chinaToday() : undefined,
        reservedForPoor: query.reservedForPoor,
        wageAtLeast: query.wageAtLeast,
        q: query.q?.trim() || undefined,
        sort: query.sort ?? 'updatedAt',
        order: query.order ?? 'desc',
        offset: ((query.page ?? 1) - 1) * pageSize,
        limit: pageSize,
      });
      return { items: await present(tx, actor, result.rows, ownId), total: result.total };
    },

    async get(tx: DbOrTx, actor: Actor, id: string): Promise<Posting> {
      const ownId = await ownEmployerId(tx, actor);
      const posting = await loadVisible(tx, actor, id, ownId);
      return (await present(tx, actor, [posting], ownId))[0];
    },

    /** Publish a posting; an imported one keeps its source's reference (postings.import.ts). */
    async create(tx: DbOrTx, actor: Actor, input: CreatePostingInput, opts: { externalRef?: string | null } = {}): Promise<Posting> {
      const ownId = await ownEmployerId(tx, actor);
      const employer = await resolveEmployer(tx, actor, input.employerId, ownId);
      const today = chinaToday();
      const columns: PostingColumns = {
        employerId: employer.id,
        title: input.title.trim(),
        occupationCode: input.occupationCode,
        workRegionCode: input.workRegionCode,
        headcount: input.headcount,
        filled: 0,
        wageMin: input.wageMin,
        wageMax: input.wageMax,
        food: input.food ?? false,
        housing: input.housing ?? false,
        ageMin: input.ageMin ?? 16,
        ageMax: input.ageMax ?? 60,
        minEducation: input.minEducation ?? null,
        skills: cleanList(input.skills) ?? [],
        certificates: cleanList(input.certificates) ?? [],
        reservedForPoor: input.reservedForPoor ?? false,
        validFrom: input.validFrom ?? today,
        validTo: input.validTo,
        status: 'open',
        description: cleanText(input.description) ?? null,
      };
      checkRanges(columns);
      checkValidity(columns, true);
      checkOccupation(columns.occupationCode);
      await checkWorkRegion(tx, columns.workRegionCode);
      if (!mayWritePosting(actor, employer, columns.workRegionCode, ownId)) refuseScope(actor);
      checkAbroad(employer, columns);
      const id = await repo.insert(tx, columns, actor.id, opts.externalRef ?? null);
      await audit.record(tx, auditCtx(actor), {
        action: 'posting.create',
        entity: 'posting',
        entityId: id,
        details: {
          employer: employer.id,
          title: columns.title,
          occupation: columns.occupationCode,
          workRegion: columns.workRegionCode,
          headcount: columns.headcount,
          ...(opts.externalRef ? { externalRef: opts.externalRef } : {}),
        },
      });
      return (await present(tx, actor, [(await repo.findById(tx, id))!], ownId))[0];
    },

    async update(tx: DbOrTx, actor: Actor, id: string, input: UpdatePostingInput): Promise<Posting> {
      const ownId = await ownEmployerId(tx, actor);
      const { posting, employer } = await loadWritable(tx, actor, id, ownId);
      const patch: Partial<PostingColumns> = {
        title: input.title?.trim(),
        occupationCode: input.occupationCode,
        workRegionCode: input.workRegionCode,
        headcount: input.headcount,
        filled: input.filled,
        wageMin: input.wageMin,
        wageMax: input.wageMax,
        food: input.food,
        housing: input.housing,
        ageMin: input.ageMin,
        ageMax: input.ageMax,
        minEducation: input.minEducation,
        skills: cleanList(input.skills),
        certificates: cleanList(input.certificates),
        reservedForPoor: input.reservedForPoor,
        validFrom: input.validFrom,
        validTo: input.validTo,
        status: input.status,
        description: cleanText(input.description),
      };
      const changes: Record<string, [unknown, unknown]> = {};
      for (const [key, value] of Object.entries(patch) as [keyof PostingColumns, unknown][]) {
        if (value === undefined || JSON.stringify(posting[key] ?? null) === JSON.stringify(value ?? null)) delete patch[key];
        else changes[key] = [posting[key] ?? null, value ?? null];
      }
      if (!Object.keys(changes).length) return (await present(tx, actor, [posting], ownId))[0];
      const next = { ...posting, ...patch };
      checkRanges(next);
      // A new end date, or a reopening, must leave an open posting valid today.
      checkValidity(next, (patch.validTo !== undefined || patch.status === 'open') && next.status === 'open');
      if (patch.occupationCode !== undefined) checkOccupation(patch.occupationCode);
      if (patch.workRegionCode !== undefined) {
        await checkWorkRegion(tx, patch.workRegionCode);
        if (!mayWritePosting(actor, employer, patch.workRegionCode, ownId)) refuseScope(actor);
      }
      if (patch.workRegionCode !== undefined || patch.validTo !== undefined || patch.ageMin !== undefined || patch.ageMax !== undefined)
        checkAbroad(employer, next);
      const row = await repo.update(tx, id, patch);
      await audit.record(tx, auditCtx(actor), { action: 'posting.update', entity: 'posting', entityId: id, details: { changes } });
      return (await present(tx, actor, [row], ownId))[0];
    },

    /** Stop recruiting (停止招聘). Closing a closed posting changes nothing. */
    async close(tx: DbOrTx, actor: Actor, id: string, reason?: string): Promise<Posting> {
      const ownId = await ownEmployerId(tx, actor);
      const { posting } = await loadWritable(tx, actor, id, ownId);
      if (posting.status === 'closed') return (await present(tx, actor, [posting], ownId))[0];
      const row = await repo.update(tx, id, { status: 'closed' });
      await audit.record(tx, auditCtx(actor), {
        action: 'posting.close',
        entity: 'posting',
        entityId: id,
        details: { reason: reason?.trim() || null, filled: row.filled, headcount: row.headcount },
      });
      return (await present(tx, actor, [row], ownId))[0];
    },
  };
}

export type PostingsService = ReturnType<typeof createPostingsService>;
