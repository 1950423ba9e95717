import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { createTestApp, DEMO_PASSWORD, type TestApp } from '../../../test/helpers.ts';
import { importFile, pendingBulkImport, readReport, sheetFile } from '../../../test/bulk-import.ts';
import { creditCode, insertEmployer } from '../../../test/fixtures.ts';
import { createAccountsService } from '../accounts/index.ts';
import { addDays, chinaToday } from '../../platform/time.ts';

/** The postings import (issue 21 item 4) through the API: template, good and bad rows, report, re-run, resume. */
const BASE = '/api/v1/postings';
const HEADERS = [
  '用人单位统一社会信用代码*',
  '外部编号',
  '岗位名称*',
  '工种*',
  '招聘人数*',
  '月薪下限*',
  '月薪上限*',
  '工作地点*',
  '截止日期*',
  '包吃',
];
const LONGGANG = '440307';
const today = chinaToday();
const until = addDays(today, 60);
const SZ_CODE = creditCode('91440300MA5D20033');
const XS_CODE = creditCode('91430522MA4L20044');

let t: TestApp;
let shenzhenAdmin: string;
let szEmployer: string;
const dir = mkdtempSync(path.join(tmpdir(), 'laowu-posting-import-'));

const row = (
  title: string,
  extra: Partial<Record<'code' | 'ref' | 'occupation' | 'min' | 'max' | 'place' | 'to', string | number>> = {},
) => [
  extra.code ?? SZ_CODE,
  extra.ref ?? '',
  title,
  extra.occupation ?? '6-25-04-07',
  20,
  extra.min ?? 4500,
  extra.max ?? 6500,
  extra.place ?? LONGGANG,
  extra.to ?? until,
  '是',
];
const postingsOf = async (employerId: string) =>
  t.database.db
    .selectFrom('posting')
    .select(['title', 'external_ref', 'food', 'headcount'])
    .where('employer_id', '=', employerId)
    .orderBy('id')
    .execute();

