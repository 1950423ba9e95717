import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Browser, Page } from 'playwright-core';
import { makeId, seekerCard } from '../server/test/fixtures.ts';
import { DEMO_PASSWORD } from '../server/src/generate/demo-accounts.ts';
import { startBrowserWorld, type BrowserWorld } from './browser.ts';

/**
 * Issue 19 item 4 on a phone (390 × 844): what the field pages keep in IndexedDB is encrypted
 * under the device key the server releases at sign-in — no name and no ID number of the village
 * can be read from the stores; after 8 days without a sync the phone refuses its copy but keeps
 * the outbox, which syncs once the officer signs in online again; sign-out deletes key and copy.
 */
let world: BrowserWorld;
let officer: string;
const NEW_ID = makeId('43052219960606701');
const NAMES = ['龙守密', '龙守信'];
const DAY_MS = 86_400_000;
const screens = process.env.LAOWU_E2E_SCREENS || 'var/e2e-screens';

const call = (method: 'GET' | 'POST' | 'PATCH', url: string, cookie: string, headers: Record<string, string> = {}, payload?: object) =>
  world.t.app.inject({ method, url, headers: { cookie, ...headers }, payload });

const phone = (browser: Browser) =>
  browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    reducedMotion: 'reduce',
  });

type Dumped = Record<string, unknown[]>;
/**
 * Every record of the field pages' IndexedDB databases, as a script of the page reads them: binary
 * values as base64 (their bytes are searched below), a CryptoKey as what it says of itself.
 */
