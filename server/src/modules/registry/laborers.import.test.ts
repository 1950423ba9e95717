import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { idCheckChar } from './identity.ts';

/** The collection form through the API: upload, progress, per-row errors, report, re-import. */
const HEADERS = ['姓名*', '身份证号*', '手机号', '户籍所在村代码*', '户类型*', '文化程度*', '劳动能力*', '健康状况*', '就业意愿*', '照料负担*', '就业状态*', '技能特长'];
const makeId = (body17: string) => body17 + idCheckChar(body17);
const DAZHU = '430522107212';
const row = (name: string, id: string, extra: Partial<Record<'phone' | 'village' | 'education', string>> = {}) => [
  name, id, extra.phone ?? '', extra.village ?? DAZHU, '建档立卡户', extra.education ?? '初中', '全部劳动能力', '健康', '省外', '无', '未就业', '缝纫、电焊',
];

let t: TestApp;
let officer: string;
const dir = mkdtempSync(path.join(tmpdir(), 'laowu-import-'));

async function workbook(name: string, rows: unknown[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('劳动力资源信息采集表');
  ws.addRow(HEADERS);
  for (const r of rows) ws.addRow(r);
  const file = path.join(dir, name);
  await wb.xlsx.writeFile(file);
  return readFileSync(file);
}

function multipart(file: Buffer, filename: string, fields: Record<string, string> = {}, fieldsAfterFile = false) {
  const boundary = '----laowu' + Math.random().toString(16).slice(2);
  const parts: Buffer[] = [];
  const fieldParts = Object.entries(fields).map(([k, v]) => Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (!fieldsAfterFile) parts.push(...fieldParts);
  parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${filename}"\r\ncontent-type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n`));
  parts.push(file, Buffer.from('\r\n'));
  if (fieldsAfterFile) parts.push(...fieldParts);
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

async function upload(file: Buffer, name: string, fields: Record<string, string> = {}, fieldsAfterFile = false) {
  const body = multipart(file, name, fields, fieldsAfterFile);
  const response = await t.app.inject({ method: 'POST', url: '/api/v1/laborers/imports', headers: { ...body.headers, cookie: officer }, payload: body.payload });
  expect(response.statusCode, response.body).toBe(202);
  await t.imports.settle();
  return (await t.app.inject({ method: 'GET', url: `/api/v1/laborers/imports/${response.json().id}`, headers: { cookie: officer } })).json();
}

const cards = async () => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM laborer`.execute(t.database.db)).rows[0].n);

beforeAll(async () => {
  t = await createTestApp();
  officer = await t.login('dazhu_officer');
});
afterAll(async () => t?.close());

describe('importing the collection form', () => {
  const good = [makeId('43052219800101201'), makeId('43052219810202202'), makeId('43052219820303203')];
  const wrongCheck = makeId('43052219830404204').slice(0, 17) + (makeId('43052219830404204').endsWith('0') ? '1' : '0');

  it('offers the template as a real workbook', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/laborers/template', headers: { cookie: officer } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toContain('劳动力资源信息采集表');
  });

  it('saves the good rows, reports the bad ones by Excel row and column, and offers the report', async () => {
    const file = await workbook('first.xlsx', [
      row('张一', good[0], { phone: '13800000001' }),
      row('张二', wrongCheck),
      row('张三', good[1], { village: '433124110226' }),
      row('张四', good[2], { education: '博士后' }),
    ]);
    const status = await upload(file, '第一次.xlsx');
    expect(status).toMatchObject({ status: 'done', processed: 4, accepted: 1, rejected: 3 });
    const byRow = Object.fromEntries(status.errors.map((e: { row: number; column: string; message: string }) => [e.row, e]));
    expect(byRow[3]).toMatchObject({ column: '身份证号', message: '身份证号校验位错误' });
    expect(byRow[4].message).toContain('不在您的管辖范围内');
    expect(byRow[5].column).toBe('文化程度');
    expect(await cards()).toBe(1);
    const report = await t.app.inject({ method: 'GET', url: `/api/v1/laborers/imports/${status.id}/report`, headers: { cookie: officer } });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(report.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    const header = (ws.getRow(1).values as unknown[]).filter(Boolean);
    expect(header[header.length - 1]).toBe('错误说明');
    expect(String(ws.getRow(3).getCell(header.length).value)).toContain('校验位');
    expect(ws.getRow(2).getCell(header.length).value ?? null).toBeNull();
  });

  it('after fixing, a re-import adds the fixed rows, leaves the saved one unchanged and never duplicates', async () => {
    const fixed = await workbook('fixed.xlsx', [
      row('张一', good[0], { phone: '13800000001' }),
      row('张三', good[1]),
      row('张四', good[2]),
    ]);
    const status = await upload(fixed, '修改后.xlsx');
    expect(status).toMatchObject({ status: 'done', processed: 3, accepted: 2, unchanged: 1, rejected: 0 });
    expect(await cards()).toBe(3);
    const again = await upload(fixed, '修改后.xlsx');
    expect(again).toMatchObject({ accepted: 0, unchanged: 3, rejected: 0 });
    expect(await cards()).toBe(3);
    const versions = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM laborer_version`.execute(t.database.db)).rows[0].n);
    expect(versions).toBe(3);
  });

  it('records a changed row as a ledger change of kind import', async () => {
    const changed = await workbook('changed.xlsx', [row('张一', good[0], { phone: '13800000001', education: '高中' })]);
    const status = await upload(changed, '变更.xlsx');
    expect(status).toMatchObject({ accepted: 1, unchanged: 0 });
    const card = await t.database.db.selectFrom('laborer').select(['id', 'education', 'version']).where('name', '=', '张一').executeTakeFirstOrThrow();
    expect(card).toMatchObject({ education: '60', version: 2 });
    const history = (await t.app.inject({ method: 'GET', url: `/api/v1/laborers/${card.id}/history`, headers: { cookie: officer } })).json().items;
    expect(history[0]).toMatchObject({ kind: 'import', changes: [{ field: 'education', before: '70', after: '60' }] });
  });

  it('all or nothing: one bad row keeps the whole sheet out', async () => {
    const before = await cards();
    const file = await workbook('aon.xlsx', [row('李一', makeId('43052219900505205')), row('李二', wrongCheck)]);
    const status = await upload(file, '全部或不.xlsx', { mode: 'all_or_nothing' });
    expect(status.status).toBe('failed');
    expect(status.message).toContain('未保存任何数据');
    expect(status.errors.map((e: { row: number }) => e.row)).toEqual([3]);
    expect(status.total).toBe(2);
    expect(await cards()).toBe(before);
  });

  it('takes the mode whether the form sends it before or after the file', async () => {
    const before = await cards();
    const file = await workbook('aon2.xlsx', [row('李三', makeId('43052219910606206')), row('李四', wrongCheck)]);
    const status = await upload(file, '全部或不2.xlsx', { mode: 'all_or_nothing' }, true);
    expect(status.mode).toBe('all_or_nothing');
    expect(status.status).toBe('failed');
    expect(await cards()).toBe(before);
  });

  it('refuses a file that is not a workbook, and one with the wrong sheet, saying why', async () => {
    const before = await cards();
    const text = await upload(Buffer.from('姓名,身份证号\n张三,430522\n'), '假的.xlsx');
    expect(text).toMatchObject({ status: 'failed' });
    expect(text.message).toContain('不是有效的 Excel');
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('工资表').addRow(['月份', '金额']);
    const file = path.join(dir, 'wrong.xlsx');
    await wb.xlsx.writeFile(file);
    const wrong = await upload(readFileSync(file), '工资表.xlsx');
    expect(wrong.message).toContain('工资表');
    expect(await cards()).toBe(before);
  });

  it('exports the filtered register masked, with no formula cells, and audits the row count', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/laborers/export?sort=name', headers: { cookie: officer } });
    expect(response.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    const body = ws.getSheetValues().slice(2).map((r) => (r as unknown[]).slice(1));
    expect(body.length).toBe(await cards());
    const text = JSON.stringify(body);
    expect(text).toContain('430522********');
    expect(text).not.toContain(good[0]);
    expect(text).not.toContain('13800000001');
    expect(text).toContain('建档立卡户');
    const audit = await t.database.db.selectFrom('audit_log').select('details').where('action', '=', 'laborer.export').execute();
    expect(audit.at(-1)?.details).toMatchObject({ rows: body.length });
    const outside = await t.app.inject({ method: 'GET', url: '/api/v1/laborers/export?region=433124', headers: { cookie: officer } });
    expect(outside.statusCode).toBe(403);
  });

  it('resumes an interrupted import to completion without duplicates', async () => {
    const file = await workbook('resume.xlsx', [row('王一', makeId('43052219910606206')), row('王二', makeId('43052219920707207'))]);
    const first = await upload(file, '续传.xlsx');
    // Pretend the process died while the import was running: a re-run must end in the same state.
    await t.database.db.updateTable('laborer_import').set({ status: 'running' }).where('id', '=', first.id).execute();
    const before = await cards();
    await t.imports.run(first.id);
    const after = (await t.app.inject({ method: 'GET', url: `/api/v1/laborers/imports/${first.id}`, headers: { cookie: officer } })).json();
    expect(after).toMatchObject({ status: 'done', processed: 2, unchanged: 2 });
    expect(await cards()).toBe(before);
  });
});