beforeAll(async () => {
  t = await createTestApp();
  const accounts = createAccountsService({ audit: t.ctx.audit });
  await t.database.db.transaction().execute((tx) =>
    accounts.createSystemAccount(tx, {
      username: 'shenzhen_importer',
      displayName: '深圳市人社局',
      password: DEMO_PASSWORD,
      role: 'admin',
      regionCode: '4403',
    }),
  );
  shenzhenAdmin = await t.login('shenzhen_importer');
  szEmployer = await insertEmployer(t.database.db, SZ_CODE, '深圳龙岗导入电子厂', LONGGANG);
  await insertEmployer(t.database.db, XS_CODE, '新邵县导入服装厂', '430522');
});
afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('importing postings (岗位批量导入)', () => {
  it('offers the template: a workbook whose header row names every column, the required ones marked', async () => {
    const response = await t.app.inject({ method: 'GET', url: `${BASE}/import-template`, headers: { cookie: shenzhenAdmin } });
    expect(response.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    const headers = (wb.worksheets[0]!.getRow(2).values as unknown[]).slice(1);
    expect(headers).toEqual(
      expect.arrayContaining(['用人单位统一社会信用代码*', '外部编号', '岗位名称*', '工种*', '截止日期*', '就业扶贫专岗']),
    );
  });

  let firstId: string;
  const file = () =>
    sheetFile(dir, 'postings.xlsx', HEADERS, [
      row('电子厂普工', { ref: 'ZP-001' }),
      row('包装工', { occupation: '包装工' }),
      row('质检员', { min: 7000, max: 5000 }),
      row('缝纫工', { code: XS_CODE, place: '430522' }),
      row('搬运工', { occupation: '9-99-99-99' }),
    ]);

  it('publishes the good rows and reports each bad one by Excel row, column and a Chinese reason', async () => {
    const status = await importFile(t, BASE, shenzhenAdmin, await file(), '岗位.xlsx');
    firstId = status.id;
    expect(status).toMatchObject({
      kind: 'postings',
      status: 'done',
      total: 5,
      processed: 5,
      created: 2,
      unchanged: 0,
      rejected: 3,
      reportAvailable: true,
    });
    expect(status.errors).toEqual([
      { row: 4, column: '月薪下限', message: '月薪下限（7000 元）不能高于上限（5000 元）' },
      { row: 5, column: '整行', message: '用人单位所在地和工作地点都不在您的管辖范围内' },
      { row: 6, column: '工种', message: expect.stringContaining('9-99-99-99') },
    ]);
    expect(await postingsOf(szEmployer)).toEqual([
      { title: '电子厂普工', external_ref: 'ZP-001', food: true, headcount: 20 },
      { title: '包装工', external_ref: null, food: true, headcount: 20 },
    ]);
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select(['result', 'details'])
      .where('action', '=', 'posting.import')
      .where('entity_id', '=', firstId)
      .execute();
    expect(audit).toEqual([{ result: 'success', details: expect.objectContaining({ total: 5, created: 2, unchanged: 0, rejected: 3 }) }]);
  });

  it('gives the uploader an error report of the bad rows only, read back as a workbook', async () => {
    const rows = await readReport(t, BASE, shenzhenAdmin, firstId);
    expect(rows[0]).toEqual([
      '行号',
      '用人单位统一社会信用代码',
      '外部编号',
      '岗位名称',
      '工种',
      '招聘人数',
      '月薪下限',
      '月薪上限',
      '工作地点',
      '截止日期',
      '包吃',
      '错误说明',
    ]);
    expect(rows.slice(1).map((r) => [r[0], r[3], r[r.length - 1]])).toEqual([
      ['4', '质检员', '月薪下限：月薪下限（7000 元）不能高于上限（5000 元）'],
      ['5', '缝纫工', '整行：用人单位所在地和工作地点都不在您的管辖范围内'],
      ['6', '搬运工', expect.stringMatching(/^工种：/)],
    ]);
    // Someone else asking for it is told there is none.
    const other = await t.login('xinshao_admin');
    expect((await t.app.inject({ method: 'GET', url: `${BASE}/imports/${firstId}/report`, headers: { cookie: other } })).statusCode).toBe(
      404,
    );
  });

  it('importing the same sheet again publishes nothing twice: the saved rows come out unchanged', async () => {
    const status = await importFile(t, BASE, shenzhenAdmin, await file());
    expect(status).toMatchObject({ status: 'done', created: 0, unchanged: 2, rejected: 3 });
    expect(await postingsOf(szEmployer)).toHaveLength(2);
  });

  it('refuses a second upload while the account has one queued, storing nothing', async () => {
    const pending = await pendingBulkImport(t, 'postings', 'shenzhen_importer', await file());
    const refused = await importFile(t, BASE, shenzhenAdmin, await file());
    expect(refused).toMatchObject({ statusCode: 409, code: 'IMPORT_IN_PROGRESS' });
    await t.bulkImports.resumePending();
    await t.bulkImports.settle();
    const status = (await t.app.inject({ method: 'GET', url: `${BASE}/imports/${pending}`, headers: { cookie: shenzhenAdmin } })).json();
    expect(status).toMatchObject({ status: 'done', unchanged: 2 });
  });

  it('resumes an import cut short by a crash after its last committed batch, creating nothing twice', async () => {
    const rows = [row('夜班操作工'), row('仓库理货员'), row('叉车司机', { occupation: '包装工' }), row('食堂帮厨')];
    // What the dead attempt committed: the first two rows (Excel rows 2–3), as an import of them alone leaves them.
    await importFile(t, BASE, shenzhenAdmin, await sheetFile(dir, 'first-half.xlsx', HEADERS, rows.slice(0, 2)));
    const before = (await postingsOf(szEmployer)).length;
    const id = await pendingBulkImport(t, 'postings', 'shenzhen_importer', await sheetFile(dir, 'crash.xlsx', HEADERS, rows), {
      status: 'running',
      attempts: 1,
      total: 4,
      processed: 2,
      created: 2,
      done_through_row: 3,
      report_columns: JSON.stringify(HEADERS.map((h) => h.replace('*', ''))),
    });
    expect(await t.bulkImports.resumePending()).toBe(1);
    await t.bulkImports.settle();
    const status = (await t.app.inject({ method: 'GET', url: `${BASE}/imports/${id}`, headers: { cookie: shenzhenAdmin } })).json();
    expect(status).toMatchObject({ status: 'done', total: 4, processed: 4, created: 4, unchanged: 0, rejected: 0 });
    const titles = (await postingsOf(szEmployer)).map((p) => p.title);
    expect(titles).toHaveLength(before + 2);
    expect(titles.filter((x) => ['夜班操作工', '仓库理货员', '叉车司机', '食堂帮厨'].includes(x)).sort()).toEqual(
      ['仓库理货员', '叉车司机', '夜班操作工', '食堂帮厨'].sort(),
    );
    const job = await t.database.db.selectFrom('bulk_import').select('attempts').where('id', '=', id).executeTakeFirstOrThrow();
    expect(job.attempts).toBe(2);
  });

  it('refuses a file without the required columns, saying which', async () => {
    const status = await importFile(t, BASE, shenzhenAdmin, await sheetFile(dir, 'wrong.xlsx', ['岗位名称', '备注'], [['普工', '']]));
    expect(status).toMatchObject({ status: 'failed', errorCode: 'IMPORT_MISSING_COLUMNS' });
    expect(status.message).toContain('用人单位统一社会信用代码');
  });
});