async function dumpStores(page: Page): Promise<Dumped> {
  return page.evaluate(async () => {
    const base64 = (bytes: Uint8Array) => btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(''));
    const walk = (value: unknown): unknown => {
      if (value instanceof ArrayBuffer) return { bytes: base64(new Uint8Array(value)) };
      if (ArrayBuffer.isView(value)) return { bytes: base64(new Uint8Array(value.buffer, value.byteOffset, value.byteLength)) };
      if (value instanceof CryptoKey)
        return { cryptoKey: { extractable: value.extractable, algorithm: value.algorithm.name, usages: [...value.usages].sort() } };
      if (Array.isArray(value)) return value.map(walk);
      if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
      return value;
    };
    const open = (name: string) =>
      new Promise<IDBDatabase>((resolve, reject) => {
        const r = indexedDB.open(name);
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
    const out: Record<string, unknown[]> = {};
    for (const name of ['laowu-field', 'laowu-field-vault']) {
      const db = await open(name);
      for (const store of Array.from(db.objectStoreNames)) {
        const rows = await new Promise<unknown[]>((resolve, reject) => {
          const q = db.transaction(store).objectStore(store).getAll();
          q.onsuccess = () => resolve(q.result);
          q.onerror = () => reject(q.error);
        });
        out[`${name}/${store}`] = rows.map(walk);
      }
      db.close();
    }
    return out;
  });
}

/** The dump's text with the binary values left out, and the binary values themselves. */
function split(dump: Dumped) {
  const binaries: Buffer[] = [];
  const text = JSON.stringify(dump, (_key, value) => {
    if (value && typeof value === 'object' && typeof value.bytes === 'string' && Object.keys(value).length === 1) {
      binaries.push(Buffer.from(value.bytes, 'base64'));
      return '<bytes>';
    }
    return value;
  });
  return { text, binaries };
}

/** Whether the text, in the clear, is anywhere in the stores: in a field, or among the bytes of a binary value. */
function holds(dump: Dumped, needle: string) {
  const { text, binaries } = split(dump);
  const bytes = Buffer.from(needle, 'utf8');
  return text.includes(needle) || binaries.some((b) => b.includes(bytes));
}

async function signInOnPhone(page: Page, username = 'dazhu_officer', password = DEMO_PASSWORD) {
  await page.getByTestId('field-username').fill(username);
  await page.getByTestId('field-password').fill(password);
  await page.getByTestId('field-login').click();
  await page.getByTestId('field-todos').waitFor();
}

async function takeVillage(page: Page) {
  await page.getByTestId('field-take').click();
  await expect.poll(() => page.getByTestId('field-package-status').textContent()).toMatch(/\d+ 张信息卡/);
}

beforeAll(async () => {
  world = await startBrowserWorld();
  mkdirSync(screens, { recursive: true });
  officer = await world.t.login('dazhu_officer');
  for (const [name, body17] of [
    [NAMES[0]!, '43052219810101911'],
    [NAMES[1]!, '43052219830303922'],
  ] as const) {
    const r = await call('POST', '/api/v1/laborers', officer, {}, seekerCard(body17, { name, phone: '13912345678', remark: '原始备注' }));
    expect(r.statusCode, r.body).toBe(201);
  }
}, 180_000);
afterAll(async () => world?.close());

describe('进村入户: the data on the phone is guarded (issue 19 item 4)', () => {
  it('keeps no name or ID number in the clear in IndexedDB; sign-out removes the key and the copy, and the old key is refused', async () => {
    const context = await phone(world.browser);
    try {
      const page = await context.newPage();
      await page.goto(`${world.baseUrl}/field`);
      await signInOnPhone(page);
      await takeVillage(page);
      // The page shows the village (it decrypts its copy)…
      await page.getByTestId('field-search').fill(NAMES[0]!);
      await expect.poll(() => page.getByTestId('field-card-row').first().textContent()).toContain(NAMES[0]);
      await page.getByTestId('field-search').fill('');

      // …and a new card taken with no signal waits in the outbox with its whole ID number.
      await context.setOffline(true);
      await page.getByTestId('field-new').click();
      await page.getByTestId('field-new-id').fill(NEW_ID);
      await page.getByTestId('field-new-name').fill('龙新户');
      await page.getByTestId('field-new-save').click();
      await page.getByTestId('field-card').waitFor();
      await page.getByTestId('field-back').click();
      await expect.poll(() => page.getByTestId('field-outbox-item').count()).toBe(1);

      const dump = await dumpStores(page);
      expect(dump['laowu-field/cards']!.length).toBeGreaterThanOrEqual(2);
      expect(dump['laowu-field/outbox']).toHaveLength(1);
      for (const needle of [...NAMES, '龙新户', NEW_ID, NEW_ID.slice(0, 17), '********', '13912345678', '139****5678', '原始备注'])
        expect(holds(dump, needle), needle).toBe(false);
      // Every record is its key and a sealed value; the key cannot be read out of the page.
      for (const name of ['cards', 'followUps', 'outbox', 'meta'])
        for (const record of dump[`laowu-field/${name}`] as Record<string, unknown>[])
          expect(Object.keys(record).sort(), name).toEqual(
            [name === 'outbox' ? 'key' : name === 'meta' ? 'name' : 'id', 'data', 'g', 'iv'].sort(),
          );
      const vaultRecords = dump['laowu-field-vault/vault'] as Record<string, unknown>[];
      const key = vaultRecords.find((r) => r.name === 'key')!;
      expect(key).toMatchObject({
        generation: 1,
        offlineDays: 7,
        key: { cryptoKey: { extractable: false, algorithm: 'AES-GCM', usages: ['decrypt', 'encrypt'] } },
      });
      expect(typeof key.keyReleasedAt).toBe('number');
      expect(typeof key.lastSyncAt).toBe('number');

      // Back online the new card syncs; with nothing waiting the officer may sign out.
      await context.setOffline(false);
      await expect.poll(() => page.getByTestId('field-outbox-item').count(), { timeout: 30_000 }).toBe(0);
      const made = await sql<{ n: string }>`SELECT count(*) AS n FROM laborer WHERE name = '龙新户'`.execute(world.t.ctx.db);
      expect(Number(made.rows[0]!.n)).toBe(1);
      await page.getByTestId('field-signout').click();
      await page.getByTestId('field-username').waitFor();
      const after = await dumpStores(page);
      for (const [store, records] of Object.entries(after)) expect(records, store).toEqual([]);

      // The key the phone held is replaced on the server: its package is refused.
      const old = await call('GET', '/api/v1/field/package', await world.t.login('dazhu_officer'), { 'x-field-key-generation': '1' });
      expect(old.statusCode).toBe(409);
      expect(old.json().code).toBe('FIELD_KEY_ROTATED');
      const rotated = await sql<{ n: string }>`SELECT count(*) AS n FROM audit_log WHERE action = 'field.key_rotate'`.execute(
        world.t.ctx.db,
      );
      expect(Number(rotated.rows[0]!.n)).toBe(1);
    } finally {
      await context.close();
    }
  });

  it('refuses the copy after 8 days without a sync but keeps the outbox, which syncs once the officer signs in online', async () => {
    const context = await phone(world.browser);
    try {
      let page = await context.newPage();
      await page.goto(`${world.baseUrl}/field`);
      await signInOnPhone(page);
      await takeVillage(page);
      const generation = ((await dumpStores(page))['laowu-field-vault/vault'] as { name: string; generation: number }[]).find(
        (r) => r.name === 'key',
      )!.generation;

      // An edit in the village, with no signal; then the phone stays away for 8 days.
      await context.setOffline(true);
      await page.getByTestId('field-search').fill(NAMES[1]!);
      await page.getByTestId('field-card-row').filter({ hasText: NAMES[1]! }).first().click();
      await page.getByTestId('field-edit').click();
      await page.getByTestId('field-edit-remark').fill('八天前入户核实');
      await page.getByTestId('field-edit-save').click();
      await page.getByTestId('field-card').waitFor();
      await page.getByTestId('field-back').click();
      await expect.poll(() => page.getByTestId('field-outbox-item').count()).toBe(1);
      await page.close();

      await context.clock.install({ time: Date.now() + 8 * DAY_MS });
      page = await context.newPage();
      await page.goto(`${world.baseUrl}/field`);
      const notice = page.getByTestId('field-vault-notice');
      await notice.waitFor();
      expect(await notice.textContent()).toContain('超过 7 天未同步');
      expect(await notice.textContent()).toContain('尚未同步的 1 条记录仍加密保存在手机上');
      await page.screenshot({ path: `${screens}/field-guard-refused.png`, fullPage: true });
      await page.getByTestId('field-username').waitFor();
      const refused = await dumpStores(page);
      expect(refused['laowu-field/cards']).toEqual([]);
      expect(refused['laowu-field/meta']).toEqual([]);
      expect(refused['laowu-field/outbox']).toHaveLength(1);
      expect((refused['laowu-field-vault/vault'] as { name: string }[]).map((r) => r.name).sort()).toEqual(['notice', 'owner']);

      // Where there is signal again: signed in, the server releases the same key, and the edit syncs.
      await context.setOffline(false);
      await signInOnPhone(page);
      await expect.poll(() => page.getByTestId('field-outbox-item').count(), { timeout: 30_000 }).toBe(0);
      const card = await sql<{ remark: string }>`SELECT remark FROM laborer WHERE name = ${NAMES[1]!}`.execute(world.t.ctx.db);
      expect(card.rows[0]!.remark).toBe('八天前入户核实');
      const again = ((await dumpStores(page))['laowu-field-vault/vault'] as { name: string; generation: number }[]).find(
        (r) => r.name === 'key',
      )!;
      expect(again.generation).toBe(generation);
      expect(await page.getByTestId('field-vault-notice').count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it("refuses the copy when the phone's clock is turned back behind the last time it was opened", async () => {
    const context = await phone(world.browser);
    try {
      let page = await context.newPage();
      await page.goto(`${world.baseUrl}/field`);
      await signInOnPhone(page);
      await takeVillage(page);
      await page.close();
      // Turning the clock back would stretch the 7 days without a sync at will.
      await context.clock.install({ time: Date.now() - 2 * DAY_MS });
      page = await context.newPage();
      await page.goto(`${world.baseUrl}/field`);
      const notice = page.getByTestId('field-vault-notice');
      await notice.waitFor();
      expect(await notice.textContent()).toContain('手机时间被调早');
      const refused = await dumpStores(page);
      expect(refused['laowu-field/cards']).toEqual([]);
      expect((refused['laowu-field-vault/vault'] as { name: string }[]).map((r) => r.name)).not.toContain('key');
    } finally {
      await context.close();
    }
  });

  it('an account disabled on the server syncs nothing: signing in on the phone is refused and the copy closes, the outbox kept', async () => {
    const county = await world.t.login('xinshao_admin');
    const created = await call(
      'POST',
      '/api/v1/accounts',
      county,
      {},
      {
        username: 'guard_officer',
        displayName: '大竹村代理信息员',
        password: 'Cunxinxi#2026',
        role: 'village_officer',
        regionCode: '430522107212',
      },
    );
    expect(created.statusCode, created.body).toBe(201);
    const context = await phone(world.browser);
    try {
      const page = await context.newPage();
      await page.goto(`${world.baseUrl}/field`);
      await signInOnPhone(page, 'guard_officer', 'Cunxinxi#2026');
      await takeVillage(page);
      await context.setOffline(true);
      await page.getByTestId('field-search').fill(NAMES[0]!);
      await page.getByTestId('field-card-row').filter({ hasText: NAMES[0]! }).first().click();
      await page.getByTestId('field-edit').click();
      await page.getByTestId('field-edit-remark').fill('停用前入户核实');
      await page.getByTestId('field-edit-save').click();
      await page.getByTestId('field-card').waitFor();
      await page.getByTestId('field-back').click();
      await expect.poll(() => page.getByTestId('field-outbox-item').count()).toBe(1);

      const disabled = await call('PATCH', `/api/v1/accounts/${created.json().id}`, county, {}, { status: 'disabled' });
      expect(disabled.statusCode, disabled.body).toBe(200);
      // Back online the phone syncs at once and is refused (the session ended with the account): it asks to sign in, which is refused.
      await context.setOffline(false);
      await page.getByTestId('field-username').waitFor();
      await page.getByTestId('field-username').fill('guard_officer');
      await page.getByTestId('field-password').fill('Cunxinxi#2026');
      await page.getByTestId('field-login').click();
      await expect.poll(() => page.locator('.f-error').textContent()).toContain('账号已停用');
      const closed = await dumpStores(page);
      expect(closed['laowu-field/cards']).toEqual([]);
      expect(closed['laowu-field/outbox']).toHaveLength(1);
      expect((closed['laowu-field-vault/vault'] as { name: string }[]).map((r) => r.name).sort()).toEqual(['notice', 'owner']);
      const card = await sql<{ remark: string }>`SELECT remark FROM laborer WHERE name = ${NAMES[0]!}`.execute(world.t.ctx.db);
      expect(card.rows[0]!.remark).not.toBe('停用前入户核实');
    } finally {
      await context.close();
    }
  });
});
