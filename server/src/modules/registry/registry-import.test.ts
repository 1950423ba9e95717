import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { sql } from 'kysely';
import { createTestApp, until, type TestApp } from '../../../test/helpers.ts';
import type { Actor } from '../../platform/actor.ts';
import { regionLevelOf } from '../../platform/access.ts';
import { idCheckChar } from './identity.ts';
import { createRegistryImports } from './registry-import.service.ts';

/**
 * The registry import (建档立卡 / 防返贫监测 export) through the API: a file's headers mapped and
 * the mapping saved, the import run twice a year apart, places by name (a renamed village through
 * its former name, an ambiguous one refused), the ledger naming the source, the people no longer
 * in the registry listed (never deleted), a split household counted, and a re-run changing nothing.
 */
const HEADERS = [
  '序号',
  '省',
  '市',
  '县',
  '乡',
  '村',
  '户编号',
  '姓名',
  '证件号码',
  '与户主关系',
  '人数',
  '文化程度',
  '健康状况',
  '劳动技能',
  '务工状况',
  '务工时间',
  '务工所在地',
  '贫困户属性',
  '脱贫年份',
  '联系电话',
];
const makeId = (body17: string) => body17 + idCheckChar(body17);
const ID = {
  a1: makeId('43052219800101101'),
  a2: makeId('43052219820202102'),
  a3: makeId('43052220010303103'),
  b1: makeId('43052219900404104'),
  c1: makeId('43052219750505105'),
  d1: makeId('43052219950606106'),
};
type Person = { id: string; name: string; village: string; household: string; relation: string; size: number; education: string };
const person = (p: Person, i: number) => [
  i + 1,
  '湖南省',
  '邵阳市',
  '新邵县',
  '龙溪铺镇',
  p.village,
  p.household,
  p.name,
  p.id,
  p.relation,
  p.size,
  p.education,
  '健康',
  '普通劳动力',
  '未务工',
  '',
  '',
  '一般贫困户',
  '2019',
  '',
];

const LAST_YEAR: Person[] = [
  { id: ID.a1, name: '王大山', village: '大竹村', household: '4305220001', relation: '户主', size: 3, education: '初中' },
  { id: ID.a2, name: '李秀英', village: '大竹村', household: '4305220001', relation: '配偶', size: 3, education: '小学' },
  { id: ID.a3, name: '王小军', village: '大竹村', household: '4305220001', relation: '之子', size: 3, education: '高中' },
  { id: ID.b1, name: '赵春生', village: '十字路村', household: '4305220002', relation: '户主', size: 1, education: '初中' },
  { id: ID.c1, name: '钱有福', village: '大竹村', household: '4305220003', relation: '户主', size: 1, education: '小学' },
];
// A year on: 王小军 has his own household (the family split), 赵春生's village is written by its
// former name and his 文化程度 changed, 钱有福 is no longer in the registry, and a new person's
// village name exists twice in 龙溪铺镇.
const THIS_YEAR: Person[] = [
  { ...LAST_YEAR[0]!, size: 2 },
  { ...LAST_YEAR[1]!, size: 2 },
  { ...LAST_YEAR[2]!, household: '4305220004', relation: '户主', size: 1 },
  { ...LAST_YEAR[3]!, village: '十字村', education: '高中' },
  { id: ID.d1, name: '孙丽', village: '木山村', household: '4305220005', relation: '户主', size: 1, education: '初中' },
];

let t: TestApp;
let county: string;

