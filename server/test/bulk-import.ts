import { readFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { TestApp } from './helpers.ts';

/** The bulk imports' test kit (postings, employment records): a sheet, its upload, its status and report. */

/** A workbook of one sheet: the headers, then the rows. */
export async function sheetFile(dir: string, name: string, headers: string[], rows: unknown[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('导入');
  ws.addRow(headers);
  for (const r of rows) ws.addRow(r);
  const file = path.join(dir, name);
  await wb.xlsx.writeFile(file);
  return readFileSync(file);
}

export function multipart(file: Buffer, filename: string) {
  const boundary = `----laowu${Math.random().toString(16).slice(2)}`;
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${filename}"\r\ncontent-type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** Uploads, waits for the queue, returns the status (or the refusal when the upload is refused). */
export async function importFile(t: TestApp, base: string, cookie: string, file: Buffer, name = '导入.xlsx') {
  const body = multipart(file, name);
  const response = await t.app.inject({
    method: 'POST',
    url: `${base}/imports`,
    headers: { ...body.headers, cookie },
    payload: body.payload,
  });
  if (response.statusCode !== 202) return { statusCode: response.statusCode, ...response.json() };
  await t.bulkImports.settle();
  return (await t.app.inject({ method: 'GET', url: `${base}/imports/${response.json().id}`, headers: { cookie } })).json();
}

/** The error report's rows as cell texts (row 1: the headers). */
export async function readReport(t: TestApp, base: string, cookie: string, id: string): Promise<string[][]> {
  const response = await t.app.inject({ method: 'GET', url: `${base}/imports/${id}/report`, headers: { cookie } });
  if (response.statusCode !== 200) throw new Error(`${response.statusCode} ${response.body}`);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
  const rows: string[][] = [];
  wb.worksheets[0]!.eachRow((row) =>
    rows.push((row.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v)))),
  );
  return rows;
}

/** An import pending as if uploaded (queued) or cut short by a crash (running, some batches committed), nothing started. */
export async function pendingBulkImport(
  t: TestApp,
  kind: 'postings' | 'employments',
  username: string,
  file: Buffer,
  set: Partial<{
    status: 'queued' | 'running';
    attempts: number;
    done_through_row: number;
    processed: number;
    created: number;
    total: number;
    report_columns: string;
  }> = {},
) {
  const filePath = await t.bulkImports.receive(async (target) => {
    target.end(file);
    await new Promise((resolve) => target.on('finish', resolve));
  });
  const account = await t.database.db.selectFrom('account').select('id').where('username', '=', username).executeTakeFirstOrThrow();
  const job = await t.database.db
    .insertInto('bulk_import')
    .values({ kind, file_name: `${username}.xlsx`, file_path: filePath, created_by: account.id, status: 'queued', ...set })
    .returning('id')
    .executeTakeFirstOrThrow();
  return String(job.id);
}
