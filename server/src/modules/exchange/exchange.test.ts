import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedExchangeClient, ExchangeChange, ExchangeChanges, ExchangeClientList } from '../../../../contracts/exchange.ts';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { DAZHU } from '../../../test/fixtures.ts';

/**
 * The change feed for the level above and other systems (issue 21 item 5, docs/exchange.md): client
 * systems with their own keys, region scope, and a cursor that neither skips nor repeats a change
 * when transactions commit in another order than they wrote.
 */
let t: TestApp;
let provinceAdmin = '';
let countyAdmin = '';
/** A village of 花垣县 (433124), the county beside 新邵县 (430522). */
let huayuanVillage = '';
const clients: pg.Client[] = [];

beforeAll(async () => {
  t = await createTestApp();
  provinceAdmin = await t.login('hunan_admin');
  countyAdmin = await t.login('xinshao_admin');
  const { rows } = await sql<{
    code: string;
  }>`SELECT code FROM region WHERE code LIKE '433124%' AND length(code) = 12 ORDER BY code LIMIT 1`.execute(t.database.db);
  huayuanVillage = rows[0]!.code;
});
afterAll(async () => {
  for (const c of clients) await c.end().catch(() => undefined);
  await t?.close();
});

/** A connection of its own, for a transaction the test holds open while others commit. */
async function connection(): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: t.databaseUrl });
  await c.connect();
  clients.push(c);
  return c;
}

async function insertCard(c: pg.Client | pg.Pool, village: string): Promise<string> {
  const index = randomBytes(16);
  const { rows } = await c.query<{ id: string }>(
    `INSERT INTO laborer (id_index, id_cipher, id_masked, name, name_pinyin, name_initials, sex, birth_date,
       home_village_code, poverty_status, education, labor_capacity, health, willingness, caring, employment_status)
     VALUES ($1, 'x', '430522********0001', '交换测试', 'jiaohuanceshi', 'jhcs', 'male', '1990-01-01', $2, 'registered', '70',
       'full', 'healthy', 'in_county', 'none', 'unemployed') RETURNING id`,
    [index, village],
  );
  return String(rows[0]!.id);
}
const touchCard = (c: pg.Client, id: string) =>
  c.query(`UPDATE laborer SET remark = $2 WHERE id = $1`, [id, randomBytes(4).toString('hex')]);
async function insertService(c: pg.Client, laborerId: string, village: string): Promise<string> {
  const { rows } = await c.query<{ id: string }>(
    `INSERT INTO service_record (laborer_id, region_code, kind, served_on, content, counted)
     VALUES ($1, $2, 'guidance', '2024-03-01', '职业指导', true) RETURNING id`,
    [laborerId, village],
  );
  return String(rows[0]!.id);
}

async function register(body: Record<string, unknown>, cookie = provinceAdmin) {
  return t.app.inject({ method: 'POST', url: '/api/v1/exchange/clients', headers: { cookie }, payload: body });
}
async function newClient(
  regionCode: string,
  kinds = ['laborer', 'employment', 'service_record', 'subsidy'],
): Promise<CreatedExchangeClient> {
  const r = await register({ name: `测试系统${regionCode}`, regionCode, kinds });
  expect(r.statusCode, r.body).toBe(201);
  return r.json();
}
const read = (authorization: string | undefined, since?: string, limit?: number) =>
  t.app.inject({
    method: 'GET',
    url: '/api/v1/exchange/changes',
    query: { ...(since === undefined ? {} : { since }), ...(limit === undefined ? {} : { limit: String(limit) }) },
    headers: authorization ? { authorization } : {},
  });
async function page(authorization: string, since: string, limit: number): Promise<ExchangeChanges> {
  const r = await read(authorization, since, limit);
  expect(r.statusCode, r.body).toBe(200);
  return r.json();
}
/** Reads pages until the feed says there is no more; every change in order, and the last cursor. */
async function drain(authorization: string, since: string, limit = 50): Promise<{ changes: ExchangeChange[]; next: string }> {
  const changes: ExchangeChange[] = [];
  let cursor = since;
  for (;;) {
    const p = await page(authorization, cursor, limit);
    changes.push(...p.changes);
    cursor = p.next;
    if (!p.more) return { changes, next: cursor };
  }
}
const keyOf = (c: ExchangeChange) => `${c.kind}:${c.id}:${c.operation}`;
const count = (keys: string[]) => keys.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<string, number>());

