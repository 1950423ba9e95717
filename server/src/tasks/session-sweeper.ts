import type { Db } from '../db/database.ts';
import { deleteIdleSessions, deleteStaleLoginThrottles } from '../modules/accounts/index.ts';
import { deleteOldLoginFailures } from '../modules/mobile/index.ts';

/**
 * Idle sessions are refused when used (auth.service), and swept from the table every ten minutes
 * so it does not grow with every login. The sign-in limits' rows (failed logins under unknown
 * usernames, wrong mobile codes) are swept with them once they no longer count. Returns a stop function.
 */
export function startSessionSweeper(db: Db, idleMinutes: number, everyMs = 10 * 60_000): () => void {
  const timer = setInterval(() => {
    deleteIdleSessions(db, idleMinutes).catch(() => undefined);
    deleteStaleLoginThrottles(db).catch(() => undefined);
    deleteOldLoginFailures(db).catch(() => undefined);
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
