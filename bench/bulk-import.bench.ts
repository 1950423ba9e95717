import { createReadStream, createWriteStream, mkdirSync, statSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { connect } from '../server/src/db/database.ts';
import { migrate } from '../server/src/db/migrate.ts';
import { loadRegions } from '../server/src/modules/regions/index.ts';
import { ensureDemoAccounts } from '../server/src/generate/demo-accounts.ts';
import { createAuditLog } from '../server/src/platform/audit.ts';
import { createImportJobs } from '../server/src/platform/import-job.ts';
import { createPostingsService, POSTING_IMPORT_COLUMNS, postingImportKind } from '../server/src/modules/postings/index.ts';
import { creditCodeCheckChar, employersRepo } from '../server/src/modules/employers/index.ts';
import type { Actor } from '../server/src/platform/actor.ts';
import { addDays, chinaToday } from '../server/src/platform/time.ts';
import { recreateDatabase, type Benchmark } from './harness.ts';

/**
 * Issue 21 item 4: 10,000 postings from job sites imported end to end (sealed upload, read, each
 * row through the postings service's create with its rules and audit row, batches of 200 with
 * progress). Baseline in the same run: 1,000 of the same postings published one by one, one
 * transaction each, as the console does. No goal is set by the issue; the figure is recorded.
 */
const ROWS = 10_000;
const SAMPLE = 1_000;

export const bulkImportBenchmark: Benchmark = {
  name: 'bulk-import',
  async run({ config, adminUrl, log }) {
    const url = await recreateDatabase(adminUrl, 'laowu_bench_bulk_import');
    const handle = connect(url, { max: 4 });
    try {
      await migrate(handle.pool);
      await loadRegions(handle.pool);
      const audit = createAuditLog(config.secrets.auditKey);
      await ensureDemoAccounts(handle.db, audit);
      const body = '91430522MA4L99001';
      const code = body + creditCodeCheckChar(body);
      const employerId = await employersRepo.insert(
        handle.db,
        {
          creditCode: code,
          name: '基准测试导入用工单位',
          regionCode: '430522',
          industry: null,
          kind: 'ordinary',
          relocationSite: null,
          contactName: null,
          contactPhone: null,
          address: null,
        },
        null,
      );
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
      const until = addDays(chinaToday(), 90);
      const dir = path.resolve('var/bench-files');
      mkdirSync(dir, { recursive: true });
      const file = path.join(dir, 'postings-10k.xlsx');
      log(`bulk-import: writing a ${ROWS.toLocaleString('en')}-row postings sheet`);
      const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: createWriteStream(file), useSharedStrings: false });
      const sheet = workbook.addWorksheet('岗位导入表');
      sheet.addRow(POSTING_IMPORT_COLUMNS.map((c) => c.header)).commit();
      const value = (i: number): Record<string, string | number> => ({
        creditCode: code,
        externalRef: `BENCH-${i}`,
        title: `基准岗位${i}`,
        occupation: '6-05-01-03',
        headcount: 10,
        wageMin: 3000,
        wageMax: 4500,
        workRegionCode: '430522',
        validTo: until,
      });
      for (let i = 0; i < ROWS; i++) {
        const v = value(i);
        sheet.addRow(POSTING_IMPORT_COLUMNS.map((c) => v[c.key] ?? null)).commit();
      }
      sheet.commit();
      await workbook.commit();

      const postings = createPostingsService({ audit });
      const jobs = createImportJobs({ config, db: handle.db, audit, kinds: [postingImportKind(postings)], actorOf: async () => actor });
      log('bulk-import: importing');
      const started = performance.now();
      const filePath = await jobs.receive((target) => pipeline(createReadStream(file), target));
      const id = await jobs.startSaved(actor, 'postings', 'postings-10k.xlsx', filePath);
      await jobs.settle();
      const seconds = (performance.now() - started) / 1000;
      const status = await jobs.status(actor, 'postings', id);
      const perSecond = status.processed / seconds;

      log(`bulk-import: baseline, ${SAMPLE} postings one by one`);
      const baselineStarted = performance.now();
      for (let i = 0; i < SAMPLE; i++) {
        const v = value(ROWS + i);
        await handle.db.transaction().execute((tx) =>
          postings.create(tx, actor, {
            employerId,
            title: String(v.title),
            occupationCode: '6-05-01-03',
            workRegionCode: '430522',
            headcount: 10,
            wageMin: 3000,
            wageMax: 4500,
            validTo: until,
          }),
        );
      }
      const baselinePerSecond = SAMPLE / ((performance.now() - baselineStarted) / 1000);
      return [
        {
          figure: `bulk import of ${ROWS.toLocaleString('en')} postings (${(statSync(file).size / 1e6).toFixed(1)} MB), end to end`,
          value: perSecond,
          unit: 'rows/s',
          goal: 'recorded (no goal set)',
          met: status.status === 'done' && status.created === ROWS,
          baseline: { label: 'the same postings one by one through the postings service', value: baselinePerSecond },
          ratio: perSecond / baselinePerSecond,
          notes: `${status.created} created, ${status.rejected} rejected in ${seconds.toFixed(1)} s`,
        },
      ];
    } finally {
      await handle.close();
    }
  },
};
