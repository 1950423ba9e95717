import { createReadStream, createWriteStream, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { connect } from '../server/src/db/database.ts';
import { migrate } from '../server/src/db/migrate.ts';
import { loadRegions } from '../server/src/modules/regions/index.ts';
import { ensureDemoAccounts } from '../server/src/generate/demo-accounts.ts';
import { createAuditLog } from '../server/src/platform/audit.ts';
import { createLaborerImports, createLaborersService, createRegistryImports, idCheckChar } from '../server/src/modules/registry/index.ts';
import { employmentFacts } from '../server/src/modules/employment/index.ts';
import type { Actor } from '../server/src/platform/actor.ts';
import type { CreateLaborerInput } from '../contracts/laborers.ts';
import { Rng } from '../server/src/generate/random.ts';
import { recreateDatabase, type Benchmark } from './harness.ts';

/**
 * Issue 21 item 1: the poverty registry's export (建档立卡 / 防返贫监测, places as names) imported
 * through the collection form's pipeline with a saved mapping, at ≥ 5,000 rows/s for 100,000 rows
 * (LAOWU_BENCH_REGISTRY_ROWS to run fewer). Then the same file again: every row unchanged (the
 * yearly re-import). Baseline in the same run: the same kind of rows saved one by one through the
 * single-card create service (one transaction per card), on a sample, its rate extrapolated.
 */
const ROWS = Number(process.env.LAOWU_BENCH_REGISTRY_ROWS || 100_000);
const SAMPLE = Math.max(200, Math.min(5_000, Math.floor(ROWS / 10)));
const HEADERS = [
  '序号',
  '省',
  '市',
  '县',
  '乡',
  '村',
  '户编号',
  '姓名',
  '证件号码',
  '与户主关系',
  '人数',
  '文化程度',
  '健康状况',
  '劳动技能',
  '务工状况',
  '贫困户属性',
  '脱贫年份',
  '联系电话',
];

interface Village {
  code: string;
  name: string;
  town: string;
}

const idOf = (k: number) => {
  const birth = new Date(Date.parse('1960-01-01T00:00:00+08:00') + (k % 14000) * 86_400_000 + 8 * 3600_000)
    .toISOString()
    .slice(0, 10)
    .replaceAll('-', '');
  const body = `430522${birth}${String(Math.floor(k / 14000) * 2 + (k % 2)).padStart(3, '0')}`;
  return body + idCheckChar(body);
};

async function writeRegistryFile(file: string, villages: Village[], rows: number) {
  const rng = new Rng(2026);
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: createWriteStream(file), useSharedStrings: false });
  const sheet = workbook.addWorksheet('防返贫监测对象');
  sheet.addRow(['防止返贫监测对象及脱贫人口信息']).commit();
  sheet.addRow(HEADERS).commit();
  for (let k = 0; k < rows; k++) {
    // Households of four in one village: 户编号 from the row number.
    const household = Math.floor(k / 4);
    const v = villages[household % villages.length]!;
    sheet
      .addRow([
        k + 1,
        '湖南省',
        '邵阳市',
        '新邵县',
        v.town,
        v.name,
        `43052200${String(household).padStart(8, '0')}`,
        rng.pick(['王', '李', '张', '刘', '陈', '蒋', '谢']) + rng.pick(['秀英', '建国', '小红', '志强', '余美', '团结']),
        idOf(k),
        k % 4 === 0 ? '户主' : rng.pick(['配偶', '之子', '之女']),
        4,
        rng.pick(['初中', '小学', '高中']),
        '健康',
        rng.pick(['普通劳动力', '技能劳动力']),
        '未务工',
        rng.pick(['一般贫困户', '脱贫户', '边缘易致贫户']),
        2019,
        `139${String(k * 7 + 1000000).padStart(8, '0')}`,
      ])
      .commit();
  }
  sheet.commit();
  await workbook.commit();
}

