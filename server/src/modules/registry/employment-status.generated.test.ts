import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGeneratedTestApp, type TestApp } from '../../../test/helpers.ts';
import { chinaToday } from '../../platform/time.ts';

/**
 * Issue 16 item 2: on a generated world (the demo's ~30,000 cards with their ledger and
 * employment histories since 2016), the register's 已就业 filter for a region and a date is the
 * statistics' "employed" for the same region and date — past dates included, where the ledger's
 * typed statuses and the employment records disagree by days to weeks.
 */
let t: TestApp;
let province: string;
const REGIONS = ['43', '430522', '433124', '430522107', '430522107212'];
const DATES = ['2016-12-31', '2017-06-30', '2019-12-31', '2022-06-30', '2025-03-31', chinaToday()];

beforeAll(async () => {
  t = await createGeneratedTestApp();
  province = await t.login('hunan_admin');
}, 600_000);
afterAll(async () => t?.close());

const get = async (url: string) => {
  const r = await t.app.inject({ method: 'GET', url, headers: { cookie: province } });
  expect(r.statusCode, r.body).toBe(200);
  return r.json();
};

describe('the register and the statistics count the same employed', () => {
  it('for several regions and dates, past ones included', async () => {
    for (const region of REGIONS) {
      for (const asOf of DATES) {
        const stats = await get(`/api/v1/stats/summary?region=${region}&asOf=${asOf}`);
        const register = await get(`/api/v1/laborers?region=${region}&asOf=${asOf}&employmentStatus=employed&pageSize=1`);
        expect(register.total, `${region} ${asOf}`).toBe(stats.employed);
        // 已就业 + 未就业 + 不具备就业条件 = the registered.
        const unemployed = await get(`/api/v1/laborers?region=${region}&asOf=${asOf}&employmentStatus=unemployed&pageSize=1`);
        const notWorking = await get(`/api/v1/laborers?region=${region}&asOf=${asOf}&employmentStatus=not_working&pageSize=1`);
        expect(register.total + unemployed.total + notWorking.total, `${region} ${asOf}`).toBe(stats.registered);
      }
    }
    // Not a world of zeros.
    expect((await get(`/api/v1/stats/summary?region=43&asOf=2019-12-31`)).employed).toBeGreaterThan(10_000);
  });

  it('a listed card shows the status of the date asked', async () => {
    const page = await get(`/api/v1/laborers?region=430522107212&asOf=2017-06-30&employmentStatus=employed&pageSize=200`);
    expect(page.items.length).toBe(page.total);
    expect(page.items.every((l: { employmentStatus: string }) => l.employmentStatus === 'employed')).toBe(true);
  });
});
