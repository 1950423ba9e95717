import type { Writable } from 'node:stream';
import { SEX } from '../../../../contracts/laborers.ts';
import { EMPLOYMENT_CHANNEL } from '../../../../contracts/referrals.ts';
import { FIGURE_LABELS } from '../../../../contracts/stats-figures.ts';
import type { Db } from '../../db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import type { AuditLog } from '../../platform/audit.ts';
import type { ExportCell } from '../../platform/excel/excel-safety.ts';
import { exportFileName, exportSnapshot, exportTitle, inBatches } from '../../platform/excel/list-export.ts';
import type { DrillExportQueryInput, DrillItem } from './stats.schemas.ts';
import type { StatsService } from './stats.service.ts';

const LIST = '统计指标名单';
const PERSON = ['姓名', '性别', '证件号（脱敏）', '手机号（脱敏）', '户籍所在村'];

const label = (dict: { labels: Record<string, string> }, code: string) => dict.labels[code] ?? code;

/** The drill-down's columns for a figure, as its drawer shows them. */
function columnsOf(figure: string): { headers: string[]; row: (i: DrillItem) => ExportCell[] } {
  const person = (i: DrillItem): ExportCell[] => [
    i.laborer.name,
    label(SEX, i.laborer.sex),
    i.laborer.idNumberMasked,
    i.laborer.phoneMasked,
    i.laborer.villageName,
  ];
  if (figure.startsWith('services.') || figure.startsWith('subsidies.'))
    return {
      headers: [...PERSON, figure.startsWith('services.') ? '服务日期' : '发放日期', '说明'],
      row: (i) => [...person(i), i.recordDate, i.recordNote],
    };
  if (figure === 'retentionRate6m')
    return {
      headers: [...PERSON, '务工地 / 单位', '入职日期', '离职日期', '6 个月后'],
      row: (i) => [...person(i), i.workRegionName, i.startedOn, i.recordDate, i.recordNote],
    };
  return {
    headers: [...PERSON, '务工地 / 单位', '入职日期', '渠道', '月工资（元）'],
    row: (i) => [...person(i), i.workRegionName, i.startedOn, i.channel ? label(EMPLOYMENT_CHANNEL, i.channel) : null, i.monthlyWage],
  };
}

/**
 * The people behind a statistic, exported (issue 18 item 2): every row of the drill-down of one
 * figure of one region as of a day — the drawer's list, all its pages, scoped and masked as it
 * is — from one snapshot, under a title row naming the region, the date and the figure with its
 * day (and period); on record with its row count before the file ends.
 */
export function createDrillExport({ audit, stats }: { audit: AuditLog; stats: Pick<StatsService, 'drillReader'> }) {
  return {
    /** Checks the query (dates, region, scope) before the download starts, so a refusal comes back as JSON; the file's name. */
    async check(db: Db, actor: Actor, query: DrillExportQueryInput): Promise<string> {
      const { region } = await db.transaction().execute((tx) => stats.drillReader(tx, actor, query));
      return exportFileName(LIST, region.name);
    },

    export(db: Db, actor: Actor, query: DrillExportQueryInput, output: Writable): Promise<number> {
      return exportSnapshot(db, output, async (tx) => {
        const { region, from, read } = await stats.drillReader(tx, actor, query);
        const { headers, row } = columnsOf(query.figure);
        const period = query.figure.startsWith('services.') || query.figure.startsWith('subsidies.');
        const filters = [
          `指标 ${FIGURE_LABELS[query.figure] ?? query.figure}`,
          period ? `统计期 ${from} 至 ${query.asOf}` : `截至 ${query.asOf}`,
          query.list === 'retained' && '6 个月后仍在岗',
          query.list === 'left' && '6 个月后不在岗',
        ];
        return {
          sheet: LIST,
          title: exportTitle(LIST, region.name, filters),
          headers,
          rows: (async function* () {
            for await (const i of inBatches(async (limit, offset) => (await read(limit, offset)).items)) yield row(i);
          })(),
          record: (count) =>
            audit.record(
              tx,
              { actor, ip: actor.ip },
              {
                action: 'stats.drill.export',
                entity: 'laborer',
                details: {
                  region: region.code,
                  asOf: query.asOf,
                  from: period ? from : undefined,
                  figure: query.figure,
                  list: query.list,
                  rows: count,
                },
              },
            ),
        };
      });
    },
  };
}
