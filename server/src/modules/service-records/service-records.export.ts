import type { Writable } from 'node:stream';
import { SERVICE_RECORD_COLUMNS } from '../../../../contracts/columns/service-records.ts';
import { exportCells, exportHeaders } from '../../../../contracts/list-columns.ts';
import { SERVICE_KIND, type ServiceRecordExportQueryInput } from '../../../../contracts/service-records.ts';
import type { Db, Tx } from '../../db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import type { AuditLog } from '../../platform/audit.ts';
import type { ExportCell } from '../../platform/excel/excel-safety.ts';
import { exportFileName, exportSnapshot, exportTitle, inBatches } from '../../platform/excel/list-export.ts';
import { chinaTimestamp } from '../../platform/time.ts';
import { AppError } from '../../platform/errors.ts';
import * as repo from './service-records.repo.ts';
import { checkListQuery } from './service-records.service.ts';

const LIST = '服务记录';

const row = (r: repo.RecordRow): ExportCell[] =>
  exportCells<typeof SERVICE_RECORD_COLUMNS, ExportCell>(SERVICE_RECORD_COLUMNS, {
    id: Number(r.id),
    servedOn: r.served_on,
    kind: SERVICE_KIND.labels[r.kind] ?? r.kind,
    laborer: r.laborer_name,
    idNumberMasked: r.id_masked,
    village: r.village_name,
    provider: r.provider,
    content: r.content,
    posting: r.posting_title,
    course: r.course,
    hours: r.hours === null ? null : Number(r.hours),
    certificate: r.certificate,
    recordedBy: r.recorded_by,
    recordedAt: chinaTimestamp(new Date(r.created_at)).slice(0, 16).replace('T', ' '),
  });

/** The list's filters in words, for the title row. */
function filtersText(q: ServiceRecordExportQueryInput, laborerName: string | undefined) {
  return [
    q.kind && `类别 ${SERVICE_KIND.labels[q.kind]}`,
    (q.from || q.to) && `服务日期 ${q.from ?? '…'} 至 ${q.to ?? '…'}`,
    q.laborer && `劳动力 ${laborerName ?? `#${q.laborer}`}`,
  ];
}

/**
 * 服务记录 export (issue 18 item 2): exactly the rows of the list for the same filters, every
 * page, from one snapshot; identifiers masked as on screen; a title row naming the list, the
 * region, the date and the filters; on record with its row count before the file ends.
 */
export function createServiceRecordExport({ audit }: { audit: AuditLog }) {
  async function checked(tx: Tx, actor: Actor, query: ServiceRecordExportQueryInput) {
    const region = await checkListQuery(tx, actor, query, 'service_record.export');
    const name = await repo.regionName(tx, region);
    if (!name) throw new AppError('REGION_NOT_FOUND');
    const laborer = query.laborer ? (await repo.findLaborer(tx, query.laborer))?.name : undefined;
    return { region, name, laborer };
  }
  return {
    /** Checks the query before the download starts, so a refusal comes back as JSON; the file's name. */
    async check(db: Db, actor: Actor, query: ServiceRecordExportQueryInput): Promise<string> {
      const { name } = await db.transaction().execute((tx) => checked(tx, actor, query));
      return exportFileName(LIST, name);
    },

    export(db: Db, actor: Actor, query: ServiceRecordExportQueryInput, output: Writable): Promise<number> {
      return exportSnapshot(db, output, async (tx) => {
        const { region, name, laborer } = await checked(tx, actor, query);
        const filter: repo.RecordFilter = { region, laborerId: query.laborer, kind: query.kind, from: query.from, to: query.to };
        const read = (limit: number, offset: number) => repo.recordsPage(tx, { ...filter, limit, offset });
        return {
          sheet: LIST,
          title: exportTitle(LIST, name, filtersText(query, laborer)),
          headers: exportHeaders(SERVICE_RECORD_COLUMNS),
          rows: (async function* () {
            for await (const r of inBatches(read)) yield row(r);
          })(),
          record: (count) =>
            audit.record(
              tx,
              { actor, ip: actor.ip },
              {
                action: 'service_record.export',
                entity: 'service_record',
                entityId: query.laborer,
                details: { region, kind: query.kind, from: query.from, to: query.to, laborer: query.laborer, rows: count },
              },
            ),
        };
      });
    },
  };
}
