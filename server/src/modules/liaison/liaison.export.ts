import type { Writable } from 'node:stream';
import { LIAISON_WORKER_COLUMNS } from '../../../../contracts/columns/liaison.ts';
import { exportCells, exportHeaders } from '../../../../contracts/list-columns.ts';
import { SEX } from '../../../../contracts/laborers.ts';
import type { WorkerExportQueryInput } from '../../../../contracts/liaison.ts';
import { EMPLOYMENT_CHANNEL } from '../../../../contracts/referrals.ts';
import type { Db, Tx } from '../../db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import type { AuditLog } from '../../platform/audit.ts';
import type { ExportCell } from '../../platform/excel/excel-safety.ts';
import { exportFileName, exportSnapshot, exportTitle, inBatches } from '../../platform/excel/list-export.ts';
import { requireRegion } from '../regions/index.ts';
import * as repo from './liaison.repo.ts';
import { officeOf } from './liaison.service.ts';

const LIST = '驻外务工人员';

const label = (dict: { labels: Record<string, string> }, code: string) => dict.labels[code] ?? code;

const row = (r: repo.WorkerRow): ExportCell[] =>
  exportCells<typeof LIAISON_WORKER_COLUMNS, ExportCell>(LIAISON_WORKER_COLUMNS, {
    name: r.name,
    sex: label(SEX, r.sex),
    idNumberMasked: r.id_masked,
    phoneMasked: r.phone_masked,
    village: r.village_name,
    employer: r.employer_name,
    contact: r.employer_contact,
    posting: r.posting_title,
    place: r.work_region_name,
    started: r.started_on,
    wage: r.monthly_wage,
    channel: label(EMPLOYMENT_CHANNEL, r.channel),
    openCases: r.open_cases,
  });

/**
 * 驻外服务 workers export (issue 18 item 2): the office's list — its home county's laborers with an
 * open employment in its host city — for the same search, every page, from one snapshot, masked
 * as on screen, under a title row naming the office's county and city; on record with its count.
 */
export function createLiaisonWorkerExport({ audit }: { audit: AuditLog }) {
  async function checked(tx: Tx, actor: Actor) {
    const office = officeOf(actor);
    const [home, host] = await Promise.all([requireRegion(tx, office.homeRegionCode), requireRegion(tx, office.hostRegionCode)]);
    return { office, name: `${home.name}驻${host.name}` };
  }
  return {
    /** Checks the caller before the download starts, so a refusal comes back as JSON; the file's name. */
    async check(db: Db, actor: Actor): Promise<string> {
      const { name } = await db.transaction().execute((tx) => checked(tx, actor));
      return exportFileName(LIST, name);
    },

    export(db: Db, actor: Actor, query: WorkerExportQueryInput, output: Writable): Promise<number> {
      return exportSnapshot(db, output, async (tx) => {
        const { office, name } = await checked(tx, actor);
        const read = async (limit: number, offset: number) => (await repo.listWorkers(tx, office, { q: query.q, limit, offset })).rows;
        return {
          sheet: LIST,
          title: exportTitle(LIST, name, [query.q && `查询 “${query.q}”`]),
          headers: exportHeaders(LIAISON_WORKER_COLUMNS),
          rows: (async function* () {
            for await (const r of inBatches(read)) yield row(r);
          })(),
          record: (count) =>
            audit.record(
              tx,
              { actor, ip: actor.ip },
              { action: 'liaison.worker.export', entity: 'laborer', details: { q: query.q ?? null, rows: count } },
            ),
        };
      });
    },
  };
}
