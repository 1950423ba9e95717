import type { CreateEmployerInput, Employer, EmployerListQueryInput, UpdateEmployerInput } from '../../../../contracts/employers.ts';
import { industryByCode } from '../../../../contracts/industries.ts';
import type { DbOrTx } from '../../db/database.ts';
import type { Role } from '../../db/schema.ts';
import type { Actor, AuditContext } from '../../platform/actor.ts';
import { assertRegionInScope, regionContains } from '../../platform/access.ts';
import type { AuditLog } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { regionRefs } from '../regions/index.ts';
import { chinaToday } from '../../platform/time.ts';
import { parseCreditCode } from './credit-code.ts';
import * as repo from './employers.repo.ts';
import type { EmployerColumns, EmployerRecord } from './employers.repo.ts';
import { EMPLOYER_READERS, EMPLOYER_CREATORS, EMPLOYER_EDITORS } from '../../../../contracts/roles.ts';
export { EMPLOYER_READERS, EMPLOYER_CREATORS, EMPLOYER_EDITORS };

/**
 * Employers (用人单位). Employers and their postings are not personal data: every staff role reads
 * them anywhere (an output county's staff must see the jobs in 深圳 for their laborers). Writes follow
 * region scope: admins and township operators create and edit employers in their own subtree.
 * An employer account reads and edits its own employer only (account.employer_id).
 */

/** What an employer account may not change on its own record: the designation and identity kept by 人社 staff. */
const LOCKED_FOR_EMPLOYER = [
  'creditCode',
  'kind',
  'regionCode',
  'relocationSite',
  'designatedOn',
  'overseasLicenseNo',
  'overseasLicenseValidUntil',
] as const;

const FIELD_LABELS: Record<keyof EmployerColumns, string> = {
  creditCode: '统一社会信用代码',
  name: '单位名称',
  regionCode: '所在地',
  industry: '所属行业',
  kind: '单位类型',
  relocationSite: '安置点',
  contactName: '联系人',
  contactPhone: '联系电话',
  address: '地址',
  designatedOn: '定点接收单位认定日期',
  overseasLicenseNo: '对外劳务合作经营资格证书编号',
  overseasLicenseValidUntil: '资格证书有效期',
};

const auditCtx = (actor: Actor): AuditContext => ({ actor, ip: actor.ip });
const fieldError = (code: 'VALIDATION_FAILED', field: string, message: string) =>
  new AppError(code, message, [{ field: `body.${field}`, message }]);

/** The employer an account acts for: its own for an employer account, none for everyone else. */
export async function ownEmployerId(db: DbOrTx, actor: Actor): Promise<string | null> {
  return actor.role === 'employer' ? repo.employerIdOfAccount(db, actor.id) : null;
}

/** Whether this actor may change an employer's record (or, through postingWriter, post its jobs). */
export function mayEditEmployer(actor: Actor, employer: Pick<EmployerRecord, 'id' | 'regionCode'>, ownId: string | null): boolean {
  if (actor.role === 'employer') return ownId !== null && ownId === employer.id;
  return (EMPLOYER_CREATORS as readonly Role[]).includes(actor.role) && regionContains(actor.regionCode, employer.regionCode);
}

/** Employer references for other modules' answers: id → {id, name, kind, regionCode}. */
export async function employerRefs(db: DbOrTx, ids: string[]) {
  const rows = await repo.findMany(db, ids);
  return new Map(rows.map((e) => [e.id, e]));
}

export async function findEmployer(db: DbOrTx, id: string): Promise<EmployerRecord | undefined> {
  return repo.findById(db, id);
}

/**
 * Open postings per employer on a day: a fact of the postings module, handed in by app.ts
 * (postings already depends on employers, so employers must not import it back).
 */
export type OpenPostingCounts = (db: DbOrTx, employerIds: string[], today: string) => Promise<Map<string, number>>;

