import iconv from 'iconv-lite';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { seekerCard } from '../../../test/fixtures.ts';
import { chinaToday } from '../../platform/time.ts';

/**
 * Issue 21 item 6: approved laborer subsidies leave the building as a bank batch (代发) per county
 * and month; the bank's return file marks each paid or failed; a failed one is batched again and
 * paid once; a paid one is never paid again; the 公示 list masks names.
 */
let t: TestApp;
let officer: string; // dazhu_officer: 大竹村, 新邵县
let county: string; // xinshao_admin: 新邵县
const today = chinaToday();
const month = today.slice(0, 7);
const NAMES = ['张小明', '李四', '欧阳小红', '王五'];
const ACCOUNTS = ['6222021234567890001', '6222021234567890002', '6217001234567890003'];
const ids: string[] = []; // the first three with a bank account, the fourth without
const BATCHES = '/api/v1/subsidies/payment-batches';

const call = (method: 'GET' | 'POST', url: string, cookie: string, payload?: object) =>
  t.app.inject({ method, url, headers: { cookie }, payload });
const subsidy = async (id: string) =>
  (
    await sql<{ status: string; paid_on: string | null; payment_ref: string | null }>`
      SELECT status, paid_on::text AS paid_on, payment_ref FROM subsidy WHERE id = ${id}`.execute(t.ctx.db)
  ).rows[0]!;
const payAudits = async (id: string) =>
  Number(
    (
      await sql<{ n: string }>`SELECT count(*) AS n FROM audit_log WHERE action = 'subsidy.pay' AND entity_id = ${id}
        AND result IS DISTINCT FROM 'denied'`.execute(t.ctx.db)
    ).rows[0]!.n,
  );

beforeAll(async () => {
  t = await createTestApp();
  [officer, county] = await Promise.all(['dazhu_officer', 'xinshao_admin'].map((u) => t.login(u)));
  for (const [i, name] of NAMES.entries()) {
    const card = await call('POST', '/api/v1/laborers', officer, seekerCard(`43052219870404${String(i + 1).padStart(3, '0')}`, { name }));
    expect(card.statusCode, card.body).toBe(201);
    const applied = await call('POST', '/api/v1/subsidies', officer, {
      recipient: 'laborer',
      kind: 'training',
      laborerId: card.json().id,
      amount: 800 + i * 100,
      periodFrom: '2019-03-01',
      periodTo: '2019-03-31',
      ...(ACCOUNTS[i] ? { bankAccount: ACCOUNTS[i] } : {}),
    });
    expect(applied.statusCode, applied.body).toBe(201);
    ids.push(applied.json().id);
  }
  const approved = await call('POST', '/api/v1/subsidies/approvals', county, { ids, reason: '材料齐全，同意' });
  expect(approved.statusCode, approved.body).toBe(200);
});
afterAll(async () => t?.close());

