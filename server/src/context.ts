import type { Config } from './config.ts';
import type { Db } from './db/database.ts';
import type { AuditLog } from './platform/audit.ts';

/** What every module's routes and services are built from: plain values, no container. */
export interface AppContext {
  config: Config;
  db: Db;
  audit: AuditLog;
}
