import type { FiguresQueryInput, HouseholdListQueryInput } from '../../../../contracts/households.ts';
import type { DbOrTx } from '../../db/database.ts';
import { assertRegionInScope, canSeeRegion } from '../../platform/access.ts';
import type { Actor, AuditContext } from '../../platform/actor.ts';
import type { AuditLog } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { chinaDay, chinaToday } from '../../platform/time.ts';
import { jobsWorkedIn } from '../employment/index.ts';
import { regionRefs, requireRegion } from '../regions/index.ts';
import { householdStretches, maskedIdentifiers, maskName } from '../registry/index.ts';
import * as repo from './households.repo.ts';
import { incomeWindow } from './households.state.ts';

export { HOUSEHOLD_READERS, POVERTY_LINE_SETTERS } from '../../../../contracts/roles.ts';

/** The ledger and the employment histories begin in 2016 (the platform's first year of records). */
const DATA_BEGINS = '2016-01-01';
const auditCtx = (actor: Actor): AuditContext => ({ actor, ip: actor.ip });

export function createHouseholdsService({ audit }: { audit: AuditLog }) {
  function checkDate(asOf: string) {
    if (asOf < DATA_BEGINS) throw new AppError('HOUSEHOLD_DATE_BEFORE_DATA', undefined, { begins: DATA_BEGINS });
    const today = chinaToday();
    if (asOf > today) throw new AppError('HOUSEHOLD_DATE_IN_FUTURE', undefined, { today });
  }

  /** The region asked for: it exists and is the caller's; and the line of the date's year. */
  async function checkRegion(db: DbOrTx, actor: Actor, q: { region: string; asOf: string }) {
    checkDate(q.asOf);
    const region = await requireRegion(db, q.region);
    assertRegionInScope(actor, q.region);
    const line = await repo.povertyLine(db, Number(q.asOf.slice(0, 4)));
    return { region, line };
  }

  const perCapita = (h: { income: number; size: number }) => (h.size > 0 ? Math.round(h.income / h.size) : 0);

  return {
    /** The region's household figures as of D (docs/domain.md §9). */
    async figures(db: DbOrTx, actor: Actor, q: FiguresQueryInput) {
      const { region, line } = await checkRegion(db, actor, q);
      const window = incomeWindow(q.asOf);
      const f = await repo.figures(db, region.code, q.asOf, window.from, line?.yuan ?? null);
      await audit.record(db, auditCtx(actor), {
        action: 'household.figures',
        entity: 'region',
        entityId: region.code,
        details: { asOf: q.asOf },
      });
      return {
        region: { code: region.code, name: region.name, level: region.level },
        asOf: q.asOf,
        window,
        povertyLine: lineOf(line),
        ...f,
        reachingLine: line ? f.reachingLine : null,
      };
    },

    /** A page of the region's households as of D, filtered (零就业家庭 …); ID numbers masked. */
    async list(db: DbOrTx, actor: Actor, q: HouseholdListQueryInput) {
      const { region, line } = await checkRegion(db, actor, q);
      const window = incomeWindow(q.asOf);
      const pageSize = q.pageSize ?? 20;
      const page = q.page ?? 1;
      const filter = q.filter ?? 'all';
      const { rows, total } = await repo.list(db, {
        region: region.code,
        asOf: q.asOf,
        from: window.from,
        line: line?.yuan ?? null,
        filter,
        offset: (page - 1) * pageSize,
        limit: pageSize,
      });
      const [villages, ids] = await Promise.all([
        regionRefs(
          db,
          rows.map((r) => r.village),
        ),
        maskedIdentifiers(
          db,
          rows.map((r) => r.head_card),
        ),
      ]);
      await audit.record(db, auditCtx(actor), {
        action: 'household.list',
        entity: 'region',
        entityId: region.code,
        details: { asOf: q.asOf, filter, page, shown: rows.length },
      });
      return {
        total,
        asOf: q.asOf,
        window,
        povertyLine: lineOf(line),
        items: rows.map((h) => ({
          code: h.code,
          village: { code: h.village, name: villages.get(h.village)?.fullName ?? h.village },
          head: {
            laborerId: h.head_id,
            name: h.head_name,
            relationToHead: h.head_relation,
            idNumberMasked: ids.get(h.head_card)?.id_masked ?? '',
          },
          povertyStatus: h.poverty_status,
          size: h.size,
          members: h.members,
          able: h.able,
          employed: h.employed,
          income: h.income,
          perCapitaIncome: perCapita(h),
          reachesLine: h.reaches,
        })),
      };
    },

    /**
     * One household as of D: members (a member whose card lies outside the caller's region is
     * shown by a masked name only), who works where, income on record, and every stretch of time a
     * card named it. Not found — and the refusal audited — when no card named it that day or the
     * household (its head's village) lies outside the caller's region.
     */
    async household(db: DbOrTx, actor: Actor, code: string, asOfInput: string | undefined) {
      const asOf = asOfInput ?? chinaToday();
      checkDate(asOf);
      const window = incomeWindow(asOf);
      const line = await repo.povertyLine(db, Number(asOf.slice(0, 4)));
      const h = await repo.household(db, code, asOf, window.from, line?.yuan ?? null);
      if (!h || !canSeeRegion(actor, h.village))
        throw new AppError('NOT_FOUND').audited(auditCtx(actor), {
          action: 'household.view',
          entity: 'household',
          entityId: code,
          result: 'denied',
        });
      const [people, stretches] = await Promise.all([repo.members(db, code, asOf), householdStretches(db, code)]);
      const [jobs, ids] = await Promise.all([
        jobsWorkedIn(
          db,
          people.map((p) => p.laborer_id),
          window.from,
          asOf,
        ),
        maskedIdentifiers(
          db,
          people.map((p) => p.card_id),
        ),
      ]);
      const places = await regionRefs(db, [h.village, ...people.map((p) => p.village), ...jobs.map((j) => j.work_region_code)]);
      const place = (code: string) => ({ code, name: places.get(code)?.fullName ?? code });
      await audit.record(db, auditCtx(actor), {
        action: 'household.view',
        entity: 'household',
        entityId: code,
        details: { asOf, members: people.length },
      });
      return {
        code,
        asOf,
        window,
        village: place(h.village),
        povertyStatus: h.poverty_status,
        size: h.size,
        povertyLine: lineOf(line),
        income: h.income,
        perCapitaIncome: perCapita(h),
        reachesLine: h.reaches,
        members: people.map((p) => {
          const mine = canSeeRegion(actor, p.village);
          const own = jobs.filter((j) => j.laborer_id === p.laborer_id);
          return {
            laborerId: mine ? p.laborer_id : '',
            name: mine ? p.name : maskName(p.name),
            relationToHead: p.relation_to_head,
            idNumberMasked: mine ? (ids.get(p.card_id)?.id_masked ?? '') : '',
            phoneMasked: mine ? (ids.get(p.card_id)?.phone_masked ?? null) : null,
            village: place(p.village),
            laborCapacity: p.labor_capacity,
            able: p.able,
            employed: own.some((j) => j.open),
            income: Math.round(own.reduce((sum, j) => sum + j.earned, 0)),
            jobs: mine
              ? own.map((j) => ({
                  startedOn: j.started_on,
                  endedOn: j.ended_on,
                  employer: j.employer,
                  workRegion: place(j.work_region_code),
                  monthlyWage: j.monthly_wage,
                  months: Math.round(j.months * 100) / 100,
                  income: Math.round(j.earned),
                  openOnAsOf: j.open,
                }))
              : [],
          };
        }),
        history: stretches.map((s) => ({
          laborerId: s.laborer_id,
          name: s.name,
          relationToHead: s.relation_to_head,
          since: chinaDay(s.since),
          until: s.until ? chinaDay(s.until) : null,
        })),
      };
    },

    async povertyLines(db: DbOrTx) {
      return { items: (await repo.povertyLines(db)).map((r) => lineOf(r)!) };
    },

    /** Sets the year's line: a province admin only (the line is the province's); audited with the old value. */
    async setPovertyLine(db: DbOrTx, actor: Actor, year: number, yuan: number) {
      if (actor.role !== 'admin' || actor.regionCode.length !== 2) throw new AppError('POVERTY_LINE_PROVINCE_ONLY');
      const { before, row } = await repo.setPovertyLine(db, year, yuan, actor.id);
      await audit.record(db, auditCtx(actor), {
        action: 'household.poverty_line.set',
        entity: 'poverty_line',
        entityId: String(year),
        details: { before: before ?? null, after: yuan },
      });
      return lineOf(row)!;
    },
  };
}
export type HouseholdsService = ReturnType<typeof createHouseholdsService>;

/** A line as the API shows it, with when it was last set. */
function lineOf(row: { year: number; yuan: number; set_at: Date } | undefined | null) {
  return row ? { year: row.year, yuan: row.yuan, setAt: row.set_at.toISOString() } : null;
}
