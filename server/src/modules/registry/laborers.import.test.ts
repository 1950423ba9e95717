import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, rmSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { chinaToday } from '../../platform/time.ts';
import { TEST_DATA_DIR } from '../../../test/test-database.ts';
import { idCheckChar } from './identity.ts';
import { buildCollectionForm } from '../../../test/hostile-xlsx.ts';
import { FORM_COLUMNS } from './collection-form.ts';

/** The collection form through the API: upload, progress, per-row errors, report, re-import. */
const HEADERS = [
  '姓名*',
  '身份证号*',
  '手机号',
  '户籍所在村代码*',
  '户类型*',
  '文化程度*',
  '劳动能力*',
  '健康状况*',
  '就业意愿*',
  '照料负担*',
  '就业状态*',
  '技能特长',
];
const makeId = (body17: string) => body17 + idCheckChar(body17);
const DAZHU = '430522107212';
/** One row of the collection form in its own column order: a person of 大竹村 with the required fields filled. */
const formRow = (name: string, id: string) => {
  const values: Record<string, string> = {
    姓名: name,
    身份证号: id,
    户籍所在村代码: DAZHU,
    户类型: '建档立卡户',
    文化程度: '初中',
    劳动能力: '全部劳动能力',
    健康状况: '健康',
    就业意愿: '省外',
    照料负担: '无',
    就业状态: '未就业',
  };
  return FORM_COLUMNS.map((c) => values[c.name] ?? '');
};
const row = (name: string, id: string, extra: Partial<Record<'phone' | 'village' | 'education', string>> = {}) => [
  name,
  id,
  extra.phone ?? '',
  extra.village ?? DAZHU,
  '建档立卡户',
  extra.education ?? '初中',
  '全部劳动能力',
  '健康',
  '省外',
  '无',
  '未就业',
  '缝纫、电焊',
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
  const fieldParts = Object.entries(fields).map(([k, v]) =>
    Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`),
  );
  if (!fieldsAfterFile) parts.push(...fieldParts);
  parts.push(
    Buffer.from(
      `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${filename}"\r\ncontent-type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n`,
    ),
  );
  parts.push(file, Buffer.from('\r\n'));
  if (fieldsAfterFile) parts.push(...fieldParts);
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

async function upload(file: Buffer, name: string, fields: Record<string, string> = {}, fieldsAfterFile = false) {
  const body = multipart(file, name, fields, fieldsAfterFile);
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/v1/laborers/imports',
    headers: { ...body.headers, cookie: officer },
    payload: body.payload,
  });
  expect(response.statusCode, response.body).toBe(202);
  await t.imports.settle();
  return (
    await t.app.inject({ method: 'GET', url: `/api/v1/laborers/imports/${response.json().id}`, headers: { cookie: officer } })
  ).json();
}

/**
 * An import that is pending as if it had been uploaded and not yet run (status queued), or was
 * running when the process died: its file stored the way uploads are, its row written directly,
 * and nothing started — so a test sees the queue without racing it.
 */
