import type { Db } from '../db/database.ts';
import { deleteIdleSessions, deleteStaleLoginThrottles } from '../modules/accounts/index.ts';
import { deleteOldLoginFailures } from '../modules/mobile/index.ts';
import { foldStatsChanges } from '../modules/stats/index.ts';

/**
 * Idle sessions are refused when used (auth.service), and swept from the table every ten minutes
 * so it does not grow with every login. The sign-in limits' rows (failed logins under unknown
 * usernames, wrong mobile codes) are swept with them once they no longer count. The statistics'
 * change rows (one per write statement on what the summary reads) are folded every half minute, so
 * the total a kept summary is checked against stays a sum over a few rows. Returns a stop function.
 */
export function startSessionSweeper(db: Db, idleMinutes: number, everyMs = 10 * 60_000, foldEveryMs = 30_000): () => void {
  const fold = setInterval(() => {
    foldStatsChanges(db).catch(() => undefined);
  }, foldEveryMs);
  fold.unref();
  const timer = setInterval(() => {
    deleteIdleSessions(db, idleMinutes).catch(() => undefined);
    deleteStaleLoginThrottles(db).catch(() => undefined);
    deleteOldLoginFailures(db).catch(() => undefined);
  }, everyMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    clearInterval(fold);
  };
}