export function createEmployersService({ audit, openPostingCounts }: { audit: AuditLog; openPostingCounts: OpenPostingCounts }) {
  async function present(db: DbOrTx, actor: Actor, rows: EmployerRecord[], ownId: string | null): Promise<Employer[]> {
    const refs = await regionRefs(
      db,
      rows.map((r) => r.regionCode),
    );
    const counts = await openPostingCounts(
      db,
      rows.map((r) => r.id),
      chinaToday(),
    );
    return rows.map((r) => {
      const region = refs.get(r.regionCode);
      const industry = r.industry ? industryByCode(r.industry) : undefined;
      return {
        id: r.id,
        creditCode: r.creditCode,
        name: r.name,
        region: { code: r.regionCode, name: region?.name ?? r.regionCode, fullName: region?.fullName ?? r.regionCode },
        industry: r.industry ? { code: r.industry, name: industry?.name ?? r.industry } : null,
        kind: r.kind,
        relocationSite: r.relocationSite,
        contactName: r.contactName,
        contactPhone: r.contactPhone,
        address: r.address,
        designatedOn: r.designatedOn,
        overseasLicenseNo: r.overseasLicenseNo,
        overseasLicenseValidUntil: r.overseasLicenseValidUntil,
        openPostings: counts.get(r.id) ?? 0,
        editable: mayEditEmployer(actor, r, ownId),
        createdAt: r.createdAt.toISOString(),
        updatedAt: r.updatedAt.toISOString(),
      };
    });
  }

  /**
   * An employer this actor may read, or 404 "不存在或无权限" (an employer account sees only its own).
   * Refusals are not audited here: the row would roll back with the refused request's transaction.
   */
  async function loadVisible(db: DbOrTx, actor: Actor, id: string, ownId: string | null, forUpdate = false) {
    const employer = await repo.findById(db, id, forUpdate);
    if (!employer || (actor.role === 'employer' && employer.id !== ownId)) throw new AppError('NOT_FOUND');
    return employer;
  }

  function normalizeCreditCode(raw: string): string {
    const parsed = parseCreditCode(raw);
    if (!parsed.ok) throw new AppError(parsed.code, parsed.message, [{ field: 'body.creditCode', message: parsed.message }]);
    return parsed.value.code;
  }

  /** The region of an employer: it must exist, be a county or below, and lie in the writer's scope. */
  async function checkRegion(db: DbOrTx, actor: Actor, code: string) {
    const region = (await regionRefs(db, [code])).get(code);
    if (!region) throw fieldError('VALIDATION_FAILED', 'regionCode', `行政区划 ${code} 不存在`);
    if (code.length < 6) {
      throw new AppError('EMPLOYER_REGION_NOT_COUNTY', undefined, [
        { field: 'body.regionCode', message: `${region.fullName}不是县级或县级以下行政区划` },
      ]);
    }
    if (actor.role !== 'employer') assertRegionInScope(actor, code);
  }

  function checkIndustry(code: string | null | undefined) {
    if (code === undefined || code === null) return code;
    const industry = industryByCode(code);
    if (!industry) throw fieldError('VALIDATION_FAILED', 'industry', `行业代码 ${code} 不在 GB/T 4754-2017 国民经济行业分类中`);
    return industry.code;
  }

  const blankToNull = (v: string | null | undefined) => (v === undefined ? undefined : v === null || v.trim() === '' ? null : v.trim());

  function checkRelocationSite(kind: string, site: string | null) {
    if (site !== null && kind !== 'workshop')
      throw fieldError('VALIDATION_FAILED', 'relocationSite', '只有扶贫车间可以填写易地扶贫搬迁安置点');
  }

  /**
   * The designation day: not after today; a 定点接收单位 (kind 'designated') cannot lose it — the
   * designation is what the kind says. Left out on a create of that kind, the database takes today.
   */
  function checkDesignation(kind: string, designatedOn: string | null | undefined) {
    if (designatedOn && designatedOn > chinaToday())
      throw fieldError('VALIDATION_FAILED', 'designatedOn', '认定为定点接收单位的日期不能晚于今天');
    if (kind === 'designated' && designatedOn === null)
      throw fieldError('VALIDATION_FAILED', 'designatedOn', '定点接收单位须有认定日期；不再是定点接收单位时请先更改单位类型');
  }

  /** The overseas licence: number and last valid day together, or neither. */
  function checkOverseasLicense(no: string | null | undefined, until: string | null | undefined) {
    if ((no ?? null) === null && (until ?? null) !== null)
      throw fieldError('VALIDATION_FAILED', 'overseasLicenseNo', '填写了资格证书有效期，请同时填写证书编号');
    if ((no ?? null) !== null && (until ?? null) === null)
      throw fieldError('VALIDATION_FAILED', 'overseasLicenseValidUntil', '请填写对外劳务合作经营资格证书的有效期');
  }

  async function assertUniqueCreditCode(db: DbOrTx, creditCode: string, exceptId?: string) {
    const existing = await repo.findByCreditCode(db, creditCode);
    if (existing && existing.id !== exceptId) {
      const region = (await regionRefs(db, [existing.regionCode])).get(existing.regionCode);
      throw new AppError('EMPLOYER_EXISTS', `该统一社会信用代码已登记为“${existing.name}”（${region?.fullName ?? existing.regionCode}）`, {
        employer: { id: existing.id, name: existing.name },
      });
    }
  }

  return {
    async list(tx: DbOrTx, actor: Actor, query: EmployerListQueryInput): Promise<{ items: Employer[]; total: number }> {
      const ownId = await ownEmployerId(tx, actor);
      if (actor.role === 'employer' && !ownId) return { items: [], total: 0 };
      const pageSize = query.pageSize ?? 20;
      const text = query.q?.trim();
      const upper = text ? text.replace(/\s/g, '').toUpperCase() : '';
      const result = await repo.list(tx, {
        onlyId: ownId ?? undefined,
        region: query.region,
        kind: query.kind,
        industry: query.industry,
        q: text ? { name: text, creditCode: /^[0-9A-Z]{2,18}$/.test(upper) ? upper : undefined } : undefined,
        offset: ((query.page ?? 1) - 1) * pageSize,
        limit: pageSize,
      });
      return { items: await present(tx, actor, result.rows, ownId), total: result.total };
    },

    async get(tx: DbOrTx, actor: Actor, id: string): Promise<Employer> {
      const ownId = await ownEmployerId(tx, actor);
      const employer = await loadVisible(tx, actor, id, ownId);
      return (await present(tx, actor, [employer], ownId))[0];
    },

    async create(tx: DbOrTx, actor: Actor, input: CreateEmployerInput): Promise<Employer> {
      const creditCode = normalizeCreditCode(input.creditCode);
      await checkRegion(tx, actor, input.regionCode);
      const columns: EmployerColumns = {
        creditCode,
        name: input.name.trim(),
        regionCode: input.regionCode,
        industry: checkIndustry(input.industry) ?? null,
        kind: input.kind,
        relocationSite: blankToNull(input.relocationSite) ?? null,
        contactName: blankToNull(input.contactName) ?? null,
        contactPhone: blankToNull(input.contactPhone) ?? null,
        address: blankToNull(input.address) ?? null,
        designatedOn: input.designatedOn ?? undefined,
        overseasLicenseNo: blankToNull(input.overseasLicenseNo) ?? null,
        overseasLicenseValidUntil: input.overseasLicenseValidUntil ?? null,
      };
      checkRelocationSite(columns.kind, columns.relocationSite);
      checkDesignation(columns.kind, input.designatedOn);
      checkOverseasLicense(columns.overseasLicenseNo, columns.overseasLicenseValidUntil);
      await assertUniqueCreditCode(tx, creditCode);
      const id = await repo.insert(tx, columns, actor.id).catch((error: unknown) => {
        // Two registrations of the same code at once: the unique index decides.
        if ((error as { code?: string; constraint?: string }).constraint === 'employer_credit_code_key')
          throw new AppError('EMPLOYER_EXISTS');
        throw error;
      });
      await audit.record(tx, auditCtx(actor), {
        action: 'employer.create',
        entity: 'employer',
        entityId: id,
        details: {
          creditCode,
          name: columns.name,
          region: columns.regionCode,
          kind: columns.kind,
          designatedOn: input.designatedOn ?? null,
          overseasLicenseNo: columns.overseasLicenseNo,
          overseasLicenseValidUntil: columns.overseasLicenseValidUntil,
        },
      });
      return (await present(tx, actor, [(await repo.findById(tx, id))!], null))[0];
    },

    async update(tx: DbOrTx, actor: Actor, id: string, input: UpdateEmployerInput): Promise<Employer> {
      const ownId = await ownEmployerId(tx, actor);
      const employer = await loadVisible(tx, actor, id, ownId, true);
      // Staff outside the employer's region may read it but not change it: "不存在或无权限".
      if (!mayEditEmployer(actor, employer, ownId)) throw new AppError('NOT_FOUND');
      const patch: Partial<EmployerColumns> = {};
      if (input.creditCode !== undefined) patch.creditCode = normalizeCreditCode(input.creditCode);
      if (input.name !== undefined) patch.name = input.name.trim();
      if (input.regionCode !== undefined) patch.regionCode = input.regionCode;
      if (input.industry !== undefined) patch.industry = checkIndustry(input.industry) ?? null;
      if (input.kind !== undefined) patch.kind = input.kind;
      if (input.designatedOn !== undefined) patch.designatedOn = input.designatedOn;
      if (input.overseasLicenseNo !== undefined) patch.overseasLicenseNo = blankToNull(input.overseasLicenseNo) ?? null;
      if (input.overseasLicenseValidUntil !== undefined) patch.overseasLicenseValidUntil = input.overseasLicenseValidUntil;
      for (const key of ['relocationSite', 'contactName', 'contactPhone', 'address'] as const) {
        if (input[key] !== undefined) patch[key] = blankToNull(input[key]) ?? null;
      }
      // Only what actually changes.
      const changes: Record<string, [unknown, unknown]> = {};
      for (const [key, value] of Object.entries(patch) as [keyof EmployerColumns, unknown][]) {
        if ((employer[key] ?? null) === (value ?? null)) delete patch[key];
        else changes[key] = [employer[key] ?? null, value ?? null];
      }
      if (!Object.keys(changes).length) return (await present(tx, actor, [employer], ownId))[0];
      if (actor.role === 'employer') {
        const locked = LOCKED_FOR_EMPLOYER.filter((k) => k in changes);
        if (locked.length) {
          throw new AppError(
            'EMPLOYER_FIELD_LOCKED',
            `${locked.map((k) => FIELD_LABELS[k]).join('、')}由人社部门维护，请联系当地人社部门修改`,
            locked.map((k) => ({ field: `body.${k}`, message: '由人社部门维护' })),
          );
        }
      }
      if (patch.regionCode !== undefined) await checkRegion(tx, actor, patch.regionCode);
      checkRelocationSite(patch.kind ?? employer.kind, patch.relocationSite !== undefined ? patch.relocationSite : employer.relocationSite);
      checkDesignation(patch.kind ?? employer.kind, patch.designatedOn !== undefined ? patch.designatedOn : employer.designatedOn);
      checkOverseasLicense(
        patch.overseasLicenseNo !== undefined ? patch.overseasLicenseNo : employer.overseasLicenseNo,
        patch.overseasLicenseValidUntil !== undefined ? patch.overseasLicenseValidUntil : employer.overseasLicenseValidUntil,
      );
      if (patch.creditCode !== undefined) await assertUniqueCreditCode(tx, patch.creditCode, id);
      const row = await repo.update(tx, id, patch);
      await audit.record(tx, auditCtx(actor), { action: 'employer.update', entity: 'employer', entityId: id, details: { changes } });
      return (await present(tx, actor, [row], ownId))[0];
    },
  };
}

export type EmployersService = ReturnType<typeof createEmployersService>;