async function pendingImport(username: string, file: Buffer, set: { status?: 'queued' | 'running'; attempts?: number } = {}) {
  const filePath = await t.imports.receive(async (target) => {
    target.end(file);
    await new Promise((resolve) => target.on('finish', resolve));
  });
  const account = await t.database.db.selectFrom('account').select('id').where('username', '=', username).executeTakeFirstOrThrow();
  const job = await t.database.db
    .insertInto('laborer_import')
    .values({
      file_name: `${username}.xlsx`,
      file_path: filePath,
      mode: 'partial',
      created_by: account.id,
      total: null,
      message: null,
      finished_at: null,
      status: set.status ?? 'queued',
      attempts: set.attempts ?? 0,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return String(job.id);
}

const cards = async () => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM laborer`.execute(t.database.db)).rows[0].n);

/** A data directory of this file's own (the uploads folder is checked), with the test secrets the template was made with. */
const ownDirs: string[] = [];
function ownDataDir(): string {
  const own = mkdtempSync(path.join(tmpdir(), 'laowu-import-data-'));
  ownDirs.push(own);
  copyFileSync(path.join(TEST_DATA_DIR, 'secrets.json'), path.join(own, 'secrets.json'));
  return own;
}

beforeAll(async () => {
  t = await createTestApp({ LAOWU_DATA_DIR: ownDataDir() });
  officer = await t.login('dazhu_officer');
});
afterAll(async () => {
  await t?.close();
  for (const own of ownDirs) rmSync(own, { recursive: true, force: true });
});

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
    expect(status.reportAvailable).toBe(true);
    const report = await t.app.inject({ method: 'GET', url: `/api/v1/laborers/imports/${status.id}/report`, headers: { cookie: officer } });
    expect(report.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(report.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    expect(header[0]).toBe('行号');
    expect(header[header.length - 1]).toBe('错误说明');
    // Only the three rejected rows, under their Excel row numbers; the saved row 2 is not there.
    const body = ws
      .getSheetValues()
      .slice(2)
      .map((r) => (r as unknown[]).slice(1));
    expect(body.map((r) => r[0])).toEqual([3, 4, 5]);
    expect(String(body[0][header.length - 1])).toContain('校验位');
  });

  it('after fixing, a re-import adds the fixed rows, leaves the saved one unchanged and never duplicates', async () => {
    const fixed = await workbook('fixed.xlsx', [
      row('张一', good[0], { phone: '13800000001' }),
      row('张三', good[1]),
      row('张四', good[2]),
    ]);
    const status = await upload(fixed, '修改后.xlsx');
    expect(status).toMatchObject({ status: 'done', processed: 3, created: 2, updated: 0, unchanged: 1, accepted: 3, rejected: 0 });
    expect(await cards()).toBe(3);
    const again = await upload(fixed, '修改后.xlsx');
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 3, accepted: 3, rejected: 0 });
    expect(await cards()).toBe(3);
    const versions = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM laborer_version`.execute(t.database.db)).rows[0].n);
    expect(versions).toBe(3);
  });

  it('records a changed row as a ledger change of kind import', async () => {
    const changed = await workbook('changed.xlsx', [row('张一', good[0], { phone: '13800000001', education: '高中' })]);
    const status = await upload(changed, '变更.xlsx');
    expect(status).toMatchObject({ created: 0, updated: 1, unchanged: 0, accepted: 1 });
    const card = await t.database.db
      .selectFrom('laborer')
      .select(['id', 'education', 'version'])
      .where('name', '=', '张一')
      .executeTakeFirstOrThrow();
    expect(card).toMatchObject({ education: '60', version: 2 });
    const history = (await t.app.inject({ method: 'GET', url: `/api/v1/laborers/${card.id}/history`, headers: { cookie: officer } })).json()
      .items;
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

  it('refuses a file name with a NUL byte and a name with a direction override, with a clear answer (issue 15)', async () => {
    const before = await cards();
    const body = multipart(Buffer.from('x'), '采集\u0000表.xlsx');
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/v1/laborers/imports',
      headers: { ...body.headers, cookie: officer },
      payload: body.payload,
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().code).toBe('INVALID_CHARACTERS');
    const file = await workbook('bidi.xlsx', [row('张\u202e三', makeId('43052219830404204'))]);
    const status = await upload(file, '方向.xlsx');
    expect(status).toMatchObject({ status: 'done', accepted: 0, rejected: 1 });
    expect(status.errors[0]).toMatchObject({ column: '姓名' });
    expect(status.errors[0].message).toContain('文字方向控制字符');
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
    // Row 1 the title (the register, the region, the date, the filters), row 2 the headers (issue 18 item 2).
    expect(String(ws.getCell('A1').value)).toBe(`劳动力名册 — 大竹村 — 导出日期 ${chinaToday()} — 筛选：无（全部）`);
    expect(ws.getCell('A2').value).toBe('姓名');
    expect(decodeURIComponent(String(response.headers['content-disposition']))).toContain(`劳动力名册-大竹村-${chinaToday()}.xlsx`);
    const body = ws
      .getSheetValues()
      .slice(3)
      .map((r) => (r as unknown[]).slice(1));
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

  it('resumes an interrupted import to completion without duplicates, counting the attempt', async () => {
    const file = await workbook('resume.xlsx', [row('王一', makeId('43052219910606206')), row('王二', makeId('43052219920707207'))]);
    const first = await upload(file, '续传.xlsx');
    expect(first).toMatchObject({ status: 'done', created: 2, accepted: 2 });
    // The process died while the same form was being imported again (its first attempt): the
    // next start runs it to the end, and rows saved before the crash come out unchanged.
    const id = await pendingImport('dazhu_officer', file, { status: 'running', attempts: 1 });
    const before = await cards();
    expect(await t.imports.resumePending()).toBe(1);
    await t.imports.settle();
    const after = (await t.app.inject({ method: 'GET', url: `/api/v1/laborers/imports/${id}`, headers: { cookie: officer } })).json();
    expect(after).toMatchObject({ status: 'done', processed: 2, created: 0, updated: 0, unchanged: 2 });
    expect(await cards()).toBe(before);
    const job = await t.database.db
      .selectFrom('laborer_import')
      .select(['attempts', 'file_path'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(job.attempts).toBe(2);
    expect(existsSync(job.file_path)).toBe(false);
  });
});

describe('what an import did to each card, and the quarter it confirms (issue 16 item 4)', () => {
  const fresh = makeId('43052219850505305');
  const changing = makeId('43052219860606306');
  const same = makeId('43052219870707307');
  const badId = makeId('43052219880808308').slice(0, 17) + (makeId('43052219880808308').endsWith('0') ? '1' : '0');
  const progress = async () =>
    (await t.app.inject({ method: 'GET', url: '/api/v1/laborers/confirmation-progress', headers: { cookie: officer } })).json();
  const confirmationsOf = async (ids: string[]) =>
    (
      await sql<{ id_masked: string; n: string }>`
      SELECT l.id_masked, count(k.laborer_id) AS n FROM laborer l LEFT JOIN laborer_confirmation k ON k.laborer_id = l.id
       WHERE l.id_masked = ANY(${ids.map((id) => `${id.slice(0, 6)}********${id.slice(-4)}`)}) GROUP BY 1`.execute(t.database.db)
    ).rows.map((r) => Number(r.n));

  it('reports one created, one updated, one unchanged and one error, and confirms the three cards for the quarter', async () => {
    // Two cards collected last quarter: their confirmation lies in the quarter before this one.
    await upload(await workbook('last-quarter.xlsx', [row('赵变', changing), row('赵同', same)]), '上季度.xlsx');
    await sql`UPDATE laborer_confirmation k SET confirmed_at = k.confirmed_at - interval '100 days'
               FROM laborer l WHERE l.id = k.laborer_id AND l.name IN ('赵变', '赵同')`.execute(t.database.db);
    await sql`UPDATE laborer SET last_confirmed_at = NULL WHERE name IN ('赵变', '赵同')`.execute(t.database.db);
    const before = await progress();

    const sheet = await workbook('door-to-door.xlsx', [
      row('赵新', fresh),
      row('赵变', changing, { education: '高中' }),
      row('赵同', same),
      row('赵错', badId),
    ]);
    const status = await upload(sheet, '入户采集.xlsx');
    expect(status).toMatchObject({ status: 'done', processed: 4, created: 1, updated: 1, unchanged: 1, rejected: 1, accepted: 3 });
    expect(status.errors).toEqual([expect.objectContaining({ row: 5, column: '身份证号' })]);

    const after = await progress();
    expect(after.cards).toBe(before.cards + 1);
    expect(after.confirmed).toBe(before.confirmed + 3);
    const list = await t.app.inject({
      method: 'GET',
      url: `/api/v1/laborers?confirmed=true&q=${encodeURIComponent('赵')}`,
      headers: { cookie: officer },
    });
    expect(
      list
        .json()
        .items.map((l: { name: string }) => l.name)
        .sort(),
    ).toEqual(['赵变', '赵同', '赵新'].sort());
    expect(list.json().items.every((l: { lastConfirmedAt: string | null }) => l.lastConfirmedAt !== null)).toBe(true);
  });

  it('importing the same sheet again changes nothing and records no second confirmation', async () => {
    const before = await progress();
    const sheet = await workbook('door-to-door-again.xlsx', [
      row('赵新', fresh),
      row('赵变', changing, { education: '高中' }),
      row('赵同', same),
      row('赵错', badId),
    ]);
    const status = await upload(sheet, '入户采集.xlsx');
    expect(status).toMatchObject({ status: 'done', processed: 4, created: 0, updated: 0, unchanged: 3, rejected: 1, accepted: 3 });
    expect(await progress()).toMatchObject({ cards: before.cards, confirmed: before.confirmed });
    // This quarter's confirmation once per card (the two older cards also keep last quarter's).
    expect((await confirmationsOf([fresh, changing, same])).sort()).toEqual([1, 2, 2]);
  });

  it("counts a village officer's review in a quarter the import already confirmed as no second confirmation", async () => {
    const card = await t.database.db.selectFrom('laborer').select('id').where('name', '=', '赵新').executeTakeFirstOrThrow();
    const response = await t.app.inject({ method: 'POST', url: `/api/v1/laborers/${card.id}/confirm`, headers: { cookie: officer } });
    expect(response.statusCode).toBe(204);
    expect(await confirmationsOf([fresh])).toEqual([1]);
  });
});

describe('the error report and the uploaded file (issue 15: no clear identifiers outside the encrypted columns)', () => {
  const badId = makeId('43052219700101301').slice(0, 17) + (makeId('43052219700101301').endsWith('0') ? '1' : '0');
  const outsideId = makeId('43052219710202302');

  it('holds only the rejected rows, ID and phone numbers masked, for the uploader alone, on record', async () => {
    const file = await workbook('report.xlsx', [
      row('赵一', makeId('43052219720303303'), { phone: '13900000001' }),
      row('赵二', badId, { phone: '13900000002' }),
      row('赵三', outsideId, { phone: '13900000003', village: '433124110226' }),
    ]);
    const status = await upload(file, '报告.xlsx');
    expect(status).toMatchObject({ status: 'done', accepted: 1, rejected: 2, reportAvailable: true });
    const audited = async () =>
      Number(
        (
          await sql<{
            n: string;
          }>`SELECT count(*) AS n FROM audit_log WHERE action = 'laborer.import_report' AND entity_id = ${status.id}`.execute(t.database.db)
        ).rows[0].n,
      );
    expect(await audited()).toBe(0);

    const report = await t.app.inject({ method: 'GET', url: `/api/v1/laborers/imports/${status.id}/report`, headers: { cookie: officer } });
    expect(report.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(report.rawPayload as unknown as ArrayBuffer);
    const rows = wb.worksheets[0]
      .getSheetValues()
      .slice(2)
      .map((r) => (r as unknown[]).slice(1));
    expect(rows.map((r) => r[0])).toEqual([3, 4]);
    const text = JSON.stringify(rows);
    for (const clear of [badId, outsideId, '13900000002', '13900000003', makeId('43052219720303303'), '13900000001'])
      expect(text).not.toContain(clear);
    expect(rows[0]).toContain(`${badId.slice(0, 6)}********${badId.slice(14)}`);
    expect(rows[0]).toContain('139****0002');
    expect(text).toContain('赵二');
    expect(text).not.toContain('赵一');
    expect(await audited()).toBe(1);
    const entry = await t.database.db
      .selectFrom('audit_log')
      .select(['actor_id', 'details'])
      .where('action', '=', 'laborer.import_report')
      .where('entity_id', '=', status.id)
      .executeTakeFirstOrThrow();
    expect(entry.details).toMatchObject({ rows: 2 });

    // An admin above the uploader still follows the import, but cannot take its report.
    const admin = await t.login('xinshao_admin');
    const seen = await t.app.inject({ method: 'GET', url: `/api/v1/laborers/imports/${status.id}`, headers: { cookie: admin } });
    expect(seen.statusCode).toBe(200);
    expect(seen.json().reportAvailable).toBe(false);
    const refused = await t.app.inject({ method: 'GET', url: `/api/v1/laborers/imports/${status.id}/report`, headers: { cookie: admin } });
    expect(refused.statusCode).toBe(404);
    expect(await audited()).toBe(1);
  });

  it('keeps the upload encrypted, 0600 in a 0700 folder, while pending, and deletes it when the import ends', async () => {
    const clearId = makeId('43052219730404304');
    // Stored uncompressed, so the ID number stands in the uploaded bytes as typed.
    const file = buildCollectionForm({ stored: true, rows: [formRow('钱一', clearId)] });
    expect(file.includes(clearId)).toBe(true);
    const id = await pendingImport('dazhu_officer', file);
    const job = await t.database.db.selectFrom('laborer_import').select('file_path').where('id', '=', id).executeTakeFirstOrThrow();
    const stored = readFileSync(job.file_path);
    expect(stored.includes(clearId)).toBe(false);
    expect(stored.includes(Buffer.from('PK\x03\x04', 'latin1'))).toBe(false);
    expect(statSync(job.file_path).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(job.file_path)).mode & 0o777).toBe(0o700);

    await t.imports.resumePending();
    await t.imports.settle();
    const status = (await t.app.inject({ method: 'GET', url: `/api/v1/laborers/imports/${id}`, headers: { cookie: officer } })).json();
    expect(status).toMatchObject({ status: 'done', accepted: 1 });
    expect(existsSync(job.file_path)).toBe(false);
    // Nothing is left behind by the uploads of this file's earlier imports either.
    expect(readdirSync(path.dirname(job.file_path))).toEqual([]);
  });
  it('parses the form without writing any part of it, in clear, to a temporary file', async () => {
    // ExcelJS writes a worksheet it meets before the shared strings (its own writer's order) to a
    // temporary file; the reader is now given the parts in the order it needs them.
    const file = await workbook('order.xlsx', [row('王五', makeId('43052219850505505'))]);
    const folder = mkdtempSync(path.join(tmpdir(), 'laowu-tmp-watch-'));
    const saved = process.env.TMPDIR;
    const created: string[] = [];
    process.env.TMPDIR = folder;
    const watcher = watch(folder, (_event, name) => created.push(String(name)));
    try {
      const status = await upload(file, '顺序.xlsx');
      expect(status).toMatchObject({ status: 'done', accepted: 1 });
    } finally {
      watcher.close();
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
      rmSync(folder, { recursive: true, force: true });
    }
    expect(created).toEqual([]);
  });
});

describe('imports that cannot take the platform down (issue 15)', () => {
  it('refuses a shared-strings table that inflates past its ceiling, naming it, whatever the directory declares', async () => {
    const before = await cards();
    const honest = await upload(buildCollectionForm({ sharedStringsBytes: 33 * 1024 * 1024 }), '炸弹.xlsx');
    expect(honest).toMatchObject({ status: 'failed', errorCode: 'IMPORT_PART_TOO_LARGE', processed: 0 });
    expect(honest.message).toContain('xl/sharedStrings.xml');
    expect(honest.message).toContain('32 MB');
    // The same table declaring 64 KB: found out while inflating, before any parser sees it.
    const lying = await upload(
      buildCollectionForm({ sharedStringsBytes: 33 * 1024 * 1024, declareSharedStrings: 64 * 1024 }),
      '炸弹2.xlsx',
    );
    expect(lying).toMatchObject({ status: 'failed', errorCode: 'IMPORT_PART_TOO_LARGE' });
    expect(lying.message).toContain('xl/sharedStrings.xml');
    expect(await cards()).toBe(before);
  });

  it('a file damaged mid-way, read in the reader thread: fails with its code, keeps the batch saved before, and the server still answers', async () => {
    const idOf = (i: number) => makeId(`43052219${96 + Math.floor(i / 1000)}0101${String(i % 1000).padStart(3, '0')}`);
    const rows = Array.from({ length: 1500 }, (_, i) => formRow('孟建国', idOf(i)));
    const before = await cards();
    // The first 1,000 rows are one batch, saved before the reader meets the damage at row 1,400.
    const status = await upload(buildCollectionForm({ rows, damagedAfter: 1400 }), '损坏.xlsx');
    expect(status).toMatchObject({ status: 'failed', errorCode: 'IMPORT_NOT_A_WORKBOOK', processed: 1000, created: 1000 });
    expect(status.message).toContain('文件内容已损坏');
    expect(await cards()).toBe(before + 1000);
    // Found by the identifiers the reader thread sealed: the whole ID number (its index) and the name's pinyin.
    const search = async (q: string) =>
      (await t.app.inject({ method: 'GET', url: `/api/v1/laborers?q=${encodeURIComponent(q)}`, headers: { cookie: officer } })).json();
    expect((await search(idOf(999))).items.map((l: { name: string }) => l.name)).toEqual(['孟建国']);
    expect((await search('mengjianguo')).items.length).toBeGreaterThan(0);
    const health = await t.app.inject({ method: 'GET', url: '/api/v1/laborers/template', headers: { cookie: officer } });
    expect(health.statusCode).toBe(200);
    // The same rows in an undamaged file: the saved ones come out unchanged, the rest are added.
    const again = await upload(buildCollectionForm({ rows }), '修复.xlsx');
    expect(again).toMatchObject({ status: 'done', created: 500, unchanged: 1000 });
    expect(await cards()).toBe(before + 1500);
  });

  it('refuses a second upload by an account whose import is still queued, storing nothing', async () => {
    const queued = await pendingImport('dazhu_officer', await workbook('queued.xlsx', [row('孙一', makeId('43052219740505305'))]));
    const folder = path.join(t.config.dataDir, 'imports');
    const files = readdirSync(folder).length;
    const body = multipart(await workbook('second.xlsx', [row('孙二', makeId('43052219750606306'))]), '第二个.xlsx');
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/laborers/imports',
      headers: { ...body.headers, cookie: officer },
      payload: body.payload,
    });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ code: 'IMPORT_IN_PROGRESS', details: { importId: queued } });
    expect(response.json().message).toContain('排队或进行中');
    expect(readdirSync(folder).length).toBe(files);
    // Once it has run, the next upload is taken.
    await t.imports.resumePending();
    await t.imports.settle();
    expect(await upload(await workbook('third.xlsx', [row('孙三', makeId('43052219760707307'))]), '第三个.xlsx')).toMatchObject({
      status: 'done',
    });
  });

  it('stops an import that was interrupted on both its attempts, saying why, instead of starting it again', async () => {
    const id = await pendingImport('dazhu_officer', await workbook('crash.xlsx', [row('周一', makeId('43052219770808308'))]), {
      status: 'running',
      attempts: 2,
    });
    const filePath = (await t.database.db.selectFrom('laborer_import').select('file_path').where('id', '=', id).executeTakeFirstOrThrow())
      .file_path;
    expect(await t.imports.resumePending()).toBe(0);
    await t.imports.settle();
    const status = (await t.app.inject({ method: 'GET', url: `/api/v1/laborers/imports/${id}`, headers: { cookie: officer } })).json();
    expect(status).toMatchObject({ status: 'failed', errorCode: 'IMPORT_ATTEMPTS_EXHAUSTED', processed: 0 });
    expect(status.message).toContain('已开始 2 次');
    expect(existsSync(filePath)).toBe(false);
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select('result')
      .where('action', '=', 'laborer.import')
      .where('entity_id', '=', id)
      .execute();
    expect(audit).toEqual([{ result: 'failure' }]);
  });
});

