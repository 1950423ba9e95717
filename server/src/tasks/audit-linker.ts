import type { Db } from '../db/database.ts';
import type { AuditLog } from '../platform/audit.ts';

/**
 * Links the audit rows requests append into the chain (platform/audit.ts), a few hundred
 * milliseconds after they commit, on the background connections. One linker per database at a
 * time is guaranteed by the chain's advisory lock, so several processes may each run one.
 */
export interface AuditLinker {
  /** Link everything committed so far, now. */
  flush(): Promise<number>;
  stop(): Promise<void>;
}

export function startAuditLinker(
  db: Db,
  audit: AuditLog,
  options: { everyMs?: number; log?: (message: string) => void } = {},
): AuditLinker {
  const everyMs = options.everyMs ?? 250;
  let running = true;
  let timer: NodeJS.Timeout | null = null;
  let current: Promise<number> = Promise.resolve(0);
  let failures = 0;
  const run = () => {
    current = current.then(
      () => audit.link(db),
      () => audit.link(db),
    );
    return current;
  };
  const tick = async () => {
    timer = null;
    try {
      await run();
      failures = 0;
    } catch (error) {
      // Reported once per outage, not every tick; the rows wait as pending and nothing is lost.
      if (failures++ === 0) options.log?.(`审计日志入链失败（稍后重试）：${(error as Error).message}`);
    }
    if (running) {
      timer = setTimeout(tick, everyMs);
      timer.unref();
    }
  };
  timer = setTimeout(tick, everyMs);
  timer.unref();
  return {
    flush: () => run(),
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      await current.catch(() => undefined);
    },
  };
}
