import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { loadRegions } from './regions.loader.ts';
import { createRegionNameResolver, recordFormerNames } from './regions.names.ts';

/** Places by name (the registry import): within their parent, through former names, never guessed. */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
}, 120_000);
afterAll(async () => t?.close());

describe('region names', () => {
  it('keeps a former name when the loader renames a place in place, and matches it', async () => {
    // The tree as an older edition had it: 十字路村 was 十字村.
    await sql`UPDATE region SET name = '十字村' WHERE code = '430522107209'`.execute(t.database.db);
    await loadRegions(t.database.pool);
    const place = await sql<{ name: string }>`SELECT name FROM region WHERE code = '430522107209'`.execute(t.database.db);
    expect(place.rows[0]!.name).toBe('十字路村');
    const former = await sql`SELECT code, name, parent_code FROM region_former_name`.execute(t.database.db);
    expect(former.rows).toEqual([{ code: '430522107209', name: '十字村', parent_code: '430522107' }]);

    const [byFormer, byCurrent] = await createRegionNameResolver('430522').resolve(t.database.db, [
      ['湖南省', '邵阳市', '新邵县', '龙溪铺镇', '十字村'],
      [undefined, undefined, undefined, '龙溪铺镇', '十字路村'],
    ]);
    expect(byFormer).toEqual({ ok: true, code: '430522107209' });
    expect(byCurrent).toEqual({ ok: true, code: '430522107209' });
  }, 300_000);

  it('seeds former names from a change notice, and names an unknown or foreign place without guessing', async () => {
    expect(
      await recordFormerNames(t.database.db, [
        { code: '430522107212', name: '大竹村' },
        { code: '430522107212', name: '老竹村' },
      ]),
    ).toBe(1);
    const resolver = createRegionNameResolver('430522');
    const [seeded, unknown, foreign, noVillage] = await resolver.resolve(t.database.db, [
      [undefined, undefined, undefined, '龙溪铺镇', '老竹村'],
      [undefined, undefined, undefined, '龙溪铺镇', '没有村'],
      [undefined, undefined, '花垣县', '龙溪铺镇', '大竹村'],
      [undefined, undefined, undefined, '龙溪铺镇', undefined],
    ]);
    expect(seeded).toEqual({ ok: true, code: '430522107212' });
    expect(unknown).toMatchObject({ ok: false, level: 4, message: '村名『没有村』在 龙溪铺镇 下不存在' });
    expect(foreign).toMatchObject({ ok: false, level: 2 });
    expect((foreign as { message: string }).message).toContain('不是您管辖范围内的地方');
    expect(noVillage).toMatchObject({ ok: false, message: '缺少村名' });
  });
});