describe('the change feed under concurrent writes', () => {
  it('delivers every committed change exactly once, in one stable order, when transactions commit out of order', async () => {
    const { authorization } = await newClient('43');
    const start = (await drain(authorization, '0', 500)).next;
    const delivered: ExchangeChange[] = [];
    let cursor = start;
    const readPage = async (limit: number) => {
      const p = await page(authorization, cursor, limit);
      delivered.push(...p.changes);
      cursor = p.next;
      return p;
    };
    const readToEnd = async () => {
      while ((await readPage(4)).more);
    };
    const expected: string[] = [];

    // Held open from the start: it writes first and commits last. A cursor made of the order of
    // writing (a serial id) would pass its change while it is open and never come back for it.
    const held = await connection();
    await held.query('BEGIN');
    const heldCard = await insertCard(held, DAZHU);
    // Rolled back at the end: its change never appears.
    const rolledBack = await connection();
    await rolledBack.query('BEGIN');
    const ghost = await insertCard(rolledBack, DAZHU);

    // 12 transactions write in order 0..11 and commit in the reverse order, a page read between commits.
    const writers = await Promise.all(Array.from({ length: 12 }, () => connection()));
    for (const w of writers) {
      await w.query('BEGIN');
      const card = await insertCard(w, DAZHU);
      await touchCard(w, card);
      const service = await insertService(w, card, DAZHU);
      expected.push(`laborer:${card}:insert`, `laborer:${card}:update`, `service_record:${service}:insert`);
    }
    for (const w of [...writers].reverse()) {
      await w.query('COMMIT');
      await readPage(3);
    }

    // 16 more transactions at once, each on its own connection, while a reader keeps reading pages.
    const shared = await insertCard(t.database.pool, DAZHU);
    expected.push(`laborer:${shared}:insert`);
    const concurrent = await Promise.all(Array.from({ length: 16 }, () => connection()));
    let writing = true;
    const reader = (async () => {
      while (writing) await readPage(5);
    })();
    await Promise.all(
      concurrent.map(async (w, i) => {
        await w.query('BEGIN');
        const card = await insertCard(w, i % 2 ? DAZHU : huayuanVillage);
        expected.push(`laborer:${card}:insert`);
        if (i % 4 === 0) {
          // Several transactions change one card: they queue on its row and each is one change.
          await touchCard(w, shared);
          expected.push(`laborer:${shared}:update`);
        }
        await w.query('COMMIT');
      }),
    );
    writing = false;
    await reader;

    await readToEnd();
    expect(delivered.map((c) => `${c.kind}:${c.id}`)).not.toContain(`laborer:${heldCard}`);
    await held.query('COMMIT');
    expected.push(`laborer:${heldCard}:insert`);
    await rolledBack.query('ROLLBACK');
    await readToEnd();

    // Exactly once: every change the committed transactions made, no other, none twice.
    expect(count(delivered.map(keyOf))).toEqual(count(expected));
    expect(delivered.map((c) => `${c.kind}:${c.id}`)).not.toContain(`laborer:${ghost}`);
    const positions = delivered.map((c) => BigInt(c.position));
    expect(positions.every((p, i) => i === 0 || p > positions[i - 1]!)).toBe(true);
    // The held transaction's change comes after every change committed before it.
    expect(delivered.at(-1)).toMatchObject({ kind: 'laborer', id: heldCard, operation: 'insert', removed: false });

    // Stable: read again from the same cursor in pages of another size, the same changes in the same order.
    const again = await drain(authorization, start, 7);
    expect(again.changes.map((c) => `${c.position} ${keyOf(c)}`)).toEqual(delivered.map((c) => `${c.position} ${keyOf(c)}`));
    expect(again.next).toBe(cursor);
  });
});

