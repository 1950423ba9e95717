import { AUDIT_COLUMNS } from '../../../../contracts/columns/audit.ts';
import { exportCells, exportHeaders } from '../../../../contracts/list-columns.ts';
import { once } from 'node:events';
import { PassThrough, type Writable } from 'node:stream';
import {
  AUDIT_ENTITY_LABELS,
  auditActionName,
  auditActionsNamed,
  auditDetailLabel,
  auditEntityLabel,
} from '../../../../contracts/audit-actions.ts';
import type { AuditEntry, AuditFilters } from '../../../../contracts/audit.ts';
import { ROLE_LABELS, type RoleName } from '../../../../contracts/common.ts';
import type { Db, DbOrTx, Tx } from '../../db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import type { AuditLog } from '../../platform/audit.ts';
import { chinaDayEnd, chinaDayStart, chinaTimestamp, chinaToday } from '../../platform/time.ts';
import { accountsRepo as accounts } from '../accounts/index.ts';
import { employersRepo as employers } from '../employers/index.ts';
import ExcelJS from '../../platform/excel/exceljs.ts';
import { safeCell, safeSheetName } from '../../platform/excel/excel-safety.ts';
import { postingsRepo as postings } from '../postings/index.ts';
import { maskName } from '../registry/index.ts';
import { laborersRepo as laborers } from '../registry/index.ts';
import { regionsRepo as regions } from '../regions/index.ts';
import * as repo from './audit-log.repo.ts';

const ID = /^[1-9][0-9]{0,17}$/;
/** An action code typed as such (`auth.login`, `laborer.`): searched as a prefix, as before; anything else by its Chinese name. */
const ACTION_CODE = /^[a-z_]+(\.[a-z_]*)*$/;
const RESULT_LABELS: Record<string, string> = { success: '成功', failure: '失败', denied: '拒绝' };

/** The region an auditor reads: the audit rows of the accounts of its subtree (and, for the province, of nobody signed in). */
function scopeOf(actor: Actor) {
  return { scopeRegion: actor.regionCode, includeAnonymous: actor.regionLevel === 1 };
}

/** The query in the repository's terms: Chinese words to action codes, a name to the laborers so named in the auditor's region. */
export function resolveFilter(db: DbOrTx, actor: Actor, q: AuditFilters): repo.AuditFilter {
  const action = q.action?.trim();
  const actorName = q.actor?.trim();
  const person = q.person?.trim();
  return {
    ...scopeOf(actor),
    fromAt: q.from ? chinaDayStart(q.from) : undefined,
    toAt: q.to ? chinaDayEnd(q.to) : undefined,
    actor: actorName ? { username: actorName, named: accounts.usernamesNamed(db, actorName) } : undefined,
    actions: action ? (ACTION_CODE.test(action) ? { codes: [], prefixes: [action] } : auditActionsNamed(action)) : undefined,
    entity: q.entity,
    entityId: q.entityId,
    laborerIds: person ? laborers.idsNamed(db, person, actor.regionCode) : undefined,
    result: q.result,
  };
}

/** What the ids of a batch of rows stand for, read from the modules that own them, one query per kind. */
async function namesFor(db: DbOrTx, rows: repo.AuditRow[]) {
  const idsOf = (entity: string) => rows.filter((r) => r.entity === entity && r.entityId && ID.test(r.entityId)).map((r) => r.entityId!);
  const personIds = rows.map((r) => personIdOf(r)).filter((id): id is string => id !== null);
  const actorIds = rows.map((r) => r.actorId).filter((id): id is string => id !== null);
  const regionCodes = [
    ...rows.map((r) => r.actorRegion).filter((c): c is string => c !== null),
    ...rows.filter((r) => r.entity === 'region' && r.entityId).map((r) => r.entityId!),
  ];
  const [people, accountNames, employerRows, postingTitles, regionRows] = await Promise.all([
    laborers.namesOf(db, personIds),
    accounts.namesOf(db, [...idsOf('account'), ...actorIds]),
    employers.findMany(db, idsOf('employer')),
    postings.titlesOf(db, idsOf('posting')),
    regions.findMany(
      db,
      regionCodes.filter((c) => /^\d{2,12}$/.test(c)),
    ),
  ]);
  return {
    people,
    accountNames,
    employers: new Map(employerRows.map((e) => [e.id, e.name])),
    postingTitles,
    regions: new Map(regionRows.map((r) => [r.code, r])),
  };
}

