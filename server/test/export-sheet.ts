import ExcelJS from 'exceljs';

/** An exported .xlsx read back: its first sheet's rows as plain values (row 1 the title, row 2 the headers). */
export async function sheetOf(body: Buffer): Promise<unknown[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(body as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0]!;
  const rows: unknown[][] = [];
  sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

/** The file name a download is saved under (the UTF-8 form of content-disposition). */
export const downloadName = (disposition: unknown): string => decodeURIComponent(String(disposition).split("UTF-8''")[1] ?? '');
