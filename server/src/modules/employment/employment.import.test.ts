import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { importFile, pendingBulkImport, readReport, sheetFile } from '../../../test/bulk-import.ts';
import { creditCode, insertEmployer, makeId, seekerCard } from '../../../test/fixtures.ts';
import { addDays, chinaToday } from '../../platform/time.ts';

/** The employment records import (issue 21 item 4) through the API: the same hard rules as one record typed in. */
const BASE = '/api/v1/employments';
const HEADERS = ['证件号码*', '姓名*', '单位名称', '统一社会信用代码', '工作地点*', '岗位', '入职日期*', '月工资*', '是否参保', '渠道*'];
const GANGGANG = '433124109269'; // 花垣县 杠杠村
const CODE = creditCode('91430522MA4L30055');
const today = chinaToday();
const started = addDays(today, -30);

let t: TestApp;
let county: string;
let employerId: string;
const dir = mkdtempSync(path.join(tmpdir(), 'laowu-employment-import-'));
const ids = {
  a: makeId('43052219900202401'),
  b: makeId('43052219910303402'),
  c: makeId('43312419920404403'),
  d: makeId('43052219930505404'),
  e: makeId('43052219940606405'),
};
const cardIds: Record<string, string> = {};

const row = (id: string, name: string, extra: Partial<Record<'workplace' | 'code' | 'start' | 'channel', string>> = {}) => [
  id,
  name,
  extra.workplace ?? '新邵县竹木加工厂',
  extra.code ?? '',
  '430522107',
  '',
  extra.start ?? started,
  2800,
  '是',
  extra.channel ?? '自主就业',
];
const jobsOf = (laborerId: string) =>
  t.database.db
    .selectFrom('employment')
    .select(['id', 'employer_id', 'workplace_name', 'started_on', 'social_insurance'])
    .where('laborer_id', '=', laborerId)
    .execute();

