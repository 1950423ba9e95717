import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { makeId, seekerCard } from '../../../test/fixtures.ts';
import { addDays, chinaToday } from '../../platform/time.ts';

/**
 * Issue 19 items 2–3: the village officer's phone takes its villages offline and syncs its outbox.
 * An entry is applied once, whatever happens to the request; an edit merges field by field and a
 * field someone else changed meanwhile comes back as a conflict with both values and who changed
 * it; a new card never becomes a second card of the same person; scope holds as everywhere.
 */
let t: TestApp;
let officer: string; // dazhu_officer: 大竹村
let county: string; // xinshao_admin: 新邵县, the officer's county
let huayuan: string; // huayuan_admin: 花垣县, outside the officer's villages
const today = chinaToday();
const capturedAt = new Date(Date.now() - 3 * 3_600_000).toISOString(); // a visit three hours ago, offline

// Package and sync name the phone's device key generation: the officer's first (device-key.test.ts tests the key).
const call = (method: 'GET' | 'POST' | 'PATCH', url: string, cookie: string, payload?: object) =>
  t.app.inject({ method, url, headers: { cookie, 'x-field-key-generation': '1' }, payload });
const sync = (entries: object[], cookie = officer) => call('POST', '/api/v1/field/sync', cookie, { entries });
const key = () => randomUUID();

async function newCard(cookie: string, body17: string, extra: Record<string, unknown> = {}) {
  const r = await call('POST', '/api/v1/laborers', cookie, seekerCard(body17, extra));
  expect(r.statusCode, r.body).toBe(201);
  return r.json() as { id: string; version: number; remark: string | null };
}
const card = async (id: string) => (await call('GET', `/api/v1/laborers/${id}`, officer)).json();
const history = async (id: string) =>
  (await call('GET', `/api/v1/laborers/${id}/history`, county)).json().items as {
    version: number;
    capturedAt: string | null;
    by: { username: string } | null;
    changes: { field: string; before: unknown; after: unknown }[];
  }[];
const cardsWithId = async (idNumber: string) =>
  Number(
    (
      await sql<{
        n: string;
      }>`SELECT count(*) AS n FROM laborer WHERE id_masked = ${idNumber.slice(0, 6) + '********' + idNumber.slice(14)}`.execute(t.ctx.db)
    ).rows[0]!.n,
  );

beforeAll(async () => {
  t = await createTestApp();
  officer = await t.login('dazhu_officer');
  county = await t.login('xinshao_admin');
  huayuan = await t.login('huayuan_admin');
});
afterAll(async () => t?.close());

describe('taking the villages offline', () => {
  it('gives the officer the cards of their village only, identifiers masked, with the quarter and the due follow-ups', async () => {
    const mine = await newCard(officer, '43052219900101501', { name: '包内人', phone: '13800001111' });
    // 团结村 of the same county: not the officer's village.
    await newCard(county, '43052219900101502', { name: '包外人', homeVillageCode: '430522200235' });
    const r = await call('GET', '/api/v1/field/package', officer);
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json();
    const names = body.cards.map((c: { name: string }) => c.name);
    expect(names).toContain('包内人');
    expect(names).not.toContain('包外人');
    const own = body.cards.find((c: { id: string }) => c.id === mine.id);
    expect(own.idNumberMasked).toBe(`430522********${makeId('43052219900101501').slice(14)}`);
    expect(own.phoneMasked).toBe('138****1111');
    // Nothing in the package is a whole ID number or phone.
    expect(r.body).not.toMatch(/\d{17}[\dX]|1\d{10}/);
    expect(body.quarter.label).toMatch(/^\d{4}Q[1-4]$/);
    expect(Array.isArray(body.followUps)).toBe(true);
    const audit = await sql<{ details: { cards: number } }>`SELECT details FROM audit_log WHERE action = 'field.package'`.execute(t.ctx.db);
    expect(audit.rows.at(-1)!.details.cards).toBe(body.cards.length);
  });

  it('is refused to a township operator (village officers only)', async () => {
    const r = await call('GET', '/api/v1/field/package', await t.login('longxipu_operator'));
    expect(r.statusCode).toBe(403);
  });
});

