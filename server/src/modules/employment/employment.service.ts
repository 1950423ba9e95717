import { sql, type Expression, type SqlBool } from 'kysely';
import {
  EVIDENCE_KIND,
  FOLLOW_UP_MONTHS,
  type CardEmployments,
  type CaseListQueryInput,
  type CloseCaseInput,
  type CorrectEmploymentInput,
  type ConfirmEmploymentInput,
  type CreateEmploymentInput,
  type EmploymentCorrection,
  type Employment,
  type EmploymentDetail,
  type EmploymentListQueryInput,
  type EndEmploymentInput,
  type FollowUp,
  type FollowUpListQueryInput,
  type OverdueSummary,
  type FollowUpBatch,
  type RecordFollowUpInput,
  type RecordFollowUpsInput,
  type ReemploymentCase,
  type UpdateCaseInput,
} from '../../../../contracts/employment.ts';
import type { DbOrTx, Tx } from '../../db/database.ts';
import type { Role } from '../../db/schema.ts';
import { assertRegionInScope, regionScope, REGION_STAFF_ROLES, UNSCOPED } from '../../platform/access.ts';
import type { Actor, AuditContext } from '../../platform/actor.ts';
import type { AuditLog } from '../../platform/audit.ts';
import { allOrNothing } from '../../platform/batch.ts';
import { AppError } from '../../platform/errors.ts';
import { addMonths, chinaToday } from '../../platform/time.ts';
import { ownEmployerId } from '../employers/index.ts';
import { parseCreditCode } from '../employers/index.ts';
import type { LaborersService } from '../registry/index.ts';
import * as repo from './employment.repo.ts';
import type { EvidenceKind } from './rules.ts';
import { EMPLOYMENT_STAFF, FOLLOW_UP_WORKERS } from '../../../../contracts/roles.ts';
export { EMPLOYMENT_STAFF, FOLLOW_UP_WORKERS };

/** Who reads employment records: staff (their laborers), an employer (its employees), a liaison office (its workers), a broker (its hires). */
export const EMPLOYMENT_READERS = [...EMPLOYMENT_STAFF, 'employer', 'liaison_office', 'broker'] as const satisfies readonly Role[];
/** Who may record that a job ended: staff, the employer, the liaison office in the city of work. */
export const EMPLOYMENT_ENDERS = [...EMPLOYMENT_STAFF, 'employer', 'liaison_office'] as const satisfies readonly Role[];

const auditCtx = (actor: Actor): AuditContext => ({ actor, ip: actor.ip });
const fieldError = (field: string, message: string) => new AppError('VALIDATION_FAILED', message, [{ field: `body.${field}`, message }]);

/** The laborer's 16th birthday (GB 11643 birth date): no employment may start before it. */
export const sixteenthBirthday = (birth: string) => addMonths(birth, 16 * 12);

/** 县内 / 县外省内 / 省外 of a place of work, relative to the home village. */
export const placeOf = (home: string, work: string): Employment['place'] =>
  work.startsWith(home.slice(0, 6)) ? 'in_county' : work.slice(0, 2) === home.slice(0, 2) ? 'in_province' : 'out_of_province';

export const laborerOf = (r: repo.LaborerBriefRow) => ({
  id: String(r.laborer_id),
  name: r.laborer_name,
  sex: r.sex,
  idNumberMasked: r.id_masked,
  phoneMasked: r.phone_masked,
  villageCode: r.home_village_code,
  villageName: r.village_name,
});

const presentEmployment = (r: repo.EmploymentRow): Employment => ({
  id: String(r.id),
  laborer: laborerOf(r),
  employerId: r.employer_id === null ? null : String(r.employer_id),
  employerName: r.employer_name,
  workplaceName: r.workplace_name,
  employerCreditCode: r.workplace_credit_code,
  contact: r.employer_contact ?? r.workplace_contact,
  referralId: r.referral_id === null ? null : String(r.referral_id),
  workRegionCode: r.work_region_code,
  workRegionName: r.work_region_name,
  occupationCode: r.occupation_code,
  startedOn: r.started_on,
  endedOn: r.ended_on,
  endReason: r.end_reason as Employment['endReason'],
  endNote: r.end_note,
  monthlyWage: r.monthly_wage,
  socialInsurance: r.social_insurance,
  channel: r.channel as Employment['channel'],
  place: placeOf(r.home_village_code, r.work_region_code),
});

const presentEvidence = (e: repo.EvidenceRow) => ({ kind: e.kind, kindLabel: EVIDENCE_KIND.labels[e.kind], on: e.on });

const presentFollowUp = (r: repo.FollowUpRow, today: string): FollowUp => ({
  id: String(r.id),
  employmentId: String(r.employment_id),
  laborer: laborerOf(r),
  workplace: r.workplace,
  workRegionName: r.work_region_name,
  startedOn: r.started_on,
  months: r.months,
  dueOn: r.due_on,
  overdue: r.status === 'due' && r.due_on < today,
  responsibleKind: r.responsible_kind as FollowUp['responsibleKind'],
  responsible:
    r.responsible_account === null
      ? null
      : {
          id: String(r.responsible_account),
          username: r.responsible_username ?? '',
          displayName: r.responsible_name ?? r.responsible_username ?? '',
        },
  status: r.status as FollowUp['status'],
  doneOn: r.done_on,
  method: r.method as FollowUp['method'],
  stillEmployed: r.still_employed,
  problems: r.problems,
  helpGiven: r.help_given,
});

