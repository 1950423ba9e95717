import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, DEMO_PASSWORD, type TestApp } from '../../../test/helpers.ts';
import { createAccountsService } from './accounts.service.ts';

let t: TestApp;
let xinshao: string;
let longxipu: string;
beforeAll(async () => {
  t = await createTestApp();
  xinshao = await t.login('xinshao_admin');
  longxipu = await t.login('longxipu_operator');
});
afterAll(async () => t?.close());

const call = (method: 'GET' | 'POST' | 'PATCH', url: string, cookie: string, payload?: object) =>
  t.app.inject({ method, url, headers: { cookie }, payload });

const officer = (username: string, regionCode = '430522107212') => ({
  username,
  displayName: '测试信息员',
  password: 'Cunxinxi#2026',
  role: 'village_officer',
  regionCode,
});

describe('account management within the admin’s region', () => {
  it('lists only accounts inside the county', async () => {
    const response = await call('GET', '/api/v1/accounts?pageSize=100', xinshao);
    expect(response.statusCode).toBe(200);
    const { items, total } = response.json();
    expect(total).toBe(items.length);
    expect(items.map((a: { username: string }) => a.username).sort()).toEqual(
      ['dazhu_officer', 'guohui_employer', 'longxipu_broker', 'longxipu_operator', 'xinshao_admin'].sort(),
    );
    for (const a of items) expect(a.region.code.startsWith('430522')).toBe(true);
  });

  it('creates a village officer in a village of the county, who can then sign in', async () => {
    const created = await call('POST', '/api/v1/accounts', xinshao, officer('tuanjie_officer', '430522200235'));
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      username: 'tuanjie_officer',
      role: 'village_officer',
      region: { code: '430522200235', name: '团结村' },
      status: 'active',
    });
    expect(await t.login('tuanjie_officer', 'Cunxinxi#2026')).toMatch(/laowu_session=/);
  });

  it('refuses a region outside the county, saying so', async () => {
    const response = await call('POST', '/api/v1/accounts', xinshao, officer('shibadong_officer', '433124110226'));
    expect(response.statusCode).toBe(403);
    expect(response.json()).toEqual({ code: 'REGION_OUT_OF_SCOPE', message: '行政区划不在您的管辖范围内' });
  });

  it('never grants a role above the granter’s own', async () => {
    const byOperator = await call('POST', '/api/v1/accounts', longxipu, { ...officer('op_made_admin', '430522107'), role: 'admin' });
    expect(byOperator.statusCode).toBe(403);
    expect(byOperator.json().code).toBe('ROLE_NOT_GRANTABLE');
    // A county admin may create admins only inside the county: a city-level admin is out of reach.
    const cityAdmin = await call('POST', '/api/v1/accounts', xinshao, { ...officer('fake_city_admin', '4305'), role: 'admin' });
    expect(cityAdmin.statusCode).toBe(403);
    expect((await call('GET', '/api/v1/accounts/grantable-roles', longxipu)).json().roles).not.toContain('admin');
  });

  it('checks the role against the region level and the password against the rules', async () => {
    const wrongLevel = await call('POST', '/api/v1/accounts', xinshao, officer('officer_at_county', '430522'));
    expect(wrongLevel.statusCode).toBe(400);
    expect(wrongLevel.json().message).toContain('村级');
    const weak = await call('POST', '/api/v1/accounts', xinshao, { ...officer('weak_officer'), password: 'qwerty123' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().code).toBe('WEAK_PASSWORD');
    const common = await call('POST', '/api/v1/accounts', xinshao, { ...officer('common_officer'), password: 'Password1' });
    expect(common.json().details.problems.join()).toContain('常见');
    const taken = await call('POST', '/api/v1/accounts', xinshao, officer('DAZHU_OFFICER'));
    expect(taken.statusCode).toBe(409);
    expect(taken.json().code).toBe('USERNAME_TAKEN');
  });

  it('answers 不存在或无权限 for an account in a sibling county, for reads and writes alike', async () => {
    const huayuan = await t.database.db
      .selectFrom('account')
      .select('id')
      .where('username', '=', 'huayuan_admin')
      .executeTakeFirstOrThrow();
    const read = await call('GET', `/api/v1/accounts/${huayuan.id}`, xinshao);
    const write = await call('PATCH', `/api/v1/accounts/${huayuan.id}`, xinshao, { status: 'disabled' });
    const missing = await call('GET', '/api/v1/accounts/999999', xinshao);
    for (const response of [read, write, missing]) {
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual({ code: 'NOT_FOUND', message: '不存在或无权限' });
    }
    const sibling = await call('GET', '/api/v1/accounts?region=433124', xinshao);
    expect(sibling.statusCode).toBe(403);
  });

  it('disables an account: its sessions end and it can no longer sign in; enabling restores it', async () => {
    const created = (await call('POST', '/api/v1/accounts', xinshao, officer('to_disable'))).json();
    const session = await t.login('to_disable', 'Cunxinxi#2026');
    const disabled = await call('PATCH', `/api/v1/accounts/${created.id}`, xinshao, { status: 'disabled' });
    expect(disabled.json().status).toBe('disabled');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: session } })).statusCode).toBe(401);
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'to_disable', password: 'Cunxinxi#2026' },
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('ACCOUNT_DISABLED');
    await call('PATCH', `/api/v1/accounts/${created.id}`, xinshao, { status: 'active' });
    expect(await t.login('to_disable', 'Cunxinxi#2026')).toBeTruthy();
  });

  it('resets a password, ending the account’s sessions', async () => {
    const created = (await call('POST', '/api/v1/accounts', xinshao, officer('to_reset'))).json();
    const session = await t.login('to_reset', 'Cunxinxi#2026');
    expect(
      (await call('POST', `/api/v1/accounts/${created.id}/reset-password`, xinshao, { newPassword: 'Chongzhi#2026' })).statusCode,
    ).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: session } })).statusCode).toBe(401);
    expect(await t.login('to_reset', 'Chongzhi#2026')).toBeTruthy();
  });

  it('lets a liaison office be created only with a host city', async () => {
    const huayuan = await t.login('hunan_admin');
    const base = {
      username: 'huayuan_guangzhou',
      displayName: '花垣县驻广州服务中心',
      password: 'Zhuwai#2026',
      role: 'liaison_office',
      regionCode: '433124',
    };
    expect((await call('POST', '/api/v1/accounts', huayuan, base)).statusCode).toBe(400);
    const ok = await call('POST', '/api/v1/accounts', huayuan, { ...base, hostRegionCode: '4401' });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().hostRegion).toMatchObject({ code: '4401', name: '广州市' });
    expect(DEMO_PASSWORD).toBeTruthy();
  });
});