export const registryImportBenchmark: Benchmark = {
  name: 'registry-import',
  async run({ config, adminUrl, log }) {
    const url = await recreateDatabase(adminUrl, 'laowu_bench_registry_import');
    const handle = connect(url, { max: 4 });
    try {
      await migrate(handle.pool);
      await loadRegions(handle.pool);
      const audit = createAuditLog(config.secrets.auditKey);
      await ensureDemoAccounts(handle.db, audit);
      const { rows: villages } = await sql<Village>`
        SELECT v.code, v.name, t.name AS town FROM region v JOIN region t ON t.code = v.parent_code
         WHERE v.level = 5 AND v.code LIKE '430522%' ORDER BY v.code`.execute(handle.db);
      const dir = path.resolve('var/bench-files');
      mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `registry-${ROWS}.xlsx`);
      log(`registry-import: writing a ${ROWS.toLocaleString('en')}-row registry export`);
      await writeRegistryFile(file, villages, ROWS);

      const laborers = createLaborersService({ config, audit, employment: employmentFacts });
      const imports = createLaborerImports({ config, db: handle.db, audit, laborers });
      const registry = createRegistryImports({ db: handle.db, audit, imports });
      const account = await handle.db.selectFrom('account').selectAll().where('username', '=', 'xinshao_admin').executeTakeFirstOrThrow();
      const actor: Actor = {
        id: String(account.id),
        username: account.username,
        displayName: account.display_name,
        role: 'admin',
        regionCode: '430522',
        regionLevel: 3,
        hostRegionCode: null,
        totpEnabled: false,
        ip: 'bench',
      };
      const received = () => imports.receive((target) => pipeline(createReadStream(file), target));
      const preview = await (async () => {
        const filePath = await received();
        const source = await imports.openReceived(filePath);
        try {
          return await registry.preview(actor, 'registry.xlsx', source);
        } finally {
          await source.close();
          imports.discard(filePath);
        }
      })();
      const mapping = await handle.db.transaction().execute((tx) =>
        registry.saveMapping(tx, actor, {
          sourceName: '防返贫监测系统',
          columns: preview.columns.map((c) => ({ header: c.header, target: c.proposed })),
        }),
      );

      const importOnce = async () => {
        const filePath = await received();
        const source = await imports.openReceived(filePath);
        const started = performance.now();
        const id = await registry.start(actor, 'registry.xlsx', filePath, source, mapping.id, { wait: true });
        const seconds = (performance.now() - started) / 1000;
        await source.close();
        const status = await registry.status(actor, id);
        if (status.status !== 'done') throw new Error(`registry import failed: ${status.message}`);
        return { seconds, status };
      };

      await sql`CHECKPOINT`.execute(handle.db);
      await sql`VACUUM ANALYZE region`.execute(handle.db);
      log('registry-import: importing (all new cards)');
      const first = await importOnce();
      log('registry-import: importing the same file again (all unchanged)');
      const again = await importOnce();

      log(`registry-import: baseline, ${SAMPLE} cards saved one by one`);
      const villageCodes = villages.map((v) => v.code);
      const sample: CreateLaborerInput[] = Array.from({ length: SAMPLE }, (_, i) => ({
        idNumber: idOf(ROWS + i),
        name: '王建国',
        homeVillageCode: villageCodes[i % villageCodes.length]!,
        householdCode: `43052299${String(i).padStart(8, '0')}`,
        relationToHead: '户主',
        householdSize: 4,
        povertyStatus: 'registered',
        education: '70',
        laborCapacity: 'full',
        health: 'healthy',
        willingness: 'in_county',
        caring: 'none',
        employmentStatus: 'unemployed',
      })) as CreateLaborerInput[];
      const baselineStarted = performance.now();
      for (const input of sample) await handle.db.transaction().execute((tx) => laborers.create(tx, actor, input));
      const baselinePerSecond = SAMPLE / ((performance.now() - baselineStarted) / 1000);

      const rate = ROWS / first.seconds;
      const rerate = ROWS / again.seconds;
      const s = first.status;
      return [
        {
          figure: `registry import of ${ROWS.toLocaleString('en')} rows (${(statSync(file).size / 1e6).toFixed(1)} MB, places by name), new cards`,
          value: rate,
          unit: 'rows/s',
          goal: '≥ 5,000 rows/s',
          met: rate >= 5000,
          baseline: {
            label: `the same rows one by one through the card service (${SAMPLE}-row sample, extrapolated)`,
            value: baselinePerSecond,
          },
          ratio: rate / baselinePerSecond,
          notes: `${s.created} new, ${s.updated} changed, ${s.unchanged} unchanged, ${s.rejected} errors in ${first.seconds.toFixed(1)} s`,
        },
        {
          figure: `registry re-import of the same ${ROWS.toLocaleString('en')} rows (all unchanged)`,
          value: rerate,
          unit: 'rows/s',
          goal: '≥ 5,000 rows/s',
          met: rerate >= 5000,
          baseline: { label: 'one by one through the card service', value: baselinePerSecond },
          ratio: rerate / baselinePerSecond,
          notes: `${again.status.unchanged} unchanged, ${again.status.updated} changed in ${again.seconds.toFixed(1)} s`,
        },
      ];
    } finally {
      await handle.close();
    }
  },
};
