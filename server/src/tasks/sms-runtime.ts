import type { AppContext } from '../context.ts';
import type { Db } from '../db/database.ts';
import { AppError } from '../platform/errors.ts';
import { startSmsSender, type SenderOptions, type SmsSender } from './sms-sender.ts';
import type { SmsGateway } from '../modules/sms/index.ts';
import { type LocalSmsc, type SmscBehaviour, phoneIndexOf } from '../modules/sms/index.ts';
import { createConfiguredGateway, gatewayConfigured, startLocalGateway } from '../modules/sms/index.ts';
import { handleInbound } from '../modules/sms/index.ts';
import { smsRepo as repo } from '../modules/sms/index.ts';
import type { SmsService } from '../modules/sms/index.ts';

/**
 * What runs beside the HTTP server for SMS: the gateway connection, the local SMSC in demo mode
 * and in tests, and the sender. buildApp creates it stopped; `npm start` (main.ts) and tests start it.
 */
export interface SmsStartOptions {
  /** Start the local SMSC (default: the configuration's choice). */
  localSmsc?: boolean;
  /** The local SMSC's (or ISMG's) port (0: any free one; default the configured protocol's port). */
  smscPort?: number;
  smscBehaviour?: SmscBehaviour;
  sender?: Partial<Omit<SenderOptions, 'db' | 'lockDb' | 'gateway' | 'config' | 'identifierKey'>>;
  /** Start the sender (default true). */
  send?: boolean;
  log?: (message: string) => void;
}

/**
 * Everything runs on the background connections (ctx.background), never the requests'; the
 * sender's lock, held for as long as it runs, on a connection of its own (`lockDb`).
 */
export function createSmsRuntime({ ctx, service, lockDb }: { ctx: AppContext; service: SmsService; lockDb?: () => Db }) {
  let smsc: LocalSmsc | null = null;
  let senderLockDb: Db | null = null;
  let gateway: SmsGateway | null = null;
  let sender: SmsSender | null = null;
  // A start in progress, and how to cut it short: a stop that comes while the sender waits for
  // another process's lock ends the wait (it would hold its connection, and the stop, for good).
  let starting: Promise<void> | null = null;
  let aborter: AbortController | null = null;
  const config = ctx.config.sms;

  /** start(), cut short by `signal` (stop()). */
  async function startWith(options: SmsStartOptions, signal: AbortSignal): Promise<void> {
    const log = options.log ?? (() => undefined);
    const local = options.localSmsc ?? config.localSmsc;
    if (local) smsc = await startLocalGateway(config, { port: options.smscPort, behaviour: options.smscBehaviour, log });
    if (!gatewayConfigured(config)) {
      log(
        config.protocol === 'cmpp'
          ? '未配置短信网关（LAOWU_CMPP_HOST / LAOWU_CMPP_SECRET）：短信活动可以审批，但不会发送'
          : '未配置短信网关（LAOWU_SMPP_HOST / LAOWU_SMPP_PASSWORD）：短信活动可以审批，但不会发送',
      );
      return;
    }
    gateway = createConfiguredGateway(config, { at: smsc ? { host: '127.0.0.1', port: smsc.port } : undefined, log });
    gateway.onInbound(async (m) => {
      try {
        await handleInbound(ctx.background, ctx.audit, ctx.config, m);
      } catch (error) {
        log(`短信回复处理失败：${(error as Error).message}`);
        throw error;
      }
    });
    await gateway.waitReady(5000);
    // Campaigns a restart caught while composing are composed again (their transaction rolled back).
    for (const c of await repo.activeCampaigns(ctx.background))
      if (c.status === 'composing') void service.compose(c.id).catch(() => undefined);
    if (options.send !== false && !signal.aborted) {
      senderLockDb = lockDb?.() ?? null;
      sender = await startSmsSender({
        db: ctx.background,
        lockDb: senderLockDb ?? undefined,
        gateway,
        config,
        identifierKey: ctx.config.secrets.identifierKey,
        phoneIndex: (phone) => phoneIndexOf(ctx.config, phone),
        log,
        ...options.sender,
        signal,
      });
    }
  }

  return {
    get smsc() {
      return smsc;
    },
    get gateway() {
      return gateway;
    },
    get sender() {
      return sender;
    },

    /** A stop() while it runs cuts it short: it then resolves, and no sender runs. */
    start(options: SmsStartOptions = {}): Promise<void> {
      aborter = new AbortController();
      const signal = aborter.signal;
      const run = startWith(options, signal).catch((error: unknown) => {
        if (!signal.aborted) throw error;
      });
      starting = run.catch(() => undefined);
      return run;
    },

    /** A message outside campaigns (the mobile page's sign-in code): straight to the gateway, now. */
    async sendNow(ref: string, to: string, text: string): Promise<void> {
      if (!gateway?.isReady()) throw new AppError('SMS_GATEWAY_UNAVAILABLE');
      const r = await gateway.submit({ ref, to, text, validUntil: new Date(Date.now() + 5 * 60_000) }).catch(() => null);
      if (!r?.ok) throw new AppError('SMS_GATEWAY_UNAVAILABLE', r && !r.ok ? `短信发送失败：${r.detail}` : undefined);
    },

    async stop(): Promise<void> {
      aborter?.abort();
      await starting;
      starting = null;
      await sender?.stop().catch(() => undefined);
      sender = null;
      await senderLockDb?.destroy().catch(() => undefined);
      senderLockDb = null;
      await gateway?.close().catch(() => undefined);
      gateway = null;
      await smsc?.close().catch(() => undefined);
      smsc = null;
    },
  };
}

export type SmsRuntime = ReturnType<typeof createSmsRuntime>;
