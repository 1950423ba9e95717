/**
 * The laborer registry (精准识别) on the console side: API shapes from contracts/laborers.ts and the
 * display helpers built on its coded dictionaries (the Chinese labels live in the contract only).
 */
import type { Static } from '@sinclair/typebox';
import {
  CARING,
  EDUCATION,
  EMPLOYMENT_STATUS,
  ETHNICITY,
  FLAGS,
  HEALTH,
  LABOR_CAPACITY,
  POVERTY_STATUS,
  SEX,
  TRANSFER_STATUS,
  WILLINGNESS,
} from '../../../contracts/laborers.ts';
import type {
  ConfirmationProgressSchema,
  CreateTransferInput,
  DuplicateGroup,
  TransferRequest,
  CreateLaborerInput,
  ImportStatus,
  LaborerHistorySchema,
  LaborerListQuery,
  LaborerSchema,
  RevealSchema,
  UpdateLaborerInput,
} from '../../../contracts/laborers.ts';
import type { RegionLevel, RoleName } from './types.ts';
import { TRANSFER_DECIDERS } from '../../../contracts/roles.ts';
import { grouped } from '../app/format.ts';

export {
  CARING,
  EDUCATION,
  EMPLOYMENT_STATUS,
  ETHNICITY,
  FLAGS,
  HEALTH,
  LABOR_CAPACITY,
  POVERTY_STATUS,
  SEX,
  TRANSFER_STATUS,
  WILLINGNESS,
};
export type { CreateLaborerInput, CreateTransferInput, DuplicateGroup, TransferRequest, UpdateLaborerInput };
export type ConfirmationProgress = Static<typeof ConfirmationProgressSchema>;

export type Laborer = Static<typeof LaborerSchema>;
export type LaborerQuery = Static<typeof LaborerListQuery>;
export type LaborerHistory = Static<typeof LaborerHistorySchema>;
export type LaborerHistoryEntry = LaborerHistory['items'][number];
export type Reveal = Static<typeof RevealSchema>;

/** GET /api/v1/laborers/imports/:id. */
export type ImportJob = ImportStatus;

/** Problems listed by the status call at most; the error report has them all. */
export const IMPORT_ERRORS_LISTED = 1000;

export const LABORERS_PATH = '/api/v1/laborers';

/** The register's last query string, so "返回名册" comes back to the same filters and page. */
const LIST_SEARCH_KEY = 'laowu.laborers.search';
export function rememberListSearch(search: string) {
  try {
    sessionStorage.setItem(LIST_SEARCH_KEY, search);
  } catch {
    /* storage unavailable: plain /laborers */
  }
}
export function registerListPath(): string {
  try {
    const search = sessionStorage.getItem(LIST_SEARCH_KEY) ?? '';
    return `/laborers${search.startsWith('?') ? search : ''}`;
  } catch {
    return '/laborers';
  }
}
export const laborerPath = (id: string) => `${LABORERS_PATH}/${encodeURIComponent(id)}`;
export const DUPLICATES_PATH = `${LABORERS_PATH}/duplicates`;
export const TRANSFERS_PATH = `${LABORERS_PATH}/transfer-requests`;
export const CONFIRMATION_PROGRESS_PATH = `${LABORERS_PATH}/confirmation-progress`;
export const transferPath = (id: string) => `${TRANSFERS_PATH}/${encodeURIComponent(id)}`;
/** Who approves or rejects transfer requests: the holding region's admins and township operators. */
export const TRANSFER_DECIDER_ROLES: RoleName[] = [...TRANSFER_DECIDERS];
export const TRANSFER_STATUS_COLORS: Record<string, string> = { pending: 'processing', approved: 'success', rejected: 'error' };

export { REGISTRY_ROLES } from './labels.ts';
/** Only the village officer confirms a card each quarter. */
export const CONFIRM_ROLES: RoleName[] = ['village_officer'];

/** 一村一册、一乡一柜、一县一库: the same register seen at three levels; above the county, the counties' databases together. */
export function registerTitle(level: RegionLevel): string {
  if (level === 'village') return '一村一册';
  if (level === 'township') return '一乡一柜';
  if (level === 'county') return '一县一库';
  return level === 'city' ? '全市汇总' : '全省汇总';
}

export interface Dictionary {
  labels: Readonly<Record<string, string>>;
  codes: readonly string[];
}

/** Select / Checkbox options of a dictionary, in contract order. */
export const optionsOf = (d: Dictionary) => d.codes.map((value) => ({ value, label: d.labels[value] ?? value }));

/** The Chinese label of a code (the code itself when the dictionary does not know it). */
export const labelOf = (d: Dictionary, code: string | null | undefined): string =>
  code == null || code === '' ? '' : (d.labels[code] ?? code);

