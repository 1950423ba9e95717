import { OCCUPATIONS, occupationByCode } from '../../../../contracts/occupations.ts';
import { EDUCATION } from '../../../../contracts/laborers.ts';
import { POSTING_WRITERS } from '../../../../contracts/roles.ts';
import type { Tx } from '../../db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import { lookupDictionary, parseDateCell, parseIntegerCell, splitList, type CellScalar } from '../../platform/excel/cell-values.ts';
import { type ImportKind, type ImportRow, RowError } from '../../platform/import-job.ts';
import { employersRepo, parseCreditCode } from '../employers/index.ts';
import { chinaToday } from '../../platform/time.ts';
import * as repo from './postings.repo.ts';
import type { PostingsService } from './postings.service.ts';

/**
 * The postings import (issue 21 item 4): an input city's staff bring the postings gathered from
 * job sites and agencies as one sheet. Each row is one posting run through the postings service's
 * create — the same rules as one posting typed in (scope by the employer's region or the place of
 * work, county-level workplace, a known occupation code, headcount, wage and age ranges, validity
 * not over) — and is idempotent: a row whose employer already has a posting with its 外部编号, or
 * (without one) with its title and start date, is found, not published again.
 */
export const POSTING_IMPORT_COLUMNS = [
  { key: 'creditCode', header: '用人单位统一社会信用代码', required: true, hint: '须为已登记的用人单位' },
  { key: 'externalRef', header: '外部编号', hint: '来源网站或机构的岗位编号，重复导入据此识别' },
  { key: 'title', header: '岗位名称', required: true },
  { key: 'occupation', header: '工种', required: true, hint: '职业分类大典代码（如 6-05-01-03）或职业名称' },
  { key: 'headcount', header: '招聘人数', required: true },
  { key: 'wageMin', header: '月薪下限', required: true, hint: '元' },
  { key: 'wageMax', header: '月薪上限', required: true, hint: '元' },
  { key: 'workRegionCode', header: '工作地点', required: true, hint: '县级或以下行政区划代码' },
  { key: 'validFrom', header: '开始日期', hint: '空为今天' },
  { key: 'validTo', header: '截止日期', required: true },
  { key: 'ageMin', header: '年龄下限' },
  { key: 'ageMax', header: '年龄上限' },
  { key: 'minEducation', header: '学历要求', hint: '如 初中、高中，空为不限' },
  { key: 'skills', header: '技能要求', hint: '多项以、分隔' },
  { key: 'food', header: '包吃', hint: '是/否' },
  { key: 'housing', header: '包住', hint: '是/否' },
  { key: 'reservedForPoor', header: '就业扶贫专岗', hint: '是/否' },
  { key: 'description', header: '岗位说明' },
] as const;

type Key = (typeof POSTING_IMPORT_COLUMNS)[number]['key'];
const HEADER = Object.fromEntries(POSTING_IMPORT_COLUMNS.map((c) => [c.key, c.header])) as Record<Key, string>;

const EDUCATION_DICT = {
  title: '学历要求',
  ...EDUCATION,
  aliases: { 本科: '20', 大专: '30', 专科: '30', 中职: '40', 高中: '60', 研究生及以上: '10', 不限: '' },
};
type Education = (typeof EDUCATION.codes)[number];
const occupationByName = new Map(OCCUPATIONS.map((o) => [o.name, o.code]));

export function yesNo(text: string | undefined, header: string): boolean | undefined {
  if (!text) return undefined;
  if (/^(是|有|Y|YES|TRUE|1|√)$/i.test(text)) return true;
  if (/^(否|无|N|NO|FALSE|0|×)$/i.test(text)) return false;
  throw new RowError(header, `“${text}”应填“是”或“否”`);
}

export function integerOf(row: ImportRow, key: string, header: string): number | undefined {
  const raw = row.raw[key];
  if (raw === undefined || row.values[key] === '') return undefined;
  const parsed = parseIntegerCell(raw);
  if (!parsed.ok) throw new RowError(header, parsed.message);
  return parsed.value;
}

export function dateOf(row: ImportRow, key: string, header: string): string | undefined {
  const raw: CellScalar | undefined = row.raw[key];
  if (raw === undefined || row.values[key] === '') return undefined;
  const parsed = parseDateCell(raw);
  if (!parsed.ok) throw new RowError(header, parsed.message);
  return parsed.value;
}

export const need = <T>(value: T | undefined, header: string): T => {
  if (value === undefined || value === '') throw new RowError(header, '必填');
  return value;
};