describe('syncing an edit field by field', () => {
  it('applies a field nobody changed since, through the registry: a ledger version with the capture time, an audit row', async () => {
    const c = await newCard(officer, '43052219900101511', { name: '字段甲' });
    const k = key();
    const r = await sync([
      {
        key: k,
        kind: 'update',
        laborerId: c.id,
        baseVersion: c.version,
        capturedAt,
        changes: [
          { field: 'expectedWage', old: null, new: 5200 },
          { field: 'skills', old: [], new: ['电焊'] },
        ],
      },
    ]);
    expect(r.statusCode, r.body).toBe(200);
    const [result] = r.json().results;
    expect(result).toMatchObject({ key: k, status: 'applied', replayed: false, laborerId: c.id });
    expect(result.applied.sort()).toEqual(['expectedWage', 'skills']);
    // The answer carries the card as it stands now, masked, for the phone's copy.
    expect(r.json().cards[0]).toMatchObject({ id: c.id, expectedWage: 5200, skills: ['电焊'], version: c.version + 1 });
    const [latest] = await history(c.id);
    expect(latest!.version).toBe(c.version + 1);
    expect(latest!.capturedAt).toBe(capturedAt);
    expect(latest!.by?.username).toBe('dazhu_officer');
    expect(latest!.changes.map((x) => x.field).sort()).toEqual(['expected_wage', 'skills']);
    const audit = await sql<{ details: Record<string, unknown> }>`SELECT details FROM audit_log
      WHERE action = 'laborer.update' AND entity_id = ${c.id}`.execute(t.ctx.db);
    expect(audit.rows[0]!.details).toMatchObject({ capturedAt, fieldSync: k });
  });

  it('returns a field changed on the server meanwhile as a conflict with both values and who changed it; the other fields apply', async () => {
    const c = await newCard(officer, '43052219900101521', { name: '字段乙', remark: '原备注' });
    // A staff edit at the county while the officer was in the village.
    const staff = await call('PATCH', `/api/v1/laborers/${c.id}`, county, { remark: '县里改的备注' });
    expect(staff.statusCode, staff.body).toBe(200);
    const k = key();
    const r = await sync([
      {
        key: k,
        kind: 'update',
        laborerId: c.id,
        baseVersion: c.version,
        capturedAt,
        changes: [
          { field: 'remark', old: '原备注', new: '入户核实：在家务农' },
          { field: 'willingness', old: 'in_county', new: 'out_of_province' },
        ],
      },
    ]);
    expect(r.statusCode, r.body).toBe(200);
    const [result] = r.json().results;
    expect(result.status).toBe('conflict');
    expect(result.applied).toEqual(['willingness']);
    expect(result.conflicts).toEqual([
      {
        field: 'remark',
        mine: '入户核实：在家务农',
        theirs: '县里改的备注',
        by: { username: 'xinshao_admin', displayName: '新邵县人社局管理员' },
        at: expect.any(String),
        version: c.version + 2,
      },
    ]);
    expect((await card(c.id)).remark).toBe('县里改的备注');

    // The officer keeps theirs on the phone: the resolution is an entry of its own.
    const resolve = {
      key: key(),
      kind: 'resolve',
      resolves: k,
      laborerId: c.id,
      baseVersion: result.conflicts[0].version,
      capturedAt: new Date().toISOString(),
      choices: [{ field: 'remark', choice: 'mine', value: '入户核实：在家务农' }],
    };
    const resolved = await sync([resolve]);
    expect(resolved.json().results[0]).toMatchObject({ status: 'applied', applied: ['remark'] });
    expect((await card(c.id)).remark).toBe('入户核实：在家务农');
    // A conflict is resolved once.
    const again = await sync([{ ...resolve, key: key() }]);
    expect(again.json().results[0]).toMatchObject({ status: 'refused', code: 'FIELD_NOTHING_TO_RESOLVE' });
    // Every change once in the ledger: create, the staff's remark, the willingness, the kept remark.
    const versions = await history(c.id);
    expect(versions.map((v) => v.changes.map((x) => `${x.field}=${x.after}`).join())).toEqual([
      'remark=入户核实：在家务农',
      'willingness=out_of_province',
      'remark=县里改的备注',
      '',
    ]);
  });

  it("does not take the officer's own earlier entry for someone else's change", async () => {
    const c = await newCard(officer, '43052219900101531', { name: '字段丙' });
    const first = {
      key: key(),
      kind: 'update',
      laborerId: c.id,
      baseVersion: c.version,
      capturedAt,
      changes: [{ field: 'remark', old: null, new: '第一次' }],
    };
    const second = { ...first, key: key(), changes: [{ field: 'remark', old: '第一次', new: '第二次' }] };
    const r = await sync([first, second]);
    expect(r.json().results.map((x: { status: string }) => x.status)).toEqual(['applied', 'applied']);
    expect((await card(c.id)).remark).toBe('第二次');
  });

  it('answers a replayed key with its first result and applies nothing', async () => {
    const c = await newCard(officer, '43052219900101541', { name: '字段丁' });
    const entry = {
      key: key(),
      kind: 'update',
      laborerId: c.id,
      baseVersion: c.version,
      capturedAt,
      changes: [{ field: 'expectedWage', old: null, new: 3000 }],
    };
    const first = await sync([entry]);
    expect(first.json().results[0]).toMatchObject({ status: 'applied', replayed: false });
    // Meanwhile the county sets another wage; the replayed entry must not write 3000 back over it.
    await call('PATCH', `/api/v1/laborers/${c.id}`, county, { expectedWage: 4500 });
    const before = await history(c.id);
    const replay = await sync([entry]);
    expect(replay.statusCode).toBe(200);
    expect(replay.json().results[0]).toEqual({ ...first.json().results[0], replayed: true });
    expect(await history(c.id)).toEqual(before);
    expect((await card(c.id)).expectedWage).toBe(4500);
  });

  it('resumes a sync that failed half way without applying anything twice', async () => {
    const a = await newCard(officer, '43052219900101551', { name: '中断甲' });
    const b = await newCard(officer, '43052219900101552', { name: '中断乙' });
    const entries = [
      {
        key: key(),
        kind: 'update',
        laborerId: a.id,
        baseVersion: a.version,
        capturedAt,
        changes: [{ field: 'remark', old: null, new: '第一条' }],
      },
      {
        key: key(),
        kind: 'update',
        laborerId: b.id,
        baseVersion: b.version,
        capturedAt,
        changes: [{ field: 'remark', old: null, new: '第二条' }],
      },
      { key: key(), kind: 'confirm', laborerId: b.id, capturedAt },
    ];
    // The server fails on the batch's second entry, after the first was committed (the database
    // refusing the write stands for a process killed, a connection cut).
    await sql`CREATE FUNCTION field_test_fail() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'cut'; END $$`.execute(t.database.db);
    await sql`CREATE TRIGGER field_test_cut BEFORE UPDATE ON laborer FOR EACH ROW WHEN (NEW.remark = '第二条')
      EXECUTE FUNCTION field_test_fail()`.execute(t.database.db);
    const cut = await sync(entries);
    expect(cut.statusCode).toBe(500);
    expect(cut.json().message).not.toContain('cut');
    expect((await card(a.id)).remark).toBe('第一条');
    expect((await card(b.id)).remark).toBe(null);
    await sql`DROP TRIGGER field_test_cut ON laborer`.execute(t.database.db);

    // The phone sends the whole batch again.
    const resumed = await sync(entries);
    expect(resumed.statusCode, resumed.body).toBe(200);
    expect(resumed.json().results.map((r: { status: string; replayed: boolean }) => [r.status, r.replayed])).toEqual([
      ['applied', true],
      ['applied', false],
      ['applied', false],
    ]);
    // And once more, as if that answer too was lost: nothing more.
    const third = await sync(entries);
    expect(third.json().results.every((r: { replayed: boolean }) => r.replayed)).toBe(true);
    for (const [id, remark] of [
      [a.id, '第一条'],
      [b.id, '第二条'],
    ] as const) {
      const versions = await history(id);
      expect(versions.filter((v) => v.changes.some((x) => x.field === 'remark' && x.after === remark))).toHaveLength(1);
      expect(versions).toHaveLength(2);
    }
    const confirmations = await sql<{ n: string }>`SELECT count(*) AS n FROM laborer_confirmation WHERE laborer_id = ${b.id}`.execute(
      t.ctx.db,
    );
    expect(Number(confirmations.rows[0]!.n)).toBe(1);
  });

  it('refuses an edit of a card outside the officer’s villages, audited, and keeps the refusal for the key', async () => {
    const outside = await newCard(huayuan, '43312419900101561', { name: '外县人', homeVillageCode: await aHuayuanVillage() });
    const entry = {
      key: key(),
      kind: 'update',
      laborerId: outside.id,
      baseVersion: outside.version,
      capturedAt,
      changes: [{ field: 'remark', old: null, new: '越权' }],
    };
    const r = await sync([entry]);
    expect(r.statusCode).toBe(200);
    expect(r.json().results[0]).toMatchObject({ status: 'refused', code: 'NOT_FOUND', replayed: false });
    expect(r.json().cards).toEqual([]);
    const seen = (await call('GET', `/api/v1/laborers/${outside.id}`, huayuan)).json();
    expect(seen.remark).toBe(null);
    expect(seen.version).toBe(outside.version);
    const denied = await sql<{ n: string }>`SELECT count(*) AS n FROM audit_log WHERE action = 'laborer.update'
      AND entity_id = ${outside.id} AND result = 'denied'`.execute(t.ctx.db);
    expect(Number(denied.rows[0]!.n)).toBe(1);
    expect((await sync([entry])).json().results[0]).toMatchObject({ status: 'refused', replayed: true });
  });

  it('refuses a value a card may not hold, naming the field', async () => {
    const c = await newCard(officer, '43052219900101571', { name: '字段戊' });
    const r = await sync([
      {
        key: key(),
        kind: 'update',
        laborerId: c.id,
        baseVersion: c.version,
        capturedAt,
        changes: [{ field: 'education', old: '70', new: '55' }],
      },
    ]);
    expect(r.json().results[0]).toMatchObject({ status: 'refused', code: 'VALIDATION_FAILED' });
    expect(r.json().results[0].message).toContain('education');
  });
});

