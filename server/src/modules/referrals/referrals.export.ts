import type { Writable } from 'node:stream';
import { REFERRAL_COLUMNS } from '../../../../contracts/columns/referrals.ts';
import { exportCells, exportHeaders } from '../../../../contracts/list-columns.ts';
import { SEX } from '../../../../contracts/laborers.ts';
import { HARD_CONDITION, PIPELINE_STATUS, REFERRAL_CHANNEL, type ReferralExportQueryInput } from '../../../../contracts/referrals.ts';
import type { Db, Tx } from '../../db/database.ts';
import { assertRegionInScope } from '../../platform/access.ts';
import type { Actor } from '../../platform/actor.ts';
import type { AuditLog } from '../../platform/audit.ts';
import type { ExportCell } from '../../platform/excel/excel-safety.ts';
import { exportFileName, exportSnapshot, exportTitle, inBatches } from '../../platform/excel/list-export.ts';
import { chinaTimestamp } from '../../platform/time.ts';
import { requireRegion } from '../regions/index.ts';
import * as repo from './referrals.repo.ts';
import { referralScope } from './referrals.service.ts';

const LIST = '推荐记录';

const label = (dict: { labels: Record<string, string> }, code: string) => dict.labels[code] ?? code;
const at = (d: Date) => chinaTimestamp(new Date(d)).slice(0, 16).replace('T', ' ');

const row = (r: repo.ReferralRow): ExportCell[] =>
  exportCells<typeof REFERRAL_COLUMNS, ExportCell>(REFERRAL_COLUMNS, {
    id: Number(r.id),
    status: label(PIPELINE_STATUS, r.status),
    channel: label(REFERRAL_CHANNEL, r.channel),
    laborer: r.laborer_name,
    sex: label(SEX, r.sex),
    idNumberMasked: r.id_masked,
    phoneMasked: r.phone_masked,
    village: r.village_name,
    posting: r.posting_title,
    employer: r.employer_name,
    wageMin: r.wage_min,
    wageMax: r.wage_max,
    createdBy: r.created_by_name ?? r.created_by_username,
    overrideCondition: r.override_condition ? label(HARD_CONDITION, r.override_condition) : null,
    overrideReason: r.override_reason,
    createdAt: at(r.created_at),
    updatedAt: at(r.updated_at),
  });

/**
 * 推荐记录 export (issue 18 item 2): exactly the rows the caller's referral list shows for the same
 * filters (staff: their region's laborers; an employer: its postings' applicants; a broker: their
 * own referrals), every page, from one snapshot, masked as on screen, under a title row; on record
 * with its row count before the file ends.
 */
export function createReferralExport({ audit }: { audit: AuditLog }) {
  async function checked(tx: Tx, actor: Actor, query: ReferralExportQueryInput) {
    // The list's own rule: staff filter inside their region; an employer's applicants come from anywhere.
    if (query.region && actor.role !== 'employer') assertRegionInScope(actor, query.region);
    const region = await requireRegion(tx, query.region ?? actor.regionCode);
    const posting = query.posting ? await repo.postingState(tx, query.posting) : undefined;
    const filters = [
      actor.role === 'employer' && '本单位岗位的应聘人员',
      actor.role === 'broker' && '本人的推荐',
      query.status && `状态 ${PIPELINE_STATUS.labels[query.status]}`,
      query.posting && `岗位 ${posting?.title ?? `#${query.posting}`}`,
      query.laborer && `劳动力 #${query.laborer}`,
    ];
    return { region, filters };
  }
  return {
    /** Checks the query before the download starts, so a refusal comes back as JSON; the file's name. */
    async check(db: Db, actor: Actor, query: ReferralExportQueryInput): Promise<string> {
      const { region } = await db.transaction().execute((tx) => checked(tx, actor, query));
      return exportFileName(LIST, region.name);
    },

    export(db: Db, actor: Actor, query: ReferralExportQueryInput, output: Writable): Promise<number> {
      return exportSnapshot(db, output, async (tx) => {
        const { region, filters } = await checked(tx, actor, query);
        const scope = await referralScope(tx, actor);
        const read = (limit: number, offset: number) =>
          repo.listPage(tx, {
            scope,
            posting: query.posting,
            laborer: query.laborer,
            status: query.status,
            region: query.region,
            limit,
            offset,
          });
        return {
          sheet: LIST,
          title: exportTitle(LIST, region.name, filters),
          headers: exportHeaders(REFERRAL_COLUMNS),
          rows: (async function* () {
            for await (const r of inBatches(read)) yield row(r);
          })(),
          record: (count) =>
            audit.record(
              tx,
              { actor, ip: actor.ip },
              {
                action: 'referral.export',
                entity: 'referral',
                details: {
                  filter: { posting: query.posting, laborer: query.laborer, status: query.status, region: query.region },
                  rows: count,
                },
              },
            ),
        };
      });
    },
  };
}
