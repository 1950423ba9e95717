import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from '../../platform/excel/exceljs.ts';
import { readCollectionForm } from './collection-form.ts';
import { idCheckChar } from './identity.ts';

describe('reading Chinese text across stream chunks', () => {
  it.each([
    ['inline strings in the sheet XML', false],
    ['the shared strings table', true],
  ])('never garbles a character split between two chunks (%s)', async (_label, useSharedStrings) => {
    // Inline strings (no shared strings table) put every label in the sheet XML itself, where the
    // streaming reader's chunk boundaries fall between the bytes of a character sooner or later.
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'laowu-utf8-')), 'form.xlsx');
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings });
    const sheet = workbook.addWorksheet('劳动力资源信息采集表');
    sheet
      .addRow([
        '姓名*',
        '身份证号*',
        '户籍所在村代码*',
        '户类型*',
        '文化程度*',
        '劳动能力*',
        '健康状况*',
        '就业意愿*',
        '照料负担*',
        '就业状态*',
      ])
      .commit();
    for (let k = 0; k < 6000; k++) {
      const birth = new Date(Date.UTC(1960, 0, 1) + (k % 12000) * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
      const body = `430522${birth}${String(Math.floor(k / 12000) * 2 + (k % 2)).padStart(3, '0')}`;
      // 6,000 distinct names make a shared strings table of ~70 KB: several chunks.
      sheet
        .addRow([
          `王${String(k).replace(/\d/g, (d) => '〇一二三四五六七八九'[Number(d)])}`,
          body + idCheckChar(body),
          '430522107212',
          '建档立卡户',
          '初中',
          '全部劳动能力',
          '健康',
          '县外省内',
          '照顾老人和小孩',
          '未就业',
        ])
        .commit();
    }
    sheet.commit();
    await workbook.commit();
    const problems: string[] = [];
    let rows = 0;
    for await (const row of readCollectionForm(file)) {
      rows++;
      for (const e of row.errors) problems.push(`${e.row} ${e.column} ${e.message}`);
    }
    expect(rows).toBe(6000);
    expect(problems.slice(0, 3)).toEqual([]);
  });
});