async function aHuayuanVillage() {
  const { rows } = await sql<{
    code: string;
  }>`SELECT code FROM region WHERE code LIKE '433124%' AND level = 5 ORDER BY code LIMIT 1`.execute(t.ctx.db);
  return rows[0]!.code;
}

describe('new cards from the field', () => {
  it('creates a card with the capture time in its first ledger version', async () => {
    const k = key();
    const r = await sync([{ key: k, kind: 'create', capturedAt, card: seekerCard('43052219920202601', { name: '新采集' }) }]);
    const [result] = r.json().results;
    expect(result).toMatchObject({ status: 'applied', replayed: false });
    const [first] = await history(result.laborerId);
    expect(first!.capturedAt).toBe(capturedAt);
    // Sent again: still one card.
    expect(
      (await sync([{ key: k, kind: 'create', capturedAt, card: seekerCard('43052219920202601', { name: '新采集' }) }])).json().results[0],
    ).toMatchObject({
      status: 'applied',
      replayed: true,
      laborerId: result.laborerId,
    });
    expect(await cardsWithId(makeId('43052219920202601'))).toBe(1);
  });

  it('never makes a second card: an ID number already in the village is a duplicate, one outside a transfer suggestion', async () => {
    const existing = await newCard(officer, '43052219920202611', { name: '已有人' });
    const outsideId = makeId('43312419920202612');
    await newCard(huayuan, '43312419920202612', { name: '外县已登记', homeVillageCode: await aHuayuanVillage() });
    const r = await sync([
      { key: key(), kind: 'create', capturedAt, card: seekerCard('43052219920202611', { name: '已有人（重录）' }) },
      { key: key(), kind: 'create', capturedAt, card: { ...seekerCard('43052219920202612'), idNumber: outsideId, name: '外县已登记' } },
    ]);
    const [dup, transfer] = r.json().results;
    expect(dup).toMatchObject({ status: 'duplicate', laborerId: existing.id });
    expect(dup.message).toContain('未新建第二张');
    expect(transfer).toMatchObject({ status: 'transfer', county: { code: '433124' } });
    expect(transfer.message).toContain('花垣县');
    expect(transfer.laborerId).toBeUndefined();
    // The answer carries the card of the village (for the phone to open), never the other county's.
    expect(r.json().cards.map((c: { id: string }) => c.id)).toEqual([existing.id]);
    expect(await cardsWithId(makeId('43052219920202611'))).toBe(1);
    expect(await cardsWithId(outsideId)).toBe(1);
  });

  it('refuses an ID number whose check character is wrong', async () => {
    const body17 = '43052219920202621';
    const good = makeId(body17);
    const bad = body17 + (good.endsWith('0') ? '1' : '0');
    const r = await sync([{ key: key(), kind: 'create', capturedAt, card: { ...seekerCard(body17), idNumber: bad } }]);
    expect(r.json().results[0]).toMatchObject({ status: 'refused', code: 'VALIDATION_FAILED', message: '身份证号校验位错误' });
  });
});

