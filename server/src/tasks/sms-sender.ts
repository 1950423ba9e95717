import { setTimeout as delay } from 'node:timers/promises';
import { sql } from 'kysely';
import type { SmsConfig } from '../config.ts';
import type { Db } from '../db/database.ts';
import { sm4Decrypt } from '../platform/crypto.ts';
import { chinaDay, chinaHour } from '../platform/time.ts';
import { GatewayUnavailable, type DeliveryReceipt, type SmsGateway } from '../modules/sms/index.ts';
import { smsRepo as repo, type SendOutcome } from '../modules/sms/index.ts';

/**
 * The campaign sender, in-process. One sender per database (a session advisory lock): it claims
 * queued messages in batches, submits them through the gateway within its window and rate, and
 * records the answers and the delivery receipts in batches.
 *
 * Exactly one message per (campaign, laborer), also across crashes: a message is claimed
 * ('sending', committed) before its submit leaves, so a restart never sends a queued message
 * twice; a message left 'sending' by a crash is settled by its receipt (the gateway echoes our
 * reference, or — CMPP — names the number it went to). Each submit carries an absolute validity and the gateway answers every accepted
 * message with a final receipt by then, so a message still without one after its validity — once
 * the current binding has lasted a while, no receipt has come for a while and every receipt that
 * came is stored (the gateway hands over what it kept for us right after a bind) — was never
 * accepted: only then is it queued again. With a gateway that does not echo our reference it is recorded as
 * 'unknown' instead, never repeated.
 */
export interface SenderOptions {
  db: Db;
  /** Where the sender's lock is held for good: a connection outside every shared budget (db/pools.ts dedicated()); default `db`. */
  lockDb?: Db;
  gateway: SmsGateway;
  config: SmsConfig;
  identifierKey: Buffer;
  /** The number's index (sms phoneIndexOf): a receipt naming only its number (CMPP) is settled by it. */
  phoneIndex?: (phone: string) => Buffer;
  /** The clock (quiet hours, validity); tests move it. */
  now?: () => Date;
  /** Messages claimed per round. */
  batch?: number;
  /** Idle wait between rounds when nothing is due. */
  idleMs?: number;
  /** Ends the wait for the sender's lock (another process sends meanwhile): the start rejects with an AbortError. */
  signal?: AbortSignal;
  /** How long a binding must have lasted, and a validity must have passed, before silence counts. */
  settleGraceMs?: number;
  log?: (message: string) => void;
}

export const SENDER_LOCK = 7_427_331_015;

export interface SmsSender {
  stop(): Promise<void>;
  /** Resolves when a round found nothing to do (tests and the bench wait on it). */
  idle(): Promise<void>;
  readonly stats: { submitted: number; receipts: number };
}

export function inQuietHours(config: SmsConfig, at: Date): boolean {
  const q = config.quietHours;
  if (!q) return false;
  const hour = chinaHour(at);
  return q.from > q.to ? hour >= q.from || hour < q.to : hour >= q.from && hour < q.to;
}

