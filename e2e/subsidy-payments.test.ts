import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seekerCard } from '../server/test/fixtures.ts';
import { chinaToday } from '../server/src/platform/time.ts';
import { printedPages, signIn, startBrowserWorld, type BrowserWorld } from './browser.ts';

/**
 * Issue 21 item 6 in the console (docs/payments.md): the county admin makes the month's bank batch
 * of approved subsidies, downloads the bank file (GBK) for the bank, imports the bank's return file
 * (GBK) with one failure, sees one paid and one failed, and prints the 公示 list with names masked.
 */
let world: BrowserWorld;
const PEOPLE = [
  { name: '张小明', amount: 800, bankAccount: '6222021234567890001' },
  { name: '李四', amount: 900, bankAccount: '6222021234567890002' },
  { name: '王五', amount: 700 }, // no account: left out of the batch
];
const ids: string[] = [];
const month = chinaToday().slice(0, 7);

beforeAll(async () => {
  world = await startBrowserWorld();
  const { t } = world;
  const officer = await t.login('dazhu_officer');
  for (const [i, person] of PEOPLE.entries()) {
    const card = await t.app.inject({
      method: 'POST',
      url: '/api/v1/laborers',
      headers: { cookie: officer },
      payload: seekerCard(`43052219900505${String(i + 1).padStart(3, '0')}`, { name: person.name }),
    });
    expect(card.statusCode, card.body).toBe(201);
    const applied = await t.app.inject({
      method: 'POST',
      url: '/api/v1/subsidies',
      headers: { cookie: officer },
      payload: {
        recipient: 'laborer',
        kind: 'training',
        laborerId: card.json().id,
        amount: person.amount,
        periodFrom: '2019-06-01',
        periodTo: '2019-06-30',
        ...(person.bankAccount ? { bankAccount: person.bankAccount } : {}),
      },
    });
    expect(applied.statusCode, applied.body).toBe(201);
    ids.push(applied.json().id);
  }
  const approved = await t.app.inject({
    method: 'POST',
    url: '/api/v1/subsidies/approvals',
    headers: { cookie: await t.login('xinshao_admin') },
    payload: { ids, reason: '材料齐全，同意' },
  });
  expect(approved.statusCode, approved.body).toBe(200);
}, 180_000);
afterAll(async () => world?.close());