/** The laborer a row is about: its object, or the laborer its details name. */
function personIdOf(r: repo.AuditRow): string | null {
  if (r.entity === 'laborer' && r.entityId && ID.test(r.entityId)) return r.entityId;
  const d = r.details as { laborer?: unknown } | null;
  const id = d && typeof d === 'object' ? d.laborer : undefined;
  return (typeof id === 'string' || typeof id === 'number') && ID.test(String(id)) ? String(id) : null;
}

async function present(db: DbOrTx, rows: repo.AuditRow[]): Promise<AuditEntry[]> {
  const names = await namesFor(db, rows);
  return rows.map((r) => {
    const action = auditActionName(r.action);
    const personId = personIdOf(r);
    const person = personId ? names.people.get(personId) : undefined;
    const account = r.entityId ? names.accountNames.get(r.entityId) : undefined;
    const id = r.entityId ?? '';
    const objectName =
      r.entity === 'laborer'
        ? person
          ? maskName(person)
          : null
        : r.entity === 'employer'
          ? (names.employers.get(id) ?? null)
          : r.entity === 'account'
            ? account
              ? `${account.displayName}（${account.username}）`
              : null
            : r.entity === 'posting'
              ? (names.postingTitles.get(id) ?? null)
              : r.entity === 'region'
                ? (names.regions.get(id)?.fullName ?? null)
                : null;
    return {
      id: r.id,
      at: r.at.toISOString(),
      actorId: r.actorId,
      actorName: r.actorName,
      actorRole: r.actorRole,
      actorRegion: r.actorRegion,
      ip: r.ip,
      action: r.action,
      entity: r.entity,
      entityId: r.entityId,
      result: r.result,
      details: r.details,
      actionName: action.name,
      actionGroup: action.group,
      entityLabel: auditEntityLabel(r.entity),
      objectName,
      personName: person ? maskName(person) : null,
      actorDisplayName: r.actorId ? (names.accountNames.get(r.actorId)?.displayName ?? null) : null,
      actorRegionName: r.actorRegion ? (names.regions.get(r.actorRegion)?.fullName ?? null) : null,
    };
  });
}