async function xlsx(people: Person[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('防返贫监测对象');
  ws.addRow(['2026年度防止返贫监测对象及脱贫人口信息']);
  ws.addRow(HEADERS);
  for (const [i, p] of people.entries()) ws.addRow(person(p, i));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The registry's other export: CSV in GBK. */
function gbkCsv(people: Person[]): Buffer {
  const lines = [HEADERS, ...people.map(person)].map((r) => r.map((c) => String(c)).join(','));
  return iconv.encode(`${lines.join('\r\n')}\r\n`, 'gbk');
}

function multipart(file: Buffer, filename: string, fields: Record<string, string> = {}) {
  const boundary = '----laowu' + Math.random().toString(16).slice(2);
  const parts: Buffer[] = Object.entries(fields).map(([k, v]) =>
    Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`),
  );
  parts.push(
    Buffer.from(
      `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${filename}"\r\ncontent-type: application/octet-stream\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

async function preview(file: Buffer, name: string) {
  const body = multipart(file, name);
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/registry-imports/preview',
    headers: { ...body.headers, cookie: county },
    payload: body.payload,
  });
}

async function runImport(file: Buffer, name: string, mappingId: string) {
  const body = multipart(file, name, { mappingId });
  const started = await t.app.inject({
    method: 'POST',
    url: '/api/v1/registry-imports',
    headers: { ...body.headers, cookie: county },
    payload: body.payload,
  });
  expect(started.statusCode, started.body).toBe(202);
  await t.imports.settle();
  const id = started.json().id as string;
  const status = await t.app.inject({ method: 'GET', url: `/api/v1/registry-imports/${id}`, headers: { cookie: county } });
  expect(status.statusCode, status.body).toBe(200);
  return { id, ...status.json() };
}

const get = async (url: string, cookie = county) => {
  const r = await t.app.inject({ method: 'GET', url, headers: { cookie } });
  expect(r.statusCode, r.body).toBe(200);
  return r.json();
};

beforeAll(async () => {
  t = await createTestApp();
  county = await t.login('xinshao_admin');
  // 龙溪铺镇 gets a second 木山村, and 十字路村 was 十字村 before a rename.
  await sql`INSERT INTO region (code, parent_code, level, name, full_name, pinyin, initials)
            VALUES ('430522107299', '430522107', 5, '木山村', '湖南省邵阳市新邵县龙溪铺镇木山村', 'mushancun', 'msc')`.execute(
    t.database.db,
  );
  await sql`INSERT INTO region_former_name (code, name, parent_code) VALUES ('430522107209', '十字村', '430522107')`.execute(t.database.db);
}, 120_000);
afterAll(() => t?.close());

describe('registry import', () => {
  let mappingId: string;
  let thisYearId: string;

  it('reads the header row under a title, proposes a field for each usual header and shows sample rows masked', async () => {
    const r = await preview(await xlsx(LAST_YEAR), '防返贫监测系统导出.xlsx');
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json();
    expect(body.headerRow).toBe(2);
    const proposed = Object.fromEntries(body.columns.map((c: { header: string; proposed: string | null }) => [c.header, c.proposed]));
    expect(proposed).toMatchObject({
      序号: null,
      省: 'provinceName',
      市: 'cityName',
      县: 'countyName',
      乡: 'townName',
      村: 'villageName',
      户编号: 'householdCode',
      姓名: 'name',
      证件号码: 'idNumber',
      与户主关系: 'relationToHead',
      人数: 'householdSize',
      文化程度: 'education',
      健康状况: 'health',
      劳动技能: 'laborCapacity',
      务工状况: 'employmentStatus',
      贫困户属性: 'povertyStatus',
      联系电话: 'phone',
      务工时间: null,
    });
    expect(body.columns.find((c: { header: string }) => c.header === '脱贫年份').note).toContain('不导入');
    expect(body.samples).toHaveLength(5);
    const idColumn = HEADERS.indexOf('证件号码');
    expect(body.samples[0][idColumn]).not.toBe(ID.a1);
    expect(body.samples[0][idColumn]).toMatch(/^430522\*+\d{3}[\dX]$/);
    expect(JSON.stringify(body)).not.toContain(ID.a1);

    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/registry-imports/mappings',
      headers: { cookie: county },
      payload: {
        sourceName: '防返贫监测系统',
        columns: [
          { header: '姓名', target: 'name' },
          { header: '证件号码', target: 'idNumber' },
          { header: '户主姓名', target: 'name' },
        ],
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('REGISTRY_MAPPING_INVALID');
    expect(bad.json().message).toContain('每个字段只能对应一列');
    expect(bad.json().message).toContain('村');

    const saved = await t.app.inject({
      method: 'POST',
      url: '/api/v1/registry-imports/mappings',
      headers: { cookie: county },
      payload: {
        sourceName: '防返贫监测系统',
        columns: body.columns.map((c: { header: string; proposed: string | null }) => ({ header: c.header, target: c.proposed })),
      },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    mappingId = saved.json().id;
    const listed = await get('/api/v1/registry-imports/mappings');
    expect(listed.map((m: { id: string; sourceName: string }) => [m.id, m.sourceName])).toContainEqual([mappingId, '防返贫监测系统']);
    // The next file from the same system is recognised.
    expect((await preview(gbkCsv(THIS_YEAR), '2027.csv')).json().matchingMappingId).toBe(mappingId);
  });

  it('imports last year’s registry: every person a new card', async () => {
    const first = await runImport(await xlsx(LAST_YEAR), '2025年度.xlsx', mappingId);
    expect(first).toMatchObject({
      status: 'done',
      created: 5,
      updated: 0,
      unchanged: 0,
      rejected: 0,
      sourceName: '防返贫监测系统',
      householdsReformed: 0,
    });
  });

  it('imports this year’s: a renamed village matched, an ambiguous one refused naming both, a field change in the ledger, a person who left on the review list, the split household counted', async () => {
    const second = await runImport(await xlsx(THIS_YEAR), '2026年度.xlsx', mappingId);
    thisYearId = second.id;
    // 王大山 and 李秀英: 人数 3 → 2; 王小军: his household; 赵春生: 文化程度.
    expect(second).toMatchObject({ status: 'done', created: 0, updated: 4, unchanged: 0, rejected: 1, householdsReformed: 1 });

    // The ambiguous village: a row error naming the candidates, nothing guessed.
    expect(second.errors).toHaveLength(1);
    expect(second.errors[0]).toMatchObject({ row: 7, column: '村' });
    expect(second.errors[0].message).toContain('村名『木山村』在 龙溪铺镇 下有 2 个');
    expect(second.errors[0].message).toContain('430522107211');
    expect(second.errors[0].message).toContain('430522107299');
    // The error report (the collection form's): the refused row, its ID number masked, with the reason.
    expect(second.reportAvailable).toBe(true);
    const report = await t.app.inject({ method: 'GET', url: `/api/v1/laborers/imports/${second.id}/report`, headers: { cookie: county } });
    expect(report.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(report.rawPayload as unknown as ArrayBuffer);
    const cells = (book.worksheets[0]!.getRow(2).values as unknown[]).map(String);
    expect(cells).toContain('孙丽');
    expect(cells.join('|')).not.toContain(ID.d1);
    expect(cells.at(-1)).toContain('村名『木山村』在 龙溪铺镇 下有 2 个');
    const d1 = await sql<{ n: string }>`SELECT count(*) AS n FROM laborer WHERE name = '孙丽'`.execute(t.database.db);
    expect(Number(d1.rows[0]!.n)).toBe(0);

    // 赵春生 was matched through 十字村 to 十字路村 and his 文化程度 change is in the ledger, naming the source.
    const b1 = await sql<{ id: string; home_village_code: string; education: string }>`
      SELECT id::text, home_village_code, education FROM laborer WHERE name = '赵春生'`.execute(t.database.db);
    expect(b1.rows[0]).toMatchObject({ home_village_code: '430522107209', education: '60' });
    const ledger = await sql<{ reason: string; changes: Record<string, unknown> }>`
      SELECT reason, changes FROM laborer_version WHERE laborer_id = ${b1.rows[0]!.id} AND change_kind = 'import' ORDER BY version DESC LIMIT 1`.execute(
      t.database.db,
    );
    expect(ledger.rows[0]!.reason).toContain('registry:防返贫监测系统');
    expect(ledger.rows[0]!.changes).toEqual({ education: ['70', '60'] });

    // 钱有福 left the registry: on the review list, his card kept.
    expect(second.missing).toBeGreaterThanOrEqual(1);
    const missing = await get(`/api/v1/registry-imports/${second.id}/missing?pageSize=200`);
    const names = missing.items.map((m: { name: string }) => m.name);
    expect(names).toContain('钱有福');
    expect(names).not.toContain('王大山');
    expect(JSON.stringify(missing)).not.toContain(ID.c1);
    const c1 = await sql<{ deleted_at: Date | null }>`SELECT deleted_at FROM laborer WHERE name = '钱有福'`.execute(t.database.db);
    expect(c1.rows).toEqual([{ deleted_at: null }]);

    // 王小军 moved to a household of his own: 4305220001 re-formed (3 → 2 members).
    const households = await get(`/api/v1/registry-imports/${second.id}/households`);
    expect(households).toEqual({
      total: 1,
      items: [{ householdCode: '4305220001', membersBefore: 3, membersAfter: 2, joined: 0, departed: 1 }],
    });
  });

  it('never says done without the results, when the import ends while its status is being read', async () => {
    // The page stops polling at done and shows what that answer said: a done read with the
    // counts of the end and 不在名单中 of before would stay on screen (it showed 0 for 1). The
    // import's last transaction writes done with the results; here it commits while a status
    // read is under way — between its read of the job and the rest (the read waits on the account
    // table, which the test holds locked). The job is put back as it was before that transaction.
    const db = t.database.db;
    const finished = await sql<{ missing: number; households_reformed: number }>`
      SELECT missing, households_reformed FROM laborer_import WHERE id = ${thisYearId}`.execute(db);
    const { missing, households_reformed: reformed } = finished.rows[0]!;
    expect(missing).toBeGreaterThanOrEqual(1);
    await sql`UPDATE laborer_import SET status = 'running', missing = NULL, households_reformed = NULL WHERE id = ${thisYearId}`.execute(
      db,
    );
    const account = await sql<{ id: string; username: string; display_name: string; role: Actor['role']; region_code: string }>`
      SELECT id::text, username, display_name, role, region_code FROM account WHERE username = 'xinshao_admin'`.execute(db);
    const a = account.rows[0]!;
    const actor: Actor = {
      id: a.id,
      username: a.username,
      displayName: a.display_name,
      role: a.role,
      regionCode: a.region_code,
      regionLevel: regionLevelOf(a.region_code),
      hostRegionCode: null,
      totpEnabled: false,
      ip: '127.0.0.1',
    };
    const registry = createRegistryImports({ db: t.ctx.background, audit: t.ctx.audit, imports: t.imports });
    const finish = sql`UPDATE laborer_import SET status = 'done', missing = ${missing}, households_reformed = ${reformed}
                        WHERE id = ${thisYearId}`;
    let reading: ReturnType<typeof registry.status> | undefined;
    try {
      await db.transaction().execute(async (tx) => {
        await sql`LOCK TABLE account IN ACCESS EXCLUSIVE MODE`.execute(tx);
        reading = registry.status(actor, thisYearId);
        await until(
          () =>
            sql<{ n: string }>`SELECT count(*) AS n FROM pg_locks
              WHERE NOT granted AND relation = 'account'::regclass
                AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`.execute(db),
          (r) => Number(r.rows[0]!.n) > 0,
          'the status read to wait for the account table',
        );
        await finish.execute(tx);
      });
    } finally {
      // The next tests import again: the job must not stay running, whatever happened here.
      await finish.execute(db);
    }
    const seen = await reading!;
    // Either still running, without results yet, or done with them — never done with results missing.
    if (seen.status === 'done') expect(seen).toMatchObject({ missing, householdsReformed: reformed });
    else expect(seen).toMatchObject({ status: 'running', missing: null, householdsReformed: null });
    expect(await get(`/api/v1/registry-imports/${thisYearId}`)).toMatchObject({ status: 'done', missing, householdsReformed: reformed });
  });

  it('importing the same registry again (here as the GBK CSV export) changes nothing', async () => {
    const before = await sql<{ n: string }>`SELECT count(*) AS n FROM laborer_version`.execute(t.database.db);
    const again = await runImport(gbkCsv(THIS_YEAR), '2026年度.csv', mappingId);
    expect(again).toMatchObject({ status: 'done', created: 0, updated: 0, unchanged: 4, rejected: 1, householdsReformed: 0 });
    const after = await sql<{ n: string }>`SELECT count(*) AS n FROM laborer_version`.execute(t.database.db);
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });

  it('is for admins: a village officer cannot read a registry import, nor another county’s admin see it', async () => {
    const officer = await t.login('dazhu_officer');
    const denied = await t.app.inject({ method: 'GET', url: '/api/v1/registry-imports/mappings', headers: { cookie: officer } });
    expect(denied.statusCode).toBe(403);
    const imports = await sql<{ id: string }>`SELECT id::text FROM laborer_import WHERE mapping_id IS NOT NULL ORDER BY id LIMIT 1`.execute(
      t.database.db,
    );
    const other = await t.login('huayuan_admin');
    const hidden = await t.app.inject({
      method: 'GET',
      url: `/api/v1/registry-imports/${imports.rows[0]!.id}`,
      headers: { cookie: other },
    });
    expect(hidden.statusCode).toBe(404);
  });
});
