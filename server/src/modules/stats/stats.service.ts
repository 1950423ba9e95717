import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Db, Tx, DbOrTx } from '../../db/database.ts';
import { assertRegionInScope, regionScope } from '../../platform/access.ts';
import type { Actor, AuditContext } from '../../platform/actor.ts';
import type { AuditLog } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { addDays, addMonths, chinaToday, yearStart } from '../../platform/time.ts';
import { safeCell } from '../../platform/excel/excel-safety.ts';
import { createReadThrough } from '../../platform/read-through.ts';
import type { RetentionService } from '../employment/index.ts';
import * as repo from './stats.repo.ts';
import type {
  BreakdownQueryInput,
  DrillItem,
  DrillQueryInput,
  Figure,
  Monthly,
  MonthlyQueryInput,
  SummaryQueryInput,
  TargetBodyInput,
  Verification,
  VerificationQueryInput,
} from './stats.schemas.ts';

export { STATS_READERS } from '../../../../contracts/roles.ts';

/** The ledger and the employment histories begin in 2016 (the platform's first year of records). */
export const DATA_BEGINS = '2016-01-01';

const CHILD_LENGTH: Record<number, number | undefined> = { 2: 4, 4: 6, 6: 9, 9: 12 };
const auditCtx = (actor: Actor): AuditContext => ({ actor, ip: actor.ip });
const share0 = (a: number, b: number) => Math.round((a / b) * 10_000) / 10_000;
const share = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 10_000) / 10_000 : null);

type Counts = Record<string, number>;

/** The last day of the month before the one `day` falls in. */
const endOfMonthBefore = (day: string) => addDays(`${day.slice(0, 7)}-01`, -1);

/**
 * The days a monthly series is read at: each month's last day, the current month's today; the
 * `count` months ending with today's, none before the records begin (oldest first).
 */
export function monthEnds(today: string, count: number): string[] {
  const ends = [today];
  for (let k = 1; k < count; k++) ends.unshift(endOfMonthBefore(ends[0]!));
  return ends.filter((d) => d >= DATA_BEGINS);
}
type FigureParts = [Map<string, repo.Measures>, Map<string, Counts>, Map<string, Counts>, Map<string, number>, Map<string, number>];

/** Each figure's count from the counts by kind (0 for a kind nobody received). */
const columnsOf = <C extends Record<string, string>>(columns: C, counts: Counts | undefined) =>
  Object.fromEntries(Object.entries(columns).map(([figure, kind]) => [figure, counts?.[kind] ?? 0])) as { [K in keyof C]: number };

/** The summary's fields from the as-of measures and the period counts (DOMAIN.md, "The statistics"). */
export function presentFigures(
  m: repo.Measures,
  services: Counts | undefined,
  subsidies: Counts | undefined,
  target: number | null,
  abroad = 0,
) {
  return {
    registered: m.registered,
    employed: m.employed,
    employedShare: share(m.employed, m.registered),
    inCounty: m.in_county,
    outOfCountyInProvince: m.in_province,
    outOfProvince: m.employed - m.in_county - m.in_province,
    /** Of outOfProvince, abroad (境外). */
    abroad,
    selfEmployed: m.self_found,
    throughAssistance: m.assisted,
    averageMonthlyWage: m.wage_n > 0 ? Math.round(m.wage_sum / m.wage_n) : null,
    newTransfersThisYear: m.new_transfers,
    yearTarget: target,
    targetCompletion: target ? share(m.new_transfers, target) : null,
    services: columnsOf(repo.SERVICE_COLUMNS, services),
    subsidies: columnsOf(repo.SUBSIDY_COLUMNS, subsidies),
    retentionRate6m: share(m.retained6, m.placed6),
  };
}
export type Figures = ReturnType<typeof presentFigures>;

/**
 * `db` (the pool), when given, reads the figures: they are read-only, so their four queries
 * (as-of measures, services, subsidies, targets) run side by side on separate connections instead
 * of one after another on the request's transaction, which keeps only the audit row.
 */
