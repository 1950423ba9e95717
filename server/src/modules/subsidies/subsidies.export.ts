import type { Writable } from 'node:stream';
import type { Expression, SqlBool } from 'kysely';
import { SUBSIDY_KIND, SUBSIDY_RECIPIENT, SUBSIDY_STATUS, type SubsidyListQueryInput } from '../../../../contracts/subsidies.ts';
import type { Db, DbOrTx } from '../../db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import type { AuditLog } from '../../platform/audit.ts';
import type { ExportCell } from '../../platform/excel/excel-safety.ts';
import { exportFileName, exportSnapshot, inBatches } from '../../platform/excel/list-export.ts';
import { chinaTimestamp, chinaToday } from '../../platform/time.ts';
import * as repo from './subsidies.repo.ts';
import { listScope } from './subsidies.service.ts';

const BATCH = 1000;
const HEADERS = [
  '编号',
  '补贴类别',
  '补贴对象',
  '劳动力 / 单位',
  '证件号（脱敏）',
  '户籍所在村',
  '经办地区',
  '金额（元）',
  '期间起',
  '期间止',
  '状态',
  '申请人',
  '申请时间',
  '审批人',
  '审批时间',
  '发放人',
  '发放日期',
  '支付凭证号',
  '驳回原因',
  '备注',
];

const at = (d: Date | string | null) => (d ? chinaTimestamp(new Date(d)).slice(0, 16).replace('T', ' ') : null);

const row = (r: repo.SubsidyRow): ExportCell[] => [
  Number(r.id),
  SUBSIDY_KIND.labels[r.kind as keyof typeof SUBSIDY_KIND.labels] ?? r.kind,
  SUBSIDY_RECIPIENT.labels[r.recipient as keyof typeof SUBSIDY_RECIPIENT.labels] ?? r.recipient,
  r.laborer_id ? (r.laborer_name ?? '') : (r.employer_name ?? ''),
  r.id_masked ?? '',
  r.village_name ?? '',
  r.region_name,
  Number(r.amount),
  r.period_from,
  r.period_to,
  SUBSIDY_STATUS.labels[r.status as keyof typeof SUBSIDY_STATUS.labels] ?? r.status,
  r.applied_by_name,
  at(r.applied_at),
  r.approved_by_name,
  at(r.approved_at),
  r.paid_by_name,
  r.paid_on,
  r.payment_ref,
  r.reject_reason,
  r.note,
];

/** The list's filters in words, for the title row. */
function filtersText(q: SubsidyListQueryInput): string {
  const parts = [
    q.status && `状态 ${SUBSIDY_STATUS.labels[q.status]}`,
    q.kind && `类别 ${SUBSIDY_KIND.labels[q.kind]}`,
    q.recipient && `对象 ${SUBSIDY_RECIPIENT.labels[q.recipient]}`,
    q.laborer && `劳动力 #${q.laborer}`,
    q.employer && `单位 #${q.employer}`,
    q.queue && '待我审批',
  ].filter(Boolean);
  return parts.length ? parts.join('、') : '无（全部）';
}

/**
 * 补贴台账 export (issue 18 item 2): exactly the rows the list shows for the same filters, all of
 * them, streamed to .xlsx — a title row naming the list, the region, the date and the filters,
 * identifiers masked as on screen — and on record: the file ends only after the export's audit row
 * (with its row count) has committed. The rows are read in batches of one snapshot (a repeatable-
 * read transaction), so a subsidy applied for during the download is neither doubled nor skipped.
 */
export function createSubsidyExport({ audit }: { audit: AuditLog }) {
  async function region(db: DbOrTx, actor: Actor, query: SubsidyListQueryInput) {
    const code = query.region ?? actor.regionCode;
    const where: Expression<SqlBool>[] = [listScope(actor, code), ...repo.listConditions(query, actor)];
    return { code, name: (await repo.regionName(db, code)) ?? code, where };
  }
  return {
    /** Checks the query (scope, filters) before the download starts, so a refusal comes back as JSON. */
    check: (db: DbOrTx, actor: Actor, query: SubsidyListQueryInput) => region(db, actor, query),

    fileName: (name: string) => exportFileName('补贴台账', name),

    export(db: Db, actor: Actor, query: SubsidyListQueryInput, output: Writable): Promise<number> {
      return exportSnapshot(db, output, async (tx) => {
        const { code, name, where } = await region(tx, actor, query);
        const read = async (limit: number, offset: number) => (await repo.listSubsidies(tx, { where, limit, offset })).rows;
        return {
          sheet: '补贴台账',
          title: `补贴台账 — ${name} — 导出日期 ${chinaToday()} — 筛选：${filtersText(query)}`,
          headers: HEADERS,
          rows: (async function* () {
            for await (const r of inBatches(read, BATCH)) yield row(r);
          })(),
          record: (n) =>
            audit.record(
              tx,
              { actor, ip: actor.ip },
              { action: 'subsidy.export', entity: 'subsidy', details: { region: code, ...query, rows: n } },
            ),
        };
      });
    },
  };
}
