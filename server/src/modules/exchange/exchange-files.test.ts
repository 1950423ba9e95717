import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { DAZHU } from '../../../test/fixtures.ts';
import { chinaToday } from '../../platform/time.ts';
import { insertCard, insertEmployment, villageUnder } from '../dashboards/dashboards.fixture.ts';
import { CARD_COLUMNS, STATISTICS_COLUMNS } from './exchange.files.ts';
import { registerTestClient } from './exchange.fixture.ts';

/**
 * The exchange's files (issue 21 item 5, docs/exchange.md "Files"): a client system reads the
 * statistics table (the statistics module's figures) and its region's cards (masked as the feed
 * gives them), as CSV or .xlsx, within its region and kinds, every download on record with its rows.
 */
let t: TestApp;
let provinceAdmin = '';
/** 邵阳市's client: the statistics table and the cards. */
let shaoyang = '';
/** A client granted only employment records. */
let employmentOnly = '';
const today = chinaToday();
const xinshaoCards: string[] = [];
let guzhangCard = '';
let deletedCard = '';

beforeAll(async () => {
  t = await createTestApp();
  provinceAdmin = await t.login('hunan_admin');
  const db = t.ctx.db;
  const since = '2020-01-01T09:00:00+08:00';
  xinshaoCards.push(await insertCard(db, { name: '文件甲', versions: [[DAZHU, since]], complete: true }));
  xinshaoCards.push(await insertCard(db, { name: '文件乙', versions: [[DAZHU, since]] }));
  await insertEmployment(db, xinshaoCards[0]!, { work: '430522107', from: '2024-03-01' });
  deletedCard = await insertCard(db, {
    name: '文件注销',
    versions: [
      [DAZHU, since, '2021-01-01T09:00:00+08:00'],
      [DAZHU, '2021-01-01T09:00:00+08:00', undefined, true],
    ],
  });
  guzhangCard = await insertCard(db, { name: '古丈文件', versions: [[await villageUnder(db, '433126'), since]], complete: true });
  shaoyang = (await registerTestClient(db, { regionCode: '4305', kinds: ['statistics', 'laborer'] })).authorization;
  employmentOnly = (await registerTestClient(db, { regionCode: '43', kinds: ['employment'] })).authorization;
});
afterAll(async () => t?.close());

const download = (url: string, authorization: string) => t.app.inject({ method: 'GET', url, headers: { authorization } });

/** RFC 4180: quoted fields with doubled quotes; the BOM before the header is checked by the caller. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (quoted && c === '"') {
      quoted = false;
    } else if (quoted) {
      field += c;
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else {
      field += c;
    }
  }
  return rows;
}

/** The file as records by column name (empty fields are null). */
function records(body: string): Record<string, string | null>[] {
  expect(body.startsWith('\uFEFF')).toBe(true);
  const [headers, ...rows] = parseCsv(body.slice(1));
  return rows.map((r) => Object.fromEntries(headers!.map((h, k) => [h, r[k] === '' ? null : r[k]!])));
}

/** A figure of the summary by the file's column name (`services.guidance` → summary.services.guidance). */
const figure = (summary: Record<string, unknown>, column: string): unknown =>
  column.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | null)?.[k], summary);

const auditRows = async (file: string) =>
  (
    await sql<{ entity_id: string; details: Record<string, unknown>; actor_name: string | null }>`SELECT entity_id, details, actor_name
      FROM audit_log WHERE action = 'exchange.file' AND details->>'file' = ${file} ORDER BY id`.execute(t.ctx.db)
  ).rows;

