import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../../contracts/common.ts';
import { MENU, canSee } from '../../web/src/app/menu.tsx';
import { DEMO_ACCOUNTS, type DemoAccount } from '../src/generate/demo-accounts.ts';
import { chinaToday } from '../src/platform/time.ts';
import { createTestApp, type TestApp } from './helpers.ts';

/**
 * Issue 18 item 6: the console's menu of each role is derived from the role lists the server
 * enforces (contracts/roles.ts), so no entry leads to 无权执行此操作. For every demo account (every
 * role, the admins at province, city and county) and every menu entry it sees, the page's main API
 * call (the entry's `api`) answers 200. (Not the converse: one API serves several pages — the
 * employment records feed an employer's 本单位职工 and every staff member's cards.)
 */
let t: TestApp;
const cookies = new Map<string, string>();

beforeAll(async () => {
  t = await createTestApp();
  for (const a of DEMO_ACCOUNTS) cookies.set(a.username, await t.login(a.username));
});
afterAll(async () => t?.close());

const call = (a: DemoAccount, api: string) =>
  t.app.inject({
    method: 'GET',
    url: api
      .replace('{region}', a.regionCode)
      .replace('{city}', a.regionCode.length >= 4 ? a.regionCode : `${a.regionCode}01`)
      .replace('{today}', chinaToday()),
    headers: { cookie: cookies.get(a.username)! },
  });

describe('menus by role', () => {
  it('has a demo account for every role of the console', () => {
    expect(new Set(DEMO_ACCOUNTS.map((a) => a.role))).toEqual(new Set(ROLES.filter((r) => r !== 'laborer')));
  });

  it("answers 200 to each menu entry's main call for every account that sees the entry", async () => {
    const refused: string[] = [];
    for (const a of DEMO_ACCOUNTS) {
      for (const entry of MENU.filter((m) => canSee(m, a.role))) {
        const response = await call(a, entry.api);
        if (response.statusCode !== 200)
          refused.push(`${a.username} ${entry.path} → ${entry.api}: ${response.statusCode} ${response.body.slice(0, 80)}`);
      }
    }
    expect(refused).toEqual([]);
  });
});
