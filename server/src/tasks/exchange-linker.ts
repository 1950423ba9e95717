import type { Db } from '../db/database.ts';
import { linkExchangeChanges } from '../modules/exchange/index.ts';

/**
 * Gives the changes writers append the feed's positions (modules/exchange, migration 0041) every
 * second on the background connections, so pending changes never pile up between clients' reads
 * (a read links what is pending first, too). One linker per database at a time is guaranteed by
 * the feed's advisory lock, so several processes may each run one. Stopping ends the run in hand
 * after its current batch: a backlog of a bulk load is left pending for the next start, not
 * linked while the server waits to stop.
 */
export interface ExchangeLinker {
  stop(): Promise<void>;
}

export function startExchangeLinker(db: Db, options: { everyMs?: number; log?: (message: string) => void } = {}): ExchangeLinker {
  const everyMs = options.everyMs ?? 1000;
  let running = true;
  let timer: NodeJS.Timeout | null = null;
  let current: Promise<unknown> = Promise.resolve();
  let failures = 0;
  const tick = async () => {
    timer = null;
    current = linkExchangeChanges(db, undefined, () => running);
    try {
      await current;
      failures = 0;
    } catch (error) {
      // Reported once per outage; the changes wait as pending and nothing is lost.
      if (failures++ === 0) options.log?.(`数据交换变更编号失败（稍后重试）：${(error as Error).message}`);
    }
    if (running) {
      timer = setTimeout(tick, everyMs);
      timer.unref();
    }
  };
  timer = setTimeout(tick, everyMs);
  timer.unref();
  return {
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      await current.catch(() => undefined);
    },
  };
}
