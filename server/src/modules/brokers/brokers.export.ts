import type { Writable } from 'node:stream';
import { BROKER_TABLE_COLUMNS } from '../../../../contracts/columns/brokers.ts';
import { type ExportKey, exportCells, exportHeaders } from '../../../../contracts/list-columns.ts';
import type { BrokerTableQueryInput } from '../../../../contracts/brokers.ts';
import type { Db, Tx } from '../../db/database.ts';
import { assertRegionInScope } from '../../platform/access.ts';
import type { Actor } from '../../platform/actor.ts';
import type { AuditLog } from '../../platform/audit.ts';
import type { ExportCell } from '../../platform/excel/excel-safety.ts';
import { exportFileName, exportSnapshot, exportTitle } from '../../platform/excel/list-export.ts';
import { chinaToday } from '../../platform/time.ts';
import { requireRegion } from '../regions/index.ts';
import type { BrokersService } from './brokers.service.ts';

const LIST = '劳务经纪人工作台账';
/**
 * 经纪人统计表 export (issue 18 item 2): the broker table of a region as of a day — the rows the
 * page shows and its totals as the last row — under a title row naming the region, the date of
 * export and the as-of day; on record with its row count before the file ends. The table is one
 * aggregate per broker of the region (a few hundred rows at most), read whole from the snapshot.
 */
export function createBrokerTableExport({ audit, brokers }: { audit: AuditLog; brokers: Pick<BrokersService, 'table'> }) {
  async function checked(tx: Tx, actor: Actor, query: BrokerTableQueryInput) {
    const code = query.region ?? actor.regionCode;
    assertRegionInScope(actor, code);
    return { code, name: (await requireRegion(tx, code)).name };
  }
  return {
    /** Checks the query before the download starts, so a refusal comes back as JSON; the file's name. */
    async check(db: Db, actor: Actor, query: BrokerTableQueryInput): Promise<string> {
      const { name } = await db.transaction().execute((tx) => checked(tx, actor, query));
      return exportFileName(LIST, name);
    },

    export(db: Db, actor: Actor, query: BrokerTableQueryInput, output: Writable): Promise<number> {
      return exportSnapshot(db, output, async (tx) => {
        const { code, name } = await checked(tx, actor, query);
        const table = await brokers.table(tx, actor, { region: code, asOf: query.asOf });
        const cells = (row: Record<ExportKey<typeof BROKER_TABLE_COLUMNS>, ExportCell>) => exportCells(BROKER_TABLE_COLUMNS, row);
        const rows = table.rows.map((r) => cells(r));
        const t = table.totals;
        const totals = cells({ ...t, displayName: `合计（${t.brokers} 人）`, username: null, regionName: null });
        return {
          sheet: LIST,
          title: exportTitle(LIST, name, [`截至 ${table.asOf}${table.asOf === chinaToday() ? '（今日）' : ''}`]),
          headers: exportHeaders(BROKER_TABLE_COLUMNS),
          rows: [...rows, totals],
          record: (count) =>
            audit.record(
              tx,
              { actor, ip: actor.ip },
              {
                action: 'broker.table.export',
                entity: 'region',
                entityId: code,
                // The totals row is not a broker.
                details: { region: code, asOf: table.asOf, rows: count - 1 },
              },
            ),
        };
      });
    },
  };
}
