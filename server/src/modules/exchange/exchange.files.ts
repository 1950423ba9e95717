import { once } from 'node:events';
import { PassThrough, type Writable } from 'node:stream';
import type { ExchangeCardsFileQueryInput, ExchangeLaborer, ExchangeStatisticsFileQueryInput } from '../../../../contracts/exchange.ts';
import type { Db, Tx } from '../../db/database.ts';
import { regionContains } from '../../platform/access.ts';
import type { AuditContext, ExchangeClientIdentity } from '../../platform/actor.ts';
import type { AuditLog } from '../../platform/audit.ts';
import { CSV_CONTENT_TYPE, writeRowsCsv } from '../../platform/excel/csv.ts';
import type { ExportCell } from '../../platform/excel/excel-safety.ts';
import { writeRowsXlsx } from '../../platform/excel/excel-safety.ts';
import { EXPORT_BATCH, XLSX_CONTENT_TYPE } from '../../platform/excel/list-export.ts';
import { AppError } from '../../platform/errors.ts';
import { chinaToday } from '../../platform/time.ts';
import { exchangeCardsAfter } from '../registry/index.ts';
import type { StatsService } from '../stats/index.ts';

/**
 * The exchange's files (issue 21 item 5, docs/exchange.md "Files"): the statistics table and the
 * cards, for a client system, in its region and for the kinds it was granted, as CSV (UTF-8 with
 * a BOM) or .xlsx. Each column here is a column of docs/exchange.md, in the same order.
 */

type Format = 'csv' | 'xlsx';
type Column<T> = readonly [name: string, value: (row: T) => ExportCell];
type Table = Awaited<ReturnType<StatsService['tableWithin']>>;
type TableRow = Table['region'] & { parentCode: string | null };
type CardRow = ExchangeLaborer & { villageName: string };

/** The statistics table's columns: the summary's fields (modules/stats), shares as fractions 0–1. */
export const STATISTICS_COLUMNS: readonly Column<TableRow & { asOf: string; from: string }>[] = [
  ['regionCode', (r) => r.code],
  ['regionName', (r) => r.name],
  ['regionLevel', (r) => r.level],
  ['parentCode', (r) => r.parentCode],
  ['asOf', (r) => r.asOf],
  ['from', (r) => r.from],
  ['registered', (r) => r.registered],
  ['employed', (r) => r.employed],
  ['employedShare', (r) => r.employedShare],
  ['inCounty', (r) => r.inCounty],
  ['outOfCountyInProvince', (r) => r.outOfCountyInProvince],
  ['outOfProvince', (r) => r.outOfProvince],
  ['selfEmployed', (r) => r.selfEmployed],
  ['throughAssistance', (r) => r.throughAssistance],
  ['averageMonthlyWage', (r) => r.averageMonthlyWage],
  ['newTransfersThisYear', (r) => r.newTransfersThisYear],
  ['yearTarget', (r) => r.yearTarget],
  ['targetCompletion', (r) => r.targetCompletion],
  ['services.guidance', (r) => r.services.guidance],
  ['services.introduction', (r) => r.services.introduction],
  ['services.training', (r) => r.services.training],
  ['services.entrepreneurship', (r) => r.services.entrepreneurship],
  ['services.policySupport', (r) => r.services.policySupport],
  ['subsidies.training', (r) => r.subsidies.training],
  ['subsidies.socialInsurance', (r) => r.subsidies.socialInsurance],
  ['subsidies.job', (r) => r.subsidies.job],
  ['subsidies.policySupport', (r) => r.subsidies.policySupport],
  ['subsidies.transport', (r) => r.subsidies.transport],
  ['subsidies.oneTimeJob', (r) => r.subsidies.oneTimeJob],
  ['subsidies.publicWelfare', (r) => r.subsidies.publicWelfare],
  ['retentionRate6m', (r) => r.retentionRate6m],
];

const list = (values: readonly string[]) => JSON.stringify(values);

/** The cards file's columns: the feed's card (masked ID number, no phone, age not birth date) and the village's name. */
export const CARD_COLUMNS: readonly Column<CardRow>[] = [
  ['id', (c) => c.id],
  ['name', (c) => c.name],
  ['idNumberMasked', (c) => c.idNumberMasked],
  ['sex', (c) => c.sex],
  ['age', (c) => c.age],
  ['ethnicity', (c) => c.ethnicity],
  ['villageCode', (c) => c.villageCode],
  ['villageName', (c) => c.villageName],
  ['householdCode', (c) => c.householdCode],
  ['relationToHead', (c) => c.relationToHead],
  ['householdSize', (c) => c.householdSize],
  ['povertyStatus', (c) => c.povertyStatus],
  ['education', (c) => c.education],
  ['laborCapacity', (c) => c.laborCapacity],
  ['health', (c) => c.health],
  ['skills', (c) => list(c.skills)],
  ['certificates', (c) => list(c.certificates)],
  ['willingness', (c) => c.willingness],
  ['wantedJobTypes', (c) => list(c.wantedJobTypes)],
  ['expectedWage', (c) => c.expectedWage],
  ['caring', (c) => c.caring],
  ['flags', (c) => list(c.flags)],
  ['employmentStatus', (c) => c.employmentStatus],
  ['lastConfirmedAt', (c) => c.lastConfirmedAt],
  ['version', (c) => c.version],
  ['updatedAt', (c) => c.updatedAt],
];

const clientCtx = (client: ExchangeClientIdentity): AuditContext => ({ actor: null, ip: client.ip, claimedUsername: client.keyId });

