import { spawn } from 'node:child_process';
import path from 'node:path';
import { loadConfig } from '../server/src/config.ts';
import { openDatabase } from '../server/src/db/open.ts';
import { DEMO_PASSWORD } from '../server/src/generate/demo-accounts.ts';
import { sql } from 'kysely';
const env = { ...process.env, LAOWU_DATA_DIR: path.resolve('var/bench'), LAOWU_PG_PORT: '54349' };
const config = loadConfig(env);
const database = await openDatabase(config, { database: 'laowu_bench_province' });
const url = database.url;
const { rows: cards } = await sql<{
  id: string;
}>`SELECT id FROM laborer WHERE home_village_code >= '430522' AND home_village_code < '430522~' AND deleted_at IS NULL ORDER BY id LIMIT 200`.execute(
  database.db,
);
const server = spawn(
  process.execPath,
  ['--import', 'tsx', ...(process.env.PROF ? ['--cpu-prof', '--cpu-prof-dir=/work/notes/prof'] : []), 'server/src/main.ts'],
  {
    env: {
      ...process.env,
      DATABASE_URL: url,
      PORT: '0',
      HOST: '127.0.0.1',
      LAOWU_DATA_DIR: config.dataDir,
      LAOWU_SMPP_PORT: '0',
      LAOWU_DEMO: 'false',
      NODE_ENV: 'development',
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
const port = await new Promise<number>((resolve) => {
  let out = '';
  server.stdout!.on('data', (d) => {
    out += d;
    const m = /控制台:\s+http:\/\/localhost:(\d+)/.exec(out);
    if (m) resolve(Number(m[1]));
  });
});
const base = `http://127.0.0.1:${port}`;
const login = async (u: string) => {
  const r = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: u, password: DEMO_PASSWORD }),
  });
  return /laowu_session=[^;]+/.exec(r.headers.get('set-cookie') ?? '')![0];
};
const province = await login('hunan_admin');
const county = await login('xinshao_admin');
const township = await login('longxipu_operator');
await fetch(`${base}/api/v1/laborers/${cards[0]!.id}/recommendations`, { headers: { cookie: county } });
const dates = ['2026-11-20', '2017-06-30', '2019-12-31', '2022-06-30', '2024-03-31', '2025-09-30'];
const eps: [string, string, string[]][] = [
  ['health', county, ['/api/v1/health']],
  ['list', county, Array.from({ length: 50 }, (_, i) => `/api/v1/laborers?region=430522&page=${i + 1}&pageSize=20`)],
  ['card', county, cards.map((c) => `/api/v1/laborers/${c.id}`)],
  ['sum county', county, dates.map((d) => `/api/v1/stats/summary?region=430522&asOf=${d}`)],
  ['sum prov', province, dates.map((d) => `/api/v1/stats/summary?region=43&asOf=${d}`)],
  ['recs', county, cards.map((c) => `/api/v1/laborers/${c.id}/recommendations`)],
  ['retention', county, Array.from({ length: 20 }, (_, i) => `/api/v1/lists/retention?region=430522&page=${i + 1}&pageSize=20`)],
  ['due', township, Array.from({ length: 10 }, (_, i) => `/api/v1/follow-ups?status=due&page=${i + 1}&pageSize=20`)],
];
const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
if (process.env.EPS === 'stats') {
  eps.length = 0;
  eps.push(
    ['breakdown', county, [`/api/v1/stats/breakdown?region=430522&asOf=${today}&from=${today.slice(0, 4)}-01-01`]],
    ['monthly', county, ['/api/v1/stats/monthly?region=430522&months=24']],
    ['households', county, [`/api/v1/households/figures?region=430522&asOf=${today}`]],
    ['designated', county, [`/api/v1/designated-enterprises/summary?region=430522&asOf=${today}`]],
    ['targets', county, [`/api/v1/stats/targets?region=430522&year=${today.slice(0, 4)}`]],
    ['verification', county, [`/api/v1/stats/verification?region=430522&asOf=${today}`]],
  );
}
const N = Number(process.env.N || 30);
for (const [name, cookie, paths] of eps) {
  const t: number[] = [];
  const c0 = process.cpuUsage();
  for (let i = 0; i < N; i++) {
    const s = performance.now();
    const r = await fetch(base + paths[i % paths.length], { headers: { cookie } });
    await r.arrayBuffer();
    if (r.status !== 200) console.log(name, r.status);
    t.push(performance.now() - s);
  }
  t.sort((a, b) => a - b);
  console.log(
    `${name.padEnd(12)} mean ${(t.reduce((a, b) => a + b, 0) / N).toFixed(1)} ms  p50 ${t[N >> 1]!.toFixed(1)}  max ${t[N - 1]!.toFixed(1)}`,
  );
}
server.kill('SIGINT');
await new Promise((r) => server.on('exit', r));
await database.shutdown();