describe('follow-ups and confirmations from the field', () => {
  it('records a due follow-up and confirms the quarter through their own services', async () => {
    const c = await newCard(officer, '43052219880303701', { name: '回访人' });
    const job = await call('POST', '/api/v1/employments', officer, {
      laborerId: c.id,
      workplaceName: '新邵县龙溪铺竹木加工厂',
      workRegionCode: '430522107',
      startedOn: addDays(today, -40),
      monthlyWage: 2600,
      socialInsurance: false,
      channel: 'self_found',
    });
    expect(job.statusCode, job.body).toBe(201);
    const pack = (await call('GET', '/api/v1/field/package', officer)).json();
    const followUp = pack.followUps.find((f: { laborer: { id: string }; months: number }) => f.laborer.id === c.id && f.months === 1);
    expect(followUp).toBeTruthy();
    const r = await sync([
      {
        key: key(),
        kind: 'follow_up',
        followUpId: followUp.id,
        capturedAt,
        record: { doneOn: today, method: 'visit', stillEmployed: true, problems: '宿舍漏雨' },
      },
      { key: key(), kind: 'confirm', laborerId: c.id, capturedAt },
    ]);
    expect(r.json().results.map((x: { status: string }) => x.status)).toEqual(['applied', 'applied']);
    const f = await sql<{ status: string; problems: string }>`SELECT status, problems FROM follow_up WHERE id = ${followUp.id}`.execute(
      t.ctx.db,
    );
    expect(f.rows[0]).toEqual({ status: 'done', problems: '宿舍漏雨' });
    expect((await card(c.id)).lastConfirmedAt).not.toBe(null);
    // Recorded already: a second record (another key) is refused by the follow-up's own rule.
    const again = await sync([
      {
        key: key(),
        kind: 'follow_up',
        followUpId: followUp.id,
        capturedAt,
        record: { doneOn: today, method: 'visit', stillEmployed: true },
      },
    ]);
    expect(again.json().results[0]).toMatchObject({ status: 'refused', code: 'FOLLOW_UP_NOT_DUE' });
  });
});
