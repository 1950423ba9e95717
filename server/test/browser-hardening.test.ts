import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO_PASSWORD, type TestApp } from './helpers.ts';

/** Issue 15 §11: what the browser is told on every response, and which requests it may send. */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const directives = (csp: string) =>
  new Map(
    csp
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => [d.split(/\s+/)[0]!, d.split(/\s+/).slice(1)]),
  );

describe('security headers on every response', () => {
  it('API answers, errors and the API docs all carry them', async () => {
    const responses = [
      await t.app.inject({ method: 'GET', url: '/api/v1/health' }),
      await t.app.inject({ method: 'GET', url: '/api/v1/no-such-thing' }),
      await t.app.inject({ method: 'GET', url: '/api/v1/auth/me' }),
      await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'x', password: 'y' } }),
      await t.app.inject({ method: 'GET', url: '/api/docs/' }),
    ];
    for (const r of responses) {
      const csp = directives(String(r.headers['content-security-policy']));
      expect(csp.get('frame-ancestors'), r.raw.req.url).toEqual(["'none'"]);
      expect(csp.get('script-src')).toEqual(["'self'"]);
      expect(csp.get('object-src')).toEqual(["'none'"]);
      expect(csp.get('default-src')).toEqual(["'self'"]);
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['x-frame-options']).toBe('DENY');
      expect(r.headers['referrer-policy']).toBe('no-referrer');
      // Personal data is never kept by a browser or a proxy.
      if (r.raw.req.url!.startsWith('/api/v1/')) expect(r.headers['cache-control']).toBe('no-store');
    }
  });

  it('the console’s page has no inline script the policy would block', () => {
    const html = readFileSync('web/index.html', 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\bsrc=/);
      expect(body!.trim()).toBe('');
    }
    expect(html).not.toMatch(/\son[a-z]+=/i);
  });

  it('the API docs page loads its scripts from files', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(r.statusCode).toBe(200);
    for (const [, attributes] of r.body.matchAll(/<script\b([^>]*)>/g)) expect(attributes).toMatch(/\bsrc=/);
  });
});

describe('state-changing requests from other sites are refused', () => {
  const login = (headers: Record<string, string>) =>
    t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers, payload: { username: 'xinshao_admin', password: DEMO_PASSWORD } });

  it('an Origin of another site, or of none, is refused with a Chinese message', async () => {
    for (const origin of ['https://evil.example', 'http://localhost.evil.example', 'null', 'http://localhost:81']) {
      const r = await login({ origin });
      expect(r.statusCode, origin).toBe(403);
      expect(r.json()).toEqual({ code: 'CROSS_SITE_REQUEST', message: '已拒绝来自其他网站的请求，请在本平台页面中操作' });
      expect(r.cookies).toEqual([]);
    }
  });

  it('a Sec-Fetch-Site of cross-site or same-site is refused', async () => {
    for (const site of ['cross-site', 'same-site'])
      expect((await login({ 'sec-fetch-site': site })).json().code).toBe('CROSS_SITE_REQUEST');
  });

  it('the platform’s own pages, typed addresses and clients without those headers pass', async () => {
    // app.inject sends Host: localhost:80.
    expect((await login({ origin: 'http://localhost:80', 'sec-fetch-site': 'same-origin' })).statusCode).toBe(200);
    expect((await login({ 'sec-fetch-site': 'none' })).statusCode).toBe(200);
    expect((await login({ origin: t.config.sms.publicUrl })).statusCode).toBe(200);
    expect((await login({})).statusCode).toBe(200);
  });

  it('reads are not refused: a link from another site still opens', async () => {
    const r = await t.app.inject({
      method: 'GET',
      url: '/api/v1/health',
      headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    });
    expect(r.statusCode).toBe(200);
  });

  it('a signed-in change from another site is refused and changes nothing', async () => {
    const cookie = await t.login('xinshao_admin');
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/accounts',
      headers: { cookie, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      payload: {
        username: 'csrf_officer',
        displayName: '跨站',
        password: 'Cunxinxi#2026',
        role: 'village_officer',
        regionCode: '430522107212',
      },
    });
    expect(r.statusCode).toBe(403);
    expect(
      await t.database.db.selectFrom('account').select('id').where('username', '=', 'csrf_officer').executeTakeFirst(),
    ).toBeUndefined();
  });
});
