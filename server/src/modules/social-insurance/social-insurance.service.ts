import type { Readable } from 'node:stream';
import {
  SI_OUTCOME,
  SI_REVIEW_STATUS,
  type AcceptReviewInput,
  type Comparison,
  type RejectReviewInput,
  type Review,
  type ReviewListQueryInput,
} from '../../../../contracts/social-insurance.ts';
import { SI_IMPORTERS, SI_REVIEWERS } from '../../../../contracts/roles.ts';
import type { Db, DbOrTx, Tx } from '../../db/database.ts';
import type { Role } from '../../db/schema.ts';
import { assertRegionInScope, regionScope } from '../../platform/access.ts';
import type { Actor, AuditContext } from '../../platform/actor.ts';
import type { AuditLog } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { addDays, addMonths, chinaDayEnd, chinaToday } from '../../platform/time.ts';
import { addWorkingDays } from '../../platform/working-days.ts';
import { parseCreditCode } from '../employers/index.ts';
import { type EmploymentService, recordEvidenceFrom } from '../employment/index.ts';
import type { LaborersService } from '../registry/index.ts';
import { checkIdNumber } from '../../../../contracts/id-number.ts';
import { readContributionFile } from './contribution-file.ts';
import * as repo from './social-insurance.repo.ts';
export { SI_IMPORTERS, SI_REVIEWERS };

/** Lines per batch: one INSERT of unnested arrays each, memory flat whatever the file's size. */
export const LINE_BATCH = 5000;
/** The review deadline (issue 21): 3 working days by China's calendar after the comparison's day. */
export const REVIEW_WORKING_DAYS = 3;

const auditCtx = (actor: Actor): AuditContext => ({ actor, ip: actor.ip });
const fieldError = (field: string, message: string) => new AppError('VALIDATION_FAILED', message, [{ field: `body.${field}`, message }]);

const presentComparison = (r: repo.ComparisonRow): Comparison => ({
  id: r.id,
  regionCode: r.region_code,
  regionName: r.region_name ?? r.region_code,
  period: r.period,
  comparedOn: r.compared_on,
  dueOn: r.due_on,
  fileName: r.file_name,
  status: r.status,
  linesRead: r.lines_read,
  linesRejected: r.lines_rejected,
  linesUnmatched: r.lines_unmatched,
  outcomes: { confirmed: r.confirmed, suspected: r.suspected, unverified: r.unverified, employer_differs: r.employer_differs },
  createdAt: new Date(r.created_at).toISOString(),
});

const presentReview = (r: repo.ReviewRow, today: string): Review => ({
  id: r.id,
  comparisonId: r.comparison_id,
  period: r.period,
  comparedOn: r.compared_on,
  outcome: r.outcome,
  outcomeLabel: SI_OUTCOME.labels[r.outcome],
  laborer: { id: r.laborer_id, name: r.laborer_name, idNumberMasked: r.id_masked },
  villageCode: r.home_village_code,
  villageName: r.village_name,
  employment: r.employment_id ? { id: r.employment_id, employer: r.employment_employer, startedOn: r.employment_started_on ?? '' } : null,
  contribution:
    r.months === null
      ? null
      : { unitName: r.unit_name, creditCode: r.credit_code, place: r.place, placeCode: r.place_code, months: r.months },
  dueOn: r.due_on,
  overdue: r.status === 'open' && r.due_on < today,
  status: r.status,
  statusLabel: SI_REVIEW_STATUS.labels[r.status],
  reason: r.reason,
  decidedAt: r.decided_at ? new Date(r.decided_at).toISOString() : null,
  resultEmploymentId: r.result_employment_id,
});

/** The file's kind by its name: .xlsx or .csv. */
export function contributionFileKind(fileName: string): 'xlsx' | 'csv' {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.xlsx')) return 'xlsx';
  if (lower.endsWith('.csv')) return 'csv';
  throw new AppError('SOCIAL_INSURANCE_FILE_TYPE');
}

/**
 * The quarterly comparison with social-insurance contributions (issue 21 item 2; docs/domain.md
 * "Social-insurance comparison"). `db`: the background connections (a province's file is a
 * minute of work, never the requests' budget).
 */