describe('the exchange files', () => {
  it("the statistics file's figures are the summary's and the breakdown's, as CSV with a BOM and as .xlsx; the download is on record", async () => {
    const response = await download(`/api/v1/exchange/files/statistics?asOf=${today}`, shaoyang);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toContain(encodeURIComponent(`统计表-邵阳市-${today}.csv`));
    const rows = records(response.body);
    expect(Object.keys(rows[0]!)).toEqual(STATISTICS_COLUMNS.map(([name]) => name));

    const summary = (
      await t.app.inject({ method: 'GET', url: `/api/v1/stats/summary?region=4305&asOf=${today}`, headers: { cookie: provinceAdmin } })
    ).json();
    const breakdown = (
      await t.app.inject({ method: 'GET', url: `/api/v1/stats/breakdown?region=4305&asOf=${today}`, headers: { cookie: provinceAdmin } })
    ).json();
    expect(summary.registered).toBeGreaterThanOrEqual(2);
    expect(rows[0]).toMatchObject({
      regionCode: '4305',
      regionName: summary.region.name,
      parentCode: null,
      asOf: today,
      from: summary.from,
    });
    const figures = STATISTICS_COLUMNS.map(([name]) => name).slice(6);
    const asText = (v: unknown) => (v === null || v === undefined ? null : String(v));
    for (const column of figures) expect([column, rows[0]![column]]).toEqual([column, asText(figure(summary, column))]);
    // One row per child after the region's own, each the breakdown's figures.
    expect(rows.slice(1).map((r) => r.regionCode)).toEqual(breakdown.children.map((c: { code: string }) => c.code));
    for (const child of breakdown.children) {
      const row = rows.find((r) => r.regionCode === child.code)!;
      expect(row.parentCode).toBe('4305');
      for (const column of figures) expect([child.code, column, row[column]]).toEqual([child.code, column, asText(figure(child, column))]);
    }

    const xlsx = await download(`/api/v1/exchange/files/statistics?asOf=${today}&format=xlsx`, shaoyang);
    expect(xlsx.statusCode, xlsx.body).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(STATISTICS_COLUMNS.map(([name]) => name));
    const first = (sheet.getRow(2).values as unknown[]).slice(1);
    expect(first[header.indexOf('registered')]).toBe(summary.registered);
    expect(first[header.indexOf('employed')]).toBe(summary.employed);
    expect(sheet.rowCount).toBe(rows.length + 1);

    const audit = await auditRows('statistics');
    expect(audit.map((a) => [a.details.region, a.details.format, a.details.rows])).toEqual([
      ['4305', 'csv', rows.length],
      ['4305', 'xlsx', rows.length],
    ]);
    expect(audit[0]!.details.client).toBe('测试接入系统');
  });

  it("a county's cards file holds exactly that county's cards in force, ID numbers masked as the feed gives them, no phone or birth date", async () => {
    const response = await download('/api/v1/exchange/files/cards?region=430522', shaoyang);
    expect(response.statusCode, response.body).toBe(200);
    const rows = records(response.body);
    expect(Object.keys(rows[0]!)).toEqual(CARD_COLUMNS.map(([name]) => name));
    const expected = (
      await sql<{
        id: string;
      }>`SELECT id::text FROM laborer WHERE home_village_code LIKE '430522%' AND deleted_at IS NULL AND merged_into IS NULL
        ORDER BY id`.execute(t.ctx.db)
    ).rows.map((r) => r.id);
    expect(rows.map((r) => r.id)).toEqual(expected);
    expect(rows.map((r) => r.id)).toEqual(expect.arrayContaining(xinshaoCards));
    expect(rows.map((r) => r.id)).not.toContain(guzhangCard);
    expect(rows.map((r) => r.id)).not.toContain(deletedCard);
    for (const r of rows) {
      expect(r.villageCode!.startsWith('430522')).toBe(true);
      expect(r.idNumberMasked).toMatch(/^\d{6}\*{8}[0-9X]{4}$/);
    }
    // Nothing in the file is a clear ID number or a phone number.
    expect(response.body).not.toMatch(/\d{17}[\dX]/);
    expect(response.body).not.toMatch(/1[3-9]\d{9}/);
    const mine = rows.find((r) => r.id === xinshaoCards[0])!;
    expect(mine).toMatchObject({ name: '文件甲', idNumberMasked: '430522********0001', villageCode: DAZHU, sex: 'male', education: '70' });
    expect(JSON.parse(mine.wantedJobTypes!)).toEqual(['6-05']);
    expect(mine.villageName).toContain('大竹');

    const xlsx = await download('/api/v1/exchange/files/cards?region=430522&format=xlsx', shaoyang);
    expect(xlsx.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(workbook.worksheets[0]!.rowCount).toBe(rows.length + 1);

    const audit = await auditRows('cards');
    expect(audit.map((a) => [a.details.region, a.details.format, a.details.rows])).toEqual([
      ['430522', 'csv', rows.length],
      ['430522', 'xlsx', rows.length],
    ]);
    // The operator on record is the client's key id.
    expect(audit[0]!.actor_name).toMatch(/^lwx_[0-9a-f]{16}$/);
  });

  it('refuses a client without the kind, a region outside the client, and a session; nothing is on record for a refusal', async () => {
    const before = (await auditRows('statistics')).length + (await auditRows('cards')).length;
    for (const url of ['/api/v1/exchange/files/statistics', '/api/v1/exchange/files/cards']) {
      const noKind = await download(url, employmentOnly);
      expect(noKind.statusCode).toBe(403);
      expect(noKind.json()).toMatchObject({ code: 'EXCHANGE_KIND_NOT_GRANTED', message: '该接入系统未被授予读取这类数据的权限' });
      const outside = await download(`${url}?region=433126`, shaoyang);
      expect(outside.statusCode).toBe(403);
      expect(outside.json()).toMatchObject({ code: 'EXCHANGE_REGION_OUT_OF_SCOPE' });
      const above = await download(`${url}?region=43`, shaoyang);
      expect(above.json()).toMatchObject({ code: 'EXCHANGE_REGION_OUT_OF_SCOPE' });
      const session = await t.app.inject({ method: 'GET', url, headers: { cookie: provinceAdmin } });
      expect(session.statusCode).toBe(401);
      expect((await download(`${url}?format=pdf`, shaoyang)).statusCode).toBe(400);
    }
    expect((await auditRows('statistics')).length + (await auditRows('cards')).length).toBe(before);
  });
});