export const EMPLOYMENT_COLORS: Record<string, string> = { employed: 'success', unemployed: 'warning', not_working: 'default' };
export const FLAG_COLORS: Record<string, string> = {
  school_leaver: 'geekblue',
  returnee: 'cyan',
  disability: 'magenta',
  relocated: 'purple',
};
export const POVERTY_COLORS: Record<string, string> = { registered: 'red', lifted: 'green', monitored: 'orange' };

/**
 * A long region name shortened for a table cell: the part below the viewer's own region
 * (a village officer sees 大竹村, a county admin 龙溪铺镇大竹村).
 */
export function shortVillageName(fullName: string, viewer: { fullName: string; name: string; level: RegionLevel }): string {
  const base = viewer.level === 'village' ? viewer.fullName.slice(0, viewer.fullName.length - viewer.name.length) : viewer.fullName;
  if (base && fullName.startsWith(base) && fullName.length > base.length) return fullName.slice(base.length);
  return fullName;
}

/** China Standard Time: the calendar quarter a moment falls in, as its first day (YYYY-MM-DD). */
export function quarterStartCst(at: Date = new Date()): string {
  const cst = new Date(at.getTime() + 8 * 3600_000);
  const y = cst.getUTCFullYear();
  const m = Math.floor(cst.getUTCMonth() / 3) * 3 + 1;
  return `${y}-${String(m).padStart(2, '0')}-01`;
}

/** True when the card was confirmed in the current quarter (China Standard Time). */
export function confirmedThisQuarter(lastConfirmedAt: string | null, now: Date = new Date()): boolean {
  if (!lastConfirmedAt) return false;
  const at = new Date(lastConfirmedAt);
  return quarterStartCst(at) === quarterStartCst(now) && at.getTime() <= now.getTime() + 60_000;
}

// ---------------------------------------------------------------------------------------------
// The change ledger: DB column names (snake_case) → labels and readable values.

type Formatter = (value: unknown) => string;

const dictFormatter =
  (d: Dictionary): Formatter =>
  (v) =>
    Array.isArray(v) ? v.map((x) => labelOf(d, String(x))).join('、') : labelOf(d, v == null ? null : String(v));

export interface HistoryField {
  label: string;
  format?: Formatter;
  /** The value is a region code: show its name (looked up asynchronously). */
  region?: boolean;
}

export const HISTORY_FIELDS: Record<string, HistoryField> = {
  name: { label: '姓名' },
  sex: { label: '性别', format: dictFormatter(SEX) },
  birth_date: { label: '出生日期' },
  phone: { label: '手机号' },
  ethnicity: { label: '民族', format: dictFormatter(ETHNICITY) },
  home_village_code: { label: '户籍所在村', region: true },
  household_code: { label: '户编号' },
  relation_to_head: { label: '与户主关系' },
  household_size: { label: '家庭人口', format: (v) => `${v} 人` },
  poverty_status: { label: '户类型', format: dictFormatter(POVERTY_STATUS) },
  education: { label: '文化程度', format: dictFormatter(EDUCATION) },
  labor_capacity: { label: '劳动能力', format: dictFormatter(LABOR_CAPACITY) },
  health: { label: '健康状况', format: dictFormatter(HEALTH) },
  caring: { label: '照料负担', format: dictFormatter(CARING) },
  skills: { label: '技能特长' },
  certificates: { label: '职业资格证书' },
  willingness: { label: '就业意愿', format: dictFormatter(WILLINGNESS) },
  wanted_job_types: { label: '意向工种' },
  expected_wage: { label: '期望月薪', format: (v) => `${grouped(Number(v))} 元` },
  flags: { label: '特殊标识', format: dictFormatter(FLAGS) },
  employment_status: { label: '就业状态', format: dictFormatter(EMPLOYMENT_STATUS) },
  training_history: { label: '培训经历' },
  remark: { label: '备注' },
};

export const HISTORY_KINDS: Record<string, { text: string; color: string }> = {
  create: { text: '建卡', color: 'green' },
  update: { text: '修改', color: 'blue' },
  import: { text: '导入', color: 'purple' },
  delete: { text: '删除', color: 'red' },
  restore: { text: '恢复', color: 'cyan' },
  merge: { text: '合并', color: 'orange' },
  transfer: { text: '迁移', color: 'geekblue' },
};

export const EMPTY_VALUE = '（空）';

export const isEmptyValue = (v: unknown) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);

/** One side of a ledger change as text (region codes are left to the caller). */
export function formatHistoryValue(field: string, value: unknown): string {
  if (isEmptyValue(value)) return EMPTY_VALUE;
  const def = HISTORY_FIELDS[field];
  if (def?.format) return def.format(value);
  if (Array.isArray(value)) return value.map(String).join('、');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export const historyFieldLabel = (field: string) => HISTORY_FIELDS[field]?.label ?? field;