/** What the route sends: the file's name and type, and how to write it. */
export interface ExchangeFile {
  fileName: string;
  contentType: string;
  write(output: Writable): Promise<number>;
}

async function writeFile<T>(
  format: Format,
  columns: readonly Column<T>[],
  rows: AsyncIterable<T> | Iterable<T>,
  sheet: string,
  output: Writable,
) {
  const cells = (async function* () {
    for await (const row of rows) yield columns.map(([, value]) => value(row));
  })();
  const headers = columns.map(([name]) => name);
  return format === 'csv' ? writeRowsCsv(headers, cells, output) : writeRowsXlsx(headers, cells, output, sheet);
}

export function createExchangeFiles({ audit, stats }: { audit: AuditLog; stats: Pick<StatsService, 'tableWithin'> }) {
  /** The client holds the kind, and the region (its own unless named) lies in its region; refusals before any byte is sent. */
  function check(client: ExchangeClientIdentity, kind: 'statistics' | 'laborer', region: string | undefined): string {
    if (!client.kinds.includes(kind)) throw new AppError('EXCHANGE_KIND_NOT_GRANTED', undefined, { kind });
    const code = region ?? client.regionCode;
    if (!regionContains(client.regionCode, code)) throw new AppError('EXCHANGE_REGION_OUT_OF_SCOPE', undefined, { region: code });
    return code;
  }

  return {
    /**
     * GET /exchange/files/statistics: the statistics' article table of the region and its children
     * as of a day, read from the statistics module (never recomputed) and on record — with its row
     * count — before the first byte leaves.
     */
    async statistics(db: Db, client: ExchangeClientIdentity, query: ExchangeStatisticsFileQueryInput): Promise<ExchangeFile> {
      const region = check(client, 'statistics', query.region);
      const asOf = query.asOf ?? chinaToday();
      const format = query.format ?? 'csv';
      const table = await db.transaction().execute(async (tx) => {
        const result = await stats.tableWithin(
          tx,
          (code) => {
            if (!regionContains(client.regionCode, code)) throw new AppError('EXCHANGE_REGION_OUT_OF_SCOPE', undefined, { region: code });
          },
          { region, asOf, from: query.from },
        );
        await audit.record(tx, clientCtx(client), {
          action: 'exchange.file',
          entity: 'exchange_client',
          entityId: client.id,
          details: { client: client.name, file: 'statistics', region, asOf, from: result.from, format, rows: result.children.length + 1 },
        });
        return result;
      });
      const rows = [
        { ...table.region, parentCode: null, asOf: table.asOf, from: table.from },
        ...table.children.map((c) => ({ ...c, parentCode: table.region.code, asOf: table.asOf, from: table.from })),
      ];
      return {
        fileName: `统计表-${table.region.name}-${asOf}.${format}`,
        contentType: format === 'csv' ? CSV_CONTENT_TYPE : XLSX_CONTENT_TYPE,
        write: (output) => endAfter(output, (file) => writeFile(format, STATISTICS_COLUMNS, rows, '统计表', file)),
      };
    },

    /**
     * GET /exchange/files/cards: the region's cards in force from one repeatable-read snapshot,
     * read in keyset batches (memory bounded by a batch), masked as the feed gives them; the
     * download's audit row (with its row count) commits before the file ends, so a whole file is
     * always on record and a broken one is a broken download.
     */
    cards(db: Db, client: ExchangeClientIdentity, query: ExchangeCardsFileQueryInput): ExchangeFile {
      const region = check(client, 'laborer', query.region);
      const format = query.format ?? 'csv';
      const today = chinaToday();
      return {
        fileName: `劳动力信息卡-${region}-${today}.${format}`,
        contentType: format === 'csv' ? CSV_CONTENT_TYPE : XLSX_CONTENT_TYPE,
        write: (output) =>
          endAfter(output, (file) =>
            db
              .transaction()
              .setIsolationLevel('repeatable read')
              .execute(async (tx: Tx) => {
                const rows = (async function* () {
                  for (let after = '0'; ; ) {
                    const batch = await exchangeCardsAfter(tx, { region, after, limit: EXPORT_BATCH, today });
                    yield* batch;
                    if (batch.length < EXPORT_BATCH) return;
                    after = batch[batch.length - 1]!.id;
                  }
                })();
                const count = await writeFile(format, CARD_COLUMNS, rows, '劳动力信息卡', file);
                await audit.record(tx, clientCtx(client), {
                  action: 'exchange.file',
                  entity: 'exchange_client',
                  entityId: client.id,
                  details: { client: client.name, file: 'cards', region, asOf: today, format, rows: count },
                });
                return count;
              }),
          ),
      };
    },
  };
}

/**
 * Writes through a pass-through and ends `output` only once `write` has resolved (for the cards:
 * after the audit row's transaction committed); a failure destroys `output` instead.
 */
async function endAfter(output: Writable, write: (file: Writable) => Promise<number>): Promise<number> {
  const file = new PassThrough();
  file.pipe(output, { end: false });
  try {
    const drained = once(file, 'end');
    const count = await write(file);
    // The .xlsx writer ends its stream itself; the CSV writer leaves it open.
    if (!file.writableEnded) file.end();
    await drained;
    output.end();
    return count;
  } catch (error) {
    output.destroy(error as Error);
    throw error;
  }
}

export type ExchangeFiles = ReturnType<typeof createExchangeFiles>;
