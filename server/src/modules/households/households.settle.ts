import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { jobSpansOf } from '../employment/index.ts';
import { householdVersionsOf } from '../registry/index.ts';
import * as repo from './households.repo.ts';
import { dayNumber, dayString, householdDeltas, incomeWindow, type Job, type MemberVersion } from './households.state.ts';

/**
 * Keeps the households' derived state (migration 0062) in step with the ledger: takes the oldest
 * marked households, computes their rows again (households.state.ts) from their cards' versions and
 * their members' jobs, and replaces them — in one REPEATABLE READ transaction, so what is read, the
 * marks removed and the rows written are one snapshot; a mark written by a transaction that commits
 * meanwhile is not seen and stays for the next round. One settler at a time (a session advisory
 * lock); the figures are exact meanwhile (they read marked households from the ledger).
 */

const ABLE_CAPACITY = new Set(['full', 'partial']);

/** Settles up to `limit` marked households; returns how many (0: none waiting, or another settler runs). */
export async function settleHouseholds(db: Db, limit = 2_000): Promise<number> {
  return db.connection().execute(async (conn) => {
    const {
      rows: [lock],
    } = await sql<{ got: boolean }>`SELECT pg_try_advisory_lock(hashtext('laowu.households')) AS got`.execute(conn);
    if (!lock?.got) return 0;
    try {
      return await conn
        .transaction()
        .setIsolationLevel('repeatable read')
        .execute(async (tx) => {
          const codes = await repo.pickDirty(tx, limit);
          if (!codes.length) return 0;
          const versions = await householdVersionsOf(tx, codes);
          const people = [...new Set(versions.map((v) => v.laborer_id))];
          const [spans, lines] = [await jobSpansOf(tx, people), await repo.lineMap(tx)];
          const jobsOf = new Map<string, Job[]>();
          for (const j of spans) {
            const list = jobsOf.get(j.laborer_id) ?? [];
            list.push({ start: dayNumber(j.started_on), end: j.ended_on === null ? null : dayNumber(j.ended_on), wage: j.monthly_wage });
            jobsOf.set(j.laborer_id, list);
          }
          const byCode = new Map<string, MemberVersion[]>();
          for (const v of versions) {
            const list = byCode.get(v.household_code) ?? [];
            list.push({
              person: v.laborer_id,
              card: v.card_id,
              village: v.village,
              relation: v.relation_to_head,
              size: v.household_size,
              able: ABLE_CAPACITY.has(v.labor_capacity) && v.employment_status !== 'not_working',
              from: dayNumber(v.from),
              until: v.until === null ? null : dayNumber(v.until),
            });
            byCode.set(v.household_code, list);
          }
          const rows: repo.DeltaRow[] = [];
          for (const [code, members] of byCode)
            for (const d of householdDeltas(members, jobsOf, lines))
              rows.push({
                code,
                village: d.village,
                day: dayString(d.day),
                households: d.households,
                withEmployed: d.withEmployed,
                zero: d.zero,
                reaching: d.reaching,
              });
          await repo.replaceDeltas(tx, codes, rows);
          await repo.dropDirty(tx, codes);
          return codes.length;
        });
    } finally {
      await sql`SELECT pg_advisory_unlock(hashtext('laowu.households'))`.execute(conn);
    }
  });
}

/**
 * Settles every marked household, `progress(done, left)` after each round (the generator, the
 * benchmark, a CLI). Another settler running: waits for it.
 */
export async function settleAllHouseholds(db: Db, progress?: (done: number, left: number) => void, limit = 2_000): Promise<number> {
  // The marks are counted once (one household may hold several): `left` is an estimate that falls
  // with each round, not a count read again each time.
  let left = await repo.dirtyCount(db);
  let done = 0;
  for (;;) {
    const n = await settleHouseholds(db, limit);
    if (n > 0) {
      done += n;
      left = Math.max(0, left - n);
      progress?.(done, left);
      continue;
    }
    if (!(await repo.anyDirty(db))) return done;
    // Another settler holds the lock: wait for it.
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Marks every household (after a bulk load that bypassed the triggers). */
export const markAllHouseholds = (db: Db) => repo.markAll(db);

/** The background task of a running server: settles marked households every `everyMs`. Returns a stop function. */
export function startHouseholdSettler(db: Db, everyMs = 2_000): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const round = async () => {
    try {
      while (!stopped && (await settleHouseholds(db)) > 0);
    } catch {
      // A serialization failure or a lost connection: the marks stay, the next round retries.
    }
    if (!stopped) {
      timer = setTimeout(round, everyMs);
      timer.unref();
    }
  };
  timer = setTimeout(round, everyMs);
  timer.unref();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}

/** The region's four figures on D as the service reads them (derived state, marked households from the ledger). */
export async function householdFiguresOn(db: Db, region: string, asOf: string) {
  const line = (await repo.lineMap(db)).get(Number(asOf.slice(0, 4))) ?? null;
  return repo.figures(db, region, asOf, incomeWindow(asOf).from, line);
}

/** The same figures read from the ledger alone: what the derived state must equal (tests). */
export async function householdFiguresFromLedger(db: Db, region: string, asOf: string) {
  const line = (await repo.lineMap(db)).get(Number(asOf.slice(0, 4))) ?? null;
  return repo.figuresFromLedger(db, region, asOf, incomeWindow(asOf).from, line);
}

/** How many marks wait for the settler. */
export const householdMarks = (db: Db) => repo.dirtyCount(db);
