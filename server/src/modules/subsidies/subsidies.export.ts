import type { Writable } from 'node:stream';
import { SUBSIDY_COLUMNS } from '../../../../contracts/columns/subsidies.ts';
import { exportCells, exportHeaders } from '../../../../contracts/list-columns.ts';
import type { Expression, SqlBool } from 'kysely';
import { SUBSIDY_KIND, SUBSIDY_PAYEE, SUBSIDY_STATUS, type SubsidyListQueryInput } from '../../../../contracts/subsidies.ts';
import type { Db, DbOrTx } from '../../db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import type { AuditLog } from '../../platform/audit.ts';
import type { ExportCell } from '../../platform/excel/excel-safety.ts';
import { exportFileName, exportSnapshot, inBatches } from '../../platform/excel/list-export.ts';
import { chinaTimestamp, chinaToday } from '../../platform/time.ts';
import * as repo from './subsidies.repo.ts';
import { listScope } from './subsidies.service.ts';

const BATCH = 1000;

const at = (d: Date | string | null) => (d ? chinaTimestamp(new Date(d)).slice(0, 16).replace('T', ' ') : null);

const row = (r: repo.SubsidyRow): ExportCell[] =>
  exportCells<typeof SUBSIDY_COLUMNS, ExportCell>(SUBSIDY_COLUMNS, {
    id: Number(r.id),
    kind: SUBSIDY_KIND.labels[r.kind as keyof typeof SUBSIDY_KIND.labels] ?? r.kind,
    recipient: SUBSIDY_PAYEE.labels[r.recipient as keyof typeof SUBSIDY_PAYEE.labels] ?? r.recipient,
    subject: r.laborer_id ? (r.laborer_name ?? '') : (r.employer_name ?? r.broker_name ?? ''),
    idNumberMasked: r.id_masked ?? '',
    village: r.village_name ?? '',
    region: r.region_name,
    amount: Number(r.amount),
    periodFrom: r.period_from,
    periodTo: r.period_to,
    status: SUBSIDY_STATUS.labels[r.status as keyof typeof SUBSIDY_STATUS.labels] ?? r.status,
    appliedBy: r.applied_by_name,
    appliedAt: at(r.applied_at),
    approvedBy: r.approved_by_name,
    approvedAt: at(r.approved_at),
    paidBy: r.paid_by_name,
    paidOn: r.paid_on,
    paymentRef: r.payment_ref,
    rejectReason: r.reject_reason,
    note: r.note,
  });

/** The list's filters in words, for the title row. */
function filtersText(q: SubsidyListQueryInput): string {
  const parts = [
    q.status && `状态 ${SUBSIDY_STATUS.labels[q.status]}`,
    q.kind && `类别 ${SUBSIDY_KIND.labels[q.kind]}`,
    q.recipient && `对象 ${SUBSIDY_PAYEE.labels[q.recipient]}`,
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
          headers: exportHeaders(SUBSIDY_COLUMNS),
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
