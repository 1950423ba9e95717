import {
  ACCREDITATION_CRITERIA,
  ACCREDITATION_THRESHOLDS,
  type AccreditationCriterion,
  type AccreditInput,
  type RemoveInput,
  type ReviewInput,
  type Standing,
  type StandingQueryInput,
  type Visit,
  type VisitInput,
  type VisitList,
  type VisitRoster,
  type VisitRosterQueryInput,
  STANDING_ACT,
} from '../../../../contracts/workshops.ts';
import type { DbOrTx, Tx } from '../../db/database.ts';
import { regionContains } from '../../platform/access.ts';
import type { Actor, AuditContext } from '../../platform/actor.ts';
import type { AuditLog } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { chinaToday } from '../../platform/time.ts';
import { employedAt } from '../employment/index.ts';
import * as repo from './standing.repo.ts';
import { accreditedThrough, type StandingAct, standingOn } from './standing.rules.ts';
import { findWorkshop, type WorkshopRow } from './workshops.repo.ts';

const auditCtx = (actor: Actor): AuditContext => ({ actor, ip: actor.ip });

const presentVisit = (v: repo.VisitRow): Visit => ({
  id: v.id,
  visitedOn: v.visited_on,
  visitor: v.visitor,
  findings: v.findings,
  recordedAt: new Date(v.recorded_at).toISOString(),
  counts: {
    at_work: v.checks.filter((c) => c.result === 'at_work').length,
    not_found: v.checks.filter((c) => c.result === 'not_found').length,
    left: v.checks.filter((c) => c.result === 'left').length,
  },
  checks: v.checks,
});

const toRule = (r: { act: StandingAct['act']; effective_on: string; review_year: number | null; review_passed: boolean | null }) => ({
  act: r.act,
  effectiveOn: r.effective_on,
  reviewYear: r.review_year,
  passed: r.review_passed,
});

/** Whether a workshop or base was accredited on day D (the end of D, China time): what the subsidy ledger asks (modules/subsidies). */
export async function isAccreditedOn(db: DbOrTx, employerId: string, day: string): Promise<boolean> {
  return standingOn((await repo.actsOf(db, employerId)).map(toRule), day).status === 'accredited';
}

/**
 * Whether one accreditation covers every day of [from, to], and the spans it was accredited in
 * that period in words: a workshop subsidy for the period is refused otherwise (modules/subsidies).
 */
export async function accreditationThrough(db: DbOrTx, employerId: string, from: string, to: string) {
  return accreditedThrough((await repo.actsOf(db, employerId)).map(toRule), from, to);
}

/**
 * 认定、年审、摘牌 of 扶贫车间 and 就业扶贫基地, and the 巡诊 of bases (issue 20 item 8). The acts are
 * decided by an admin of the unit's county or above and recorded in the order of their days, so
 * the standing read for a past day (standing.rules.ts) never changes after it is read; an act
 * may be dated back to its decision, not before the unit's last act.
 */
