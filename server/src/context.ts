import type { Config } from './config.ts';
import type { Db } from './db/database.ts';
import type { AuditLog } from './platform/audit.ts';

/** What every module's routes and services are built from: plain values, no container. */
export interface AppContext {
  config: Config;
  /** Requests: one connection per request at a time (db/pools.ts). */
  db: Db;
  /** A request's parallel read-only figures: a separate budget the requests may wait on. */
  readers: Db;
  /** Background work (imports, SMS, the market's refresh, the audit linker): never the requests' budget. */
  background: Db;
  audit: AuditLog;
}
