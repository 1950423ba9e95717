import { readdirSync, statSync } from 'node:fs';
import { brotliDecompressSync } from 'node:zlib';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_DIST } from '../src/app.ts';
import { createTestApp, type TestApp } from './helpers.ts';

/**
 * Issue 18 ("pages are slow to arrive"): the console's assets were sent uncompressed (antd's
 * 1.2 MB) with max-age=0. They are compressed at build time and served as the browser accepts
 * them; content-named assets are kept a year, the page that names them is asked for every time.
 * (`npm test` builds the console before the tests.)
 */
describe('the console’s files', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  const largestScript = () => {
    const dir = path.join(WEB_DIST, 'assets');
    return readdirSync(dir)
      .filter((f) => f.endsWith('.js'))
      .sort((a, b) => statSync(path.join(dir, b)).size - statSync(path.join(dir, a)).size)[0]!;
  };

  it('sends the largest script compressed as the browser accepts, to be kept a year', async () => {
    const file = largestScript();
    const size = statSync(path.join(WEB_DIST, 'assets', file)).size;
    const br = await t.app.inject({ method: 'GET', url: `/assets/${file}`, headers: { 'accept-encoding': 'br, gzip' } });
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.rawPayload.length).toBeLessThan(size / 2);
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const gz = await t.app.inject({ method: 'GET', url: `/assets/${file}`, headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    const plain = await t.app.inject({ method: 'GET', url: `/assets/${file}` });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.rawPayload.length).toBe(size);
  });

  it('sends the scripts with V8’s compile hint, so their functions are compiled off the main thread as they load, all but ECharts', async () => {
    const dir = path.join(WEB_DIST, 'assets');
    const scripts = readdirSync(dir).filter((f) => f.endsWith('.js'));
    // The shell's scripts and a page's, as the browser gets them (brotli): the hint before their code,
    // after nothing but Vite's preload map.
    const shell = scripts.filter((f) => /^(react|antd|boot|main|menu|common|index|MatchingPage)-/.test(f));
    expect(shell.length).toBeGreaterThanOrEqual(8);
    for (const file of shell) {
      const res = await t.app.inject({ method: 'GET', url: `/assets/${file}`, headers: { 'accept-encoding': 'br' } });
      const code = brotliDecompressSync(res.rawPayload).toString('utf8');
      const at = code.indexOf('//# allFunctionsCalledOnLoad\n');
      expect(at, file).toBeGreaterThanOrEqual(0);
      expect(code.slice(0, at).replace(/^const __vite__mapDeps=[^\n]*\n/, ''), file).toBe('');
    }
    const echarts = scripts.find((f) => f.startsWith('echarts-'))!;
    const plain = await t.app.inject({ method: 'GET', url: `/assets/${echarts}` });
    expect(plain.body).not.toContain('allFunctionsCalledOnLoad');
  });

  it('asks for the page itself again every time, so a new build is seen at once', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/', headers: { 'accept-encoding': 'br, gzip' } });
    expect(page.statusCode).toBe(200);
    expect(String(page.headers['cache-control'])).not.toContain('immutable');
  });
});