describe('a bank batch of approved subsidies', () => {
  let batch: string;

  it('keeps the account given with the application, shown masked', async () => {
    const r = await call('GET', `/api/v1/subsidies/${ids[0]}`, county);
    expect(r.json().bankAccountMasked).toBe('6222***********0001');
    expect(r.body).not.toContain(ACCOUNTS[0]);
    expect((await call('GET', `/api/v1/subsidies/${ids[3]}`, county)).json().bankAccountMasked).toBeNull();
    const bad = await call('POST', '/api/v1/subsidies', officer, {
      recipient: 'laborer',
      kind: 'training',
      laborerId: '1',
      amount: 100,
      periodFrom: '2019-05-01',
      periodTo: '2019-05-31',
      bankAccount: '6222-0212',
    });
    expect(bad.statusCode).toBe(400);
  });

  it('is built from the county’s approved subsidies that have an account, accounts masked on screen', async () => {
    const r = await call('POST', BATCHES, county, { county: '430522', month });
    expect(r.statusCode, r.body).toBe(201);
    const body = r.json();
    batch = body.id;
    expect(body.items.map((i: { subsidyId: string }) => i.subsidyId)).toEqual(ids.slice(0, 3));
    expect(body.items.map((i: { seq: number }) => i.seq)).toEqual([1, 2, 3]);
    expect(body.items[0]).toMatchObject({ name: '张小明', accountMasked: '6222***********0001', amount: 800, status: 'pending' });
    expect(body.count).toBe(3);
    expect(body.amount).toBe(2700);
    expect(body.noAccount).toBeGreaterThanOrEqual(1); // 王五's has none
    expect(r.body).not.toContain(ACCOUNTS[0]);
    // Nothing is left to batch for the county this month.
    const again = await call('POST', BATCHES, county, { county: '430522', month });
    expect(again.json().code).toBe('PAYMENT_BATCH_EMPTY');
  });

  it('refuses a county outside the caller’s region, a place that is no county and a future month', async () => {
    expect((await call('POST', BATCHES, county, { county: '433126', month })).statusCode).toBe(403);
    expect((await call('POST', BATCHES, county, { county: '430522', month: '2099-01' })).json().code).toBe('PAYMENT_BATCH_MONTH');
    // A batch is a county's: the city's admin names one, not the city.
    const city = await t.login('shaoyang_admin');
    expect((await call('POST', BATCHES, city, { county: '4305', month })).statusCode).toBe(400);
    expect((await call('POST', BATCHES, city, { county: '430599', month })).json().code).toBe('PAYMENT_BATCH_COUNTY');
  });

  it('holds a subsidy in one open batch only: the database refuses a second line for it', async () => {
    const { rows } = await sql<{ id: string }>`INSERT INTO subsidy_payment_batch (county_code, month, created_by)
      SELECT '430522', ${month}, id FROM account WHERE username = 'xinshao_admin' RETURNING id::text AS id`.execute(t.ctx.db);
    await expect(
      sql`INSERT INTO subsidy_payment_item (batch_id, seq, subsidy_id, bank_account, amount)
        VALUES (${rows[0]!.id}, 1, ${ids[0]}, ${ACCOUNTS[0]}, 800)`.execute(t.ctx.db),
    ).rejects.toMatchObject({ code: '23505', constraint: 'subsidy_payment_item_once' });
  });

  it('writes the bank file in GBK: header, full account, name, amount, the subsidy id as reference', async () => {
    const r = await call('GET', `${BATCHES}/${batch}/bank-file`, county);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toContain('GBK');
    const text = iconv.decode(r.rawPayload, 'gbk');
    expect(text.split('\r\n').filter(Boolean)).toEqual([
      '序号,收款账号,收款人姓名,金额,业务参考号',
      `1,${ACCOUNTS[0]},张小明,800.00,${ids[0]}`,
      `2,${ACCOUNTS[1]},李四,900.00,${ids[1]}`,
      `3,${ACCOUNTS[2]},欧阳小红,1000.00,${ids[2]}`,
    ]);
  });

  it('gives the 公示 list with names partly masked and no account', async () => {
    const r = await call('GET', `${BATCHES}/${batch}/notice`, county);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().items.map((i: { name: string }) => i.name)).toEqual(['张*明', '李*', '欧**红']);
    expect(r.json().items[0]).toMatchObject({ kind: '职业培训补贴', amount: 800 });
    expect(r.json().amount).toBe(2700);
    for (const leak of [...NAMES, ...ACCOUNTS]) expect(r.body).not.toContain(leak);
  });

  it('refuses a return file naming a line not in the batch, importing nothing', async () => {
    const r = await call('POST', `${BATCHES}/${batch}/returns`, county, {
      bankDate: today,
      content: `${ids[0]},成功,\n${ids[3]},成功,\n`,
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().code).toBe('PAYMENT_RETURN_FILE');
    expect(r.json().message).toContain('第 2 行');
    expect((await subsidy(ids[0]!)).status).toBe('approved');
  });

  it('marks the returned lines paid or failed; a failed one re-batched is paid once; the paid ones never again', async () => {
    const file = `业务参考号,处理结果,失败原因\r\n${ids[0]},成功,\r\n${ids[1]},失败,账户已销户\r\n${ids[2]},成功,\r\n`;
    const r = await call('POST', `${BATCHES}/${batch}/returns`, county, { bankDate: today, content: file });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ paid: 2, failed: 1, unchanged: 0 });
    expect(r.json().batch.status).toBe('closed');
    expect(await subsidy(ids[0]!)).toEqual({ status: 'paid', paid_on: today, payment_ref: `代发批次${batch}` });
    expect((await subsidy(ids[1]!)).status).toBe('approved');
    expect(r.json().batch.items[1]).toMatchObject({ status: 'failed', failReason: '账户已销户', bankDate: today });

    // The same file again changes nothing: no line is paid twice.
    const replay = await call('POST', `${BATCHES}/${batch}/returns`, county, { bankDate: today, content: file });
    expect(replay.json()).toMatchObject({ paid: 0, failed: 0, unchanged: 3 });
    expect(await payAudits(ids[0]!)).toBe(1);

    // The next batch takes the failed one only; its return pays it.
    const next = await call('POST', BATCHES, county, { county: '430522', month });
    expect(next.statusCode, next.body).toBe(201);
    expect(next.json().items.map((i: { subsidyId: string }) => i.subsidyId)).toEqual([ids[1]]);
    const paid = await call('POST', `${BATCHES}/${next.json().id}/returns`, county, { bankDate: today, content: `${ids[1]},成功,\n` });
    expect(paid.json()).toMatchObject({ paid: 1, failed: 0 });
    expect(await subsidy(ids[1]!)).toEqual({ status: 'paid', paid_on: today, payment_ref: `代发批次${next.json().id}` });

    // Every subsidy was paid exactly once; none can be batched again.
    for (const id of ids.slice(0, 3)) expect(await payAudits(id)).toBe(1);
    expect((await call('POST', BATCHES, county, { county: '430522', month })).json().code).toBe('PAYMENT_BATCH_EMPTY');
    // And a paid subsidy cannot be paid through the single path either.
    const single = await call('POST', `/api/v1/subsidies/${ids[0]}/pay`, county, {});
    expect(single.json().code).toBe('SUBSIDY_ALREADY_PAID');
  });

  it('hides the batch from another county (audited) and refuses an admin below the county', async () => {
    const guzhang = await t.login('guzhang_admin');
    const r = await call('GET', `${BATCHES}/${batch}/notice`, guzhang);
    expect(r.statusCode).toBe(404);
    const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM audit_log WHERE action = 'subsidy_payment.notice'
      AND entity_id = ${batch} AND result = 'denied'`.execute(t.ctx.db);
    expect(Number(rows[0]!.n)).toBe(1);
    const city = await t.login('shaoyang_admin');
    expect((await call('GET', `${BATCHES}/${batch}/notice`, city)).statusCode).toBe(200);
  });

  it('lists the batches of the caller’s counties, newest first, and reopens one by id — never another county’s', async () => {
    const list = await call('GET', `${BATCHES}?county=430522`, county);
    expect(list.statusCode, list.body).toBe(200);
    const { items, total } = list.json();
    // The re-batched failure first, then the empty batch the database test above wrote by hand, then the first with two paid lines and one failed.
    expect(total).toBe(3);
    expect(
      items.map((b: { count: number; paid: number; failed: number; pending: number }) => [b.count, b.paid, b.failed, b.pending]),
    ).toEqual([
      [1, 1, 0, 0],
      [0, 0, 0, 0],
      [3, 2, 1, 0],
    ]);
    expect(items[2]).toMatchObject({ id: batch, month, status: 'closed', county: { code: '430522', name: '新邵县' }, amount: 2700 });
    const city = await t.login('shaoyang_admin');
    expect((await call('GET', BATCHES, city)).json().total).toBe(3);
    const guzhang = await t.login('guzhang_admin');
    expect((await call('GET', BATCHES, guzhang)).json().total).toBe(0);
    expect((await call('GET', `${BATCHES}?county=430522`, guzhang)).statusCode).toBe(403);

    const opened = await call('GET', `${BATCHES}/${batch}`, county);
    expect(opened.statusCode, opened.body).toBe(200);
    expect(opened.json().items.map((i: { subsidyId: string; status: string }) => [i.subsidyId, i.status])).toEqual([
      [ids[0], 'paid'],
      [ids[1], 'failed'],
      [ids[2], 'paid'],
    ]);
    expect(opened.body).not.toContain(ACCOUNTS[0]);
    expect((await call('GET', `${BATCHES}/${batch}`, guzhang)).statusCode).toBe(404);
    expect((await call('GET', `${BATCHES}/${batch}`, officer)).statusCode).toBe(403);
  });

  it('an account given later (or corrected) brings the subsidy into the next batch; never while pending at the bank or once paid', async () => {
    const put = (id: string, cookie: string, bankAccount: string, reason = '本人提供一卡通账号') =>
      t.app.inject({ method: 'PUT', url: `/api/v1/subsidies/${id}/bank-account`, headers: { cookie }, payload: { bankAccount, reason } });
    expect((await put(ids[3]!, officer, '6228481234567890004')).statusCode).toBe(403);
    expect((await put(ids[3]!, await t.login('guzhang_admin'), '6228481234567890004')).statusCode).toBe(404);
    expect((await put(ids[3]!, county, '6228-4812')).statusCode).toBe(400);
    const given = await put(ids[3]!, county, '6228481234567890004');
    expect(given.statusCode, given.body).toBe(200);
    expect(given.json().bankAccountMasked).toBe('6228***********0004');
    expect(given.body).not.toContain('6228481234567890004');
    const { rows: audits } = await sql<{ details: Record<string, string | null> }>`SELECT details FROM audit_log
      WHERE action = 'subsidy.bank_account' AND entity_id = ${ids[3]} AND result IS DISTINCT FROM 'denied'`.execute(t.ctx.db);
    expect(audits.map((a) => a.details)).toEqual([
      { accountBefore: null, accountAfter: '6228***********0004', reason: '本人提供一卡通账号' },
    ]);

    // Four eyes: the approver who gave the account may neither batch it nor mark it paid; another approver batches it.
    const own = await call('POST', BATCHES, county, { county: '430522', month });
    expect(own.json().code, own.body).toBe('PAYMENT_BATCH_SELF_CHANGED');
    expect(own.json().message).toContain('1 笔');
    expect((await call('POST', `/api/v1/subsidies/${ids[3]}/pay`, county, {})).json().code).toBe('SUBSIDY_ACCOUNT_SELF_PAY');
    const next = await call('POST', BATCHES, await t.login('shaoyang_admin'), { county: '430522', month });
    expect(next.statusCode, next.body).toBe(201);
    expect(next.json().items.map((i: { subsidyId: string }) => i.subsidyId)).toEqual([ids[3]]);
    expect(next.json().changedByCreator).toBe(0);
    // Waiting at the bank: the account the bank file carried stays until the return.
    expect((await put(ids[3]!, county, '6228481234567890005')).json().code).toBe('SUBSIDY_ACCOUNT_IN_BATCH');
    // Paid: nothing to correct.
    expect((await put(ids[0]!, county, '6228481234567890006')).json().code).toBe('SUBSIDY_ALREADY_PAID');
  });

  it('audits each step', async () => {
    const { rows } = await sql<{ action: string }>`SELECT DISTINCT action FROM audit_log WHERE entity = 'subsidy_payment_batch'
      AND result IS DISTINCT FROM 'denied' ORDER BY action`.execute(t.ctx.db);
    expect(rows.map((r) => r.action)).toEqual([
      'subsidy_payment.bank_file',
      'subsidy_payment.create',
      'subsidy_payment.list',
      'subsidy_payment.notice',
      'subsidy_payment.return',
      'subsidy_payment.view',
    ]);
  });
});