describe('region and kinds', () => {
  it('a client of one county sees nothing of another; a card moved out is a removal for the county it left', async () => {
    const xinshao = await newClient('430522');
    const huayuan = await newClient('433124');
    const subsidiesOnly = await newClient('430522', ['subsidy']);
    const from = {
      xinshao: (await drain(xinshao.authorization, '0', 500)).next,
      huayuan: (await drain(huayuan.authorization, '0', 500)).next,
      subsidies: (await drain(subsidiesOnly.authorization, '0', 500)).next,
    };
    const c = await connection();
    const ours = await insertCard(c, DAZHU);
    const oursService = await insertService(c, ours, DAZHU);
    const theirs = await insertCard(c, huayuanVillage);
    const theirsService = await insertService(c, theirs, huayuanVillage);

    const seenByXinshao = await drain(xinshao.authorization, from.xinshao);
    expect(seenByXinshao.changes.map(keyOf)).toEqual([`laborer:${ours}:insert`, `service_record:${oursService}:insert`]);
    const seenByHuayuan = await drain(huayuan.authorization, from.huayuan);
    expect(seenByHuayuan.changes.map(keyOf)).toEqual([`laborer:${theirs}:insert`, `service_record:${theirsService}:insert`]);
    expect((await drain(subsidiesOnly.authorization, from.subsidies)).changes).toEqual([]);

    // The card as the feed gives it: the ID number masked, no clear number, no phone, no birth date.
    const card = seenByXinshao.changes[0]!.laborer!;
    expect(card).toMatchObject({
      id: ours,
      name: '交换测试',
      idNumberMasked: '430522********0001',
      villageCode: DAZHU,
      age: expect.any(Number),
    });
    expect(Object.keys(card)).not.toEqual(expect.arrayContaining(['idNumber']));
    expect(Object.keys(card).filter((k) => /phone|birth|idNumber$/i.test(k))).toEqual([]);
    expect(seenByXinshao.changes[1]!.serviceRecord).toMatchObject({ id: oursService, laborerId: ours, kind: 'guidance' });

    // Moved to 花垣县: 新邵县 is told the card left its region (no record), 花垣县 receives it.
    await c.query(`UPDATE laborer SET home_village_code = $2 WHERE id = $1`, [ours, huayuanVillage]);
    const left = await drain(xinshao.authorization, seenByXinshao.next);
    expect(left.changes).toEqual([expect.objectContaining({ kind: 'laborer', id: ours, operation: 'update', removed: true })]);
    expect(left.changes[0]!.laborer).toBeUndefined();
    const arrived = await drain(huayuan.authorization, seenByHuayuan.next);
    expect(arrived.changes.map(keyOf)).toEqual([`laborer:${ours}:update`]);
    expect(arrived.changes[0]!.laborer).toMatchObject({ id: ours, villageCode: huayuanVillage });
  });
});