beforeAll(async () => {
  t = await createTestApp();
  county = await t.login('xinshao_admin');
  const huayuan = await t.login('huayuan_admin');
  const card = async (key: keyof typeof ids, name: string, cookie = county, extra: Record<string, unknown> = {}) => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/laborers',
      headers: { cookie },
      payload: { ...seekerCard(ids[key].slice(0, 17), { name, ...extra }) },
    });
    if (response.statusCode !== 201) throw new Error(response.body);
    cardIds[key] = response.json().id;
  };
  await card('a', '邓导一');
  await card('b', '邓导二');
  await card('c', '石导三', huayuan, { homeVillageCode: GANGGANG });
  await card('d', '邓导四');
  await card('e', '邓导五');
  employerId = await insertEmployer(t.database.db, CODE, '新邵县导入箱包厂', '430522');
  // d already works somewhere (an open job): a second one cannot start after it.
  const open = await t.app.inject({
    method: 'POST',
    url: BASE,
    headers: { cookie: county },
    payload: {
      laborerId: cardIds.d,
      workplaceName: '原工作单位',
      workRegionCode: '430522107',
      startedOn: addDays(today, -100),
      monthlyWage: 2000,
      channel: 'self_found',
    },
  });
  if (open.statusCode !== 201) throw new Error(open.body);
});
afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('importing employment records (就业记录批量导入)', () => {
  const file = () =>
    sheetFile(dir, 'jobs.xlsx', HEADERS, [
      row(ids.a, '邓导一'),
      row(ids.b, '邓导二', { workplace: '', code: CODE, channel: '就业帮扶' }),
      row(ids.c, '石导三'),
      row(ids.d, '邓导四'),
      row(ids.e, '邓导伍'),
      row(ids.e, '邓导五', { start: addDays(today, 3) }),
    ]);
  let firstId: string;

  it('opens the good rows through the same rules as one record typed in, and reports the rest by row and column', async () => {
    const status = await importFile(t, BASE, county, await file());
    firstId = status.id;
    expect(status).toMatchObject({ kind: 'employments', status: 'done', total: 6, processed: 6, created: 2, unchanged: 0, rejected: 4 });
    expect(status.errors.map((e: { row: number; column: string }) => [e.row, e.column])).toEqual([
      [4, '证件号码'],
      [5, '整行'],
      [6, '姓名'],
      [7, '整行'],
    ]);
    expect(status.errors[0].message).toContain('不在您的管辖范围内');
    expect(status.errors[2].message).toBe('姓名与信息卡（邓导五）不符');
    expect(status.errors[3].message).toContain('晚于今天');
    expect(await jobsOf(cardIds.a)).toMatchObject([
      { employer_id: null, workplace_name: '新邵县竹木加工厂', started_on: started, social_insurance: true },
    ]);
    // A registered employer's credit code links the job to it.
    expect(await jobsOf(cardIds.b)).toMatchObject([{ employer_id: employerId, workplace_name: null }]);
    expect(await jobsOf(cardIds.e)).toEqual([]);
    // Typed, not confirmed: an import is no evidence that the person works there.
    const evidence = await t.database.db
      .selectFrom('employment_evidence')
      .select('id')
      .where(
        'employment_id',
        'in',
        [...(await jobsOf(cardIds.a)), ...(await jobsOf(cardIds.b))].map((j) => j.id),
      )
      .execute();
    expect(evidence).toEqual([]);
    const card = (await t.app.inject({ method: 'GET', url: `/api/v1/laborers/${cardIds.a}`, headers: { cookie: county } })).json();
    expect(card.employmentStatus).toBe('employed');
  });

  it('reports the bad rows in an .xlsx with the ID numbers masked', async () => {
    const rows = await readReport(t, BASE, county, firstId);
    expect(rows[0]).toEqual(['行号', ...HEADERS.map((h) => h.replace('*', '')), '错误说明']);
    expect(rows.slice(1).map((r) => r[0])).toEqual(['4', '5', '6', '7']);
    expect(rows[1]![1]).toBe(`${ids.c.slice(0, 6)}********${ids.c.slice(-4)}`);
    expect(rows.flat().join(' ')).not.toContain(ids.c);
    expect(rows[3]![11]).toBe('姓名：姓名与信息卡（邓导五）不符');
  });

  it('a re-run opens nothing twice: the rows already saved come out unchanged', async () => {
    const status = await importFile(t, BASE, county, await file());
    expect(status).toMatchObject({ status: 'done', created: 0, unchanged: 2, rejected: 4 });
    expect(await jobsOf(cardIds.a)).toHaveLength(1);
    expect(await jobsOf(cardIds.b)).toHaveLength(1);
  });

  it('resumes an import cut short after its first batch without reading the committed rows again', async () => {
    const id = await pendingBulkImport(
      t,
      'employments',
      'xinshao_admin',
      await sheetFile(dir, 'resume.xlsx', HEADERS, [row(ids.a, '邓导一'), row(ids.e, '邓导五')]),
      {
        status: 'running',
        attempts: 1,
        total: 2,
        processed: 1,
        created: 1,
        done_through_row: 2,
        report_columns: JSON.stringify(HEADERS.map((h) => h.replace('*', ''))),
      },
    );
    expect(await t.bulkImports.resumePending()).toBe(1);
    await t.bulkImports.settle();
    const status = (await t.app.inject({ method: 'GET', url: `${BASE}/imports/${id}`, headers: { cookie: county } })).json();
    expect(status).toMatchObject({ status: 'done', processed: 2, created: 2, unchanged: 0, rejected: 0 });
    expect(await jobsOf(cardIds.e)).toHaveLength(1);
    expect(await jobsOf(cardIds.a)).toHaveLength(1);
  });

  it('is for the staff who record jobs: an employer account is refused', async () => {
    const employer = await t.login('guohui_employer');
    const refused = await importFile(t, BASE, employer, await file());
    expect(refused.statusCode).toBe(403);
  });
});
