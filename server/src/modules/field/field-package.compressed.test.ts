import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { seekerCard } from '../../../test/fixtures.ts';

/**
 * The village's offline package goes compressed to a phone that accepts it (bench/field.bench.ts:
 * 2,000 cards are 1.4 MB of JSON, most of the wait at 1.6 Mbit/s): the same cards, still through
 * the route's response schema (masked identifiers only), in a fraction of the bytes.
 */
let t: TestApp;
let officer: string;

const take = (encoding?: string) =>
  t.app.inject({
    method: 'GET',
    url: '/api/v1/field/package',
    // The phone names its device key generation (device-key.test.ts): the officer's first.
    headers: { cookie: officer, 'x-field-key-generation': '1', ...(encoding ? { 'accept-encoding': encoding } : {}) },
  });

beforeAll(async () => {
  t = await createTestApp();
  officer = await t.login('dazhu_officer');
  // Enough cards for the package to be worth compressing (above 16 KB).
  for (let i = 0; i < 30; i++) {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/laborers',
      headers: { cookie: officer },
      payload: seekerCard(`43052219910201${600 + i}`, { name: `压缩${i}号`, phone: `1390000${String(1000 + i)}`, remark: '入户核实' }),
    });
    expect(r.statusCode, r.body).toBe(201);
  }
});
afterAll(async () => t?.close());

describe('the offline package on the wire', () => {
  it('comes brotli- or gzip-compressed when the phone accepts it, with the same masked cards as uncompressed', async () => {
    const plain = await take();
    expect(plain.statusCode, plain.body).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    const ids = (plain.json().cards as { id: string }[]).map((c) => c.id);
    expect(ids.length).toBeGreaterThanOrEqual(30);

    const br = await take('gzip, deflate, br');
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toContain('accept-encoding');
    const fromBr = brotliDecompressSync(br.rawPayload).toString();
    expect((JSON.parse(fromBr).cards as { id: string }[]).map((c) => c.id)).toEqual(ids);
    expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length / 4);
    // Still what the response schema lets through: no whole ID number or phone.
    expect(fromBr).not.toMatch(/\d{17}[\dX]|1\d{10}/);
    expect(fromBr).toContain('139****1000');

    const gz = await take('gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect((JSON.parse(gunzipSync(gz.rawPayload).toString()).cards as { id: string }[]).map((c) => c.id)).toEqual(ids);
  });
});
