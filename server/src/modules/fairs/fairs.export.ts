import type { Writable } from 'node:stream';
import { ATTENDEE_COLUMNS } from '../../../../contracts/columns/fairs.ts';
import type { Attendee, AttendeeExportQueryInput } from '../../../../contracts/fairs.ts';
import { exportCells, exportHeaders } from '../../../../contracts/list-columns.ts';
import { POVERTY_STATUS } from '../../../../contracts/laborers.ts';
import { REFERRAL_STATUS } from '../../../../contracts/referrals.ts';
import type { Db, Tx } from '../../db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import type { AuditLog } from '../../platform/audit.ts';
import type { ExportCell } from '../../platform/excel/excel-safety.ts';
import { exportFileName, exportSnapshot, exportTitle, inBatches } from '../../platform/excel/list-export.ts';
import { chinaTimestamp } from '../../platform/time.ts';
import { requireRegion } from '../regions/index.ts';
import type { FairsService } from './fairs.service.ts';

const LIST = '招聘会参会人员';
const label = (dict: { labels: Record<string, string> }, code: string) => dict.labels[code] ?? code;

const row = (a: Attendee): ExportCell[] =>
  exportCells<typeof ATTENDEE_COLUMNS, ExportCell>(ATTENDEE_COLUMNS, {
    id: Number(a.id),
    registeredAt: chinaTimestamp(new Date(a.registeredAt)).slice(0, 16).replace('T', ' '),
    channel: a.online ? '线上' : '现场',
    name: a.laborer?.name ?? null,
    idNumberMasked: a.idNumberMasked,
    phoneMasked: a.phoneMasked,
    village: a.laborer?.villageName ?? null,
    // Outside the caller's scope the list says only 贫困劳动力（外县）: so does the file.
    poor: a.outsideScope ?? (a.poor ? '是' : '否'),
    povertyStatus: a.laborer ? label(POVERTY_STATUS, a.laborer.povertyStatus) : null,
    intentions: a.intentions.map((i) => `${i.employerName} ${i.postingTitle}`).join('；') || null,
    referrals:
      a.intentions
        .filter((i) => i.referralStatus)
        .map((i) => `${i.postingTitle}：${label(REFERRAL_STATUS, i.referralStatus!)}`)
        .join('；') || null,
  });

/**
 * 招聘会参会人员 export (issue 18 item 2): one fair's attendees as its list shows them (the same
 * filter, every page, a card outside the caller's scope shown only as the desk typed it, masked),
 * from one snapshot, under a title row naming the fair's region, the date and the fair; on record
 * with its row count before the file ends.
 */
export function createFairAttendeeExport({ audit, fairs }: { audit: AuditLog; fairs: Pick<FairsService, 'attendeePages'> }) {
  /** The fair (404 outside the caller's scope), its attendees' reader and its region's own name (the fair keeps the full one). */
  async function checked(tx: Tx, actor: Actor, fairId: string, query: AttendeeExportQueryInput) {
    const pages = await fairs.attendeePages(tx, actor, fairId, query.poor);
    return { ...pages, regionName: (await requireRegion(tx, pages.fair.regionCode)).name };
  }
  return {
    /** Checks the fair before the download starts, so a refusal comes back as JSON; the file's name. */
    async check(db: Db, actor: Actor, fairId: string, query: AttendeeExportQueryInput): Promise<string> {
      const { regionName } = await db.transaction().execute((tx) => checked(tx, actor, fairId, query));
      return exportFileName(LIST, regionName);
    },

    export(db: Db, actor: Actor, fairId: string, query: AttendeeExportQueryInput, output: Writable): Promise<number> {
      return exportSnapshot(db, output, async (tx) => {
        const { fair, read, regionName } = await checked(tx, actor, fairId, query);
        const filters = [
          `招聘会 “${fair.title}”（${fair.heldOn}）`,
          query.poor === true && '仅贫困劳动力',
          query.poor === false && '仅非贫困劳动力',
        ];
        return {
          sheet: LIST,
          title: exportTitle(LIST, regionName, filters),
          headers: exportHeaders(ATTENDEE_COLUMNS),
          rows: (async function* () {
            for await (const a of inBatches(read)) yield row(a);
          })(),
          record: (count) =>
            audit.record(
              tx,
              { actor, ip: actor.ip },
              { action: 'fair.attendees.export', entity: 'fair', entityId: fair.id, details: { poor: query.poor ?? null, rows: count } },
            ),
        };
      });
    },
  };
}
