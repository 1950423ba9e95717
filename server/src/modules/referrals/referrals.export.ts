import type { Writable } from 'node:stream';
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
const HEADERS = [
  '编号',
  '状态',
  '渠道',
  '劳动力',
  '性别',
  '证件号（脱敏）',
  '手机号（脱敏）',
  '户籍所在村',
  '岗位',
  '用人单位',
  '月薪下限（元）',
  '月薪上限（元）',
  '推荐人',
  '未满足的条件',
  '仍推荐的理由',
  '推荐时间',
  '最近更新',
];

const label = (dict: { labels: Record<string, string> }, code: string) => dict.labels[code] ?? code;
const at = (d: Date) => chinaTimestamp(new Date(d)).slice(0, 16).replace('T', ' ');

const row = (r: repo.ReferralRow): ExportCell[] => [
  Number(r.id),
  label(PIPELINE_STATUS, r.status),
  label(REFERRAL_CHANNEL, r.channel),
  r.laborer_name,
  label(SEX, r.sex),
  r.id_masked,
  r.phone_masked,
  r.village_name,
  r.posting_title,
  r.employer_name,
  r.wage_min,
  r.wage_max,
  r.created_by_name ?? r.created_by_username,
  r.override_condition ? label(HARD_CONDITION, r.override_condition) : null,
  r.override_reason,
  at(r.created_at),
  at(r.updated_at),
];

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
          headers: HEADERS,
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
