import { createWriteStream, existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idCheckChar } from './identity.ts';
import {
  DICTIONARIES,
  ERROR_COLUMN_HEADER,
  FORM_COLUMNS,
  FORM_SHEET_NAME,
  FormError,
  ID_STORED_AS_NUMBER,
  errorsByRowOf,
  listValidationFormula,
  readCollectionForm,
  safeCell,
  writeErrorReport,
  writeRowsXlsx,
  writeTemplate,
  type FormRow,
  type FormSheetInfo,
  type ReadCollectionFormOptions,
} from './collection-form.ts';
import { headerName, matchHeader } from './collection-form.columns.ts';
import { excelSerialToDate, numberToText, parseDateCell, splitList } from '../../platform/excel/cell-values.ts';
import { inspectZip, PART_LIMITS } from '../../platform/excel/zip-guard.ts';
import { buildCollectionForm } from '../../../test/hostile-xlsx.ts';

// ---------------------------------------------------------------------------------------------
// fixtures

let dir: string;
let fileNo = 0;
const tmp = (ext = 'xlsx') => join(dir, `f${++fileNo}.${ext}`);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'collection-form-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A valid 18-digit ID from its first 17 digits. */
const id = (body17: string) => body17 + idCheckChar(body17);
const ID1 = id('43052219900101123'); // male, 1990-01-01
const ID2 = id('43052219851231002'); // female, 1985-12-31
const ID3 = id('43052220000229004'); // female, 2000-02-29
const TODAY = new Date('2025-06-01T00:00:00+08:00');

const HEADERS = [
  '姓名*',
  '身份证号*',
  '户籍所在村代码*',
  '户类型*（建档立卡户/已脱贫/监测户）',
  '文化程度*',
  '劳动能力*',
  '健康状况*',
  '就业意愿*',
  '照料负担*',
  '就业状态*',
];
const validRow = (name: string, idNumber: unknown, extra: unknown[] = []) => [
  name,
  idNumber,
  '430522100201',
  '已脱贫',
  '初中',
  '全部劳动能力',
  '健康',
  '县外省内',
  '无',
  '未就业',
  ...extra,
];

type SheetSpec = { name: string; rows: unknown[][]; setup?: (ws: ExcelJS.Worksheet) => void };

async function makeWorkbook(sheets: SheetSpec[]): Promise<string> {
  const wb = new ExcelJS.Workbook();
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.name);
    s.rows.forEach((values, i) => {
      const row = ws.getRow(i + 1);
      values.forEach((v, c) => {
        if (v !== undefined && v !== null) row.getCell(c + 1).value = v as ExcelJS.CellValue;
      });
    });
    s.setup?.(ws);
  }
  const path = tmp();
  await wb.xlsx.writeFile(path);
  return path;
}

const formBook = (rows: unknown[][], setup?: SheetSpec['setup']) => makeWorkbook([{ name: FORM_SHEET_NAME, rows, setup }]);

async function readAll(path: string, options: ReadCollectionFormOptions = {}): Promise<FormRow[]> {
  const rows: FormRow[] = [];
  for await (const row of readCollectionForm(path, { today: TODAY, ...options })) rows.push(row);
  return rows;
}

async function formError(promise: Promise<unknown>): Promise<FormError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(FormError);
    return error as FormError;
  }
  throw new Error('expected a FormError');
}

const messages = (row: FormRow) => row.errors.map((e) => `${e.column}:${e.message}`);

async function writeTo(path: string, write: (out: Writable) => Promise<unknown>) {
  await write(createWriteStream(path));
}

// ---------------------------------------------------------------------------------------------
// template