describe('subsidies paid through the bank from the console', () => {
  it('a county admin batches the month, hands the bank file over, imports a return with one failure and prints the 公示 list', async () => {
    const page = await signIn(world, 'xinshao_admin');
    await page.goto(`${world.baseUrl}/subsidies`);
    await page.getByRole('tab', { name: '代发批次' }).click();
    await page.getByTestId('payment-create').click();

    // The batch: the two with an account, the one without counted aside; accounts masked on screen.
    await expect.poll(() => page.getByTestId('payment-total').textContent()).toBe('2 笔，合计 1,700.00 元');
    expect(await page.getByTestId('payment-no-account').textContent()).toContain('另有 1 笔已审批的补贴未填银行账号');
    const lines = page.getByTestId('payment-lines');
    expect(await lines.getByTestId('payment-line-1').textContent()).toContain('张小明');
    expect(await lines.getByTestId('payment-line-1').textContent()).toContain('6222***********0001');
    expect(await lines.textContent()).not.toContain(PEOPLE[0]!.bankAccount);

    // The bank file, read back as the bank reads it (GBK).
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('payment-bank-file').click()]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^补贴代发-新邵县-${month}-\\d+\\.csv$`));
    const bankFile = iconv
      .decode(readFileSync((await download.path())!), 'gbk')
      .split('\r\n')
      .filter(Boolean);
    expect(bankFile).toEqual([
      '序号,收款账号,收款人姓名,金额,业务参考号',
      `1,${PEOPLE[0]!.bankAccount},张小明,800.00,${ids[0]}`,
      `2,${PEOPLE[1]!.bankAccount},李四,900.00,${ids[1]}`,
    ]);

    // The bank's return file, in GBK as banks write it: 张小明 paid, 李四's account closed.
    const returned = iconv.encode(['业务参考号,处理结果,失败原因', `${ids[0]},成功,`, `${ids[1]},失败,账户已销户`].join('\r\n'), 'gbk');
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId('payment-return').click()]);
    await chooser.setFiles({ name: '回盘.csv', mimeType: 'text/csv', buffer: returned });
    await expect
      .poll(() => page.getByTestId('payment-result').textContent())
      .toContain('发放成功 1 笔，发放失败 1 笔，此前已回盘未变 0 笔');
    await expect.poll(() => lines.getByTestId('payment-line-1').textContent()).toContain('已发放');
    expect(await lines.getByTestId('payment-line-2').textContent()).toContain('发放失败账户已销户');
    const subsidy = await world.t.app.inject({
      method: 'GET',
      url: `/api/v1/subsidies/${ids[0]}`,
      headers: { cookie: await world.t.login('xinshao_admin') },
    });
    expect(subsidy.json().status).toBe('paid');

    // The 公示 list: the line paid, the name masked, no account; the failed line is not on it.
    await page.evaluate(() => {
      window.print = () => undefined;
    });
    await page.getByTestId('payment-notice').click();
    await page.getByTestId('payment-notice-sheet').waitFor({ state: 'attached' });
    const text = (await printedPages(page)).join('\n');
    const [year, mm] = month.split('-');
    for (const expected of [
      `新邵县${year}年${Number(mm)}月就业扶贫补贴发放公示`,
      '张*明',
      '大竹村',
      '职业培训补贴',
      '800.00',
      '单位（盖章）',
    ])
      expect(text).toContain(expected);
    for (const leak of ['张小明', '李*', PEOPLE[0]!.bankAccount]) expect(text).not.toContain(leak);
    expect(text).not.toContain('下载代发文件'); // the console around the sheet is not printed
    await page.context().close();
  });

  it('days later, the city admin finds the batch in the list, reopens it as the bank left it and corrects the failed account', async () => {
    const page = await signIn(world, 'shaoyang_admin');
    await page.goto(`${world.baseUrl}/subsidies`);
    await page.getByRole('tab', { name: '代发批次' }).click();
    const row = page.getByTestId('payment-batches').locator('tr', { hasText: '新邵县' }).first();
    await row.waitFor();
    expect(await row.textContent()).toContain('2 笔，1,700.00 元');
    expect(await row.textContent()).toContain('已发放 1');
    expect(await row.textContent()).toContain('失败 1');
    await row.getByRole('button', { name: '打开' }).click();
    const lines = page.getByTestId('payment-lines');
    await expect.poll(() => lines.getByTestId('payment-line-2').textContent()).toContain('发放失败账户已销户');
    expect(await lines.getByTestId('payment-line-1').textContent()).toContain('已发放');
    expect(await page.getByTestId('payment-batch').textContent()).toContain('已办结');

    // 李四's account was closed: the new one, with the reason, lets the next batch take the subsidy.
    await lines.getByTestId('payment-correct-2').click();
    const modal = page.getByTestId('payment-correct-modal');
    await modal.getByTestId('payment-correct-account').fill('6217009876543210002');
    await modal.getByTestId('payment-correct-reason').fill('原账户已销户，本人提供新账号');
    await modal
      .getByRole('button', { name: '保 存' })
      .or(modal.getByRole('button', { name: '保存' }))
      .click();
    await page.getByText('已更正 李四 的收款账号，须由另一名审批人编入下一批次').waitFor();
    const li = await world.t.app.inject({
      method: 'GET',
      url: `/api/v1/subsidies/${ids[1]}`,
      headers: { cookie: await world.t.login('xinshao_admin') },
    });
    expect(li.json().bankAccountMasked).toBe('6217***********0002');
    await page.context().close();
  });
});
