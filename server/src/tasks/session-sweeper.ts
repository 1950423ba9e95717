import type { Db } from '../db/database.ts';
import { deleteIdleSessions } from '../modules/accounts/accounts.repo.ts';

/**
 * Idle sessions are refused when used (auth.service), and swept from the table every ten minutes
 * so it does not grow with every login. Returns a stop function.
 */
export function startSessionSweeper(db: Db, idleMinutes: number, everyMs = 10 * 60_000): () => void {
  const timer = setInterval(() => {
    deleteIdleSessions(db, idleMinutes).catch(() => undefined);
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
