import smpp, { type PDU, type Session } from 'smpp';
import {
  GatewayUnavailable,
  readiness as gatewayReadiness,
  type DeliveryReceipt,
  type InboundMessage,
  type OutboundMessage,
  type SmsGateway,
  type SubmitResult,
} from './gateway.ts';

/**
 * An SMPP 3.4 transceiver (bind_transceiver): submit_sm out, deliver_sm in (receipts and
 * replies), enquire_link both ways, reconnect with exponential backoff. At most `window`
 * submits wait for their submit_sm_resp at once; the rest queue here.
 */
export interface SmppClientOptions {
  host: string;
  port: number;
  systemId: string;
  password: string;
  systemType?: string;
  /** Submits in flight without their response (the SMSC's window). */
  window: number;
  enquireLinkMs?: number;
  /** Backoff of reconnects: first delay, doubled up to the maximum. */
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
  /** Source address (the platform's service number). */
  sourceAddr?: string;
  log?: (message: string) => void;
}

/** A vendor-specific TLV (SMPP 3.4 §5.3.2: 0x1400–0x3FFF) carrying our reference, echoed by the local SMSC in receipts. */
export const REF_TLV = { name: 'laowu_ref', id: 0x1501 };
let tlvRegistered = false;
export function registerRefTlv() {
  if (tlvRegistered) return;
  smpp.addTLV(REF_TLV.name, { id: REF_TLV.id, type: smpp.types.tlv.cstring });
  tlvRegistered = true;
}

const UCS2 = 0x08;
const ESM_DELIVERY_RECEIPT = 0x04;
/** SMPP 3.4 message_state values (§5.2.28). */
const STATE: Record<number, DeliveryReceipt['state']> = { 2: 'delivered', 3: 'expired', 5: 'undeliverable', 8: 'rejected' };
const STAT_WORD: Record<string, DeliveryReceipt['state']> = {
  DELIVRD: 'delivered',
  EXPIRED: 'expired',
  UNDELIV: 'undeliverable',
  REJECTD: 'rejected',
};
/** Statuses that mean "not now", not "never": the message may be offered again. */
const TRANSIENT = new Set([0x14 /* RMSGQFUL */, 0x58 /* RTHROTTLED */, 0x08 /* RSYSERR */, 0x04 /* RINVBNDSTS */]);

interface Pending {
  message: OutboundMessage;
  resolve: (r: SubmitResult) => void;
  reject: (e: Error) => void;
}

