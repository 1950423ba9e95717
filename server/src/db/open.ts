import type { Config } from '../config.ts';
import { connect, type DatabaseHandle } from './database.ts';
import { ensureDatabase, startEmbeddedPostgres, type EmbeddedServer } from './embedded.ts';
import { migrate } from './migrate.ts';

export interface OpenedDatabase extends DatabaseHandle {
  url: string;
  embedded: EmbeddedServer | null;
  /** Close the pool, then stop the embedded server if we started one. */
  shutdown(): Promise<void>;
}

/**
 * DATABASE_URL → that PostgreSQL (15 or newer), nothing started here;
 * otherwise the embedded server under the data directory. Migrations are applied either way.
 */
export async function openDatabase(
  config: Config,
  options: { log?: (message: string) => void; database?: string; poolSize?: number; settings?: Record<string, string> } = {},
): Promise<OpenedDatabase> {
  const log = options.log ?? (() => undefined);
  let embedded: EmbeddedServer | null = null;
  let url: string;
  if (config.databaseUrl) {
    url = config.databaseUrl;
    log(`使用外部 PostgreSQL：${url.replace(/:[^:@/]*@/, ':***@')}`);
  } else {
    log(`启动内嵌 PostgreSQL（数据目录 ${config.dataDir}，端口 ${config.embeddedPgPort}）…`);
    embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort, settings: options.settings });
    const name = options.database ?? 'laowu';
    await ensureDatabase(embedded.connectionString('postgres'), name);
    url = embedded.connectionString(name);
  }
  const handle = connect(url, { max: options.poolSize });
  try {
    const version = Number((await handle.pool.query('SHOW server_version_num')).rows[0].server_version_num);
    if (version < 150000) throw new Error(`PostgreSQL 15 or newer is required, found ${version}`);
    const applied = await migrate(handle.pool, (name) => log(`应用数据库迁移 ${name}`));
    if (applied.length) log(`已应用 ${applied.length} 个迁移`);
  } catch (error) {
    await handle.close();
    await embedded?.stop();
    throw error;
  }
  return {
    ...handle,
    url,
    embedded,
    async shutdown() {
      await handle.close();
      await embedded?.stop();
    },
  };
}