export async function startSmsSender(o: SenderOptions): Promise<SmsSender> {
  const now = o.now ?? (() => new Date());
  const log = o.log ?? (() => undefined);
  const batch = o.batch ?? 500;
  const grace = o.settleGraceMs ?? 2000;
  const stats = { submitted: 0, receipts: 0 };
  const inFlight = new Set<string>();
  let running = true;
  let idleWaiters: (() => void)[] = [];
  let wake: (() => void) | null = null;

  // Receipts arrive on the gateway's events: gathered and written in batches.
  // Each receipt is acknowledged to the gateway only when its batch is stored (see SmsGateway.onReceipt).
  let receipts: { receipt: DeliveryReceipt; stored: () => void; failed: (e: Error) => void }[] = [];
  let receiptFlush: Promise<void> = Promise.resolve();
  const flushReceipts = () => {
    receiptFlush = receiptFlush.then(async () => {
      const taken = receipts;
      receipts = [];
      if (!taken.length) return;
      try {
        stats.receipts += await repo.recordReceipts(
          o.db,
          taken.map(({ receipt: r }) => ({
            ref: r.ref,
            gatewayId: r.gatewayId,
            state: r.state,
            errorCode: r.errorCode,
            phoneIndex: !r.ref && r.to && o.phoneIndex ? o.phoneIndex(r.to) : null,
          })),
        );
        for (const t of taken) t.stored();
      } catch (error) {
        for (const t of taken) t.failed(error as Error);
        log(`回执写入失败：${(error as Error).message}`);
      }
    });
    return receiptFlush;
  };
  let lastReceiptAt = 0;
  let unstored = 0;
  o.gateway.onReceipt(
    (receipt) =>
      new Promise<void>((stored, failed) => {
        lastReceiptAt = Date.now();
        unstored++;
        receipts.push({
          receipt,
          stored: () => {
            unstored--;
            stored();
          },
          failed: (e) => {
            unstored--;
            failed(e);
          },
        });
        if (receipts.length >= 500) void flushReceipts();
      }),
  );
  const receiptTimer = setInterval(() => void flushReceipts(), 100);
  receiptTimer.unref();

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        wake = null;
        resolve();
      }, ms);
      wake = () => {
        clearTimeout(t);
        wake = null;
        resolve();
      };
    });

  let nextAt = 0;
  const pace = async () => {
    const gap = 1000 / o.config.ratePerSecond;
    const t = performance.now();
    nextAt = Math.max(nextAt, t) + gap;
    const wait = nextAt - t - gap;
    if (wait > 5) await new Promise((r) => setTimeout(r, wait));
  };

  async function settle(): Promise<number> {
    // Silence counts only once the gateway has had time to hand over what it kept for us: bound for
    // a while, no receipt for a while, and every receipt received stored.
    if (o.gateway.boundFor() < grace || Date.now() - lastReceiptAt < grace || unstored > 0) return 0;
    const before = new Date(now().getTime() - grace);
    return o.db.transaction().execute(async (tx) => {
      const rows = await repo.unsettled(tx, before, [...inFlight], 1000);
      await repo.settleUnsettled(
        tx,
        rows.map((r) => r.id),
        o.gateway.echoesReference,
      );
      if (rows.length)
        log(
          `${rows.length} 条提交结果未知的短信已按回执核实：${o.gateway.echoesReference ? '短信中心未接收，重新排队' : '记为结果未知，不重发'}`,
        );
      return rows.length;
    });
  }

  async function sendRound(campaignId: string): Promise<number> {
    const today = chinaDay(now());
    const validUntil = new Date(now().getTime() + o.config.validitySeconds * 1000);
    const claimed = await o.db.transaction().execute((tx) => repo.claim(tx, campaignId, batch, today, o.config.dailyCap, validUntil));
    if (!claimed.length) return 0;
    const outcomes: SendOutcome[] = [];
    await Promise.all(
      claimed.map(async (m) => {
        inFlight.add(m.id);
        try {
          await pace();
          const to = sm4Decrypt(o.identifierKey, m.phone_cipher);
          const r = await o.gateway.submit({ ref: m.id, to, text: m.body, validUntil });
          stats.submitted++;
          if (r.ok) outcomes.push({ id: m.id, kind: 'sent', gatewayId: r.gatewayId });
          else outcomes.push({ id: m.id, kind: r.permanent ? 'rejected' : 'retry', detail: r.detail });
        } catch (error) {
          // The line dropped with the submit in flight: whether it was taken is for the receipts to say.
          if (!(error instanceof GatewayUnavailable)) outcomes.push({ id: m.id, kind: 'retry', detail: (error as Error).message });
        }
      }),
    );
    await repo.recordOutcomes(o.db, outcomes, today);
    for (const m of claimed) inFlight.delete(m.id);
    return claimed.length;
  }

  const loop = async () => {
    while (running) {
      try {
        if (!o.gateway.isReady()) {
          await o.gateway.waitReady(1000);
          continue;
        }
        await settle();
        const campaigns = (await repo.activeCampaigns(o.db)).filter((c) => c.status === 'sending');
        let work = 0;
        if (campaigns.length && inQuietHours(o.config, now())) {
          for (const c of campaigns) await repo.setCampaign(o.db, c.id, { message: '静默时段（21:00–次日08:00）不发送，08:00 后自动继续' });
          // Nothing leaves before 08:00; receipts still come in and are stored meanwhile.
          await flushReceipts();
          await sleep(Math.max(o.idleMs ?? 500, 5000));
          continue;
        } else {
          for (const c of campaigns) {
            const n = await sendRound(c.id);
            work += n;
            if (!n) {
              await flushReceipts();
              const pending = await sql<{
                n: string;
              }>`SELECT count(*) AS n FROM sms_message WHERE campaign_id = ${c.id} AND status = 'sending'`.execute(o.db);
              if (Number(pending.rows[0]!.n) === 0 && (await repo.finishIfDone(o.db, c.id))) log(`短信活动 ${c.id} 发送完毕`);
            } else {
              await repo.setCampaign(o.db, c.id, { message: null });
            }
          }
        }
        if (!work) {
          await flushReceipts();
          for (const w of idleWaiters) w();
          idleWaiters = [];
          await sleep(o.idleMs ?? 500);
        }
      } catch (error) {
        if (!running) break;
        log(`短信发送出错：${(error as Error).message}`);
        await sleep(1000);
      }
    }
  };

  // The advisory lock lives on its own connection for the sender's life.
  let lock: { release(): Promise<void> };
  try {
    lock = await acquireLock(o.lockDb ?? o.db, o.signal);
  } catch (error) {
    clearInterval(receiptTimer);
    throw error;
  }
  const done = loop();

  return {
    stats,
    idle: () =>
      new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        wake?.();
      }),
    async stop() {
      running = false;
      wake?.();
      await done;
      clearInterval(receiptTimer);
      await flushReceipts();
      await lock.release();
    },
  };
}

/**
 * A session-level advisory lock held on a dedicated connection: while one sender runs, another
 * (a second process on the same database) waits. A killed process's connection closes and the
 * database releases its lock. The wait ends with `signal` (a stop while another process sends:
 * the connection is given back, so its pool can close) or with the connection's error.
 */
async function acquireLock(db: Db, signal?: AbortSignal): Promise<{ release(): Promise<void> }> {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let acquired!: () => void;
  const ready = new Promise<void>((r) => (acquired = r));
  const held = db.connection().execute(async (conn) => {
    for (;;) {
      signal?.throwIfAborted();
      const { rows } = await sql<{ ok: boolean }>`SELECT pg_try_advisory_lock(${SENDER_LOCK}) AS ok`.execute(conn);
      if (rows[0]!.ok) break;
      await delay(500, undefined, { signal });
    }
    acquired();
    await released;
    await sql`SELECT pg_advisory_unlock(${SENDER_LOCK})`.execute(conn).catch(() => undefined);
  });
  // `held` settles before `ready` only when the wait failed: aborted, or the connection lost.
  await Promise.race([ready, held]);
  return {
    async release() {
      release();
      await held.catch(() => undefined);
    },
  };
}