describe('writeTemplate', () => {
  it('has the form, instructions and dictionary sheets, styled for cadres', async () => {
    const path = tmp();
    await writeTo(path, (out) => writeTemplate(out));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path);
    expect(wb.worksheets.map((w) => w.name)).toEqual([FORM_SHEET_NAME, '填表说明', '字典']);

    const form = wb.getWorksheet(FORM_SHEET_NAME)!;
    const header = form.getRow(1);
    expect(FORM_COLUMNS.map((_, i) => header.getCell(i + 1).value)).toEqual(FORM_COLUMNS.map((c) => c.header));
    expect(header.getCell(1).value).toBe('姓名*');
    expect(header.getCell(2).value).toBe('身份证号*');
    const idCol = FORM_COLUMNS.findIndex((c) => c.key === 'idNumber') + 1;
    const phoneCol = FORM_COLUMNS.findIndex((c) => c.key === 'phone') + 1;
    const villageCol = FORM_COLUMNS.findIndex((c) => c.key === 'homeVillageCode') + 1;
    const remarkCol = FORM_COLUMNS.findIndex((c) => c.key === 'remark') + 1;
    expect(header.getCell(idCol).font?.color?.argb).toBe('FFFF0000');
    expect(header.getCell(idCol).font?.bold).toBe(true);
    expect(header.getCell(remarkCol).font?.color?.argb).toBeUndefined();
    for (const col of [idCol, phoneCol, villageCol]) expect(form.getColumn(col).numFmt).toBe('@');
    expect(form.getColumn(idCol).width).toBe(22);
    expect(form.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });

    // drop-downs on rows 2..5001 of every single-choice dictionary column, under 255 characters
    const xml = await unzipEntry(path, 'xl/worksheets/sheet1.xml');
    // ExcelJS reads data validations but its typings do not declare them on Worksheet.
    const validations = (form as unknown as { dataValidations: { find(address: string): ExcelJS.DataValidation | undefined } })
      .dataValidations;
    const dict = FORM_COLUMNS.map((c, i) => ({ c, i })).filter(({ c }) => c.kind === 'dict');
    expect(dict.length).toBeGreaterThanOrEqual(9);
    for (const { c, i } of dict) {
      const letter = String.fromCharCode(65 + i);
      const dv = validations.find(`${letter}2`) ?? validations.find(`${letter}5001`);
      expect(dv, c.name).toMatchObject({ type: 'list' });
      expect(xml).toContain(`sqref="${letter}2:${letter}5001"`);
      expect(String(dv!.formulae[0]).length).toBeLessThanOrEqual(255);
    }
    const povertyCol = String.fromCharCode(65 + FORM_COLUMNS.findIndex((c) => c.key === 'povertyStatus'));
    expect(validations.find(`${povertyCol}3`)?.formulae[0]).toBe('"建档立卡户,已脱贫,监测户"');

    const help = wb.getWorksheet('填表说明')!;
    const helpText = JSON.stringify(help.getSheetValues());
    for (const c of FORM_COLUMNS) expect(helpText).toContain(c.header);
    expect(helpText).toContain('一人一行');
    expect(helpText).toContain('18 位');
    expect(helpText).toContain('2016-03-01');
    expect(helpText).toContain('合并单元格');

    const dictSheet = wb.getWorksheet('字典')!;
    const total = Object.values(DICTIONARIES).reduce((n, d) => n + d.codes.length, 0);
    expect(dictSheet.rowCount).toBe(total + 1);
    const rows = (dictSheet.getSheetValues() as unknown[][]).filter(Boolean).map((r) => r.slice(1));
    expect(rows).toContainEqual(['文化程度', '70', '初中']);
    expect(rows).toContainEqual(['民族', '01', '汉族']);
  });

  it('falls back to a range on the 字典 sheet for lists over 255 characters', () => {
    const long = {
      title: 't',
      labels: Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`c${i}`, `很长的选项${i}`])),
      codes: Array.from({ length: 80 }, (_, i) => `c${i}`),
    };
    expect(listValidationFormula(long, { first: 5, last: 84 })).toBe("'字典'!$C$5:$C$84");
    expect(listValidationFormula(DICTIONARIES.caring)).toBe('"无,照顾老人,照顾小孩,照顾老人和小孩"');
  });

  it('round-trips: template filled with three rows reads back as codes', async () => {
    const template = tmp();
    await writeTo(template, (out) => writeTemplate(out));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(template);
    const ws = wb.getWorksheet(FORM_SHEET_NAME)!;
    const fill = (r: number, byKey: Record<string, unknown>) => {
      FORM_COLUMNS.forEach((c, i) => {
        if (byKey[c.key] !== undefined) ws.getRow(r).getCell(i + 1).value = byKey[c.key] as ExcelJS.CellValue;
      });
    };
    fill(2, {
      name: '张三',
      idNumber: ID1,
      sex: '男',
      birthDate: '1990-01-01',
      phone: '13812345678',
      ethnicity: '汉族',
      homeVillageCode: '430522100201',
      householdCode: '4305221002010001',
      relationToHead: '户主',
      householdSize: 4,
      povertyStatus: '已脱贫',
      education: '初中',
      laborCapacity: '全部劳动能力',
      health: '健康',
      skills: '电焊、驾驶',
      certificates: '焊工（中级）',
      willingness: '县外省内',
      wantedJobTypes: '普工，保洁',
      expectedWage: 4000,
      caring: '无',
      flags: '返乡、易地搬迁',
      employmentStatus: '未就业',
      trainingHistory: '2023 年参加电工培训',
      remark: '无',
    });
    fill(3, {
      name: '李四',
      idNumber: ID2,
      homeVillageCode: '430522100202',
      povertyStatus: '监测户',
      education: '70',
      laborCapacity: 'partial',
      health: '长期慢性病',
      willingness: '省外',
      caring: '照顾老人',
      employmentStatus: '已就业',
      flags: '两后生;残疾',
    });
    fill(4, {
      name: '王五',
      idNumber: ID3,
      homeVillageCode: '430522100203',
      povertyStatus: '建档立卡户',
      education: '大学本科',
      laborCapacity: '部分劳动能力',
      health: '残疾',
      willingness: '不愿外出',
      caring: '照顾老人和小孩',
      employmentStatus: '不具备就业条件',
      ethnicity: '苗',
    });
    const filled = tmp();
    await wb.xlsx.writeFile(filled);

    let info: FormSheetInfo | undefined;
    const rows = await readAll(filled, { onSheet: (i) => (info = i) });
    expect(info).toMatchObject({ sheetName: FORM_SHEET_NAME, headerRow: 1, sheetNames: [FORM_SHEET_NAME, '填表说明', '字典'] });
    expect(info!.columns).toHaveLength(FORM_COLUMNS.length);
    expect(rows.map((r) => r.row)).toEqual([2, 3, 4]);
    expect(rows.flatMap(messages)).toEqual([]);
    expect(rows[0]!.values).toEqual({
      name: '张三',
      idNumber: ID1,
      sex: 'male',
      birthDate: '1990-01-01',
      phone: '13812345678',
      ethnicity: '01',
      homeVillageCode: '430522100201',
      householdCode: '4305221002010001',
      relationToHead: '户主',
      householdSize: 4,
      povertyStatus: 'lifted',
      education: '70',
      laborCapacity: 'full',
      health: 'healthy',
      skills: ['电焊', '驾驶'],
      certificates: ['焊工（中级）'],
      willingness: 'in_province',
      wantedJobTypes: ['普工', '保洁'],
      expectedWage: 4000,
      caring: 'none',
      flags: ['returnee', 'relocated'],
      employmentStatus: 'unemployed',
      trainingHistory: '2023 年参加电工培训',
      remark: '无',
    });
    expect(rows[1]!.values).toMatchObject({
      education: '70',
      laborCapacity: 'partial',
      povertyStatus: 'monitored',
      health: 'chronic',
      flags: ['school_leaver', 'disability'],
    });
    expect(rows[2]!.values).toMatchObject({
      idNumber: ID3,
      education: '20',
      caring: 'both',
      employmentStatus: 'not_working',
      ethnicity: '06',
    });
  });
});

async function unzipEntry(path: string, name: string): Promise<string> {
  const dirInfo = await inspectZip(path);
  const entry = dirInfo.entries.find((e) => e.name === name)!;
  const buf = await readFile(path);
  const data = buf.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
  const { inflateRawSync } = await import('node:zlib');
  return (entry.method === 8 ? inflateRawSync(data) : data).toString('utf8');
}

// ---------------------------------------------------------------------------------------------
// sheets and headers

