import { EMPLOYMENT_STAFF } from '../../../../contracts/roles.ts';
import { EMPLOYMENT_CHANNEL } from '../../../../contracts/referrals.ts';
import { OCCUPATIONS, occupationByCode } from '../../../../contracts/occupations.ts';
import type { CreateEmploymentInput } from '../../../../contracts/employment.ts';
import type { Tx } from '../../db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import { lookupDictionary, parseDateCell, parseIntegerCell } from '../../platform/excel/cell-values.ts';
import { type ImportKind, type ImportRow, RowError } from '../../platform/import-job.ts';
import { parseCreditCode } from '../employers/index.ts';
import { type LaborersService, maskIdNumber } from '../registry/index.ts';
import * as repo from './employment.repo.ts';
import type { EmploymentService } from './employment.service.ts';

/**
 * The employment records import (issue 21 item 4): a county's staff bring the jobs their people
 * found as one sheet. Each row is one job run through the employment service's create — the same
 * hard rules as a record typed in: the card in the importer's scope, an existing workplace region,
 * a start date not in the future and not before the 16th birthday, no overlap with an open or
 * later-ending job; the follow-ups are scheduled and the card's status moves as for one record.
 * The row is idempotent by (ID number, employer, start date): a job of that card, at that employer
 * (registered, or by credit code, or by name), starting that day is found, not opened twice.
 * The job's evidence stays typed (by staff): an import confirms nothing.
 */
export const EMPLOYMENT_IMPORT_COLUMNS = [
  { key: 'idNumber', header: '证件号码', required: true, mask: maskIdNumber },
  { key: 'name', header: '姓名', required: true, hint: '与信息卡核对' },
  { key: 'workplaceName', header: '单位名称', hint: '创业时可空' },
  { key: 'creditCode', header: '统一社会信用代码', hint: '已登记用人单位的代码将关联到该单位' },
  { key: 'workRegionCode', header: '工作地点', required: true, hint: '县级或以下行政区划代码' },
  { key: 'occupation', header: '岗位', hint: '职业分类大典代码或职业名称' },
  { key: 'startedOn', header: '入职日期', required: true },
  { key: 'monthlyWage', header: '月工资', required: true, hint: '元' },
  { key: 'socialInsurance', header: '是否参保', hint: '是/否' },
  { key: 'channel', header: '渠道', required: true, hint: '自主就业、就业帮扶、创业、公益性岗位' },
] as const;

type Key = (typeof EMPLOYMENT_IMPORT_COLUMNS)[number]['key'];
const HEADER = Object.fromEntries(EMPLOYMENT_IMPORT_COLUMNS.map((c) => [c.key, c.header])) as Record<Key, string>;
const occupationByName = new Map(OCCUPATIONS.map((o) => [o.name, o.code]));
const CHANNELS = { title: '渠道', labels: EMPLOYMENT_CHANNEL.labels, codes: EMPLOYMENT_CHANNEL.codes.filter((c) => c !== 'unknown') };

const need = (text: string | undefined, key: Key) => {
  if (!text) throw new RowError(HEADER[key], '必填');
  return text;
};