export function createStatsService({
  audit,
  retention,
  db: pool,
}: {
  audit: AuditLog;
  retention: Pick<RetentionService, 'rate'>;
  db?: Db;
}) {
  // Without a pool (a caller inside its own transaction), the figures are read on that transaction.
  const readerOf = (db: DbOrTx) => pool ?? db;
  // The figures read through the pool are kept by the state of the tables they read (issue 14:
  // the province's summary costs 70–240 ms of the database's time; a kept one, one small sum).
  const kept = createReadThrough<FigureParts>({ max: 2000 });
  /** Bad input gets a clear answer: dates inside the platform's records, a region that exists and is the caller's. */
  async function checkQuery(db: DbOrTx, actor: Actor, q: { region: string; asOf: string; from?: string }) {
    return checkQueryWithin(db, (code) => assertRegionInScope(actor, code), q);
  }
  /** The same checks with the scope given as a check of the region (a client system of the data exchange has no actor). */
  async function checkQueryWithin(db: DbOrTx, inScope: (code: string) => void, q: { region: string; asOf: string; from?: string }) {
    const today = chinaToday();
    if (q.asOf < DATA_BEGINS || (q.from && q.from < DATA_BEGINS))
      throw new AppError('STATS_DATE_BEFORE_DATA', undefined, { begins: DATA_BEGINS });
    if (q.asOf > today) throw new AppError('STATS_DATE_IN_FUTURE', undefined, { today });
    const from = q.from ?? yearStart(q.asOf);
    if (from > q.asOf) throw new AppError('STATS_FROM_AFTER_AS_OF');
    const region = await repo.region(db, q.region);
    if (!region) throw new AppError('REGION_NOT_FOUND');
    inScope(q.region);
    return { region, from };
  }

  /** The figures of `region` grouped at `groupLength` digits (its own length, or its children's). */
  async function figuresBy(db: DbOrTx, region: string, asOf: string, from: string, groupLength: number, codes: string[]) {
    const read = () =>
      Promise.all([
        repo.asOfMeasures(db, region, asOf, groupLength),
        repo.serviceCounts(db, region, from, asOf, groupLength),
        repo.subsidyPersons(db, region, from, asOf, groupLength),
        repo.targets(db, codes, Number(asOf.slice(0, 4))),
        repo.abroadAsOf(db, region, asOf, groupLength),
      ]);
    const [measures, services, subsidies, targets, abroad] =
      pool && db === pool
        ? await kept.get([region, asOf, from, groupLength, ...codes].join('|'), () => repo.inputVersion(pool, region), read)
        : await read();
    return (code: string) =>
      presentFigures(
        measures.get(code) ?? repo.zeroMeasures(),
        services.get(code),
        subsidies.get(code),
        targets.get(code) ?? null,
        abroad.get(code) ?? 0,
      );
  }

  async function breakdownOf(db: DbOrTx, actor: Actor, query: BreakdownQueryInput) {
    return breakdownWithin(db, (code) => assertRegionInScope(actor, code), query);
  }
  async function breakdownWithin(db: DbOrTx, inScope: (code: string) => void, query: BreakdownQueryInput) {
    const { region, from } = await checkQueryWithin(db, inScope, query);
    const byCounty = query.by === 'county' && region.code.length < 6;
    const reader = readerOf(db);
    const childLength = byCounty ? 6 : CHILD_LENGTH[region.code.length];
    const [own, kids, staleSince] = await Promise.all([
      figuresBy(reader, region.code, query.asOf, from, region.code.length, [region.code]),
      byCounty ? repo.counties(reader, region.code) : childLength ? repo.children(reader, region.code) : Promise.resolve([]),
      repo.staleSince(reader),
    ]);
    const perChild = childLength
      ? await figuresBy(
          reader,
          region.code,
          query.asOf,
          from,
          childLength,
          kids.map((k) => k.code),
        )
      : null;
    return {
      region: { code: region.code, name: region.name, level: region.level, ...own(region.code) },
      asOf: query.asOf,
      from,
      staleSince,
      children: perChild ? kids.map((k) => ({ code: k.code, name: k.name, level: k.level, ...perChild(k.code) })) : [],
    };
  }

  /**
   * The list behind a figure, for the drill-down's page and its export alike: the query checked
   * (dates, region, scope), then `read(limit, offset)` gives the people in the list's order,
   * scoped and masked, with the list's total (null when the page is past the end and cannot say).
   */
  async function drillReader(tx: Tx, actor: Actor, query: Omit<DrillQueryInput, 'page' | 'pageSize'>) {
    const { region, from } = await checkQuery(tx, actor, query);
    const figure: Figure = query.figure;
    type Page = { total: number | null; items: DrillItem[] };
    if (figure === 'retentionRate6m') {
      // The employment module's retention rate, through its service: its placements are the list.
      const read = async (limit: number, offset: number): Promise<Page> => {
        const rate = await retention.rate(tx, actor, {
          region: region.code,
          months: 6,
          asOf: query.asOf,
          list: query.list,
          page: Math.floor(offset / limit) + 1,
          pageSize: limit,
        });
        return {
          total: rate.itemsTotal,
          items: rate.items.map((i) => ({
            laborer: i.laborer,
            workRegionName: i.workplace,
            startedOn: i.startedOn,
            monthlyWage: null,
            channel: null,
            recordDate: i.endedOn,
            recordNote: i.retained ? '6 个月后仍在岗' : '6 个月后不在岗',
          })),
        };
      };
      return { region, from, read };
    }
    const fetch = (limit: number, offset: number) => {
      if (figure.startsWith('services.')) {
        return repo.drillServices(tx, {
          kind: repo.SERVICE_COLUMNS[figure.slice('services.'.length) as keyof typeof repo.SERVICE_COLUMNS],
          region: region.code,
          from,
          to: query.asOf,
          scope: regionScope(actor, 's.region_code'),
          limit,
          offset,
        });
      }
      if (figure.startsWith('subsidies.')) {
        const kind = repo.SUBSIDY_COLUMNS[figure.slice('subsidies.'.length) as keyof typeof repo.SUBSIDY_COLUMNS];
        return repo.drillSubsidies(tx, {
          kind,
          region: region.code,
          from,
          to: query.asOf,
          scope: regionScope(actor, 's.home_region_code'),
          limit,
          offset,
        });
      }
      return repo.drillAsOf(tx, {
        figure: figure as repo.AsOfFigure,
        region: region.code,
        asOf: query.asOf,
        scope: regionScope(actor, 'v.home_village_code'),
        limit,
        offset,
      });
    };
    const read = async (limit: number, offset: number): Promise<Page> => {
      const rows = await fetch(limit, offset);
      return {
        total: rows.length ? Number(rows[0]!.total) : null,
        items: rows.map((r) => ({
          laborer: {
            id: String(r.laborer_id),
            name: r.laborer_name,
            sex: r.sex,
            idNumberMasked: r.id_masked,
            phoneMasked: r.phone_masked,
            villageCode: r.home_village_code,
            villageName: r.village_name,
          },
          workRegionName: r.work_region_name,
          startedOn: r.started_on,
          monthlyWage: r.monthly_wage,
          channel: r.channel,
          recordDate: r.record_date,
          recordNote: r.record_note,
        })),
      };
    };
    return { region, from, read };
  }

  /**
   * The as-of figures of one region at many dates (a dashboard's series): the same measures as
   * the summary's, without its period counts (services, subsidies) or targets, read side by side,
   * and one audit row for the whole series.
   */
  async function series(tx: Tx, actor: Actor, query: { region: string; dates: string[] }) {
    if (query.dates.length === 0) return [];
    const sorted = [...query.dates].sort();
    const { region } = await checkQuery(tx, actor, { region: query.region, asOf: sorted.at(-1)!, from: sorted[0] });
    const reader = readerOf(tx);
    const measures = await Promise.all(query.dates.map((d) => repo.asOfMeasures(reader, region.code, d, region.code.length)));
    await audit.record(tx, auditCtx(actor), {
      action: 'stats.series',
      entity: 'region',
      entityId: region.code,
      details: { dates: query.dates.length, from: sorted[0], asOf: sorted.at(-1) },
    });
    return query.dates.map((asOf, i) => {
      const f = presentFigures(measures[i]!.get(region.code) ?? repo.zeroMeasures(), undefined, undefined, null);
      return {
        asOf,
        registered: f.registered,
        employed: f.employed,
        employedShare: f.employedShare,
        newTransfersThisYear: f.newTransfersThisYear,
      };
    });
  }

  return {
    checkQuery,

    /**
     * The actor's own region today, the summary's headline figures (employed share, new transfers
     * this year against the year's target), unaudited: the workbench audits its own view.
     */
    async headline(db: DbOrTx, actor: Actor) {
      const asOf = chinaToday();
      const code = actor.regionCode;
      const f = (await figuresBy(readerOf(db), code, asOf, yearStart(asOf), code.length, [code]))(code);
      return {
        asOf,
        registered: f.registered,
        employed: f.employed,
        employedShare: f.employedShare,
        newTransfersThisYear: f.newTransfersThisYear,
        yearTarget: f.yearTarget,
        targetCompletion: f.targetCompletion,
      };
    },

    async summary(tx: Tx, actor: Actor, query: SummaryQueryInput) {
      const { region, from } = await checkQuery(tx, actor, query);
      const reader = readerOf(tx);
      const [figures, staleSince] = await Promise.all([
        figuresBy(reader, region.code, query.asOf, from, region.code.length, [region.code]),
        repo.staleSince(reader),
      ]);
      await audit.record(tx, auditCtx(actor), {
        action: 'stats.summary',
        entity: 'region',
        entityId: region.code,
        details: { asOf: query.asOf, from },
      });
      return {
        region: { code: region.code, name: region.name, level: region.level },
        asOf: query.asOf,
        from,
        staleSince,
        ...figures(region.code),
      };
    },

    series,

    /**
     * 务工规模 month by month (issue 20 item 2): the region's employed at each month's end — the
     * current month's as of today — read by `series`, so each point is the summary's figure for
     * that day; `months` months (24 unless told), none before the records begin.
     */
    async monthly(tx: Tx, actor: Actor, query: MonthlyQueryInput): Promise<Monthly> {
      const region = await repo.region(tx, query.region);
      if (!region) throw new AppError('REGION_NOT_FOUND');
      // The dashboards ask for the months to their chosen day; the last month ends on that day.
      if (query.asOf && query.asOf < DATA_BEGINS) throw new AppError('STATS_DATE_BEFORE_DATA', undefined, { begins: DATA_BEGINS });
      const dates = monthEnds(query.asOf ?? chinaToday(), query.months ?? 24);
      const points = await series(tx, actor, { region: region.code, dates });
      return {
        region: { code: region.code, name: region.name, level: region.level },
        months: points.map((p) => ({
          month: p.asOf.slice(0, 7),
          asOf: p.asOf,
          registered: p.registered,
          employed: p.employed,
          employedShare: p.employedShare,
        })),
      };
    },

    /**
     * The townships of a county whose employed fell, from the end of the month before last to the
     * end of last month (the last two complete months), by more than `share` of the first figure —
     * the county's 工作台 alert (issue 20 item 2). Counts only, unaudited: the caller audits its view.
     */
    async townshipDeclines(db: DbOrTx, county: string, share: number) {
      const lastEnd = endOfMonthBefore(chinaToday());
      const before = endOfMonthBefore(lastEnd);
      const reader = readerOf(db);
      const [townships, was, now] = await Promise.all([
        repo.children(reader, county),
        repo.asOfMeasures(reader, county, before, 9),
        repo.asOfMeasures(reader, county, lastEnd, 9),
      ]);
      return townships.flatMap((t) => {
        const from = was.get(t.code)?.employed ?? 0;
        const to = now.get(t.code)?.employed ?? 0;
        // Whole numbers compared, so a fall of exactly the share is not "more than" it by a rounding.
        if (from === 0 || (from - to) * 1_000_000 <= Math.round(share * 1_000_000) * from) return [];
        return [{ code: t.code, name: t.name, before, asOf: lastEnd, employedBefore: from, employed: to, fall: share0(from - to, from) }];
      });
    },

    /**
     * Each county's new transfers this year and the year's target, as of a date, for an internal
     * caller that ranks every county of a province whoever asks (the county assessment): counts
     * only, no personal data, no actor and no audit row of its own — the caller audits its view.
     */
    async countyTransfers(
      db: DbOrTx,
      province: string,
      asOf: string,
    ): Promise<Map<string, { newTransfers: number; target: number | null }>> {
      const reader = readerOf(db);
      const counties = await repo.counties(reader, province);
      const [measures, targets] = await Promise.all([
        repo.asOfMeasures(reader, province, asOf, 6),
        repo.targets(
          reader,
          counties.map((c) => c.code),
          Number(asOf.slice(0, 4)),
        ),
      ]);
      return new Map(
        counties.map((c) => [c.code, { newTransfers: measures.get(c.code)?.new_transfers ?? 0, target: targets.get(c.code) ?? null }]),
      );
    },

    async breakdown(tx: Tx, actor: Actor, query: BreakdownQueryInput) {
      const result = await breakdownOf(tx, actor, query);
      await audit.record(tx, auditCtx(actor), {
        action: 'stats.breakdown',
        entity: 'region',
        entityId: result.region.code,
        details: { asOf: query.asOf, from: result.from },
      });
      return result;
    },

    /** The list behind a figure, scoped and masked; its total is the figure (the wage: the employed with a wage). */
    async drill(tx: Tx, actor: Actor, query: DrillQueryInput) {
      const { region, from, read } = await drillReader(tx, actor, query);
      const page = query.page ?? 1;
      const pageSize = query.pageSize ?? 20;
      const figure: Figure = query.figure;
      const { items, total } = await read(pageSize, (page - 1) * pageSize);
      await audit.record(tx, auditCtx(actor), {
        action: 'stats.drill',
        entity: 'laborer',
        details: {
          region: region.code,
          asOf: query.asOf,
          from: figure === 'retentionRate6m' ? undefined : from,
          figure,
          shown: items.length,
        },
      });
      // A page past the end still says how many there are.
      return { figure, total: total ?? (page > 1 ? ((await read(1, 0)).total ?? 0) : 0), items };
    },

    drillReader,

    /**
     * GET /stats/verification (issue 21 item 3): of the employed on asOf, those whose job something
     * beyond typing confirmed in the three months to asOf — a follow-up, the employer, social
     * insurance. Audited as a view of the region's figures.
     */
    async verification(tx: Tx, actor: Actor, query: VerificationQueryInput): Promise<Verification> {
      const { region } = await checkQuery(tx, actor, query);
      const from = addDays(addMonths(query.asOf, -3), 1);
      const v = await repo.verificationAsOf(tx, {
        region: region.code,
        asOf: query.asOf,
        from,
        scope: regionScope(actor, 'v.home_village_code'),
      });
      await audit.record(tx, auditCtx(actor), {
        action: 'stats.verification',
        entity: 'region',
        entityId: region.code,
        details: { asOf: query.asOf, employed: v.employed, confirmed: v.confirmed },
      });
      return {
        region: { code: region.code, name: region.name, level: region.level },
        asOf: query.asOf,
        from,
        employed: v.employed,
        confirmed: v.confirmed,
        confirmedShare: share(v.confirmed, v.employed),
        byKind: { follow_up: v.follow_up, employer: v.employer, social_insurance: v.social_insurance },
      };
    },

    /**
     * The article's table — the region's summary and its children's, the same figures as
     * `summary` and `breakdown` — for a client system of the data exchange (issue 21 item 5,
     * docs/exchange.md "Files"): `inScope` refuses a region outside the client's. Unaudited: the
     * exchange audits its download with the row count.
     */
    async tableWithin(db: DbOrTx, inScope: (code: string) => void, query: BreakdownQueryInput) {
      return breakdownWithin(db, inScope, query);
    },

    /** Checks the query before the download starts, so a refusal comes back as JSON. */
    async checkExport(db: Db, actor: Actor, query: SummaryQueryInput) {
      return db.transaction().execute((tx) => checkQuery(tx, actor, query));
    },

    /** The summary and its breakdown as .xlsx in the layout of the second article's table, audited. */
    async export(db: Db, actor: Actor, query: SummaryQueryInput, output: Writable): Promise<number> {
      const data = await db.transaction().execute(async (tx) => {
        const result = await breakdownOf(tx, actor, query);
        await audit.record(tx, auditCtx(actor), {
          action: 'stats.export',
          entity: 'region',
          entityId: result.region.code,
          details: { asOf: query.asOf, from: result.from, rows: result.children.length + 1 },
        });
        return result;
      });
      return writeSummaryXlsx(data, output);
    },

    async targets(tx: Tx, actor: Actor, query: { region: string; year: number }) {
      const region = await repo.region(tx, query.region);
      if (!region) throw new AppError('REGION_NOT_FOUND');
      assertRegionInScope(actor, region.code);
      const kids = await repo.children(tx, region.code);
      const targets = await repo.targets(tx, [region.code, ...kids.map((k) => k.code)], query.year);
      const row = (r: repo.RegionRow) => ({
        code: r.code,
        name: r.name,
        level: r.level,
        newTransfers: targets.get(r.code) ?? null,
        editable: canSetTarget(actor, r.code),
      });
      return { year: query.year, region: row(region), children: CHILD_LENGTH[region.code.length] ? kids.map(row) : [] };
    },

    async setTarget(tx: Tx, actor: Actor, body: TargetBodyInput) {
      const region = await repo.region(tx, body.region);
      if (!region) throw new AppError('REGION_NOT_FOUND');
      assertRegionInScope(actor, region.code);
      if (!canSetTarget(actor, region.code)) throw new AppError('STATS_TARGET_BY_LEVEL_ABOVE');
      await repo.setTarget(tx, { region: region.code, year: body.year, newTransfers: body.newTransfers, by: actor.id });
      await audit.record(tx, auditCtx(actor), {
        action: 'stats.target.set',
        entity: 'region',
        entityId: region.code,
        details: { year: body.year, newTransfers: body.newTransfers },
      });
      return { region: region.code, year: body.year, newTransfers: body.newTransfers };
    },
  };
}