export const presentCase = (r: repo.CaseRow): ReemploymentCase => ({
  id: String(r.id),
  laborer: laborerOf(r),
  endedEmployment: {
    id: String(r.ended_employment_id),
    workplace: r.workplace,
    workRegionName: r.work_region_name,
    startedOn: r.job_started_on,
    endedOn: r.job_ended_on,
    endReason: r.job_end_reason as ReemploymentCase['endedEmployment']['endReason'],
  },
  openedOn: r.opened_on,
  returnee: r.returnee,
  unemploymentBenefit: r.unemployment_benefit as ReemploymentCase['unemploymentBenefit'],
  retraining: r.retraining,
  note: r.note,
  status: r.status as ReemploymentCase['status'],
  closedOn: r.closed_on,
  closeReason: r.close_reason as ReemploymentCase['closeReason'],
  newEmploymentId: r.new_employment_id === null ? null : String(r.new_employment_id),
});

const CORRECTED_FIELDS = {
  started_on: 'startedOn',
  ended_on: 'endedOn',
  work_region_code: 'workRegionCode',
  monthly_wage: 'monthlyWage',
} as const;

const presentCorrection = (r: repo.CorrectionRow): EmploymentCorrection => ({
  id: String(r.id),
  at: r.corrected_at.toISOString(),
  by: r.username ? { username: r.username, displayName: r.display_name ?? r.username } : null,
  reason: r.reason,
  changes: Object.entries(r.changes).map(([field, [before, after]]) => ({
    field: CORRECTED_FIELDS[field as keyof typeof CORRECTED_FIELDS] ?? field,
    before,
    after,
  })),
});

const futureDate = (field: 'startedOn' | 'endedOn', day: string) =>
  new AppError('EMPLOYMENT_DATE_FUTURE', `${field === 'startedOn' ? '入职' : '离职'}日期（${day}）不能晚于今天`, { field, day });

export interface OpenEmployment {
  laborerId: string;
  employerId: string | null;
  postingId: string | null;
  referralId: string | null;
  workplaceName: string | null;
  workplaceContact: string | null;
  workplaceCreditCode?: string | null;
  workRegionCode: string;
  occupationCode: string | null;
  startedOn: string;
  monthlyWage: number | null;
  socialInsurance: boolean;
  channel: string;
  /** The ledger's reason for the card's new status. */
  reason: string;
  via?: Record<string, unknown>;
}

/** A job opened from another record than the staff's typing (EmploymentService.create). */
export interface OpenedFrom {
  /** The ledger reason's lead ('社保比对核实'), before the employer and place. */
  reason: string;
  via: Record<string, unknown>;
  evidence?: { kind: EvidenceKind; on: string; sourceId: string };
}