describe('finding the sheet and its columns', () => {
  it('accepts reordered columns, extra columns and header variants', async () => {
    const path = await formBook([
      [
        '序号',
        ' 就业状态 ＊',
        '照料负担（必填）',
        '身份证号码',
        '就业意愿*',
        '健康状况*',
        '劳动能力*',
        '文化程度*',
        '户类型*(建档立卡户/已脱贫/监测户)',
        '户籍所在村代码*',
        '姓 名',
        '家庭住址',
        '联系电话',
      ],
      [1, '未就业', '无', ID1, '县内', '健康', '全部劳动能力', '初中', '已脱贫', '430522100201', '张三', '某某村 3 组', '13812345678'],
      [2],
      [3],
    ]);
    let info: FormSheetInfo | undefined;
    const rows = await readAll(path, { onSheet: (i) => (info = i) });
    expect(info!.ignoredHeaders).toEqual(['序号', '家庭住址']);
    expect(info!.columns.find((c) => c.column.key === 'idNumber')).toMatchObject({ index: 4, letter: 'D', header: '身份证号码' });
    expect(rows).toHaveLength(1); // rows holding only a 序号 are empty
    expect(rows[0]!.errors).toEqual([]);
    expect(rows[0]!.values).toMatchObject({
      name: '张三',
      idNumber: ID1,
      employmentStatus: 'unemployed',
      willingness: 'in_county',
      phone: '13812345678',
    });
  });

  it('matches headers on their leading name', () => {
    expect(headerName('户类型*（建档立卡户/已脱贫/监测户）')).toBe('户类型');
    expect(headerName(' 期望月薪（元） ')).toBe('期望月薪');
    expect(headerName('特殊标识(两后生、返乡)')).toBe('特殊标识');
    expect(matchHeader('身份证号 *')?.key).toBe('idNumber');
    expect(matchHeader('户籍所在村代码*（12位）')?.key).toBe('homeVillageCode');
    expect(matchHeader('家庭地址')).toBeUndefined();
  });

  it('refuses a sheet missing required columns, naming them', async () => {
    const path = await formBook([
      ['姓名*', '身份证号*', '户籍所在村代码*', '文化程度*', '劳动能力*', '健康状况*', '就业意愿*', '照料负担*'],
      ['张三', ID1, '430522100201', '初中', '全部劳动能力', '健康', '县内', '无'],
    ]);
    const error = await formError(readAll(path));
    expect(error.formCode).toBe('IMPORT_MISSING_COLUMNS');
    expect(error.message).toContain('户类型');
    expect(error.message).toContain('就业状态');
    expect(error.details).toMatchObject({ formCode: 'IMPORT_MISSING_COLUMNS', missing: ['户类型', '就业状态'] });
    expect(error.status).toBe(400);
  });

  it('finds the header below title rows', async () => {
    const path = await formBook(
      [
        ['XX县XX镇XX村劳动力资源信息采集表'],
        ['填表人：李主任', null, '填表日期：2025-05-01'],
        HEADERS,
        validRow('张三', ID1),
        validRow('李四', ID2),
      ],
      (ws) => ws.mergeCells('A1:J1'),
    );
    let info: FormSheetInfo | undefined;
    const rows = await readAll(path, { onSheet: (i) => (info = i) });
    expect(info!.headerRow).toBe(3);
    expect(rows.map((r) => [r.row, r.values.name, r.errors.length])).toEqual([
      [4, '张三', 0],
      [5, '李四', 0],
    ]);
  });

  it('takes the first sheet with a 姓名 + 身份证号 header when none has the form name', async () => {
    const path = await makeWorkbook([
      { name: '说明', rows: [['本表由村委会填写'], ['姓名和身份证号必须填写']] },
      { name: 'Sheet2', rows: [HEADERS, validRow('张三', ID1)] },
      { name: 'Sheet3', rows: [HEADERS, validRow('李四', ID2)] },
    ]);
    let info: FormSheetInfo | undefined;
    const rows = await readAll(path, { onSheet: (i) => (info = i) });
    expect(info!.sheetName).toBe('Sheet2');
    expect(rows.map((r) => r.values.name)).toEqual(['张三']);
  });

  it('prefers the sheet named 劳动力资源信息采集表 over an earlier matching sheet', async () => {
    const path = await makeWorkbook([
      { name: '旧表', rows: [HEADERS, validRow('张三', ID1)] },
      { name: FORM_SHEET_NAME, rows: [HEADERS, validRow('李四', ID2)] },
    ]);
    const rows = await readAll(path);
    expect(rows.map((r) => r.values.name)).toEqual(['李四']);
  });

  it('reports the sheets it saw when none matches', async () => {
    const path = await makeWorkbook([
      {
        name: '汇总',
        rows: [
          ['村名', '人数'],
          ['某村', 3],
        ],
      },
      {
        name: '名单',
        rows: [
          ['名字', '电话'],
          ['张三', '13812345678'],
        ],
      },
    ]);
    const error = await formError(readAll(path));
    expect(error.formCode).toBe('IMPORT_SHEET_NOT_FOUND');
    expect(error.message).toContain('「汇总」');
    expect(error.message).toContain('「名单」');
    expect(error.details).toMatchObject({ sheetNames: ['汇总', '名单'] });
  });
});

// ---------------------------------------------------------------------------------------------
// cell values