describe('the import queue (LAOWU_IMPORT_CONCURRENCY=1)', () => {
  let q: TestApp;
  beforeAll(async () => {
    q = await createTestApp({ LAOWU_IMPORT_CONCURRENCY: '1', LAOWU_DATA_DIR: ownDataDir() });
  });
  afterAll(async () => q?.close());

  it('shows each waiting import its place, and runs one at a time in upload order', async () => {
    const uploaders = ['dazhu_officer', 'longxipu_operator', 'xinshao_admin'];
    const ids: string[] = [];
    for (const [i, username] of uploaders.entries()) {
      const file = await workbook(`q${i}.xlsx`, [row(`吴${i}`, makeId(`430522198001${i + 10}30${i}`))]);
      const filePath = await q.imports.receive(async (target) => {
        target.end(file);
        await new Promise((resolve) => target.on('finish', resolve));
      });
      const account = await q.database.db.selectFrom('account').select('id').where('username', '=', username).executeTakeFirstOrThrow();
      ids.push(
        String(
          (
            await q.database.db
              .insertInto('laborer_import')
              .values({
                file_name: `q${i}.xlsx`,
                file_path: filePath,
                mode: 'partial',
                created_by: account.id,
                total: null,
                message: null,
                finished_at: null,
              })
              .returning('id')
              .executeTakeFirstOrThrow()
          ).id,
        ),
      );
    }
    const admin = await q.login('xinshao_admin');
    const positions = [];
    for (const id of ids)
      positions.push(
        (await q.app.inject({ method: 'GET', url: `/api/v1/laborers/imports/${id}`, headers: { cookie: admin } })).json().queuePosition,
      );
    expect(positions).toEqual([1, 2, 3]);

    await q.imports.resumePending();
    // One more, uploaded while the slot is (most likely) taken: it queues behind the others.
    const late = multipart(await workbook('q3.xlsx', [row('吴3', makeId('43052219800113303'))]), 'q3.xlsx');
    const upload = await q.app.inject({
      method: 'POST',
      url: '/api/v1/laborers/imports',
      headers: { ...late.headers, cookie: await q.login('shaoyang_admin') },
      payload: late.payload,
    });
    expect(upload.statusCode).toBe(202);
    ids.push(upload.json().id);
    await q.imports.settle();
    const jobs = await q.database.db
      .selectFrom('laborer_import')
      .select(['id', 'status', 'started_at', 'finished_at'])
      .where('id', 'in', ids)
      .orderBy('started_at')
      .execute();
    expect(jobs.map((j) => String(j.id))).toEqual(ids);
    expect(jobs.every((j) => j.status === 'done')).toBe(true);
    // One slot: each import started after the one before it had finished.
    for (let i = 1; i < jobs.length; i++) expect(jobs[i].started_at!.getTime()).toBeGreaterThanOrEqual(jobs[i - 1].finished_at!.getTime());
  });
});