describe('client systems and their keys', () => {
  it('only a province admin registers a client; its secret is shown once and only its digest is kept', async () => {
    const county = await register({ name: '县级系统', regionCode: '430522', kinds: ['laborer'] }, countyAdmin);
    expect(county.statusCode).toBe(403);
    expect(county.json().code).toBe('EXCHANGE_PROVINCE_ONLY');

    const created = await newClient('4305', ['laborer', 'employment']);
    expect(created.authorization).toBe(`Bearer ${created.client.keyId}.${created.secret}`);
    expect(created.client).toMatchObject({ regionCode: '4305', kinds: ['laborer', 'employment'], revokedAt: null, lastReadAt: null });
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/exchange/clients', headers: { cookie: provinceAdmin } });
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(created.secret);
    const { rows } = await sql<{
      secret_hash: Buffer;
    }>`SELECT secret_hash FROM exchange_client WHERE key_id = ${created.client.keyId}`.execute(t.database.db);
    expect(rows[0]!.secret_hash.toString('base64url')).not.toBe(created.secret);
    expect(rows[0]!.secret_hash.toString('utf8')).not.toContain(created.secret);
  });

  it('a missing, wrong, unknown or revoked key is refused with its own code; a session is no key, a key no session', async () => {
    const { client, secret, authorization } = await newClient('430522');
    const other = `Bearer ${client.keyId}.${randomBytes(32).toString('base64url')}`;
    const unknown = `Bearer lwx_0000000000000000.${secret}`;
    const codeOf = async (r: Promise<{ statusCode: number; json: () => { code: string } }>) => {
      const answer = await r;
      return `${answer.statusCode} ${answer.json().code}`;
    };
    expect(await codeOf(read(undefined))).toBe('401 EXCHANGE_UNAUTHENTICATED');
    expect(await codeOf(read(`Basic ${Buffer.from('a:b').toString('base64')}`))).toBe('401 EXCHANGE_UNAUTHENTICATED');
    expect(
      await codeOf(t.app.inject({ method: 'GET', url: '/api/v1/exchange/changes', headers: { cookie: provinceAdmin } }) as never),
    ).toBe('401 EXCHANGE_UNAUTHENTICATED');
    expect(await codeOf(read(other))).toBe('401 EXCHANGE_CREDENTIALS_INVALID');
    expect(await codeOf(read(unknown))).toBe('401 EXCHANGE_CREDENTIALS_INVALID');
    expect(await codeOf(t.app.inject({ method: 'GET', url: '/api/v1/laborers', headers: { authorization } }) as never)).toBe(
      '401 UNAUTHENTICATED',
    );

    const first = await page(authorization, '0', 10);
    expect(await codeOf(read(authorization, String(BigInt(first.next) + 1_000_000n)))).toBe('400 EXCHANGE_CURSOR_AHEAD');
    const listed = (
      await t.app.inject({ method: 'GET', url: '/api/v1/exchange/clients', headers: { cookie: countyAdmin } })
    ).json() as ExchangeClientList;
    expect(listed.items.find((c) => c.id === client.id)).toMatchObject({ lastCursor: first.next, lastReadAt: expect.any(String) });

    const countyRevoke = await t.app.inject({
      method: 'POST',
      url: `/api/v1/exchange/clients/${client.id}/revoke`,
      headers: { cookie: countyAdmin },
    });
    expect(countyRevoke.json().code).toBe('EXCHANGE_PROVINCE_ONLY');
    const revoked = await t.app.inject({
      method: 'POST',
      url: `/api/v1/exchange/clients/${client.id}/revoke`,
      headers: { cookie: provinceAdmin },
    });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().revokedAt).toEqual(expect.any(String));
    expect(await codeOf(read(authorization))).toBe('401 EXCHANGE_CLIENT_REVOKED');
    // The right secret of a revoked key says so; a wrong one still says only that it is wrong.
    expect(await codeOf(read(other))).toBe('401 EXCHANGE_CREDENTIALS_INVALID');
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/v1/exchange/clients/${client.id}/revoke`,
      headers: { cookie: provinceAdmin },
    });
    expect(again.json().code).toBe('EXCHANGE_CLIENT_REVOKED_ALREADY');
  });

  it('every read is audited with the client, the cursor and the count, in the read’s transaction', async () => {
    const { client, authorization } = await newClient('430522107');
    const c = await connection();
    await insertCard(c, DAZHU);
    const first = await page(authorization, '0', 1);
    const second = await page(authorization, first.next, 1000);
    const { rows } = await sql<{ action: string; actor_name: string; entity_id: string; details: Record<string, unknown> }>`
      SELECT action, actor_name, entity_id, details FROM audit_log WHERE action = 'exchange.changes' AND entity_id = ${client.id} ORDER BY id`.execute(
      t.database.db,
    );
    expect(rows).toEqual([
      {
        action: 'exchange.changes',
        actor_name: client.keyId,
        entity_id: client.id,
        details: { client: client.name, since: '0', next: first.next, rows: 1 },
      },
      {
        action: 'exchange.changes',
        actor_name: client.keyId,
        entity_id: client.id,
        details: { client: client.name, since: first.next, next: second.next, rows: second.changes.length },
      },
    ]);
    const denied = await sql<{
      n: string;
    }>`SELECT count(*) AS n FROM audit_log WHERE action = 'exchange.authenticate' AND result = 'denied'`.execute(t.database.db);
    expect(Number(denied.rows[0]!.n)).toBeGreaterThan(0);
  });
});
