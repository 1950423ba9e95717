import type { DashboardQueryInput, Flows, Funnel, FunnelQueryInput, Quarterly, RetentionCurve } from '../../../../contracts/dashboards.ts';
import type { Tx } from '../../db/database.ts';
import { assertRegionInScope, regionScope } from '../../platform/access.ts';
import type { Actor } from '../../platform/actor.ts';
import type { AuditLog } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { addDays, chinaDayEnd, chinaDayStart, chinaToday } from '../../platform/time.ts';
import type { RetentionService } from '../employment/index.ts';
import type { StatsService } from '../stats/index.ts';
import * as repo from './dashboards.repo.ts';
import { DASHBOARD_READERS } from '../../../../contracts/roles.ts';
export { DASHBOARD_READERS };

/** The platform's records begin in 2016 (the province generator's ledger starts then). */
export const DATA_BEGINS = '2016-01-01';
const MAX_LINKS = 40;

export function createDashboardsService({
  audit,
  retention,
  stats,
}: {
  audit: AuditLog;
  retention: Pick<RetentionService, 'curve'>;
  stats: Pick<StatsService, 'series'>;
}) {
  /** The region asked for (default: the caller's), existing and inside the caller's scope, and the date checked. */
  async function resolve(tx: Tx, actor: Actor, query: { region?: string; asOf?: string }) {
    const code = query.region ?? actor.regionCode;
    assertRegionInScope(actor, code);
    const region = await repo.regionName(tx, code);
    if (!region) throw new AppError('REGION_NOT_FOUND');
    const today = chinaToday();
    const asOf = query.asOf ?? today;
    if (asOf > today || asOf < DATA_BEGINS) throw new AppError('DASHBOARD_DATE_RANGE', undefined, { field: 'asOf' });
    const filter: repo.Filter = { scope: regionScope(actor, 'v.home_village_code'), region: code, asOf, asOfEnd: chinaDayEnd(asOf) };
    return { region: { code: region.code, name: region.name }, filter, asOf };
  }

  const record = (tx: Tx, actor: Actor, chart: string, details: Record<string, unknown>) =>
    audit.record(
      tx,
      { actor, ip: actor.ip },
      { action: `dashboard.${chart}`, entity: 'region', entityId: String(details.region), details },
    );

  return {
    async flows(tx: Tx, actor: Actor, query: DashboardQueryInput): Promise<Flows> {
      const { region, filter, asOf } = await resolve(tx, actor, query);
      const rows = await repo.flows(tx, {
        ...filter,
        today: asOf === chinaToday(),
        scopeOnEmployment: regionScope(actor, 'e.home_village_code'),
      });
      await record(tx, actor, 'flows', { region: region.code, asOf });
      const total = rows.reduce((s, r) => s + r.n, 0);
      const links = rows
        .slice(0, MAX_LINKS)
        .map((r) => ({ from: { code: r.home, name: r.home_name }, to: { code: r.work, name: r.work_name }, laborers: r.n }));
      return { asOf, region, total, links, others: total - links.reduce((s, l) => s + l.laborers, 0) };
    },

    /**
     * The statistics' own figures (modules/stats, DOMAIN.md "The statistics") at each quarter's
     * end since 2016 — the last quarter at the date asked for — never a second copy of their SQL.
     * New transfers in a quarter: the year's new transfers at its end less those at the end of
     * the quarter before (the first quarter: its own), so a year's quarters add up to its figure.
     */
    async quarterly(tx: Tx, actor: Actor, query: DashboardQueryInput): Promise<Quarterly> {
      const { region, asOf } = await resolve(tx, actor, query);
      const [y, m] = asOf.split('-').map(Number) as [number, number];
      const count = (y - 2016) * 4 + Math.floor((m - 1) / 3) + 1;
      const ends = Array.from({ length: count }, (_, k) => {
        const year = 2016 + Math.floor(k / 4);
        const q = (k % 4) + 1;
        return k === count - 1 ? asOf : addDays(`${q === 4 ? year + 1 : year}-${String(q === 4 ? 1 : q * 3 + 1).padStart(2, '0')}-01`, -1);
      });
      const series = await stats.series(tx, actor, { region: region.code, dates: ends });
      const quarters: Quarterly['quarters'] = [];
      let yearSoFar = 0;
      series.forEach((figures, k) => {
        const q = (k % 4) + 1;
        if (q === 1) yearSoFar = 0;
        quarters.push({
          quarter: `${2016 + Math.floor(k / 4)}Q${q}`,
          endOn: figures.asOf,
          registered: figures.registered,
          employed: figures.employed,
          employedShare: figures.employedShare,
          newTransfers: figures.newTransfersThisYear - yearSoFar,
        });
        yearSoFar = figures.newTransfersThisYear;
      });
      return { asOf, region, quarters };
    },

    async funnel(tx: Tx, actor: Actor, query: FunnelQueryInput): Promise<Funnel> {
      const { region, filter, asOf } = await resolve(tx, actor, query);
      const from = query.from ?? addDays(asOf, -364);
      if (from > asOf)
        throw new AppError('VALIDATION_FAILED', '起始日期不能晚于截至日期', [
          { field: 'querystring.from', message: '起始日期不能晚于截至日期' },
        ]);
      const row = await repo.funnel(tx, {
        ...filter,
        from,
        fromStart: chinaDayStart(from),
      });
      await record(tx, actor, 'funnel', { region: region.code, from, asOf });
      return {
        region,
        from,
        asOf,
        recommended: row.recommended,
        interviewed: row.interviewed,
        hired: row.hired,
        hiredSixMonthsAgo: row.hired_6m,
        stillAtWorkAfterSixMonths: row.retained_6m,
      };
    },

    /** The retention rate after 1…12 months, from the retention service in one pass (one definition, employment/retention.service.ts). */
    async retentionCurve(tx: Tx, actor: Actor, query: DashboardQueryInput): Promise<RetentionCurve> {
      const { region, asOf } = await resolve(tx, actor, query);
      const points = await retention.curve(tx, actor, { region: region.code, asOf });
      return { region, asOf, points };
    },
  };
}

export type DashboardsService = ReturnType<typeof createDashboardsService>;
