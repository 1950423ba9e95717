import type { Config } from '../config.ts';
import { connect, type DatabaseHandle } from './database.ts';
import { ensureDatabase, startEmbeddedPostgres, type EmbeddedServer } from './embedded.ts';
import { migrate } from './migrate.ts';
import { APP_ROLE, ensureAppRole, grantAppRole, withRole } from './roles.ts';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

export interface OpenedDatabase extends DatabaseHandle {
  /** The owner's connection (migrations, the region tree, the generator): this handle's. */
  url: string;
  /**
   * The running application's connection: on the embedded server the role `laowu_app`, neither
   * superuser nor owner (db/roles.ts); with DATABASE_URL, that URL's role.
   */
  appUrl: string;
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
    // The owner migrates; DATABASE_URL is the application's role (the same one when no owner's URL is given).
    url = config.migrationDatabaseUrl ?? config.databaseUrl;
    log(`使用外部 PostgreSQL：${config.databaseUrl.replace(/:[^:@/]*@/, ':***@')}`);
  } else {
    log(`启动内嵌 PostgreSQL（数据目录 ${config.dataDir}，端口 ${config.embeddedPgPort}）…`);
    embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort, settings: options.settings });
    const name = options.database ?? 'laowu';
    await ensureDatabase(embedded.connectionString('postgres'), name);
    url = embedded.connectionString(name);
  }
  const handle = connect(url, { max: options.poolSize });
  let appUrl = url;
  try {
    const version = Number((await handle.pool.query('SHOW server_version_num')).rows[0].server_version_num);
    if (version < 150000) throw new Error(`PostgreSQL 15 or newer is required, found ${version}`);
    const applied = await migrate(handle.pool, (name) => log(`应用数据库迁移 ${name}`));
    if (applied.length) log(`已应用 ${applied.length} 个迁移`);
    if (embedded) {
      const password = appPassword(config.dataDir);
      await ensureAppRole(handle.pool, APP_ROLE, password);
      await grantAppRole(handle.pool, APP_ROLE);
      appUrl = withRole(url, APP_ROLE, password);
    } else if (config.migrationDatabaseUrl) {
      await grantAppRole(handle.pool, decodeURIComponent(new URL(config.databaseUrl!).username));
      appUrl = config.databaseUrl!;
    } else {
      appUrl = url;
      const { rows } = await handle.pool.query<{ superuser: boolean }>(
        'SELECT rolsuper AS superuser FROM pg_roles WHERE rolname = current_user',
      );
      if (rows[0]?.superuser)
        log(
          '注意：应用以超级用户连接数据库，审计日志的数据库防护不完整；生产环境请设置 LAOWU_MIGRATION_DATABASE_URL（属主）并让 DATABASE_URL 使用普通角色（见 README）',
        );
    }
  } catch (error) {
    await handle.close();
    await embedded?.stop();
    throw error;
  }
  return {
    ...handle,
    url,
    appUrl,
    embedded,
    async shutdown() {
      await handle.close();
      await embedded?.stop();
    },
  };
}

/** The application role's password on the embedded server: made once, kept beside the cluster (0600). */
function appPassword(dataDir: string): string {
  const file = path.join(dataDir, 'pg-app-credentials.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')).password;
  const password = randomBytes(18).toString('base64url');
  writeFileSync(file, JSON.stringify({ user: APP_ROLE, password }) + '\n', { mode: 0o600 });
  return password;
}