/** A row's details as 「label：value」 lines for the export; unknown keys keep their code, values their JSON. */
export function detailsText(details: unknown): string {
  if (details === null || details === undefined) return '';
  if (typeof details !== 'object' || Array.isArray(details)) return JSON.stringify(details);
  return Object.entries(details as Record<string, unknown>)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => `${auditDetailLabel(k) ?? k}：${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join('；');
}

/** The filters in words, for the export's title row (a person's name masked like the rows). */
function filtersText(q: AuditFilters): string {
  const parts: string[] = [];
  if (q.from || q.to) parts.push(`日期 ${q.from ?? '不限'} 至 ${q.to ?? '不限'}`);
  if (q.person?.trim()) parts.push(`劳动力 ${maskName(q.person)}`);
  if (q.action?.trim()) parts.push(`动作 ${q.action.trim()}`);
  if (q.entity) parts.push(`对象 ${AUDIT_ENTITY_LABELS[q.entity] ?? q.entity}${q.entityId ? ` #${q.entityId}` : ''}`);
  else if (q.entityId) parts.push(`对象编号 ${q.entityId}`);
  if (q.actor?.trim()) parts.push(`操作人 ${q.actor.trim()}`);
  if (q.result) parts.push(`结果 ${RESULT_LABELS[q.result]}`);
  return parts.length ? parts.join('，') : '全部记录';
}

const EXPORT_HEADERS = exportHeaders(AUDIT_COLUMNS);
const EXPORT_BATCH = 1000;

export function createAuditLogService({ audit }: { audit: AuditLog }) {
  const context = (actor: Actor) => ({ actor, ip: actor.ip });
  /** Where the export is for: the auditor's region (its name goes into the title and the file name). */
  async function exportRegion(tx: Tx, actor: Actor): Promise<{ code: string; name: string }> {
    const region = await regions.findByCode(tx, actor.regionCode);
    return { code: actor.regionCode, name: region?.fullName ?? actor.regionCode };
  }

  return {
    async search(tx: Tx, actor: Actor, query: AuditFilters & { page?: number; pageSize?: number }) {
      const { page = 1, pageSize = 20, ...filter } = query;
      const { rows, total } = await repo.list(tx, resolveFilter(tx, actor, filter), (page - 1) * pageSize, pageSize);
      const items = await present(tx, rows);
      // The person searched for is on record as the rows show people: masked.
      const recorded = { ...filter, person: filter.person ? maskName(filter.person) : undefined };
      await audit.record(tx, context(actor), { action: 'audit.search', entity: 'audit_log', details: { filter: recorded, total } });
      return { items, total };
    },

    exportRegion,

    /**
     * Every row the filters match, newest first, into a streamed .xlsx: a title row (the list, the
     * region, the date, the filters), the headers, the rows as the console shows them (names
     * masked). Like the registers' exports, the file ends only once the export's own audit row
     * (with its row count) has committed; a failure breaks the download instead.
     */
    async export(db: Db, actor: Actor, query: AuditFilters, output: Writable): Promise<number> {
      const region = await db.transaction().execute((tx) => exportRegion(tx, actor));
      const today = chinaToday();
      const file = new PassThrough();
      file.pipe(output, { end: false });
      try {
        const drained = once(file, 'end');
        const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: file, useStyles: true, useSharedStrings: false });
        const sheet = workbook.addWorksheet(safeSheetName('审计日志'), { views: [{ state: 'frozen', ySplit: 2 }] });
        sheet.columns = EXPORT_HEADERS.map((h) => ({ width: h === '详情' ? 60 : h === '对象名称' || h === '动作' ? 24 : 14 }));
        const title = sheet.addRow([safeCell(`审计日志 — ${region.name} — 导出日期 ${today} — 筛选：${filtersText(query)}`)]);
        title.font = { bold: true, size: 13 };
        title.commit();
        const header = sheet.addRow(EXPORT_HEADERS);
        header.font = { bold: true };
        header.commit();
        let count = 0;
        let before: string | null = null;
        for (;;) {
          // Each batch in its own short read: an export of the whole log holds no transaction open.
          const entries: AuditEntry[] = await db.transaction().execute(async (tx) => {
            const rows = await repo.batch(tx, resolveFilter(tx, actor, query), before, EXPORT_BATCH);
            return present(tx, rows);
          });
          for (const e of entries) {
            sheet
              .addRow(
                exportCells<typeof AUDIT_COLUMNS, string | number>(AUDIT_COLUMNS, {
                  id: Number(e.id),
                  at: chinaTimestamp(new Date(e.at)).slice(0, 19).replace('T', ' '),
                  actor: e.actorName ?? '匿名 / 系统',
                  actorDisplayName: e.actorDisplayName ?? '',
                  actorRole: e.actorRole ? (ROLE_LABELS[e.actorRole as RoleName] ?? e.actorRole) : '',
                  actorRegion: e.actorRegionName ?? e.actorRegion ?? '',
                  ip: e.ip ?? '',
                  action: e.actionName,
                  actionGroup: e.actionGroup,
                  actionCode: e.action,
                  entity: e.entityLabel,
                  entityId: e.entityId ?? '',
                  objectName: e.objectName ?? '',
                  person: e.personName ?? '',
                  result: RESULT_LABELS[e.result] ?? e.result,
                  details: detailsText(e.details),
                }).map((v) => (typeof v === 'string' ? safeCell(v) : v)),
              )
              .commit();
          }
          count += entries.length;
          if (entries.length < EXPORT_BATCH) break;
          before = entries[entries.length - 1]!.id;
        }
        sheet.commit();
        await workbook.commit();
        await drained;
        await db.transaction().execute((tx) =>
          audit.record(tx, context(actor), {
            action: 'audit.export',
            entity: 'audit_log',
            details: { filter: { ...query, person: query.person ? maskName(query.person) : undefined }, rows: count, region: region.code },
          }),
        );
        output.end();
        return count;
      } catch (error) {
        output.destroy(error as Error);
        throw error;
      }
    },

    fileName(region: { name: string }): string {
      return `审计日志-${region.name}-${chinaToday()}.xlsx`;
    },
  };
}

export type AuditLogService = ReturnType<typeof createAuditLogService>;
