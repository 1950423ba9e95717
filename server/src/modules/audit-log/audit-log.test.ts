import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { addDays, chinaToday } from '../../platform/time.ts';
import { idCheckChar } from '../registry/index.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const lastRows = (n: number) => t.database.db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(n).execute();

describe('audit log', () => {
  it('records writes, searches and failed logins with who, role, region, IP and result', async () => {
    const cookie = await t.login('xinshao_admin');
    await t.app.inject({ method: 'GET', url: '/api/v1/accounts', headers: { cookie } });
    const [search] = await lastRows(1);
    expect(search).toMatchObject({
      action: 'account.search',
      entity: 'account',
      actor_name: 'xinshao_admin',
      actor_role: 'admin',
      actor_region: '430522',
      result: 'success',
    });
    expect(search.ip).toBeTruthy();

    await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'xinshao_admin', password: 'Nope-nope1' } });
    const [failure] = await lastRows(1);
    expect(failure).toMatchObject({ action: 'auth.login', result: 'failure', actor_name: 'xinshao_admin', actor_id: null });
  });

  it('keeps the audit row and the change in one transaction: a refused write leaves neither', async () => {
    const cookie = await t.login('xinshao_admin');
    const before = await t.database.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('action', '=', 'account.create')
      .executeTakeFirstOrThrow();
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/v1/accounts',
      headers: { cookie },
      payload: {
        username: 'dazhu_officer',
        displayName: '重复',
        password: 'Cunxinxi#2026',
        role: 'village_officer',
        regionCode: '430522107212',
      },
    });
    expect(refused.statusCode).toBe(409);
    const after = await t.database.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('action', '=', 'account.create')
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('is append-only: the database refuses UPDATE, DELETE and TRUNCATE', async () => {
    await expect(sql`UPDATE audit_log SET action = 'x'`.execute(t.database.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_log`.execute(t.database.db)).rejects.toThrow(/append-only/);
    // TRUNCATE is refused by the chain's reference to the rows before the trigger is reached.
    await expect(sql`TRUNCATE audit_log`.execute(t.database.db)).rejects.toThrow(/append-only|foreign key/);
    await t.auditLinker.flush();
    await expect(sql`UPDATE audit_chain SET hash = hash`.execute(t.database.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_chain`.execute(t.database.db)).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE audit_chain`.execute(t.database.db)).rejects.toThrow(/append-only/);
  });

  it('chains rows written at once by many requests, without forks or gaps, and says what is pending', async () => {
    const cookie = await t.login('xinshao_admin');
    const responses = await Promise.all(
      Array.from({ length: 60 }, () => t.app.inject({ method: 'GET', url: '/api/v1/accounts?pageSize=1', headers: { cookie } })),
    );
    expect(responses.every((r) => r.statusCode === 200)).toBe(true);
    const result = await t.ctx.audit.verify(t.database.db);
    expect(result).toMatchObject({ ok: true, pending: 0, firstBrokenId: null });
    const rows = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM audit_log`.execute(t.database.db)).rows[0]!.n);
    expect(result.checked).toBe(rows);
  });

  it('lets auditors browse and verify it, and nobody else', async () => {
    const auditor = await t.login('hunan_auditor');
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/audit?pageSize=5', headers: { cookie: auditor } });
    expect(list.statusCode).toBe(200);
    expect(list.json().total).toBeGreaterThan(0);
    const verify = await t.app.inject({ method: 'GET', url: '/api/v1/audit/verify', headers: { cookie: auditor } });
    expect(verify.json()).toMatchObject({ ok: true, firstBrokenId: null });
    const admin = await t.login('hunan_admin');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/audit', headers: { cookie: admin } })).statusCode).toBe(403);
    // And the auditor reads nothing but the audit log: of the accounts, only the auditors it manages (三权分立).
    const accounts = await t.app.inject({ method: 'GET', url: '/api/v1/accounts?pageSize=100', headers: { cookie: auditor } });
    expect(accounts.statusCode).toBe(200);
    expect(accounts.json().items.length).toBeGreaterThan(0);
    expect(accounts.json().items.every((a: { role: string }) => a.role === 'auditor')).toBe(true);
    const adminId = (await t.database.db.selectFrom('account').select('id').where('username', '=', 'hunan_admin').executeTakeFirstOrThrow())
      .id;
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/accounts/${adminId}`, headers: { cookie: auditor } })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/laborers', headers: { cookie: auditor } })).statusCode).toBe(403);
  });

  it('finds the first broken link when a row is altered behind the application’s back', async () => {
    await t.auditLinker.flush();
    const victim = (await t.database.db.selectFrom('audit_log').select('id').orderBy('id').offset(3).limit(1).executeTakeFirstOrThrow()).id;
    // Only a superuser who switches the guard off can do this; verification must still notice.
    await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update`.execute(t.database.db);
    await sql`UPDATE audit_log SET entity_id = 'tampered' WHERE id = ${victim}`.execute(t.database.db);
    await sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update`.execute(t.database.db);
    const result = await t.ctx.audit.verify(t.database.db);
    expect(result.ok).toBe(false);
    expect(result.firstBrokenId).toBe(String(victim));
  });

  it('notices a row whose pending marker was removed before it was linked', async () => {
    const fresh = await createTestApp();
    try {
      await fresh.auditLinker.stop();
      const cookie = await fresh.login('xinshao_admin');
      await fresh.app.inject({ method: 'GET', url: '/api/v1/accounts', headers: { cookie } });
      const [row] = await fresh.database.db.selectFrom('audit_log').select('id').orderBy('id', 'desc').limit(1).execute();
      await sql`DELETE FROM audit_pending WHERE audit_id = ${row!.id}`.execute(fresh.database.db);
      const result = await fresh.ctx.audit.verify(fresh.database.db);
      expect(result.ok).toBe(false);
      expect(result.firstBrokenId).toBe(String(row!.id));
    } finally {
      await fresh.close();
    }
  });
});

describe('the audit log as an auditor reads it (issue 18 item 7)', () => {
  const makeId = (body17: string) => body17 + idCheckChar(body17);
  const card = (idNumber: string, name: string, phone: string) => ({
    idNumber,
    name,
    phone,
    homeVillageCode: '430522107212',
    povertyStatus: 'registered',
    education: '70',
    laborCapacity: 'full',
    health: 'healthy',
    willingness: 'in_county',
    caring: 'children',
    employmentStatus: 'unemployed',
  });
  let jiang: string;
  let xie: string;
  let auditor: string;
  const get = (url: string, cookie = auditor) => t.app.inject({ method: 'GET', url, headers: { cookie } });
  const search = async (query: Record<string, string>) => {
    const response = await get(`/api/v1/audit?pageSize=200&${new URLSearchParams(query)}`);
    expect(response.statusCode).toBe(200);
    return response.json() as { total: number; items: Record<string, unknown>[] };
  };

  beforeAll(async () => {
    const county = await t.login('xinshao_admin');
    const create = async (id: string, name: string, phone: string) => {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/v1/laborers',
        headers: { cookie: county },
        payload: card(id, name, phone),
      });
      expect(r.statusCode).toBe(201);
      return r.json().id as string;
    };
    jiang = await create(makeId('43052219850302162'), '蒋余美', '13807391234');
    xie = await create(makeId('43052219900909472'), '谢团结', '13807395678');
    const reveal = (id: string) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/laborers/${id}/reveal`,
        headers: { cookie: county },
        payload: { reason: '核对身份办理补贴' },
      });
    expect((await reveal(jiang)).statusCode).toBe(200);
    expect((await reveal(xie)).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/laborers/${jiang}`, headers: { cookie: county } })).statusCode).toBe(200);
    auditor = await t.login('hunan_auditor');
  });

  it('names actions in Chinese and objects by their names, a laborer’s masked', async () => {
    const { items } = await search({ entity: 'laborer', entityId: jiang });
    const reveal = items.find((e) => e.action === 'laborer.reveal');
    expect(reveal).toMatchObject({
      actionName: '查看完整证件号和手机号',
      actionGroup: '信息卡',
      entityLabel: '劳动力',
      objectName: '蒋**',
      personName: '蒋**',
      actorName: 'xinshao_admin',
      actorRegionName: expect.stringContaining('新邵县'),
      details: { reason: '核对身份办理补贴' },
    });
    const accounts = await search({ action: 'auth.login', actor: 'hunan_auditor' });
    expect(accounts.items[0]).toMatchObject({ actionName: '登录', actorDisplayName: '湖南省审计员' });
    // The auditor reads names masked: the full name is nowhere in what it receives.
    expect(JSON.stringify(items)).not.toContain('蒋余美');
  });

  it('finds a reveal of a card by the laborer’s name, and nobody else’s', async () => {
    const { items, total } = await search({ person: '蒋余美' });
    expect(total).toBeGreaterThanOrEqual(3); // created, revealed, viewed
    expect(items.map((e) => e.action)).toEqual(expect.arrayContaining(['laborer.create', 'laborer.reveal', 'laborer.view']));
    expect(items.every((e) => e.personName === '蒋**')).toBe(true);
    expect(items.some((e) => e.entityId === xie)).toBe(false);
    expect((await search({ person: '不存在的人' })).total).toBe(0);
  });

  it('finds actions by their Chinese words: 查看 finds views and reveals, not changes', async () => {
    const { items } = await search({ action: '查看', person: '蒋余美' });
    expect(items.map((e) => e.action).sort()).toEqual(['laborer.reveal', 'laborer.view']);
    const all = await search({ action: '查看' });
    expect(all.items.every((e) => String(e.actionName).includes('查看'))).toBe(true);
    // Codes still work as before, as a prefix.
    expect((await search({ action: 'laborer.rev' })).items.every((e) => e.action === 'laborer.reveal')).toBe(true);
  });

  it('finds by operator, by its username or its name, and by date', async () => {
    const byName = await search({ actor: '新邵县人社局管理员', person: '蒋余美' });
    const byUsername = await search({ actor: 'xinshao_admin', person: '蒋余美' });
    expect(byName.total).toBe(byUsername.total);
    expect(byName.total).toBeGreaterThan(0);
    const today = chinaToday();
    expect((await search({ person: '蒋余美', from: today, to: today })).total).toBe(byUsername.total);
    expect((await search({ person: '蒋余美', to: addDays(today, -1) })).total).toBe(0);
  });

  it('records each search, with the person searched for masked', async () => {
    await search({ person: '蒋余美', action: '查看' });
    const [row] = await lastRows(1);
    expect(row).toMatchObject({ action: 'audit.search', actor_name: 'hunan_auditor' });
    expect(row!.details).toMatchObject({ filter: { person: '蒋**', action: '查看' } });
  });

  it('exports exactly the filtered rows to .xlsx with a title row, masked, and records the export with its row count', async () => {
    const listed = await search({ person: '蒋余美', action: '查看' });
    const response = await get(`/api/v1/audit/export?${new URLSearchParams({ person: '蒋余美', action: '查看' })}`);
    expect(response.statusCode).toBe(200);
    const today = chinaToday();
    expect(response.headers['content-disposition']).toContain(encodeURIComponent(`审计日志-湖南省-${today}.xlsx`));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    const title = String(sheet.getRow(1).getCell(1).value);
    expect(title).toContain('审计日志');
    expect(title).toContain('湖南省');
    expect(title).toContain(today);
    expect(title).toContain('劳动力 蒋**');
    expect(title).toContain('动作 查看');
    const headers = (sheet.getRow(2).values as unknown[]).slice(1);
    expect(headers).toEqual(expect.arrayContaining(['时间', '操作人', '动作', '对象', '对象名称', '详情']));
    const rows = [];
    for (let r = 3; r <= sheet.rowCount; r++) {
      const values = (sheet.getRow(r).values as unknown[]).slice(1);
      rows.push(Object.fromEntries(headers.map((h, i) => [String(h), values[i]])));
    }
    expect(rows.map((r) => String(r['编号']))).toEqual(listed.items.map((e) => e.id));
    expect(rows.map((r) => r['动作']).sort()).toEqual(['查看信息卡', '查看完整证件号和手机号']);
    expect(rows.every((r) => r['对象名称'] === '蒋**')).toBe(true);
    expect(rows.find((r) => r['动作'] === '查看完整证件号和手机号')!['详情']).toBe('理由：核对身份办理补贴');
    expect(JSON.stringify(sheet.getSheetValues())).not.toContain('蒋余美');
    const [row] = await lastRows(1);
    expect(row).toMatchObject({ action: 'audit.export', actor_name: 'hunan_auditor', result: 'success' });
    expect(row!.details).toMatchObject({ rows: listed.total, filter: { person: '蒋**', action: '查看' } });
  });

  it('keeps the region: an auditor of another city finds none of these; non-auditors cannot export', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/accounts',
      headers: { cookie: auditor },
      payload: { username: 'xiangxi_auditor', displayName: '湘西州审计员', password: 'Shenji#2026x', role: 'auditor', regionCode: '4331' },
    });
    expect(created.statusCode).toBe(201);
    const xiangxi = await t.login('xiangxi_auditor', 'Shenji#2026x');
    const other = await get(`/api/v1/audit?person=${encodeURIComponent('蒋余美')}`, xiangxi);
    expect(other.json().total).toBe(0);
    const exported = await get(`/api/v1/audit/export?person=${encodeURIComponent('蒋余美')}`, xiangxi);
    expect(exported.headers['content-disposition']).toContain(encodeURIComponent('湘西'));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(exported.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets[0]!.rowCount).toBe(2);
    for (const username of ['xinshao_admin', 'hunan_admin', 'dazhu_officer']) {
      const refused = await get('/api/v1/audit/export', await t.login(username));
      expect(refused.statusCode).toBe(403);
    }
  });
});