export function employmentImportKind(
  employment: Pick<EmploymentService, 'create'>,
  laborers: Pick<LaborersService, 'holderOf' | 'presentVisible'>,
): ImportKind {
  return {
    kind: 'employments',
    label: '就业记录',
    auditAs: 'employment',
    roles: EMPLOYMENT_STAFF,
    sheetName: '就业记录导入表',
    columns: EMPLOYMENT_IMPORT_COLUMNS.map((c) => ({ ...c })),
    fieldColumns: { employerCreditCode: 'creditCode', occupationCode: 'occupation', laborerId: 'idNumber' },
    async importRow(tx: Tx, actor: Actor, row: ImportRow) {
      const v = row.values;
      const idNumber = need(v.idNumber, 'idNumber').replace(/\s/g, '').toUpperCase();
      const holder = await laborers.holderOf(tx, actor, idNumber);
      if (!holder || holder.deleted) throw new RowError(HEADER.idNumber, '该证件号码没有信息卡，请先登记信息卡');
      if (!holder.inScope) throw new RowError(HEADER.idNumber, `该证件号码的信息卡在${holder.county.fullName}，不在您的管辖范围内`);
      const [card] = await laborers.presentVisible(tx, actor, [holder.laborerId]);
      const name = need(v.name, 'name').replace(/\s/g, '');
      if (!card || card.name !== name) throw new RowError(HEADER.name, `姓名与信息卡（${card?.name ?? '—'}）不符`);

      const startedParsed = row.raw.startedOn === undefined ? null : parseDateCell(row.raw.startedOn);
      if (!startedParsed) throw new RowError(HEADER.startedOn, '必填');
      if (!startedParsed.ok) throw new RowError(HEADER.startedOn, startedParsed.message);
      const startedOn = startedParsed.value;

      let creditCode: string | null = null;
      if (v.creditCode) {
        const parsed = parseCreditCode(v.creditCode);
        if (!parsed.ok) throw new RowError(HEADER.creditCode, parsed.message);
        creditCode = parsed.value.code;
      }
      const workplaceName = v.workplaceName?.trim() || null;
      if (workplaceName && (workplaceName.length < 2 || workplaceName.length > 100))
        throw new RowError(HEADER.workplaceName, '单位名称须为 2–100 个字');
      const registered = creditCode ? await repo.employerByCreditCode(tx, creditCode) : undefined;
      // The row's key: the card, the employer (registered, else credit code, else name) and the start date.
      const same = await repo.sameJob(tx, {
        laborerId: holder.laborerId,
        startedOn,
        employerId: registered ? String(registered.id) : null,
        creditCode: registered ? null : creditCode,
        workplaceName: registered || creditCode ? null : workplaceName,
      });
      if (same) return 'unchanged';

      const channelText = need(v.channel, 'channel');
      const channel = lookupDictionary(CHANNELS, channelText);
      if (!channel) throw new RowError(HEADER.channel, `“${channelText}”不是就业渠道（自主就业、就业帮扶、创业、公益性岗位）`);
      const wage = parseIntegerCell(row.raw.monthlyWage ?? need(v.monthlyWage, 'monthlyWage'));
      if (!wage.ok) throw new RowError(HEADER.monthlyWage, wage.message);
      if (wage.value < 0 || wage.value > 1_000_000) throw new RowError(HEADER.monthlyWage, '月工资须在 0–1000000 元之间');
      const workRegionCode = need(v.workRegionCode, 'workRegionCode');
      if (!/^(\d{6}|\d{9}|\d{12})$/.test(workRegionCode))
        throw new RowError(HEADER.workRegionCode, '工作地点须为县级或以下的行政区划代码（6、9 或 12 位）');
      let occupationCode: string | undefined;
      if (v.occupation) {
        occupationCode = occupationByCode(v.occupation) ? v.occupation : occupationByName.get(v.occupation);
        if (!occupationCode)
          throw new RowError(HEADER.occupation, `“${v.occupation}”不是《中华人民共和国职业分类大典》（2022 年版）的代码或职业名称`);
      }
      let socialInsurance = false;
      if (v.socialInsurance) {
        if (/^(是|已参保|参保|Y|YES|TRUE|1)$/i.test(v.socialInsurance)) socialInsurance = true;
        else if (!/^(否|未参保|N|NO|FALSE|0)$/i.test(v.socialInsurance))
          throw new RowError(HEADER.socialInsurance, `“${v.socialInsurance}”应填“是”或“否”`);
      }
      const input: CreateEmploymentInput = {
        laborerId: holder.laborerId,
        ...(workplaceName ? { workplaceName } : {}),
        ...(creditCode ? { employerCreditCode: creditCode } : {}),
        workRegionCode,
        ...(occupationCode ? { occupationCode } : {}),
        startedOn,
        monthlyWage: wage.value,
        socialInsurance,
        channel: channel as CreateEmploymentInput['channel'],
      };
      await employment.create(tx, actor, input);
      return 'created';
    },
  };
}