describe('就业状态 in the collection form (issue 16: 已就业 comes from employment records)', () => {
  it('saves a row typed 已就业 without a job as 未就业 with a warning and makes no job; a row disagreeing with an open job keeps 已就业', async () => {
    const typed = makeId('43052219860606101');
    const working = makeId('43052219860606202');
    const withStatus = (name: string, id: string, status: string) => {
      const r = row(name, id);
      r[10] = status;
      return r;
    };
    await upload(await workbook('working.xlsx', [withStatus('钱在岗', working, '未就业')]), '在岗.xlsx');
    const workingId = String((await sql<{ id: string }>`SELECT id FROM laborer WHERE name = '钱在岗'`.execute(t.database.db)).rows[0]!.id);
    const job = await t.app.inject({
      method: 'POST',
      url: '/api/v1/employments',
      headers: { cookie: officer },
      payload: {
        laborerId: workingId,
        workplaceName: '龙溪铺镇扶贫车间',
        workRegionCode: '430522107',
        startedOn: '2025-05-01',
        monthlyWage: 2600,
        channel: 'self_found',
      },
    });
    expect(job.statusCode, job.body).toBe(201);
    const jobsBefore = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM employment`.execute(t.database.db)).rows[0]!.n);

    const status = await upload(
      await workbook('typed.xlsx', [withStatus('钱手填', typed, '已就业'), withStatus('钱在岗', working, '未就业')]),
      '手填.xlsx',
    );
    expect(status).toMatchObject({ status: 'done', created: 1, unchanged: 1, rejected: 0, accepted: 2, errors: [] });
    expect(status.warnings).toEqual([
      { row: 2, column: '就业状态', message: expect.stringContaining('登记就业记录') },
      { row: 3, column: '就业状态', message: expect.stringContaining('登记离职') },
    ]);
    expect(Number((await sql<{ n: string }>`SELECT count(*) AS n FROM employment`.execute(t.database.db)).rows[0]!.n)).toBe(jobsBefore);
    const listed = await t.app.inject({
      method: 'GET',
      url: `/api/v1/laborers?q=${encodeURIComponent('钱')}`,
      headers: { cookie: officer },
    });
    const byName = Object.fromEntries(
      listed.json().items.map((l: { name: string; employmentStatus: string }) => [l.name, l.employmentStatus]),
    );
    expect([byName.钱手填, byName.钱在岗]).toEqual(['unemployed', 'employed']);
  });
});