describe('separation of duties (三权分立): auditors are out of the admins’ reach', () => {
  const auditor = (username: string, regionCode: string) => ({
    username,
    displayName: '测试审计员',
    password: 'Shenji#2026x',
    role: 'auditor',
    regionCode,
  });
  const idOf = async (username: string) =>
    (await t.database.db.selectFrom('account').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;
  let hunanAdmin: string;
  let hunanAuditor: string;
  beforeAll(async () => {
    hunanAdmin = await t.login('hunan_admin');
    hunanAuditor = await t.login('hunan_auditor');
  });

  it('an admin cannot create an auditor, even in the province, and the refusal is audited', async () => {
    const refused = await call('POST', '/api/v1/accounts', hunanAdmin, auditor('admin_made_auditor', '4305'));
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toEqual({
      code: 'AUDITOR_MANAGED_BY_AUDITORS',
      message: '审计员账号只能由上级审计员或在服务器上用命令行创建和管理，管理员不能创建、修改、停用或重置审计员账号（三权分立）',
    });
    expect((await call('GET', '/api/v1/accounts/grantable-roles', hunanAdmin)).json().roles).not.toContain('auditor');
    const { rows } = await sql<{
      n: string;
    }>`SELECT count(*) AS n FROM audit_log WHERE action = 'account.create' AND result = 'denied' AND actor_name = 'hunan_admin'`.execute(
      t.database.db,
    );
    expect(Number(rows[0]!.n)).toBe(1);
    expect(
      await t.database.db.selectFrom('account').select('id').where('username', '=', 'admin_made_auditor').executeTakeFirst(),
    ).toBeUndefined();
  });

  it('an auditor creates, resets and disables the auditors below it — and only those', async () => {
    expect((await call('GET', '/api/v1/accounts/grantable-roles', hunanAuditor)).json().roles).toEqual(['auditor']);
    const created = await call('POST', '/api/v1/accounts', hunanAuditor, auditor('shaoyang_auditor', '4305'));
    expect(created.statusCode, created.body).toBe(201);
    expect(await t.login('shaoyang_auditor', 'Shenji#2026x')).toMatch(/laowu_session=/);
    expect(
      (await call('POST', `/api/v1/accounts/${created.json().id}/reset-password`, hunanAuditor, { newPassword: 'Chongzhi#2026y' }))
        .statusCode,
    ).toBe(204);
    expect(await t.login('shaoyang_auditor', 'Chongzhi#2026y')).toMatch(/laowu_session=/);
    const disabled = await call('PATCH', `/api/v1/accounts/${created.json().id}`, hunanAuditor, { status: 'disabled' });
    expect(disabled.statusCode).toBe(200);
    expect(disabled.json().status).toBe('disabled');
    await call('PATCH', `/api/v1/accounts/${created.json().id}`, hunanAuditor, { status: 'active' });
  });

  it('an auditor manages no other role, and no auditor of its own region', async () => {
    const staff = await call('POST', '/api/v1/accounts', hunanAuditor, { ...officer('auditor_made_officer'), password: 'Cunxinxi#2026' });
    expect(staff.statusCode).toBe(403);
    expect(staff.json()).toEqual({ code: 'AUDITOR_MANAGES_AUDITORS_BELOW', message: '审计员只能创建和管理下级区划的审计员账号' });
    const peer = await call('POST', '/api/v1/accounts', hunanAuditor, auditor('hunan_auditor2', '43'));
    expect(peer.json().code).toBe('AUDITOR_MANAGES_AUDITORS_BELOW');
    const admin = await idOf('hunan_admin');
    for (const response of [
      await call('PATCH', `/api/v1/accounts/${admin}`, hunanAuditor, { status: 'disabled' }),
      await call('POST', `/api/v1/accounts/${admin}/reset-password`, hunanAuditor, { newPassword: 'Chongzhi#2026z' }),
    ]) {
      expect(response.statusCode).toBe(403);
      expect(response.json().code).toBe('AUDITOR_MANAGES_AUDITORS_BELOW');
    }
    expect(await t.login('hunan_admin')).toMatch(/laowu_session=/);
    // A city auditor cannot reach the province's auditor above it.
    const cityAuditor = await t.login('shaoyang_auditor', 'Chongzhi#2026y');
    const above = await call('PATCH', `/api/v1/accounts/${await idOf('hunan_auditor')}`, cityAuditor, { status: 'disabled' });
    expect(above.statusCode).toBe(404);
  });

  it('an admin cannot disable, rename or reset an auditor in its region', async () => {
    const target = await idOf('shaoyang_auditor');
    const shaoyang = await t.login('shaoyang_admin');
    for (const [admin, response] of [
      ['hunan_admin', await call('PATCH', `/api/v1/accounts/${target}`, hunanAdmin, { status: 'disabled' })],
      ['shaoyang_admin', await call('PATCH', `/api/v1/accounts/${target}`, shaoyang, { displayName: '改名的审计员' })],
      ['shaoyang_admin', await call('POST', `/api/v1/accounts/${target}/reset-password`, shaoyang, { newPassword: 'Chongzhi#2026z' })],
    ] as const) {
      expect(response.statusCode, admin).toBe(403);
      expect(response.json().code).toBe('AUDITOR_MANAGED_BY_AUDITORS');
    }
    const row = await t.database.db
      .selectFrom('account')
      .select(['status', 'display_name'])
      .where('id', '=', target)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'active', display_name: '测试审计员' });
    expect(await t.login('shaoyang_auditor', 'Chongzhi#2026y')).toMatch(/laowu_session=/);
    const { rows } = await sql<{
      action: string;
    }>`SELECT action FROM audit_log WHERE entity_id = ${target} AND result = 'denied' ORDER BY id`.execute(t.database.db);
    expect(rows.map((r) => r.action)).toEqual(['account.disable', 'account.update', 'account.reset_password']);
  });

  it('the server’s operator creates an auditor anywhere with the CLI’s users:create (createSystemAccount)', async () => {
    const accounts = createAccountsService({ audit: t.ctx.audit });
    const record = await t.database.db
      .transaction()
      .execute((tx) => accounts.createSystemAccount(tx, { ...auditor('cli_auditor', '43'), role: 'auditor' }));
    expect(record).toMatchObject({ username: 'cli_auditor', role: 'auditor', regionCode: '43' });
    expect(await t.login('cli_auditor', 'Shenji#2026x')).toMatch(/laowu_session=/);
  });

  it('an empty change is refused with a Chinese message', async () => {
    const response = await call('PATCH', `/api/v1/accounts/${await idOf('dazhu_officer')}`, xinshao, {});
    expect(response.statusCode).toBe(400);
    expect(response.json().details[0]).toMatchObject({ rule: 'minProperties', message: '请至少填写一项要修改的内容' });
  });
});