export function createSmppClient(options: SmppClientOptions): SmsGateway & { connected(): boolean } {
  registerRefTlv();
  const log = options.log ?? (() => undefined);
  const receiptListeners: ((r: DeliveryReceipt) => void | Promise<void>)[] = [];
  const inboundListeners: ((m: InboundMessage) => void | Promise<void>)[] = [];
  const queue: Pending[] = [];
  const inFlight = new Set<Pending>();
  const readiness = gatewayReadiness();
  let session: Session | null = null;
  let bound = false;
  let boundAt = 0;
  let closed = false;
  let backoff = options.reconnectMinMs ?? 500;
  let reconnectTimer: NodeJS.Timeout | null = null;
  let enquireTimer: NodeJS.Timeout | null = null;

  function connect() {
    if (closed) return;
    const s = smpp.connect({ host: options.host, port: options.port });
    session = s;
    s.on('connect', () => {
      s.bind_transceiver(
        { system_id: options.systemId, password: options.password, system_type: options.systemType ?? '', interface_version: 0x34 },
        (pdu) => {
          if (pdu.command_status !== 0) {
            log(`SMPP 绑定失败（状态 ${pdu.command_status}），稍后重试`);
            s.destroy();
            return;
          }
          bound = true;
          boundAt = Date.now();
          backoff = options.reconnectMinMs ?? 500;
          log(`SMPP 已绑定 ${options.host}:${options.port}`);
          enquireTimer = setInterval(() => {
            if (bound) s.enquire_link({}, () => undefined);
          }, options.enquireLinkMs ?? 30_000);
          enquireTimer.unref();
          readiness.ready();
          pump();
        },
      );
    });
    s.on('enquire_link', (pdu: PDU) => s.send(pdu.response()));
    s.on('unbind', (pdu: PDU) => {
      s.send(pdu.response());
      s.close();
    });
    s.on('deliver_sm', (pdu: PDU) => {
      // Acknowledged once stored; a failure answers "temporary application error" and the SMSC delivers it again.
      handleDeliver(pdu).then(
        () => s.send(pdu.response()),
        () => s.send(pdu.response({ command_status: 0x64 /* ESME_RX_T_APPN */ })),
      );
    });
    s.on('error', (error: Error) => log(`SMPP 连接错误：${error.message}`));
    s.on('close', () => {
      const wasBound = bound;
      bound = false;
      boundAt = 0;
      if (enquireTimer) clearInterval(enquireTimer);
      enquireTimer = null;
      if (session === s) session = null;
      // Submits in flight when the line dropped: the SMSC may or may not have taken them.
      for (const p of inFlight) p.reject(new GatewayUnavailable('SMPP 连接中断，提交结果未知'));
      inFlight.clear();
      if (closed) return;
      if (wasBound) log('SMPP 连接断开，正在重连');
      reconnectTimer = setTimeout(connect, backoff);
      reconnectTimer.unref();
      backoff = Math.min(backoff * 2, options.reconnectMaxMs ?? 30_000);
    });
  }

  async function handleDeliver(pdu: PDU): Promise<void> {
    const text = decodeText(pdu);
    if ((pdu.esm_class ?? 0) & ESM_DELIVERY_RECEIPT) {
      const stat = /stat:(\w+)/i.exec(text)?.[1]?.toUpperCase();
      const err = /err:(\w+)/i.exec(text)?.[1] ?? null;
      const idInText = /id:(\S+)/i.exec(text)?.[1] ?? null;
      const receipt: DeliveryReceipt = {
        gatewayId: pdu.receipted_message_id ? String(pdu.receipted_message_id) : idInText,
        ref: pdu[REF_TLV.name] ? String(pdu[REF_TLV.name]) : null,
        state: STATE[pdu.message_state as number] ?? (stat ? (STAT_WORD[stat] ?? 'unknown') : 'unknown'),
        errorCode: err,
      };
      await Promise.all(receiptListeners.map((l) => l(receipt)));
      return;
    }
    const from = String(pdu.source_addr ?? '').replace(/^\+?86(?=1\d{10}$)/, '');
    await Promise.all(inboundListeners.map((l) => l({ from, text })));
  }

  function pump() {
    while (bound && session && queue.length && inFlight.size < options.window) {
      const p = queue.shift()!;
      inFlight.add(p);
      const { message } = p;
      const long = [...message.text].length > 70;
      const written = session.submit_sm(
        {
          service_type: '',
          source_addr_ton: 0,
          source_addr_npi: 0,
          source_addr: options.sourceAddr ?? '',
          dest_addr_ton: 1,
          dest_addr_npi: 1,
          destination_addr: `86${message.to}`,
          registered_delivery: 1,
          validity_period: message.validUntil,
          data_coding: UCS2,
          // Longer than one part: the whole text in message_payload (SMPP 3.4 §5.3.2.32), one submit, the SMSC splits it.
          ...(long ? { short_message: '', message_payload: { message: message.text } } : { short_message: { message: message.text } }),
          [REF_TLV.name]: message.ref,
        },
        (resp) => {
          if (!inFlight.delete(p)) return;
          if (resp.command_status === 0) p.resolve({ ok: true, gatewayId: String(resp.message_id) });
          else if (TRANSIENT.has(resp.command_status))
            p.resolve({ ok: false, permanent: false, detail: `SMSC 暂不接收（状态 0x${resp.command_status.toString(16)}）` });
          else p.resolve({ ok: false, permanent: true, detail: `SMSC 拒收（状态 0x${resp.command_status.toString(16)}）` });
          pump();
        },
      );
      if (!written) {
        inFlight.delete(p);
        queue.unshift(p);
        return;
      }
    }
  }

  connect();

  return {
    name: `smpp://${options.host}:${options.port}`,
    echoesReference: true,
    submit(message) {
      if (closed) return Promise.reject(new GatewayUnavailable('gateway closed'));
      return new Promise<SubmitResult>((resolve, reject) => {
        queue.push({ message, resolve, reject });
        pump();
      });
    },
    onReceipt: (l) => void receiptListeners.push(l),
    onInbound: (l) => void inboundListeners.push(l),
    isReady: () => bound,
    connected: () => bound,
    boundFor: () => (bound ? Date.now() - boundAt : 0),
    waitReady: (timeoutMs) => readiness.wait(bound, timeoutMs),
    async close() {
      closed = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      for (const p of queue) p.reject(new GatewayUnavailable('gateway closed'));
      queue.length = 0;
      const s = session;
      if (!s) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => s.destroy(() => resolve()), 1000);
        if (bound)
          s.unbind({}, () =>
            s.close(() => {
              clearTimeout(timer);
              resolve();
            }),
          );
        else
          s.destroy(() => {
            clearTimeout(timer);
            resolve();
          });
      });
    },
  };
}

/** short_message or message_payload, decoded by the package per data_coding. */
export function decodeText(pdu: PDU): string {
  const part = (v: unknown): string => {
    if (!v) return '';
    if (typeof v === 'string') return v;
    if (Buffer.isBuffer(v)) return v.toString('latin1');
    const m = (v as { message?: unknown }).message;
    return typeof m === 'string' ? m : Buffer.isBuffer(m) ? m.toString('latin1') : '';
  };
  return part(pdu.short_message) || part(pdu.message_payload);
}