export function createEmploymentService({
  audit,
  laborers,
}: {
  audit: AuditLog;
  laborers: Pick<LaborersService, 'employmentStatusOf' | 'loadVisible' | 'recordEmploymentStatus'>;
}) {
  /** The employment records an actor may read, as one condition on e (employment) and l (laborer). */
  async function scopeOf(tx: DbOrTx, actor: Actor): Promise<Expression<SqlBool>> {
    if ((REGION_STAFF_ROLES as readonly Role[]).includes(actor.role)) return regionScope(actor, 'l.home_village_code');
    if (actor.role === 'employer') {
      const own = await ownEmployerId(tx, actor);
      return own ? sql<SqlBool>`e.employer_id = ${own}` : sql<SqlBool>`false`;
    }
    if (actor.role === 'liaison_office' && actor.hostRegionCode) {
      // The office follows its home county's laborers working in its host city.
      return sql<SqlBool>`(starts_with(l.home_village_code, ${actor.regionCode}) AND starts_with(e.work_region_code, ${actor.hostRegionCode}))`;
    }
    if (actor.role === 'broker') {
      return sql<SqlBool>`EXISTS (SELECT 1 FROM referral rf WHERE rf.id = e.referral_id AND rf.created_by = ${actor.id} AND rf.channel = 'broker')`;
    }
    return sql<SqlBool>`false`;
  }

  /** The region that leads a follow-up or case list's query (repo FollowUpFilter.lead, CaseFilter.lead): staff of a county or below. */
  const leadOf = (actor: Actor, region?: string) =>
    (REGION_STAFF_ROLES as readonly Role[]).includes(actor.role) && (region ?? actor.regionCode).length >= 6
      ? (region ?? actor.regionCode)
      : undefined;

  /** Follow-ups an actor may read and record: staff by region; a broker or an office those on its own list (and the office its workers'). */
  function followUpScope(actor: Actor): Expression<SqlBool> {
    if ((REGION_STAFF_ROLES as readonly Role[]).includes(actor.role)) return regionScope(actor, 'l.home_village_code');
    if (actor.role === 'broker') return sql<SqlBool>`f.responsible_account = ${actor.id}`;
    if (actor.role === 'liaison_office' && actor.hostRegionCode) {
      return sql<SqlBool>`(f.responsible_account = ${actor.id} OR (starts_with(l.home_village_code, ${actor.regionCode})
        AND starts_with(e.work_region_code, ${actor.hostRegionCode})))`;
    }
    return sql<SqlBool>`false`;
  }

  const caseScope = (actor: Actor) => regionScope(actor, 'l.home_village_code');

  async function loadEmployment(tx: DbOrTx, actor: Actor, id: string, action: string, forUpdate = false) {
    const row = await repo.find(tx, id, await scopeOf(tx, actor), forUpdate);
    if (!row) throw new AppError('NOT_FOUND').audited(auditCtx(actor), { action, entity: 'employment', entityId: id, result: 'denied' });
    return row;
  }

  async function detail(tx: DbOrTx, actor: Actor, row: repo.EmploymentRow): Promise<EmploymentDetail> {
    const today = chinaToday();
    const [followUps, reCase, corrections, evidence] = await Promise.all([
      repo.followUps(tx, { scope: UNSCOPED, employment: String(row.id), today, limit: 20, offset: 0 }),
      repo.caseOfEmployment(tx, String(row.id)),
      repo.corrections(tx, String(row.id)),
      repo.evidenceOf(tx, [String(row.id)]),
    ]);
    return {
      employment: { ...presentEmployment(row), lastEvidence: evidence[0] ? presentEvidence(evidence[0]) : null },
      evidence: evidence.map(presentEvidence),
      followUps: followUps.rows.sort((a, b) => a.months - b.months).map((f) => presentFollowUp(f, today)),
      reemploymentCase: reCase && actor.role !== 'employer' ? presentCase(reCase) : null,
      corrections: corrections.map(presentCorrection),
    };
  }

  /**
   * Opening an employment, whoever records it (staff here, a hire through a referral): the checks
   * of the record itself, the follow-ups it schedules on the responsible person's list, the card's
   * status in the ledger, and the laborer's open re-employment case closed by the new job.
   */
  async function open(tx: Tx, actor: Actor, e: OpenEmployment): Promise<string> {
    const today = chinaToday();
    const card = await repo.card(tx, e.laborerId);
    if (!card || card.deleted_at) throw new AppError('NOT_FOUND');
    if (e.startedOn > today) throw futureDate('startedOn', e.startedOn);
    const sixteen = sixteenthBirthday(card.birth_date);
    if (e.startedOn < sixteen) {
      throw new AppError('EMPLOYMENT_UNDER_AGE', `入职日期早于该劳动力年满16周岁之日（${sixteen}）`, {
        startedOn: e.startedOn,
        sixteenthBirthday: sixteen,
      });
    }
    const clash = await repo.overlapping(tx, e.laborerId, e.startedOn);
    if (clash) {
      if (clash.ended_on === null)
        throw new AppError('EMPLOYMENT_OPEN_EXISTS', undefined, { employmentId: String(clash.id), startedOn: clash.started_on });
      throw new AppError('EMPLOYMENT_OVERLAP', `与已有就业记录（${clash.started_on} 至 ${clash.ended_on}）时间重叠`, {
        employmentId: String(clash.id),
      });
    }
    const id = await repo.insert(tx, { ...e, by: actor.id });
    // A concurrent request opened one first (the open-employment index refused this one).
    if (!id) throw new AppError('EMPLOYMENT_OPEN_EXISTS');
    const responsible = await repo.responsibleFor(tx, {
      villageCode: card.home_village_code,
      workRegionCode: e.workRegionCode,
      referralId: e.referralId,
    });
    await repo.insertFollowUps(tx, {
      employmentId: id,
      laborerId: e.laborerId,
      kind: responsible.kind,
      account: responsible.account,
      dues: FOLLOW_UP_MONTHS.map((months) => ({ months, dueOn: addMonths(e.startedOn, months) })),
    });
    // A hire the employer records itself is the employer's word that the person works there.
    if (actor.role === 'employer')
      await repo.addEvidence(tx, { employmentId: id, kind: 'employer', on: e.startedOn, sourceId: e.referralId, by: actor.id });
    const closedCase = await repo.closeCaseWithJob(tx, e.laborerId, id, e.startedOn, actor.id);
    await laborers.recordEmploymentStatus(tx, actor, e.laborerId, 'employed', e.reason, { employment: id, ...e.via });
    await audit.record(tx, auditCtx(actor), {
      action: 'employment.open',
      entity: 'employment',
      entityId: id,
      details: {
        laborer: e.laborerId,
        startedOn: e.startedOn,
        channel: e.channel,
        workRegion: e.workRegionCode,
        responsible,
        closedCase: closedCase ?? null,
        ...e.via,
      },
    });
    return id;
  }

  /** Ending an employment: follow-ups settled, a re-employment case opened, the card back on the demand list. */
  async function endEmployment(
    tx: Tx,
    actor: Actor,
    row: repo.EmploymentRow,
    input: EndEmploymentInput,
    via: Record<string, unknown> = {},
  ) {
    const today = chinaToday();
    if (row.ended_on !== null) throw new AppError('EMPLOYMENT_ALREADY_ENDED', undefined, { endedOn: row.ended_on });
    if (input.endedOn < row.started_on) throw new AppError('EMPLOYMENT_END_BEFORE_START', `离职日期不能早于入职日期（${row.started_on}）`);
    if (input.endedOn > today) throw futureDate('endedOn', input.endedOn);
    const note = input.note?.trim() || null;
    if (!(await repo.end(tx, String(row.id), { endedOn: input.endedOn, reason: input.reason, note, by: actor.id })))
      throw new AppError('EMPLOYMENT_ALREADY_ENDED');
    await repo.settleFollowUps(tx, String(row.id), input.endedOn);
    const returnee = input.returnee === true || input.reason === 'returned_home';
    const caseId = await repo.openCase(tx, {
      laborerId: String(row.laborer_id),
      employmentId: String(row.id),
      openedOn: today,
      returnee,
      by: actor.id,
    });
    const where = row.employer_name ?? row.workplace_name ?? row.work_region_name;
    await laborers.recordEmploymentStatus(
      tx,
      actor,
      String(row.laborer_id),
      'unemployed',
      `离职：${where}（${input.endedOn}）`,
      { employment: String(row.id), ...via },
      returnee ? { addFlags: ['returnee'] } : {},
    );
    await audit.record(tx, auditCtx(actor), {
      action: 'employment.end',
      entity: 'employment',
      entityId: String(row.id),
      details: {
        laborer: String(row.laborer_id),
        endedOn: input.endedOn,
        reason: input.reason,
        returnee,
        reemploymentCase: caseId ?? null,
        ...via,
      },
    });
  }

  /**
   * Recording a follow-up. "No longer at work" ends the employment on the day given (or the
   * follow-up's day), which opens the re-employment case — all in one transaction. `batch`: the
   * size of the batch it was recorded in (POST /follow-ups/records), kept in its audit row.
   */
  async function recordFollowUp(tx: Tx, actor: Actor, id: string, input: RecordFollowUpInput, batch?: number): Promise<FollowUp> {
    const today = chinaToday();
    const row = await repo.findFollowUp(tx, id, followUpScope(actor), true);
    if (!row)
      throw new AppError('NOT_FOUND').audited(auditCtx(actor), {
        action: 'follow_up.record',
        entity: 'follow_up',
        entityId: id,
        result: 'denied',
      });
    if (row.status !== 'due')
      throw new AppError('FOLLOW_UP_NOT_DUE', `该回访${row.status === 'done' ? '已记录' : '已因离职取消'}，不能重复记录`);
    if (input.doneOn > today) throw new AppError('FOLLOW_UP_IN_FUTURE', `回访日期（${input.doneOn}）不能晚于今天`);
    if (input.doneOn < row.started_on) throw new AppError('FOLLOW_UP_BEFORE_START', `回访日期不能早于入职日期（${row.started_on}）`);
    if (input.stillEmployed && (input.endedOn || input.endReason)) throw fieldError('endedOn', '仍在岗时不填写离职日期和原因');
    await repo.recordFollowUp(tx, id, {
      doneOn: input.doneOn,
      method: input.method,
      stillEmployed: input.stillEmployed,
      problems: input.problems?.trim() || null,
      helpGiven: input.helpGiven?.trim() || null,
      by: actor.id,
    });
    // Found at work: the job is confirmed on the follow-up's day.
    if (input.stillEmployed)
      await repo.addEvidence(tx, {
        employmentId: String(row.employment_id),
        kind: 'follow_up',
        on: input.doneOn,
        sourceId: id,
        by: actor.id,
      });
    await audit.record(tx, auditCtx(actor), {
      action: 'follow_up.record',
      entity: 'follow_up',
      entityId: id,
      details: {
        employment: String(row.employment_id),
        stillEmployed: input.stillEmployed,
        problems: Boolean(input.problems?.trim()),
        ...(batch ? { batch } : {}),
      },
    });
    if (!input.stillEmployed) {
      const job = (await repo.find(tx, String(row.employment_id), UNSCOPED, true))!;
      await endEmployment(
        tx,
        actor,
        job,
        { endedOn: input.endedOn ?? input.doneOn, reason: input.endReason ?? 'other', returnee: input.returnee },
        { followUp: id },
      );
    }
    return presentFollowUp((await repo.findFollowUp(tx, id, UNSCOPED))!, today);
  }

  return {
    open,

    /**
     * `from`: what the job was opened on when not typed by staff alone — the record it came from,
     * kept in the ledger and the audit (`via`), and the confirmation it carries (the accepted
     * social-insurance review: the contributions confirm the job).
     */
    async create(tx: Tx, actor: Actor, input: CreateEmploymentInput, from?: OpenedFrom): Promise<EmploymentDetail> {
      const card = await repo.card(tx, input.laborerId);
      if (
        !card ||
        card.deleted_at ||
        !(REGION_STAFF_ROLES as readonly Role[]).includes(actor.role) ||
        !card.home_village_code.startsWith(actor.regionCode)
      ) {
        throw new AppError('NOT_FOUND').audited(auditCtx(actor), {
          action: 'employment.open',
          entity: 'laborer',
          entityId: input.laborerId,
          result: 'denied',
        });
      }
      const workRegionName = await repo.regionName(tx, input.workRegionCode);
      if (!workRegionName) throw new AppError('REGION_NOT_FOUND', '工作地行政区划不存在', { workRegionCode: input.workRegionCode });
      // The employer: a registered one by id; or a name, with its credit code when it has one
      // (GB 32100, check character verified) — a code of a registered employer links the job to it.
      let employerId = input.employerId ?? null;
      let employerName: string | null = null;
      let creditCode: string | null = null;
      if (input.employerId) {
        if (input.employerCreditCode) throw fieldError('employerCreditCode', '已选择登记的用人单位时不再填写统一社会信用代码');
        const employer = await repo.employerBrief(tx, input.employerId);
        if (!employer) throw new AppError('EMPLOYMENT_EMPLOYER_UNKNOWN', undefined, { employerId: input.employerId });
        employerName = employer.name;
      } else {
        if (input.employerCreditCode) {
          const parsed = parseCreditCode(input.employerCreditCode);
          if (!parsed.ok) throw new AppError(parsed.code, parsed.message, [{ field: 'body.employerCreditCode', message: parsed.message }]);
          const registered = await repo.employerByCreditCode(tx, parsed.value.code);
          if (registered) {
            employerId = String(registered.id);
            employerName = registered.name;
          } else creditCode = parsed.value.code;
        }
        if (!employerId && !input.workplaceName?.trim() && input.channel !== 'entrepreneurship')
          throw new AppError('EMPLOYMENT_EMPLOYER_REQUIRED');
      }
      const id = await open(tx, actor, {
        laborerId: input.laborerId,
        employerId,
        postingId: null,
        referralId: null,
        workplaceName: employerId ? null : input.workplaceName?.trim() || null,
        workplaceContact: input.workplaceContact?.trim() || null,
        workplaceCreditCode: creditCode,
        workRegionCode: input.workRegionCode,
        occupationCode: input.occupationCode ?? null,
        startedOn: input.startedOn,
        monthlyWage: input.monthlyWage,
        socialInsurance: input.socialInsurance ?? false,
        channel: input.channel,
        reason: `${from?.reason ?? '登记就业'}：${employerName ?? input.workplaceName?.trim() ?? '自主创业'}（${workRegionName}）`,
        via: from?.via,
      });
      if (from?.evidence)
        await repo.addEvidence(tx, {
          employmentId: id,
          kind: from.evidence.kind,
          on: from.evidence.on < input.startedOn ? input.startedOn : from.evidence.on,
          sourceId: from.evidence.sourceId,
          by: actor.id,
        });
      return detail(tx, actor, (await repo.find(tx, id, UNSCOPED))!);
    },

    /**
     * The card's jobs: the open one and the ended ones, with the status they give today. Whoever
     * may see the card (staff of its region) sees them; the view is audited as the card's.
     */
    async cardEmployments(tx: Tx, actor: Actor, laborerId: string): Promise<CardEmployments> {
      const card = await laborers.loadVisible(tx, actor, laborerId, 'employment.card');
      const today = chinaToday();
      const { rows } = await repo.list(tx, { scope: UNSCOPED, laborer: laborerId, limit: 200, offset: 0 });
      const evidence = await repo.evidenceOf(
        tx,
        rows.map((r) => String(r.id)),
      );
      const latest = new Map<string, repo.EvidenceRow>();
      for (const e of evidence) if (!latest.has(e.employment_id)) latest.set(e.employment_id, e);
      const jobs = rows.map((r) => {
        const last = latest.get(String(r.id));
        return { ...presentEmployment(r), lastEvidence: last ? presentEvidence(last) : null };
      });
      const open = jobs.filter((j) => j.startedOn <= today && (j.endedOn === null || j.endedOn >= today));
      await audit.record(tx, auditCtx(actor), {
        action: 'employment.card',
        entity: 'laborer',
        entityId: laborerId,
        details: { shown: jobs.length },
      });
      return {
        laborerId,
        employmentStatus: laborers.employmentStatusOf(open.length > 0, card.employment_status),
        current: jobs.find((j) => j.endedOn === null) ?? null,
        past: jobs.filter((j) => j.endedOn !== null),
      };
    },

    /**
     * Correcting a past employment's dates, work place or wage (issue 16 item 1): a stated reason,
     * the old and new values kept in the employment's ledger (employment_correction) and audited,
     * in one transaction. The statistics follow by their triggers: the figures of the days between
     * the old and new dates change, the others do not. A correction keeps the record's own rules:
     * no date after today, a start on or after the 16th birthday, an end on or after the start,
     * no overlap with the person's other jobs, and an open job stays open (ending is /end).
     */
    async correct(tx: Tx, actor: Actor, id: string, input: CorrectEmploymentInput): Promise<EmploymentDetail> {
      const row = await loadEmployment(tx, actor, id, 'employment.correct', true);
      if (!(REGION_STAFF_ROLES as readonly Role[]).includes(actor.role))
        throw new AppError('NOT_FOUND').audited(auditCtx(actor), {
          action: 'employment.correct',
          entity: 'employment',
          entityId: id,
          result: 'denied',
        });
      const today = chinaToday();
      if (input.endedOn !== undefined && row.ended_on === null) throw new AppError('EMPLOYMENT_CORRECTION_OPEN_END');
      const next = {
        started_on: input.startedOn ?? row.started_on,
        ended_on: input.endedOn ?? row.ended_on,
        work_region_code: input.workRegionCode ?? row.work_region_code,
        monthly_wage: input.monthlyWage ?? row.monthly_wage,
      };
      const changes: Record<string, [unknown, unknown]> = {};
      for (const key of Object.keys(next) as (keyof typeof next)[]) if (next[key] !== row[key]) changes[key] = [row[key], next[key]];
      if (!Object.keys(changes).length) throw new AppError('EMPLOYMENT_CORRECTION_EMPTY');
      if (next.started_on > today) throw futureDate('startedOn', next.started_on);
      if (next.ended_on !== null && next.ended_on > today) throw futureDate('endedOn', next.ended_on);
      if (next.ended_on !== null && next.ended_on < next.started_on)
        throw new AppError('EMPLOYMENT_END_BEFORE_START', `离职日期（${next.ended_on}）不能早于入职日期（${next.started_on}）`);
      const card = (await repo.card(tx, String(row.laborer_id)))!;
      const sixteen = sixteenthBirthday(card.birth_date);
      if (next.started_on < sixteen)
        throw new AppError('EMPLOYMENT_UNDER_AGE', `入职日期早于该劳动力年满16周岁之日（${sixteen}）`, {
          startedOn: next.started_on,
          sixteenthBirthday: sixteen,
        });
      if (changes.work_region_code && !(await repo.regionName(tx, next.work_region_code)))
        throw new AppError('REGION_NOT_FOUND', '工作地行政区划不存在', { workRegionCode: next.work_region_code });
      const clash = await repo.overlappingOther(tx, String(row.laborer_id), id, next.started_on, next.ended_on);
      if (clash)
        throw new AppError('EMPLOYMENT_OVERLAP', `与已有就业记录（${clash.started_on} 至 ${clash.ended_on ?? '今'}）时间重叠`, {
          employmentId: String(clash.id),
        });
      const reason = input.reason.trim();
      await repo.correct(tx, id, {
        startedOn: next.started_on,
        endedOn: next.ended_on,
        workRegionCode: next.work_region_code,
        monthlyWage: next.monthly_wage,
        laborerId: String(row.laborer_id),
        by: actor.id,
        reason,
        changes,
      });
      if (changes.started_on || changes.ended_on)
        await repo.reschedule(
          tx,
          id,
          FOLLOW_UP_MONTHS.map((months) => ({ months, dueOn: addMonths(next.started_on, months) })),
          next.ended_on,
        );
      await audit.record(tx, auditCtx(actor), {
        action: 'employment.correct',
        entity: 'employment',
        entityId: id,
        details: { laborer: String(row.laborer_id), reason, changes },
      });
      return detail(tx, actor, (await repo.find(tx, id, UNSCOPED))!);
    },

    async list(tx: Tx, actor: Actor, query: EmploymentListQueryInput) {
      if (query.region) assertRegionInScope(actor, query.region);
      const page = query.page ?? 1;
      const pageSize = query.pageSize ?? 20;
      const { rows, total } = await repo.list(tx, {
        scope: await scopeOf(tx, actor),
        region: query.region,
        laborer: query.laborer,
        status: query.status,
        limit: pageSize,
        offset: (page - 1) * pageSize,
      });
      await audit.record(tx, auditCtx(actor), {
        action: 'employment.list',
        entity: 'employment',
        details: { filter: { region: query.region, laborer: query.laborer, status: query.status }, shown: rows.length },
      });
      return { items: rows.map(presentEmployment), total };
    },

    /** The employment list's total for the same filter, unaudited (the workbench audits its own view). */
    async countEmployments(tx: DbOrTx, actor: Actor, query: Pick<EmploymentListQueryInput, 'region' | 'status'>): Promise<number> {
      if (query.region) assertRegionInScope(actor, query.region);
      const { total } = await repo.list(tx, {
        scope: await scopeOf(tx, actor),
        region: query.region,
        status: query.status,
        limit: 1,
        offset: 0,
      });
      return total;
    },

    /** The follow-up list's total for the same filter, unaudited (the workbench audits its own view). */
    async countFollowUps(tx: DbOrTx, actor: Actor, query: Omit<FollowUpListQueryInput, 'page' | 'pageSize'>): Promise<number> {
      if (query.region) assertRegionInScope(actor, query.region);
      const { total } = await repo.followUps(tx, {
        scope: followUpScope(actor),
        lead: leadOf(actor, query.region),
        region: query.region,
        status: query.status,
        mine: query.mine ? actor.id : undefined,
        laborer: query.laborer,
        dueBy: query.dueBy,
        today: chinaToday(),
        limit: 1,
        offset: 0,
      });
      return total;
    },

    /**
     * Follow-ups not yet made and due by `dueBy` of the employments the actor reads (an employer:
     * its employees'), whoever is responsible for them: what an employer can expect to be asked about.
     */
    async countEmployeeFollowUpsDue(tx: DbOrTx, actor: Actor, dueBy: string): Promise<number> {
      const { total } = await repo.followUps(tx, {
        scope: await scopeOf(tx, actor),
        status: 'due',
        dueBy,
        today: chinaToday(),
        limit: 1,
        offset: 0,
      });
      return total;
    },

    /** The re-employment case list's total for the same filter, unaudited (the workbench audits its own view). */
    async countCases(tx: DbOrTx, actor: Actor, query: Pick<CaseListQueryInput, 'region' | 'status'>): Promise<number> {
      if (query.region) assertRegionInScope(actor, query.region);
      const { total } = await repo.cases(tx, {
        scope: caseScope(actor),
        lead: leadOf(actor, query.region),
        region: query.region,
        status: query.status,
        limit: 1,
        offset: 0,
      });
      return total;
    },

    async get(tx: Tx, actor: Actor, id: string): Promise<EmploymentDetail> {
      const row = await loadEmployment(tx, actor, id, 'employment.view');
      await audit.record(tx, auditCtx(actor), { action: 'employment.view', entity: 'employment', entityId: id });
      return detail(tx, actor, row);
    },

    /**
     * POST /employments/:id/confirmations: the employer confirms that its current employee still
     * works there (issue 21 item 3) — its own employees' open jobs only; the job is confirmed today.
     */
    async confirm(tx: Tx, actor: Actor, id: string, input: ConfirmEmploymentInput): Promise<EmploymentDetail> {
      const row = await loadEmployment(tx, actor, id, 'employment.confirm', true);
      if (actor.role !== 'employer')
        throw new AppError('NOT_FOUND').audited(auditCtx(actor), {
          action: 'employment.confirm',
          entity: 'employment',
          entityId: id,
          result: 'denied',
        });
      const today = chinaToday();
      if (row.ended_on !== null && row.ended_on < today)
        throw new AppError('EMPLOYMENT_ENDED', `该就业记录已于 ${row.ended_on} 结束，不能确认在岗`);
      const added = await repo.addEvidence(tx, { employmentId: id, kind: 'employer', on: today, sourceId: null, by: actor.id });
      await audit.record(tx, auditCtx(actor), {
        action: 'employment.confirm',
        entity: 'employment',
        entityId: id,
        details: { on: today, ...(input.note?.trim() ? { note: input.note.trim() } : {}), ...(added ? {} : { already: true }) },
      });
      return detail(tx, actor, row);
    },

    /** `via`: the record the end came from (an accepted social-insurance review), kept in the ledger and the audit. */
    async end(tx: Tx, actor: Actor, id: string, input: EndEmploymentInput, via?: Record<string, unknown>): Promise<EmploymentDetail> {
      const row = await loadEmployment(tx, actor, id, 'employment.end', true);
      await endEmployment(tx, actor, row, input, via);
      return detail(tx, actor, (await repo.find(tx, id, UNSCOPED))!);
    },

    async followUps(tx: Tx, actor: Actor, query: FollowUpListQueryInput) {
      if (query.region) assertRegionInScope(actor, query.region);
      const today = chinaToday();
      const page = query.page ?? 1;
      const pageSize = query.pageSize ?? 20;
      const { rows, total } = await repo.followUps(tx, {
        scope: followUpScope(actor),
        lead: leadOf(actor, query.region),
        region: query.region,
        status: query.status,
        mine: query.mine ? actor.id : undefined,
        laborer: query.laborer,
        dueBy: query.dueBy,
        today,
        limit: pageSize,
        offset: (page - 1) * pageSize,
      });
      await audit.record(tx, auditCtx(actor), {
        action: 'follow_up.list',
        entity: 'follow_up',
        details: { filter: { region: query.region, status: query.status, mine: query.mine }, shown: rows.length },
      });
      return { items: rows.map((r) => presentFollowUp(r, today)), total };
    },

    recordFollowUp,

    /**
     * The follow-ups still due (overdue and upcoming) that the actor may record, for a phone to
     * take offline (issue 19): at most `limit`, soonest first. No audit row of its own: the caller
     * records the package taken.
     */
    async dueFollowUpsInScope(tx: Tx, actor: Actor, limit: number): Promise<FollowUp[]> {
      const today = chinaToday();
      const { rows } = await repo.followUps(tx, { scope: followUpScope(actor), status: 'due', today, limit, offset: 0 });
      return rows.map((r) => presentFollowUp(r, today));
    },

    /**
     * POST /follow-ups/records: one form for several follow-ups at once (issue 18 item 4), each
     * recorded through the single follow-up's path (its scope, its checks, its audit row, the
     * employment ended when no longer at work). All or none: one that cannot be recorded refuses
     * the whole batch, naming it.
     */
    async recordFollowUps(tx: Tx, actor: Actor, input: RecordFollowUpsInput): Promise<FollowUpBatch> {
      const { ids, ...form } = input;
      const batch = new Set(ids).size;
      const { results } = await allOrNothing(ids, (id) => recordFollowUp(tx, actor, id, form, batch), {
        name: async (id) => {
          const row = await repo.findFollowUp(tx, id, followUpScope(actor));
          return row ? `${row.laborer_name}第 ${row.months} 个月的回访（编号 ${id}）` : `编号 ${id}`;
        },
        heading: (refused, total) => `所选 ${total} 条回访中有 ${refused} 条不能记录，本批均未记录`,
      });
      return { count: results.length, ended: results.filter((f) => f.stillEmployed === false).length, items: results };
    },

    async overdue(tx: Tx, actor: Actor, query: { region?: string }): Promise<OverdueSummary> {
      const region = query.region ?? actor.regionCode;
      assertRegionInScope(actor, region);
      const today = chinaToday();
      const scope = regionScope(actor, 'f.home_village_code');
      const childLength = ({ 2: 4, 4: 6, 6: 9, 9: 12, 12: 12 } as Record<number, number>)[region.length]!;
      const [byRegion, byResponsible] = await Promise.all([
        repo.overdueByRegion(tx, scope, region, childLength, today),
        repo.overdueByResponsible(tx, scope, region, today, 50),
      ]);
      await audit.record(tx, auditCtx(actor), { action: 'follow_up.overdue', entity: 'follow_up', details: { region } });
      return {
        asOf: today,
        total: byRegion.reduce((s, r) => s + Number(r.overdue), 0),
        byRegion: byRegion.map((r) => ({
          regionCode: r.region_code,
          regionName: r.region_name,
          overdue: Number(r.overdue),
          due: Number(r.due),
        })),
        byResponsible: byResponsible.map((r) => ({
          kind: r.kind as OverdueSummary['byResponsible'][number]['kind'],
          account:
            r.account === null
              ? null
              : { id: String(r.account), username: r.username ?? '', displayName: r.display_name ?? r.username ?? '' },
          regionName: r.region_name,
          overdue: Number(r.overdue),
          oldestDueOn: r.oldest,
        })),
      };
    },

    async cases(tx: Tx, actor: Actor, query: CaseListQueryInput) {
      if (query.region) assertRegionInScope(actor, query.region);
      const page = query.page ?? 1;
      const pageSize = query.pageSize ?? 20;
      const { rows, total } = await repo.cases(tx, {
        scope: caseScope(actor),
        lead: leadOf(actor, query.region),
        region: query.region,
        status: query.status,
        laborer: query.laborer,
        limit: pageSize,
        offset: (page - 1) * pageSize,
      });
      await audit.record(tx, auditCtx(actor), {
        action: 'reemployment_case.list',
        entity: 'reemployment_case',
        details: { filter: { region: query.region, status: query.status }, shown: rows.length },
      });
      return { items: rows.map(presentCase), total };
    },

    async getCase(tx: Tx, actor: Actor, id: string): Promise<ReemploymentCase> {
      const row = await repo.findCase(tx, id, caseScope(actor));
      if (!row)
        throw new AppError('NOT_FOUND').audited(auditCtx(actor), {
          action: 'reemployment_case.view',
          entity: 'reemployment_case',
          entityId: id,
          result: 'denied',
        });
      await audit.record(tx, auditCtx(actor), { action: 'reemployment_case.view', entity: 'reemployment_case', entityId: id });
      return presentCase(row);
    },

    async updateCase(tx: Tx, actor: Actor, id: string, input: UpdateCaseInput): Promise<ReemploymentCase> {
      const row = await repo.findCase(tx, id, caseScope(actor), true);
      if (!row)
        throw new AppError('NOT_FOUND').audited(auditCtx(actor), {
          action: 'reemployment_case.update',
          entity: 'reemployment_case',
          entityId: id,
          result: 'denied',
        });
      if (row.status !== 'open') throw new AppError('CASE_CLOSED');
      await repo.updateCase(tx, id, {
        unemployment_benefit: input.unemploymentBenefit,
        retraining: input.retraining === undefined ? undefined : input.retraining?.trim() || null,
        note: input.note === undefined ? undefined : input.note?.trim() || null,
      });
      await audit.record(tx, auditCtx(actor), {
        action: 'reemployment_case.update',
        entity: 'reemployment_case',
        entityId: id,
        details: { fields: Object.keys(input) },
      });
      return presentCase((await repo.findCase(tx, id, UNSCOPED))!);
    },

    async closeCase(tx: Tx, actor: Actor, id: string, input: CloseCaseInput): Promise<ReemploymentCase> {
      const row = await repo.findCase(tx, id, caseScope(actor), true);
      if (!row)
        throw new AppError('NOT_FOUND').audited(auditCtx(actor), {
          action: 'reemployment_case.close',
          entity: 'reemployment_case',
          entityId: id,
          result: 'denied',
        });
      if (!(await repo.closeCase(tx, id, { reason: input.reason, note: input.note?.trim() || null, on: chinaToday(), by: actor.id })))
        throw new AppError('CASE_CLOSED');
      await audit.record(tx, auditCtx(actor), {
        action: 'reemployment_case.close',
        entity: 'reemployment_case',
        entityId: id,
        details: { reason: input.reason },
      });
      return presentCase((await repo.findCase(tx, id, UNSCOPED))!);
    },
  };
}

export type EmploymentService = ReturnType<typeof createEmploymentService>;