export function createSocialInsuranceService({
  db,
  audit,
  laborers,
  employment,
}: {
  db: Db;
  audit: AuditLog;
  laborers: Pick<LaborersService, 'idIndex'>;
  employment: Pick<EmploymentService, 'create' | 'end'>;
}) {
  const reviewScope = (actor: Actor) => regionScope(actor, 'o.home_village_code');

  /**
   * Loads the file's lines into the staging table in batches; returns the lines read and refused.
   * One batch is written while the next is parsed and keyed (the ID numbers' HMAC is the CPU's
   * share, the INSERT the database's), so the load takes the longer of the two, not their sum.
   */
  async function load(comparisonId: string, input: Readable, kind: 'xlsx' | 'csv', today: string) {
    let read = 0;
    let rejected = 0;
    let batch: repo.LineBatch = { lineNo: [], idIndexHex: [], unitName: [], creditCode: [], place: [], months: [] };
    let writing: Promise<void> = Promise.resolve();
    const flush = async () => {
      if (!batch.lineNo.length) return;
      const full = batch;
      batch = { lineNo: [], idIndexHex: [], unitName: [], creditCode: [], place: [], months: [] };
      await writing;
      writing = repo.insertLines(db, comparisonId, full);
      // Caught here and rethrown by the next await: an unawaited rejection would crash the process.
      writing.catch(() => undefined);
    };
    try {
      await readAll();
    } catch (error) {
      // The batch in flight lands before the caller clears the staging lines.
      await writing.catch(() => undefined);
      throw error;
    }
    await writing;
    return { read, rejected };

    async function readAll() {
      for await (const lines of readContributionFile(input, kind)) {
        for (const line of lines) {
          read++;
          // GB 11643 checks with China's today computed once for the file, not per line.
          const id = checkIdNumber(line.cells.idNumber ?? '', today);
          const monthsText = (line.cells.months ?? '').replace(/\s/g, '');
          const months = /^\d{1,2}$/.test(monthsText) ? Number(monthsText) : Number.NaN;
          // A line that names nobody, or whose months are not 0–12, is counted as refused (never kept).
          if (!id.ok || !(months >= 0 && months <= 12)) {
            rejected++;
            continue;
          }
          batch.lineNo.push(line.lineNo);
          batch.idIndexHex.push(laborers.idIndex(id.value.idNumber).toString('hex'));
          batch.unitName.push(line.cells.unitName?.trim() || null);
          batch.creditCode.push(line.cells.creditCode?.replace(/\s/g, '').toUpperCase() || null);
          batch.place.push(line.cells.place?.trim() || null);
          batch.months.push(months);
          if (batch.lineNo.length >= LINE_BATCH) await flush();
        }
      }
      await flush();
    }
  }

  async function findReview(tx: DbOrTx, actor: Actor, id: string, action: string, forUpdate = false) {
    if (forUpdate) await repo.lockReview(tx, id);
    const { rows } = await repo.reviews(tx, { scope: reviewScope(actor), id, today: chinaToday(), limit: 1, offset: 0 });
    const row = rows[0];
    if (!row || !(SI_REVIEWERS as readonly Role[]).includes(actor.role))
      throw new AppError('NOT_FOUND').audited(auditCtx(actor), {
        action,
        entity: 'social_insurance_review',
        entityId: id,
        result: 'denied',
      });
    return row;
  }

  /** Province and county admins upload (人社部门 at the level that holds the contribution data). */
  function assertCanImport(actor: Actor) {
    if (!(SI_IMPORTERS as readonly Role[]).includes(actor.role) || ![2, 6].includes(actor.regionCode.length))
      throw new AppError('SOCIAL_INSURANCE_IMPORT_LEVEL');
  }

  return {
    assertCanImport,

    /**
     * Imports a contribution file and compares it, `today` being the comparison's day: the lines
     * are loaded in batches, then one transaction writes every laborer's outcome, the confirmed
     * jobs' evidence (through the employment module's writer), the counts and the audit row.
     */
    async importFile(
      actor: Actor,
      upload: { fileName: string; period: string; input: Readable },
      today = chinaToday(),
    ): Promise<Comparison> {
      assertCanImport(actor);
      const kind = contributionFileKind(upload.fileName);
      const dueOn = addWorkingDays(today, REVIEW_WORKING_DAYS);
      const id = await repo.insertComparison(db, {
        regionCode: actor.regionCode,
        period: upload.period,
        comparedOn: today,
        dueOn,
        fileName: upload.fileName,
        by: actor.id,
      });
      let lines: { read: number; rejected: number };
      try {
        lines = await load(id, upload.input, kind, today);
        await repo.analyzeLines(db);
      } catch (error) {
        await repo.deleteLines(db, id);
        await repo.finishComparison(db, id, { status: 'failed', read: 0, rejected: 0, unmatched: 0, counts: {} });
        throw error;
      }
      await db
        .transaction()
        .execute(async (tx) => {
          await repo.compare(tx, {
            comparisonId: id,
            region: actor.regionCode,
            day: today,
            quarterFrom: addDays(addMonths(today, -3), 1),
            dueOn,
          });
          const evidence = await recordEvidenceFrom(tx, { kind: 'social_insurance', on: today, by: actor.id }, repo.confirmedJobs(id));
          const counts = await repo.outcomeCounts(tx, id);
          const unmatched = await repo.countUnmatched(tx, id, actor.regionCode);
          await repo.deleteLines(tx, id);
          await repo.finishComparison(tx, id, { status: 'compared', ...lines, unmatched, counts });
          await audit.record(tx, auditCtx(actor), {
            action: 'social_insurance.import',
            entity: 'social_insurance_comparison',
            entityId: id,
            details: {
              period: upload.period,
              rows: lines.read,
              rejected: lines.rejected,
              unmatched,
              outcomes: counts,
              evidence,
              dueOn,
            },
          });
        })
        .catch(async (error) => {
          // Nothing of the comparison was written (its transaction rolled back): the run is marked failed, its lines cleared.
          await repo.deleteLines(db, id);
          await repo.finishComparison(db, id, { status: 'failed', ...lines, unmatched: 0, counts: {} });
          throw error;
        });
      return presentComparison((await repo.findComparison(db, id, actor.regionCode))!);
    },

    async comparisons(tx: Tx, actor: Actor, query: { page?: number; pageSize?: number }) {
      const page = query.page ?? 1;
      const pageSize = query.pageSize ?? 20;
      const { rows, total } = await repo.listComparisons(tx, actor.regionCode, pageSize, (page - 1) * pageSize);
      return { items: rows.map(presentComparison), total };
    },

    async comparison(tx: Tx, actor: Actor, id: string): Promise<Comparison> {
      const row = await repo.findComparison(tx, id, actor.regionCode);
      if (!row) throw new AppError('NOT_FOUND');
      return presentComparison(row);
    },

    /** The county's (or township's) review list: the non-confirmed outcomes, overdue ones flagged; the view is audited. */
    async reviews(tx: Tx, actor: Actor, query: ReviewListQueryInput) {
      if (query.region) assertRegionInScope(actor, query.region);
      const today = chinaToday();
      const page = query.page ?? 1;
      const pageSize = query.pageSize ?? 20;
      const { rows, total } = await repo.reviews(tx, {
        scope: reviewScope(actor),
        region: query.region,
        status: query.status,
        outcome: query.outcome,
        comparison: query.comparison,
        today,
        limit: pageSize,
        offset: (page - 1) * pageSize,
      });
      await audit.record(tx, auditCtx(actor), {
        action: 'social_insurance.reviews',
        entity: 'social_insurance_review',
        details: {
          filter: { region: query.region, status: query.status, outcome: query.outcome, comparison: query.comparison },
          shown: rows.length,
        },
      });
      return { items: rows.map((r) => presentReview(r, today)), total };
    },

    /** The review list's total for a filter, unaudited (the workbench audits its own view). */
    async countReviews(tx: DbOrTx, actor: Actor, query: Pick<ReviewListQueryInput, 'region' | 'status'>): Promise<number> {
      if (query.region) assertRegionInScope(actor, query.region);
      return repo.countReviews(tx, { scope: reviewScope(actor), region: query.region, status: query.status, today: chinaToday() });
    },

    /**
     * Accepting: what the comparison found is written through the employment service, the review
     * named as its source in the job's ledger and audit — 疑似已就业 opens the job (confirmed by the
     * contributions), 待核实 ends the job on record, 就业单位不一致 ends it and opens the new one.
     */
    async accept(tx: Tx, actor: Actor, id: string, input: AcceptReviewInput): Promise<Review> {
      const row = await findReview(tx, actor, id, 'social_insurance.accept', true);
      if (row.status !== 'open') throw new AppError('SOCIAL_INSURANCE_REVIEW_DECIDED', undefined, { status: row.status });
      const via = { socialInsuranceReview: id };
      const note = input.note?.trim() || undefined;
      let opened: string | null = null;
      let ended: string | null = null;
      const openFromFile = async () => {
        if (!input.startedOn) throw fieldError('startedOn', '请填写入职日期');
        if (input.monthlyWage === undefined) throw fieldError('monthlyWage', '请填写月工资');
        const workRegionCode = input.workRegionCode ?? (row.place_code && row.place_code.length >= 6 ? row.place_code : undefined);
        if (!workRegionCode) throw fieldError('workRegionCode', '参保地不是县级或以下区划，请选择工作地');
        const credit = row.credit_code ? parseCreditCode(row.credit_code) : null;
        const detail = await employment.create(
          tx,
          actor,
          {
            laborerId: row.laborer_id,
            ...(row.unit_name && row.unit_name.length >= 2 ? { workplaceName: row.unit_name.slice(0, 100) } : {}),
            ...(credit?.ok ? { employerCreditCode: credit.value.code } : {}),
            workRegionCode,
            startedOn: input.startedOn,
            monthlyWage: input.monthlyWage,
            socialInsurance: true,
            channel: 'self_found',
          },
          { reason: '社保比对核实', via, evidence: { kind: 'social_insurance', on: row.compared_on, sourceId: id } },
        );
        return detail.employment.id;
      };
      if (row.outcome === 'unverified') {
        if (!input.endedOn) throw fieldError('endedOn', '请填写离职日期（最后工作日）');
        await employment.end(tx, actor, row.employment_id!, { endedOn: input.endedOn, reason: input.endReason ?? 'other', note }, via);
        ended = row.employment_id;
      } else if (row.outcome === 'employer_differs') {
        if (!input.startedOn) throw fieldError('startedOn', '请填写新单位的入职日期');
        const endedOn = input.endedOn ?? addDays(input.startedOn, -1);
        await employment.end(tx, actor, row.employment_id!, { endedOn, reason: input.endReason ?? 'other', note }, via);
        ended = row.employment_id;
        opened = await openFromFile();
      } else opened = await openFromFile();
      if (!(await repo.decide(tx, id, { status: 'accepted', by: actor.id, reason: note ?? null, resultEmploymentId: opened })))
        throw new AppError('SOCIAL_INSURANCE_REVIEW_DECIDED');
      await audit.record(tx, auditCtx(actor), {
        action: 'social_insurance.accept',
        entity: 'social_insurance_review',
        entityId: id,
        details: { outcome: row.outcome, laborer: row.laborer_id, opened, ended },
      });
      return (await findReviewAfter(tx, actor, id))!;
    },

    /** Rejecting: the record stands; the reason (at least 4 characters) is kept and audited. */
    async reject(tx: Tx, actor: Actor, id: string, input: RejectReviewInput): Promise<Review> {
      const row = await findReview(tx, actor, id, 'social_insurance.reject', true);
      if (row.status !== 'open') throw new AppError('SOCIAL_INSURANCE_REVIEW_DECIDED', undefined, { status: row.status });
      const reason = input.reason.trim();
      if ([...reason].length < 4)
        throw new AppError('SOCIAL_INSURANCE_REASON_SHORT', undefined, [{ field: 'body.reason', message: '驳回理由至少 4 个字' }]);
      if (!(await repo.decide(tx, id, { status: 'rejected', by: actor.id, reason, resultEmploymentId: null })))
        throw new AppError('SOCIAL_INSURANCE_REVIEW_DECIDED');
      await audit.record(tx, auditCtx(actor), {
        action: 'social_insurance.reject',
        entity: 'social_insurance_review',
        entityId: id,
        details: { outcome: row.outcome, laborer: row.laborer_id, reason },
      });
      return (await findReviewAfter(tx, actor, id))!;
    },

    /** Reviews overdue on a day per county of a province (the county assessment's figure). */
    async overdueByCounty(tx: DbOrTx, province: string, asOf: string): Promise<Map<string, number>> {
      return repo.overdueByCounty(tx, province, asOf, chinaDayEnd(asOf));
    },
  };

  async function findReviewAfter(tx: DbOrTx, actor: Actor, id: string) {
    const { rows } = await repo.reviews(tx, { scope: reviewScope(actor), id, today: chinaToday(), limit: 1, offset: 0 });
    return rows[0] ? presentReview(rows[0], chinaToday()) : undefined;
  }
}

export type SocialInsuranceService = ReturnType<typeof createSocialInsuranceService>;