/** Targets are set by the level above: an admin for the regions below their own (the province's own by the province). */
export function canSetTarget(actor: Actor, code: string): boolean {
  return actor.role === 'admin' && code.startsWith(actor.regionCode) && (code !== actor.regionCode || code.length === 2);
}

type Breakdown = {
  region: { code: string; name: string } & Figures;
  asOf: string;
  from: string;
  children: ({ code: string; name: string } & Figures)[];
};

/** The second article's table: region, laborers, employed (share), where, channel, wage, new transfers (completion), services, subsidies. */
async function writeSummaryXlsx(data: Breakdown, output: Writable): Promise<number> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
  try {
    const sheet = workbook.addWorksheet('劳务协作脱贫统计表');
    const top = [
      '地区',
      '建档立卡贫困劳动力（人）',
      '已就业',
      '',
      '其中：县内',
      '',
      '县外省内',
      '',
      '省外',
      '',
      '自主就业（人）',
      '就业帮扶（人）',
      '月均工资（元）',
      '今年新增转移就业',
      '',
      '',
      '就业服务（人次）',
      '',
      '',
      '',
      '补贴（人）',
      '',
      '',
      '',
      '6个月稳岗率',
    ];
    const sub = [
      '',
      '',
      '人数',
      '占比',
      '人数',
      '占比',
      '人数',
      '占比',
      '人数',
      '占比',
      '',
      '',
      '',
      '人数',
      '目标',
      '完成率',
      '职业指导',
      '职业介绍',
      '职业培训',
      '创业服务',
      '培训补贴',
      '社保补贴',
      '岗位补贴',
      '政策扶持',
      '',
    ];
    sheet.columns = top.map((_, i) => ({ width: i === 0 ? 24 : 12 }));
    const title = sheet.addRow([safeCell(`劳务协作脱贫统计表（截至 ${data.asOf}，服务与补贴 ${data.from} 至 ${data.asOf}）`)]);
    title.font = { bold: true, size: 14 };
    const headers = [top, sub].map((labels) => {
      const row = sheet.addRow(labels.map(safeCell));
      row.font = { bold: true };
      row.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
      return row;
    });
    // Merged header cells (before their rows are committed): the title across the table, the
    // one-row columns over both header rows, the groups over their columns.
    sheet.mergeCells(1, 1, 1, top.length);
    for (const c of [1, 2, 11, 12, 13, 25]) sheet.mergeCells(2, c, 3, c);
    for (const [a, b] of [
      [3, 4],
      [5, 6],
      [7, 8],
      [9, 10],
      [14, 16],
      [17, 20],
      [21, 24],
    ] as const)
      sheet.mergeCells(2, a, 2, b);
    title.commit();
    for (const row of headers) row.commit();
    const pct = (x: number | null) => (x === null ? null : Math.round(x * 10_000) / 100);
    const line = (name: string, f: Figures) => {
      const of = (n: number) => (f.employed ? pct(n / f.employed) : null);
      const row = sheet.addRow([
        safeCell(name),
        f.registered,
        f.employed,
        pct(f.employedShare),
        f.inCounty,
        of(f.inCounty),
        f.outOfCountyInProvince,
        of(f.outOfCountyInProvince),
        f.outOfProvince,
        of(f.outOfProvince),
        f.selfEmployed,
        f.throughAssistance,
        f.averageMonthlyWage,
        f.newTransfersThisYear,
        f.yearTarget,
        pct(f.targetCompletion),
        f.services.guidance,
        f.services.introduction,
        f.services.training,
        f.services.entrepreneurship,
        f.subsidies.training,
        f.subsidies.socialInsurance,
        f.subsidies.job,
        f.subsidies.policySupport,
        pct(f.retentionRate6m),
      ]);
      row.commit();
    };
    line(data.region.name, data.region);
    for (const c of data.children) line(`　${c.name}`, c);
    const note = sheet.addRow([
      safeCell('占比、完成率、稳岗率为百分数；县内、县外省内、省外占比为占已就业人数的比例。口径见 DOMAIN.md「The statistics」。'),
    ]);
    note.commit();
    sheet.commit();
    await workbook.commit();
    return data.children.length + 1;
  } catch (error) {
    output.destroy(error as Error);
    throw error;
  }
}

export type StatsService = ReturnType<typeof createStatsService>;