describe('cell values', () => {
  const withColumns = (extraHeaders: string[], rows: unknown[][], setup?: SheetSpec['setup']) =>
    formBook([[...HEADERS, ...extraHeaders], ...rows], setup);

  it('reads Excel serial dates, Date values and the usual text forms', async () => {
    const serial = (y: number, m: number, d: number) => (Date.UTC(y, m - 1, d) - Date.UTC(1899, 11, 30)) / 86_400_000;
    const inputs: [unknown, string][] = [
      [serial(1990, 1, 1), '1990-01-01'],
      [new Date(Date.UTC(1990, 0, 1)), '1990-01-01'],
      ['1990-01-01', '1990-01-01'],
      ['1990/1/1', '1990-01-01'],
      ['1990.01', '1990-01-01'],
      ['1990.1.1', '1990-01-01'],
      ['1990年1月1日', '1990-01-01'],
      ['１９９０年１月', '1990-01-01'],
      [1990.01, '1990-01-01'],
    ];
    const path = await withColumns(
      ['出生日期'],
      inputs.map(([v], i) => validRow(`人员${i}`, id(`43052219900101${101 + i * 2}`), [v])),
    );
    const rows = await readAll(path);
    expect(rows.map((r) => r.values.birthDate)).toEqual(inputs.map(([, want]) => want));
    expect(rows.flatMap(messages)).toEqual([]);
  });

  it('parses dates and refuses impossible or ambiguous ones', () => {
    expect(parseDateCell('2016-03-01')).toEqual({ ok: true, value: '2016-03-01' });
    expect(parseDateCell('2016/3/1')).toEqual({ ok: true, value: '2016-03-01' });
    expect(parseDateCell('2016.03')).toEqual({ ok: true, value: '2016-03-01' });
    expect(parseDateCell('2016.3.1')).toEqual({ ok: true, value: '2016-03-01' });
    expect(parseDateCell('2016年3月1日')).toEqual({ ok: true, value: '2016-03-01' });
    expect(parseDateCell('20160301')).toEqual({ ok: true, value: '2016-03-01' });
    expect(parseDateCell(20160301)).toEqual({ ok: true, value: '2016-03-01' });
    expect(parseDateCell(42430)).toEqual({ ok: true, value: '2016-03-01' });
    expect(parseDateCell(40968, true)).toEqual({ ok: true, value: '2016-03-01' });
    expect(parseDateCell(2016.03)).toEqual({ ok: true, value: '2016-03-01' });
    expect(parseDateCell(2016.12)).toEqual({ ok: true, value: '2016-12-01' });
    expect(parseDateCell(2016.5)).toEqual({ ok: true, value: '2016-05-01' });
    expect(parseDateCell(2016.1)).toMatchObject({ ok: false, message: expect.stringContaining('歧义') });
    expect(parseDateCell('2016-02-30')).toMatchObject({ ok: false });
    expect(parseDateCell('2016')).toMatchObject({ ok: false });
    expect(parseDateCell('明年')).toMatchObject({ ok: false, message: expect.stringContaining('2016-03-01') });
    expect(excelSerialToDate(60)).toBeNull(); // Lotus' 1900-02-29
    expect(excelSerialToDate(59)).toBe('1900-02-28');
    expect(excelSerialToDate(61)).toBe('1900-03-01');
  });

  it('uses cached formula results and reports formulas without one', async () => {
    const path = await formBook([
      [...HEADERS, '家庭人口'],
      [
        { formula: '"张"&"三"', result: '张三' },
        ID1,
        '430522100201',
        '已脱贫',
        { formula: 'Z1', result: '初中' },
        '全部劳动能力',
        '健康',
        '县内',
        '无',
        '未就业',
        { formula: '2+2', result: 4 },
      ],
      [
        '李四',
        ID2,
        '430522100201',
        { formula: 'Z2' },
        '初中',
        '全部劳动能力',
        '健康',
        '县内',
        '无',
        '未就业',
        { formula: '1/0', result: { error: '#DIV/0!' } },
      ],
    ]);
    const rows = await readAll(path);
    expect(rows[0]!.errors).toEqual([]);
    expect(rows[0]!.values).toMatchObject({ name: '张三', education: '70', householdSize: 4 });
    expect(messages(rows[1]!)).toEqual(['户类型:公式没有计算结果', expect.stringMatching(/^家庭人口:公式计算出错/)]);
  });

  it('reads rich text, hyperlinks and hidden rows as plain data', async () => {
    const path = await formBook(
      [
        [...HEADERS, '备注'],
        validRow('placeholder', ID1, [{ text: '见村委会公告', hyperlink: 'https://example.org/notice' }]),
        validRow('李四', ID2),
      ],
      (ws) => {
        ws.getCell('A2').value = { richText: [{ text: '张' }, { font: { bold: true }, text: '三' }] };
        ws.getRow(3).hidden = true;
      },
    );
    const rows = await readAll(path);
    expect(rows.map((r) => r.values.name)).toEqual(['张三', '李四']);
    expect(rows[0]!.values.remark).toBe('见村委会公告');
  });

  it('detects an ID number stored as a number', async () => {
    const path = await formBook([HEADERS, validRow('张三', Number(ID1)), validRow('李四', ID2)]);
    const rows = await readAll(path);
    expect(messages(rows[0]!)).toEqual([`身份证号:${ID_STORED_AS_NUMBER}`]);
    expect(rows[0]!.values.idNumber).toBeUndefined();
    expect(rows[1]!.errors).toEqual([]);
  });

  it('normalizes full-width digits and spaces, numbers in text columns, padded names', async () => {
    const fullWidth = (s: string) => s.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
    const path = await withColumns(
      ['手机号', '家庭人口', '户编号', '期望月薪（元）'],
      [
        [
          '\u3000张  三\u3000',
          fullWidth(ID1),
          fullWidth('430522100201'),
          '已脱贫',
          '初中',
          '全部劳动能力',
          '健康',
          '县内',
          '无',
          '未就业',
          fullWidth('138 1234 5678'),
          fullWidth('4'),
          4305221002010001,
          '4,000元',
        ],
        ['李四', ID2, 430522100201, '已脱贫', 70, '全部劳动能力', '健康', '县内', '无', '未就业', 13812345678, 3.0, 12.5, 3000],
      ],
    );
    const rows = await readAll(path);
    expect(rows.flatMap(messages)).toEqual([]);
    expect(rows[0]!.values).toMatchObject({
      name: '张三',
      idNumber: ID1,
      homeVillageCode: '430522100201',
      phone: '13812345678',
      householdSize: 4,
      householdCode: '4305221002010001',
      expectedWage: 4000,
    });
    expect(rows[1]!.values).toMatchObject({
      homeVillageCode: '430522100201',
      education: '70',
      phone: '13812345678',
      householdSize: 3,
      householdCode: '12.5',
      expectedWage: 3000,
    });
    expect(numberToText(1e20)).toBe('100000000000000000000');
    expect(numberToText(12)).toBe('12');
    expect(numberToText(0.1 + 0.2)).toBe('0.3');
  });

  it('converts a 15-digit ID, rejects a wrong check digit, flags a repeated person', async () => {
    const wrong = ID2.slice(0, 17) + (ID2[17] === '0' ? '1' : '0');
    const path = await formBook([
      HEADERS,
      validRow('张三', '430522900101123'), // row 2: legacy number of ID1
      validRow('李四', wrong), // row 3
      validRow('王五', ID2), // row 4
      validRow('张三', ID1.toLowerCase()), // row 5: same person as row 2
      validRow('王五', ` ${ID2} `), // row 6: same as row 4
    ]);
    const rows = await readAll(path);
    expect(rows[0]!.values.idNumber).toBe(ID1);
    expect(rows[0]!.errors).toEqual([]);
    expect(messages(rows[1]!)).toEqual(['身份证号:身份证号校验位错误']);
    expect(rows[2]!.errors).toEqual([]);
    expect(rows[3]!.errors).toEqual([{ row: 5, column: '身份证号', message: '与第 2 行身份证号重复' }]);
    expect(rows[4]!.errors).toEqual([{ row: 6, column: '身份证号', message: '与第 4 行身份证号重复' }]);
  });

  it('checks typed sex and birth date against the ID number', async () => {
    const path = await withColumns(
      ['性别', '出生日期'],
      [validRow('张三', ID1, ['女', '1990-01-02']), validRow('李四', ID2, ['女', '1985/12/31'])],
    );
    const rows = await readAll(path);
    expect(rows[0]!.errors.map((e) => e.column).sort()).toEqual(['出生日期', '性别']);
    expect(rows[0]!.values.sex).toBeUndefined();
    expect(rows[1]!.errors).toEqual([]);
    expect(rows[1]!.values).toMatchObject({ sex: 'female', birthDate: '1985-12-31' });
  });

  it('accepts dictionary labels and codes, refuses unknown values listing the allowed ones', async () => {
    const path = await withColumns(
      ['特殊标识'],
      [
        ['张三', ID1, '430522100201', '监测户', '70', 'full', '健康', '县外省内', '无', '已就业', '返乡，两后生 返乡'],
        ['李四', ID2, '430522100201', '贫困户', '初一', '全部劳动能力', '健康', '县内', '无', '未就业', '退伍军人、返乡'],
        ['王五', ID3, '430522100201', 'registered', 80, '全部劳动能力', '健康', '县内', '无', '未就业', '无'],
      ],
    );
    const rows = await readAll(path);
    expect(rows[0]!.errors).toEqual([]);
    expect(rows[0]!.values).toMatchObject({
      povertyStatus: 'monitored',
      education: '70',
      laborCapacity: 'full',
      flags: ['returnee', 'school_leaver'],
    });
    expect(messages(rows[1]!)).toEqual([
      '户类型:“贫困户”不是有效的户类型，可填：建档立卡户、已脱贫、监测户',
      expect.stringMatching(/^文化程度:“初一”不是有效的文化程度，可填：研究生、.*初中、小学/),
      '特殊标识:“退伍军人”不是有效的特殊标识，可填：两后生、返乡、残疾、易地搬迁、村干部',
    ]);
    expect(rows[2]!.values).toMatchObject({ povertyStatus: 'registered', education: '80' });
    expect(rows[2]!.values.flags).toBeUndefined();
  });

  it('reports empty required cells, also those left empty by a vertical merge', async () => {
    const path = await formBook(
      [
        HEADERS,
        validRow('张三', ID1),
        validRow('李四', ID2),
        ['王五', ID3, '430522100201', null, '初中', '全部劳动能力', '健康', '县内', '', '未就业'],
      ],
      (ws) => ws.mergeCells('D2:D3'),
    );
    const rows = await readAll(path);
    expect(rows[0]!.errors).toEqual([]);
    expect(messages(rows[1]!)).toEqual(['户类型:必填']);
    expect(messages(rows[2]!)).toEqual(['户类型:必填', '照料负担:必填']);
  });

  it('validates shapes: village code, phone, integers, lengths, list sizes', async () => {
    const path = await withColumns(
      ['手机号', '家庭人口', '技能特长', '与户主关系'],
      [
        [
          '张',
          ID1,
          '43052210020',
          '已脱贫',
          '初中',
          '全部劳动能力',
          '健康',
          '县内',
          '无',
          '未就业',
          '0731-1234567',
          31,
          'a'.repeat(31),
          '户主的大儿子的配偶的哥哥',
        ],
      ],
    );
    const [row] = await readAll(path);
    expect(row!.errors.map((e) => e.column)).toEqual(['姓名', '户籍所在村代码', '手机号', '家庭人口', '技能特长', '与户主关系']);
    expect(row!.values).toMatchObject({ idNumber: ID1, povertyStatus: 'lifted' });
    expect(splitList('电焊、驾驶，厨师;保洁 电焊')).toEqual(['电焊', '驾驶', '厨师', '保洁']);
    expect(splitList('无')).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// limits and bad files

describe('limits', () => {
  it('stops after emptyRowsToStop consecutive empty rows', async () => {
    const rows: unknown[][] = [HEADERS, validRow('张三', ID1), validRow('李四', ID2)];
    for (let i = 0; i < 50; i++) rows.push([null, null, null, null, null, null, null, null, null, null, `序号${i}`]); // rows 4..53
    rows.push(validRow('王五', ID3)); // row 54: must be ignored
    const path = await formBook(rows);
    expect((await readAll(path, { emptyRowsToStop: 20 })).map((r) => r.row)).toEqual([2, 3]);
    expect((await readAll(path, { emptyRowsToStop: 51 })).map((r) => r.row)).toEqual([2, 3, 54]);

    // rows missing from the file altogether count as empty too
    const gap = await formBook([HEADERS, validRow('张三', ID1)], (ws) => {
      for (const [c, v] of validRow('王五', ID3).entries()) ws.getRow(100).getCell(c + 1).value = v as ExcelJS.CellValue;
    });
    expect((await readAll(gap, { emptyRowsToStop: 20 })).map((r) => r.row)).toEqual([2]);
    expect((await readAll(gap, { emptyRowsToStop: 200 })).map((r) => r.row)).toEqual([2, 100]);
  });

  it('refuses more than maxRows data rows', async () => {
    const path = await formBook([HEADERS, validRow('张三', ID1), validRow('李四', ID2), validRow('王五', ID3)]);
    expect(await readAll(path, { maxRows: 3 })).toHaveLength(3);
    const error = await formError(readAll(path, { maxRows: 2 }));
    expect(error.formCode).toBe('IMPORT_TOO_MANY_ROWS');
    expect(error.message).toContain('2');
  });

  it('refuses a text file named .xlsx, an old .xls, and a zip that is no workbook', async () => {
    const text = tmp();
    await writeFile(text, '姓名,身份证号\n张三,430522199001011234\n');
    expect((await formError(readAll(text))).formCode).toBe('IMPORT_NOT_A_WORKBOOK');

    const ole = tmp();
    await writeFile(ole, Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(1024)]));
    const oleError = await formError(readAll(ole));
    expect(oleError.formCode).toBe('IMPORT_NOT_A_WORKBOOK');
    expect(oleError.message).toContain('.xls');

    const empty = tmp();
    await writeFile(empty, '');
    expect((await formError(readAll(empty))).formCode).toBe('IMPORT_NOT_A_WORKBOOK');

    const notBook = tmp();
    await writeFile(notBook, buildZip([{ name: 'readme.txt', data: Buffer.from('hello') }]));
    expect((await formError(readAll(notBook))).formCode).toBe('IMPORT_NOT_A_WORKBOOK');

    // a real workbook cut short
    const good = await formBook([HEADERS, validRow('张三', ID1)]);
    const truncated = tmp();
    const bytes = await readFile(good);
    await writeFile(truncated, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    expect((await formError(readAll(truncated))).formCode).toBe('IMPORT_NOT_A_WORKBOOK');
  });
});

// --- hand-made ZIP files --------------------------------------------------------------------------

interface ZipSpec {
  name: string;
  /** Bytes stored in the archive (already compressed when method 8). */
  data: Buffer;
  method?: 0 | 8;
  /** Declared sizes, defaulting to the truth. */
  uncompressedSize?: number;
  extra?: Buffer;
  crc?: number;
}

function buildZip(entries: ZipSpec[], options: { zip64Locator?: boolean } = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const method = e.method ?? 0;
    const size = e.uncompressedSize ?? e.data.length;
    const extra = e.extra ?? Buffer.alloc(0);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(e.crc ?? 0, 14);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(extra.length, 28);
    locals.push(local, name, extra, e.data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(e.crc ?? 0, 16);
    central.writeUInt32LE(e.data.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(extra.length, 30);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name, extra);
    offset += 30 + name.length + extra.length + e.data.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  const locator = Buffer.alloc(options.zip64Locator ? 20 : 0);
  if (options.zip64Locator) locator.writeUInt32LE(0x07064b50, 0);
  return Buffer.concat([...locals, cd, locator, eocd]);
}

describe('zip bombs', () => {
  it('refuses, from the central directory alone, an entry claiming 1 GB from 1 KB', async () => {
    // 1 KB of bytes that are NOT valid deflate data: any inflation attempt would fail with a
    // different error, so IMPORT_ZIP_BOMB proves the refusal came before inflating anything.
    const garbage = Buffer.alloc(1024, 0xff);
    const path = tmp();
    await writeFile(
      path,
      buildZip([
        { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
        { name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') },
        { name: 'xl/worksheets/sheet1.xml', data: garbage, method: 8, uncompressedSize: 1024 ** 3 },
      ]),
    );
    const error = await formError(readAll(path));
    expect(error.formCode).toBe('IMPORT_ZIP_BOMB');
    expect(error.status).toBe(413);
    expect(error.message).toContain('300 MB');
    expect(error.details).toMatchObject({ reason: 'total-size' });
  });

  it('refuses an entry over 200:1 even when the total is small', async () => {
    const path = tmp();
    await writeFile(
      path,
      buildZip([{ name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(1024, 0xff), method: 8, uncompressedSize: 10 * 1024 * 1024 }]),
    );
    const error = await formError(readAll(path));
    expect(error.formCode).toBe('IMPORT_ZIP_BOMB');
    expect(error.details).toMatchObject({ reason: 'ratio', entry: 'xl/worksheets/sheet1.xml' });
  });

  it('refuses ZIP64 markers', async () => {
    const locator = tmp();
    await writeFile(locator, buildZip([{ name: 'a.txt', data: Buffer.from('a') }], { zip64Locator: true }));
    expect(await formError(readAll(locator))).toMatchObject({ formCode: 'IMPORT_ZIP_BOMB', details: { reason: 'zip64' } });
    const extra = Buffer.alloc(20);
    extra.writeUInt16LE(0x0001, 0);
    extra.writeUInt16LE(16, 2);
    const field = tmp();
    await writeFile(field, buildZip([{ name: 'a.txt', data: Buffer.from('a'), extra }]));
    expect(await formError(readAll(field))).toMatchObject({ formCode: 'IMPORT_ZIP_BOMB', details: { reason: 'zip64' } });
  });

  it('refuses an entry that inflates to more than it declared', async () => {
    const data = deflateRawSync(Buffer.alloc(2 * 1024 * 1024)); // ~2 KB → 2 MB
    const path = tmp();
    await writeFile(path, buildZip([{ name: 'xl/worksheets/sheet1.xml', data, method: 8, uncompressedSize: 100 * 1024 }]));
    expect(await formError(readAll(path))).toMatchObject({ formCode: 'IMPORT_ZIP_BOMB', details: { reason: 'size-mismatch' } });
  });

  it('refuses data hidden between entries', async () => {
    const zip = buildZip([{ name: 'a.txt', data: Buffer.from('a') }]);
    // shift the central directory by 100 bytes of junk and fix its offset
    const eocdAt = zip.length - 22;
    const cdOffset = zip.readUInt32LE(eocdAt + 16);
    const patched = Buffer.concat([zip.subarray(0, cdOffset), Buffer.alloc(100, 0x41), zip.subarray(cdOffset)]);
    patched.writeUInt32LE(cdOffset + 100, patched.length - 22 + 16);
    const path = tmp();
    await writeFile(path, patched);
    expect(await formError(readAll(path))).toMatchObject({ formCode: 'IMPORT_ZIP_BOMB', details: { reason: 'gap' } });
  });

  it('refuses a part past its own ceiling from the declared size, naming the part, though the total and ratio pass', async () => {
    // 2 MB of zeros deflate to ~2 KB: a small ratio only because the ceiling is set low here.
    const path = tmp();
    await writeFile(path, buildZip([{ name: 'xl/styles.xml', data: Buffer.alloc(1024, 0xff), method: 8, uncompressedSize: 150 * 1024 }]));
    const error = await formError(
      readAll(path, {
        zipLimits: { partLimits: [{ pattern: /^xl\/styles\.xml$/, max: 100 * 1024, label: '样式表（{name}）' }, ...PART_LIMITS] },
      }),
    );
    expect(error).toMatchObject({ formCode: 'IMPORT_PART_TOO_LARGE', status: 413, details: { part: 'xl/styles.xml', limit: 100 * 1024 } });
    expect(error.message).toContain('样式表（xl/styles.xml）');
  });

  it('stops parsing a shared-strings table past its ceiling even when nothing inflated it beforehand', async () => {
    // The directory claims 64 KB; the table is 33 MB. With the up-front inflation switched off the
    // reader itself counts the bytes it is fed and stops at the 32 MB ceiling.
    const path = tmp();
    await writeFile(path, buildCollectionForm({ sharedStringsBytes: 33 * 1024 * 1024, declareSharedStrings: 64 * 1024 }));
    const error = await formError(readAll(path, { zipLimits: { verifyInflatedSizes: false } }));
    expect(error).toMatchObject({ formCode: 'IMPORT_PART_TOO_LARGE', details: { part: 'xl/sharedStrings.xml' } });
  });

  it('accepts the workbooks ExcelJS writes', async () => {
    const path = await formBook([HEADERS, validRow('张三', ID1)]);
    const zip = await inspectZip(path);
    expect(zip.entries.some((e) => e.name === 'xl/workbook.xml')).toBe(true);
    expect(zip.totalUncompressed).toBeGreaterThan(0);
  });
});

// ---------------------------------------------------------------------------------------------
// error report and export safety

describe('error report', () => {
  it('re-writes the data sheet with 错误说明 on the rows with errors, safely', async () => {
    const path = await makeWorkbook([
      { name: '封面', rows: [['封面']] },
      {
        name: FORM_SHEET_NAME,
        rows: [
          ['某村劳动力资源信息采集表'],
          [...HEADERS, '备注', '序号'],
          validRow('张三', ID1, ['=1+1', 1]),
          validRow('李四', ID2.slice(0, 17) + (ID2[17] === '0' ? '1' : '0'), ['@SUM(A1)', 2]),
          [],
          validRow('王五', ID3, [{ formula: '"-"&"5"', result: '-5' }, 3]),
          validRow('张三', ID1, ['+86', 4]),
        ],
      },
    ]);
    const rows = await readAll(path);
    expect(rows.map((r) => r.row)).toEqual([3, 4, 6, 7]);
    expect(rows[0]!.values.remark).toBe('=1+1');
    const errors = errorsByRowOf(rows);
    errors.set(6, ['户籍所在村代码：村代码不存在或不在您的管辖范围内']);
    expect([...errors.keys()]).toEqual([4, 7, 6]);

    const report = tmp();
    await writeTo(report, (out) => writeErrorReport(path, errors, out));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(report);
    expect(wb.worksheets.map((w) => w.name)).toEqual([FORM_SHEET_NAME]);
    const ws = wb.worksheets[0]!;
    const errorCol = HEADERS.length + 3;
    expect(ws.getCell(1, 1).value).toBe('某村劳动力资源信息采集表');
    expect(ws.getCell(2, errorCol).value).toBe(ERROR_COLUMN_HEADER);
    expect(ws.getCell(2, 1).value).toBe('姓名*');
    expect(ws.getCell(3, errorCol).value).toBeNull();
    expect(ws.getCell(4, errorCol).value).toBe('身份证号：身份证号校验位错误');
    expect(ws.getCell(6, errorCol).value).toBe('户籍所在村代码：村代码不存在或不在您的管辖范围内');
    expect(ws.getCell(7, errorCol).value).toBe('身份证号：与第 3 行身份证号重复');
    expect(ws.getCell(3, 2).value).toBe(ID1);
    expect(ws.getColumn(2).numFmt).toBe('@');
    // text that would be a formula is prefixed; formulas become their values
    expect(ws.getCell(3, HEADERS.length + 1).value).toBe("'=1+1");
    expect(ws.getCell(4, HEADERS.length + 1).value).toBe("'@SUM(A1)");
    expect(ws.getCell(6, HEADERS.length + 1).value).toBe("'-5");
    expect(ws.getCell(7, HEADERS.length + 1).value).toBe("'+86");
    ws.eachRow((row) => row.eachCell((cell) => expect(cell.type).not.toBe(ExcelJS.ValueType.Formula)));

    // the cadre can upload the report again as it is
    const again = await readAll(report);
    expect(again.map((r) => r.row)).toEqual([3, 4, 6, 7]);
    expect(again[0]!.values.remark).toBe('=1+1');
    expect(again[2]!.values.remark).toBe('-5');

    const onlyErrors = tmp();
    await writeTo(onlyErrors, (out) => writeErrorReport(path, errors, out, { onlyRowsWithErrors: true }));
    const wb2 = new ExcelJS.Workbook();
    await wb2.xlsx.readFile(onlyErrors);
    const kept: number[] = [];
    wb2.worksheets[0]!.eachRow((_, n) => kept.push(n));
    expect(kept).toEqual([1, 2, 4, 6, 7]);
  });
});

describe('export safety', () => {
  it('safeCell neutralises formula triggers', () => {
    expect(safeCell('=1+1')).toBe("'=1+1");
    expect(safeCell('+86 138')).toBe("'+86 138");
    expect(safeCell('-5')).toBe("'-5");
    expect(safeCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(safeCell('\t=1')).toBe("'\t=1");
    expect(safeCell('\r=1')).toBe("'\r=1");
    expect(safeCell('张三')).toBe('张三');
    expect(safeCell('1+1')).toBe('1+1');
    expect(safeCell('')).toBe('');
  });

  it('writeRowsXlsx streams rows with no formula cells', async () => {
    async function* rows() {
      yield ['张三', '=HYPERLINK("http://evil","点我")', 12, null] as (string | number | null)[];
      yield ['@SUM(A1:A2)', '-2+3', 3.5, '+86'] as (string | number | null)[];
    }
    const path = tmp();
    let count = 0;
    await writeTo(path, async (out) => (count = await writeRowsXlsx(['姓名', '=备注', '数量', '电话'], rows(), out, '导出/名单')));
    expect(count).toBe(2);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path);
    const ws = wb.worksheets[0]!;
    expect(ws.name).toBe('导出_名单');
    expect(ws.getRow(1).values).toEqual([undefined, '姓名', "'=备注", '数量', '电话']);
    expect(ws.getRow(2).values).toEqual([undefined, '张三', '\'=HYPERLINK("http://evil","点我")', 12]);
    expect(ws.getRow(3).values).toEqual([undefined, "'@SUM(A1:A2)", "'-2+3", 3.5, "'+86"]);
    ws.eachRow((row) => row.eachCell((cell) => expect(cell.type).not.toBe(ExcelJS.ValueType.Formula)));
    expect(await unzipEntry(path, 'xl/worksheets/sheet1.xml')).not.toContain('<f>');
  });
});

// ---------------------------------------------------------------------------------------------
// streaming

describe('streaming', () => {
  it('reads 20,000 rows with bounded memory', async () => {
    const path = tmp();
    const N = 20_000;
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: createWriteStream(path), useSharedStrings: true, useStyles: false });
    const ws = workbook.addWorksheet(FORM_SHEET_NAME);
    ws.addRow([...HEADERS, '手机号', '技能特长', '备注']).commit();
    const base = Date.UTC(1960, 0, 1);
    for (let i = 0; i < N; i++) {
      const birth = new Date(base + i * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
      ws.addRow(
        validRow(`劳动者${i}`, id(`430522${birth}123`), [`138${String(i).padStart(8, '0')}`, '电焊、驾驶', `第 ${i} 条备注`]),
      ).commit();
    }
    ws.commit();
    await workbook.commit();

    const before = process.memoryUsage().rss;
    let count = 0;
    let errors = 0;
    let peak = before;
    for await (const row of readCollectionForm(path, { today: TODAY })) {
      count++;
      errors += row.errors.length;
      if (count % 2000 === 0) peak = Math.max(peak, process.memoryUsage().rss);
    }
    expect(count).toBe(N);
    expect(errors).toBe(0);
    expect(peak - before).toBeLessThan(300 * 1024 * 1024);
  }, 120_000);

  it('can be abandoned midway without leaking file descriptors', async () => {
    const path = await formBook([HEADERS, validRow('张三', ID1), validRow('李四', ID2), validRow('王五', ID3)]);
    const repacked = await repack(path, { sharedStringsFirst: true });
    const openFds = () => (existsSync('/proc/self/fd') ? readdirSync('/proc/self/fd').length : 0);
    const before = openFds();
    for (const p of [path, repacked]) {
      for (let i = 0; i < 5; i++) {
        for await (const row of readCollectionForm(p, { today: TODAY })) {
          expect(row.row).toBe(2);
          break;
        }
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(openFds()).toBeLessThanOrEqual(before);
    expect(await readAll(path)).toHaveLength(3);
  });

  it('reads workbooks whose shared strings come first and whose relationships use absolute targets', async () => {
    const path = await makeWorkbook([
      { name: '说明', rows: [['请在第二张表填写']] },
      { name: FORM_SHEET_NAME, rows: [HEADERS, validRow('张三', ID1), validRow('李四', ID2)] },
    ]);
    const repacked = await repack(path, { sharedStringsFirst: true, absoluteTargets: true });
    const xmlRels = await unzipEntry(repacked, 'xl/_rels/workbook.xml.rels');
    expect(xmlRels).toContain('Target="/xl/worksheets/sheet2.xml"');
    let info: FormSheetInfo | undefined;
    const rows = await readAll(repacked, { onSheet: (i) => (info = i) });
    expect(info!.sheetName).toBe(FORM_SHEET_NAME);
    expect(rows.map((r) => r.values.name)).toEqual(['张三', '李四']);

    const workbookLast = await repack(path, { sharedStringsFirst: true, workbookLast: true });
    expect((await readAll(workbookLast)).map((r) => r.values.name)).toEqual(['张三', '李四']);
  });
});

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Re-packs an .xlsx (stored entries) in another entry order, optionally with absolute relationship targets. */
async function repack(
  path: string,
  options: { sharedStringsFirst?: boolean; absoluteTargets?: boolean; workbookLast?: boolean },
): Promise<string> {
  const zip = await inspectZip(path);
  const parts: { name: string; data: Buffer }[] = [];
  for (const entry of zip.entries) {
    let data = Buffer.from(await unzipEntry(path, entry.name), 'utf8');
    if (options.absoluteTargets && entry.name === 'xl/_rels/workbook.xml.rels') {
      data = Buffer.from(data.toString('utf8').replace(/Target="(?!\/)([^"]+)"/g, 'Target="/xl/$1"'));
    }
    parts.push({ name: entry.name, data });
  }
  const rank = (name: string) =>
    options.workbookLast && name === 'xl/workbook.xml'
      ? 2
      : options.sharedStringsFirst && /sharedStrings|workbook|_rels|Content_Types/.test(name)
        ? 0
        : 1;
  parts.sort((a, b) => rank(a.name) - rank(b.name));
  const out = tmp();
  await writeFile(out, buildZip(parts.map((p) => ({ ...p, crc: crc32(p.data) }))));
  return out;
}