export function postingImportKind(postings: PostingsService): ImportKind {
  return {
    kind: 'postings',
    label: '岗位',
    auditAs: 'posting',
    roles: POSTING_WRITERS,
    sheetName: '岗位导入表',
    columns: [...POSTING_IMPORT_COLUMNS],
    fieldColumns: { occupationCode: 'occupation', employerId: 'creditCode', filled: 'headcount' },
    async importRow(tx: Tx, actor: Actor, row: ImportRow) {
      const v = row.values;
      const code = parseCreditCode(need(v.creditCode, HEADER.creditCode));
      if (!code.ok) throw new RowError(HEADER.creditCode, code.message);
      const employer = await employersRepo.findByCreditCode(tx, code.value.code);
      if (!employer) throw new RowError(HEADER.creditCode, `统一社会信用代码 ${code.value.code} 的用人单位尚未登记，请先登记用人单位`);
      const title = need(v.title, HEADER.title).trim();
      if (title.length < 2 || title.length > 60 || /[\u0000-\u001f\u007f<>]/.test(title))
        throw new RowError(HEADER.title, '岗位名称须为 2–60 个字，且不含 < > 等字符');
      const occupationText = need(v.occupation, HEADER.occupation);
      const occupationCode = occupationByCode(occupationText) ? occupationText : occupationByName.get(occupationText);
      if (!occupationCode)
        throw new RowError(HEADER.occupation, `“${occupationText}”不是《中华人民共和国职业分类大典》（2022 年版）的代码或职业名称`);
      const externalRef = v.externalRef?.trim() || null;
      if (externalRef && externalRef.length > 100) throw new RowError(HEADER.externalRef, '外部编号不超过 100 个字');
      const validFrom = dateOf(row, 'validFrom', HEADER.validFrom);
      // The row's key: the source's reference, else the title and the start date (today when empty, as the service takes it).
      const found = await repo.findImported(tx, employer.id, externalRef, title, validFrom ?? chinaToday());
      if (found) return 'unchanged';
      const minEducationText = v.minEducation?.trim();
      let minEducation: Education | null = null;
      if (minEducationText) {
        const edu = lookupDictionary(EDUCATION_DICT, minEducationText);
        if (edu === undefined) throw new RowError(HEADER.minEducation, `“${minEducationText}”不是学历（如 初中、高中、大专）`);
        minEducation = (edu || null) as Education | null;
      }
      const wage = (key: 'wageMin' | 'wageMax') => {
        const n = need(integerOf(row, key, HEADER[key]), HEADER[key]);
        if (n < 1 || n > 1_000_000) throw new RowError(HEADER[key], '月薪须在 1–1000000 元之间');
        return n;
      };
      const age = (key: 'ageMin' | 'ageMax') => {
        const n = integerOf(row, key, HEADER[key]);
        if (n !== undefined && (n < 16 || n > 70)) throw new RowError(HEADER[key], '年龄须在 16–70 岁之间');
        return n;
      };
      const headcount = need(integerOf(row, 'headcount', HEADER.headcount), HEADER.headcount);
      if (headcount > 100_000) throw new RowError(HEADER.headcount, '招聘人数不超过 100000');
      const workRegionCode = need(v.workRegionCode, HEADER.workRegionCode);
      if (!/^(\d{6}|\d{9}|\d{12})$/.test(workRegionCode))
        throw new RowError(HEADER.workRegionCode, '工作地点须为县级或以下的行政区划代码（6、9 或 12 位）');
      const description = v.description?.trim() || null;
      if (description && description.length > 2000) throw new RowError(HEADER.description, '岗位说明不超过 2000 字');
      await postings.create(
        tx,
        actor,
        {
          employerId: employer.id,
          title,
          occupationCode,
          workRegionCode,
          headcount,
          wageMin: wage('wageMin'),
          wageMax: wage('wageMax'),
          ageMin: age('ageMin'),
          ageMax: age('ageMax'),
          minEducation,
          skills: v.skills ? splitList(v.skills).slice(0, 20) : undefined,
          food: yesNo(v.food, HEADER.food),
          housing: yesNo(v.housing, HEADER.housing),
          reservedForPoor: yesNo(v.reservedForPoor, HEADER.reservedForPoor),
          validFrom,
          validTo: need(dateOf(row, 'validTo', HEADER.validTo), HEADER.validTo),
          description,
        },
        { externalRef },
      );
      return 'created';
    },
  };
}