export function createStandingService({ audit }: { audit: AuditLog }) {
  async function unit(tx: Tx, actor: Actor, id: string, action: string): Promise<WorkshopRow> {
    const row = await findWorkshop(tx, id, chinaToday());
    if (!row || !regionContains(actor.regionCode, row.region_code)) {
      throw new AppError('NOT_FOUND').audited(auditCtx(actor), { action, entity: 'employer', entityId: id, result: 'denied' });
    }
    return row;
  }

  function assertDecider(actor: Actor) {
    if (actor.role !== 'admin' || actor.regionCode.length > 6) throw new AppError('STANDING_DECIDER_LEVEL');
  }

  /** The unit's acts, locked for the new one, which must not be dated in the future nor before the last. */
  async function history(tx: Tx, id: string, day: string) {
    const today = chinaToday();
    if (day > today) throw new AppError('STANDING_IN_FUTURE', `日期（${day}）不能晚于今天（${today}）`);
    await repo.lockUnit(tx, id);
    const acts = await repo.actsOf(tx, id);
    const last = acts.at(-1);
    if (last && day < last.effective_on) {
      throw new AppError(
        'STANDING_OUT_OF_ORDER',
        `日期（${day}）早于该单位最近一次${STANDING_ACT.labels[last.act]}的日期（${last.effective_on}），认定、年审、摘牌须按时间顺序登记`,
        { last: last.effective_on },
      );
    }
    return { acts, now: standingOn(acts.map(toRule), day) };
  }

  async function present(tx: DbOrTx, id: string, asOf: string): Promise<Standing> {
    const acts = (await repo.actsOf(tx, id)).filter((a) => a.effective_on <= asOf);
    const on = standingOn(acts.map(toRule), asOf);
    return {
      workshopId: id,
      asOf,
      ...on,
      history: acts.map((a) => ({
        id: a.id,
        act: a.act,
        effectiveOn: a.effective_on,
        reviewYear: a.review_year,
        passed: a.review_passed,
        findings: a.findings,
        reason: a.reason,
        documentNo: a.document_no,
        decidedBy: a.decided_by_name,
        recordedAt: new Date(a.recorded_at).toISOString(),
        criteria: a.criteria.map((c) => ({ ...c, value: Number(c.value), threshold: c.threshold === null ? null : Number(c.threshold) })),
      })),
    };
  }

  return {
    /** GET /workshops/:id/standing: the standing on a day and the acts in force by then. */
    async standing(tx: Tx, actor: Actor, id: string, query: StandingQueryInput): Promise<Standing> {
      await unit(tx, actor, id, 'workshop.standing_view');
      const asOf = query.asOf ?? chinaToday();
      await audit.record(tx, auditCtx(actor), { action: 'workshop.standing_view', entity: 'employer', entityId: id, details: { asOf } });
      return present(tx, id, asOf);
    },

    /**
     * POST /workshops/:id/accreditations: 认定, with its criteria checked and kept — the poor laborers
     * employed there on the day counted from the employment records (never typed), their share of
     * the workforce stated, the site and the contracts — against the thresholds then in force.
     */
    async accredit(tx: Tx, actor: Actor, id: string, input: AccreditInput): Promise<Standing> {
      assertDecider(actor);
      const row = await unit(tx, actor, id, 'workshop.accredit');
      const day = input.accreditedOn;
      const { now } = await history(tx, id, day);
      if (now.status === 'accredited')
        throw new AppError('STANDING_ALREADY_ACCREDITED', `该单位自 ${now.accreditedOn} 起已处于认定状态，不能重复认定`);
      const employed = (await employedAt(tx, id, day)).length;
      if (input.workforce < employed)
        throw new AppError(
          'STANDING_WORKFORCE',
          `职工总数（${input.workforce} 人）不能少于 ${day} 按就业记录在岗的贫困劳动力（${employed} 人）`,
        );
      const rule = ACCREDITATION_THRESHOLDS[row.kind];
      const share = Math.round((employed * 1000) / input.workforce) / 10;
      const criteria: { criterion: AccreditationCriterion; value: number; threshold: number | null; met: boolean | null }[] = [
        { criterion: 'poor_employed', value: employed, threshold: rule.poorEmployed, met: employed >= rule.poorEmployed },
        { criterion: 'poor_share', value: share, threshold: rule.poorShare, met: share >= rule.poorShare },
        { criterion: 'workforce', value: input.workforce, threshold: null, met: null },
        { criterion: 'site', value: input.site ? 1 : 0, threshold: null, met: input.site },
        { criterion: 'labor_contracts', value: input.laborContracts ? 1 : 0, threshold: null, met: input.laborContracts },
      ];
      const unmet: string[] = [];
      if (employed < rule.poorEmployed && share < rule.poorShare)
        unmet.push(
          `吸纳贫困劳动力 ${employed} 人（须不少于 ${rule.poorEmployed} 人），占职工总数 ${share}%（或不低于 ${rule.poorShare}%），均未达到`,
        );
      if (!input.site) unmet.push(`未满足“${ACCREDITATION_CRITERIA.labels.site}”`);
      if (!input.laborContracts) unmet.push(`未满足“${ACCREDITATION_CRITERIA.labels.labor_contracts}”`);
      if (unmet.length) throw new AppError('STANDING_CRITERIA_NOT_MET', `认定条件未满足：${unmet.join('；')}`, { criteria });
      const actId = await repo.insertAct(tx, {
        employerId: id,
        act: 'accreditation',
        effectiveOn: day,
        documentNo: input.documentNo?.trim() || null,
        by: actor.id,
      });
      await repo.insertCriteria(tx, actId, criteria);
      await audit.record(tx, auditCtx(actor), {
        action: 'workshop.accredit',
        entity: 'employer',
        entityId: id,
        details: { on: day, poorEmployed: employed, workforce: input.workforce, documentNo: input.documentNo ?? null },
      });
      return present(tx, id, chinaToday());
    },

    /** POST /workshops/:id/reviews: 年审 of a year, once, while accredited; a failed one says what was found. */
    async review(tx: Tx, actor: Actor, id: string, input: ReviewInput): Promise<Standing> {
      assertDecider(actor);
      await unit(tx, actor, id, 'workshop.review');
      const day = input.reviewedOn;
      const findings = input.findings?.trim() || null;
      if (!input.passed && !findings) throw new AppError('STANDING_FINDINGS_REQUIRED');
      const { acts, now } = await history(tx, id, day);
      if (now.status !== 'accredited') throw new AppError('STANDING_NOT_ACCREDITED', `该单位在 ${day} 未处于认定状态，不能年审`);
      if (input.year > Number(day.slice(0, 4)) || input.year < Number(now.accreditedOn!.slice(0, 4)))
        throw new AppError(
          'STANDING_REVIEW_YEAR',
          `年审年度（${input.year}）须在认定年度（${now.accreditedOn!.slice(0, 4)}）至年审日期所在年度（${day.slice(0, 4)}）之间`,
        );
      if (acts.some((a) => a.act === 'review' && a.review_year === input.year))
        throw new AppError('STANDING_REVIEW_DUPLICATE', `该单位 ${input.year} 年度已经年审`);
      await repo.insertAct(tx, {
        employerId: id,
        act: 'review',
        effectiveOn: day,
        reviewYear: input.year,
        passed: input.passed,
        findings,
        by: actor.id,
      });
      await audit.record(tx, auditCtx(actor), {
        action: 'workshop.review',
        entity: 'employer',
        entityId: id,
        details: { on: day, year: input.year, passed: input.passed },
      });
      return present(tx, id, chinaToday());
    },

    /** POST /workshops/:id/removal: 摘牌 from a day (its first day without standing), with the reason. */
    async remove(tx: Tx, actor: Actor, id: string, input: RemoveInput): Promise<Standing> {
      assertDecider(actor);
      await unit(tx, actor, id, 'workshop.remove');
      const day = input.removedOn;
      const { now } = await history(tx, id, day);
      if (now.status !== 'accredited') throw new AppError('STANDING_NOT_ACCREDITED', `该单位在 ${day} 未处于认定状态，无需摘牌`);
      const reason = input.reason.trim();
      await repo.insertAct(tx, {
        employerId: id,
        act: 'removal',
        effectiveOn: day,
        reason,
        documentNo: input.documentNo?.trim() || null,
        by: actor.id,
      });
      await audit.record(tx, auditCtx(actor), {
        action: 'workshop.remove',
        entity: 'employer',
        entityId: id,
        details: { on: day, reason },
      });
      return present(tx, id, chinaToday());
    },

    /** GET /workshops/:id/visits/roster: the poor laborers employed at the base on the day, to be checked one by one (masked, audited). */
    async roster(tx: Tx, actor: Actor, id: string, query: VisitRosterQueryInput): Promise<VisitRoster> {
      const row = await unit(tx, actor, id, 'workshop.visit_roster');
      if (row.kind !== 'base') throw new AppError('VISIT_NOT_BASE');
      const on = query.on ?? chinaToday();
      const items = await employedAt(tx, id, on);
      await audit.record(tx, auditCtx(actor), {
        action: 'workshop.visit_roster',
        entity: 'employer',
        entityId: id,
        details: { on, rows: items.length },
      });
      return { on, items };
    },

    async visits(tx: Tx, actor: Actor, id: string): Promise<VisitList> {
      await unit(tx, actor, id, 'workshop.visits_view');
      const rows = await repo.visitsOf(tx, id);
      await audit.record(tx, auditCtx(actor), {
        action: 'workshop.visits_view',
        entity: 'employer',
        entityId: id,
        details: { rows: rows.length },
      });
      return { items: rows.map(presentVisit) };
    },

    /**
     * POST /workshops/:id/visits: a 巡诊 of a base — its findings, and each poor laborer employed
     * there on the day (the employment records' roster) checked: found at work, not found, or left.
     * Every one of them, and only them: a visit that skips someone is refused, naming who.
     */
    async recordVisit(tx: Tx, actor: Actor, id: string, input: VisitInput): Promise<Visit> {
      const row = await unit(tx, actor, id, 'workshop.visit');
      if (row.kind !== 'base') throw new AppError('VISIT_NOT_BASE');
      const today = chinaToday();
      if (input.visitedOn > today) throw new AppError('VISIT_IN_FUTURE', `巡诊日期（${input.visitedOn}）不能晚于今天（${today}）`);
      const roster = await employedAt(tx, id, input.visitedOn);
      const byLaborer = new Map(roster.map((r) => [r.laborerId, r]));
      const checked = new Set<string>();
      const unexpected: string[] = [];
      for (const c of input.checks) {
        if (!byLaborer.has(c.laborerId) || checked.has(c.laborerId)) unexpected.push(c.laborerId);
        checked.add(c.laborerId);
      }
      const missing = roster.filter((r) => !checked.has(r.laborerId));
      if (missing.length || unexpected.length) {
        const parts = [];
        if (missing.length)
          parts.push(
            `未核查 ${missing.length} 人：${missing
              .slice(0, 10)
              .map((m) => m.name)
              .join('、')}${missing.length > 10 ? ' 等' : ''}`,
          );
        if (unexpected.length) parts.push(`${unexpected.length} 条核查不是当日在该基地就业的贫困劳动力，或重复核查`);
        throw new AppError(
          'VISIT_ROSTER_MISMATCH',
          `须逐一核查 ${input.visitedOn} 在该基地就业的 ${roster.length} 名贫困劳动力：${parts.join('；')}`,
          {
            missing: missing.map((m) => m.laborerId),
            unexpected,
          },
        );
      }
      const checks = input.checks.map((c) => ({
        employmentId: byLaborer.get(c.laborerId)!.employmentId,
        laborerId: c.laborerId,
        result: c.result,
        note: c.note?.trim() || null,
      }));
      const visitId = await repo.insertVisit(tx, {
        employerId: id,
        visitedOn: input.visitedOn,
        findings: input.findings.trim(),
        by: actor.id,
        checks,
      });
      const count = (r: string) => checks.filter((c) => c.result === r).length;
      await audit.record(tx, auditCtx(actor), {
        action: 'workshop.visit',
        entity: 'employer',
        entityId: id,
        details: { on: input.visitedOn, rows: checks.length, atWork: count('at_work'), notFound: count('not_found'), left: count('left') },
      });
      return presentVisit((await repo.visitsOf(tx, id)).find((v) => v.id === visitId)!);
    },
  };
}

export type StandingService = ReturnType<typeof createStandingService>;
