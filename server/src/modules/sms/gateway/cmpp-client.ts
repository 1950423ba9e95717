import { Socket } from 'node:net';
import {
  authenticatorIsmg,
  authenticatorSource,
  CMPP,
  type CmppVersion,
  cmppTime,
  cmppTimestamp,
  decode,
  decodeContent,
  encode,
  FrameReader,
  MSG_FMT,
  msgIdHex,
  readUdh,
  splitUcs2,
} from './cmpp-codec.ts';
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
 * A CMPP 2.0 / 3.0 client of an ISMG (China Mobile's SMS gateway): CONNECT with the MD5
 * authenticator, SUBMIT within a sliding window, DELIVER in (status reports and replies, each
 * answered only once stored), ACTIVE_TEST both ways (the link is dropped after three unanswered),
 * TERMINATE on close, reconnect with exponential backoff.
 *
 * A long text goes as parts behind a user data header, one SUBMIT each; the message is taken when
 * every part is, and its id is the first part's Msg_Id.
 *
 * CMPP carries no reference of ours back. A status report names the Msg_Id the ISMG gave and the
 * number it went to: the client maps the Msg_Ids it was answered with to our references for as long
 * as it runs, and a report for a Msg_Id it does not know (the answer was lost with the connection,
 * or the process restarted) comes out with our reference unknown and the number (`to`), which the
 * sender settles by the one unanswered message to that number.
 */
export interface CmppClientOptions {
  host: string;
  port: number;
  /** Source_Addr: the SP's enterprise code (企业代码, 6 characters). */
  sourceAddr: string;
  sharedSecret: string;
  version: CmppVersion;
  /** Service_Id (业务代码). */
  serviceId: string;
  /** Src_Id: the SP's access number (接入号), shown to the phone as the sender. */
  srcId: string;
  /** SUBMITs in flight without their answer (the specification suggests 16). */
  window: number;
  activeTestMs?: number;
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
  /** How long a SUBMIT or CONNECT may go unanswered before the link counts as dead. */
  responseTimeoutMs?: number;
  log?: (message: string) => void;
}

/** CONNECT_RESP Status (2.0 and 3.0). */
const CONNECT_STATUS: Record<number, string> = { 1: '消息结构错', 2: '非法源地址', 3: '认证错', 4: '版本太高' };
/** SUBMIT_RESP Result 8 is flow control (流量控制错): not now, not never. */
const TRANSIENT_RESULTS = new Set([8]);
const STAT: Record<string, DeliveryReceipt['state']> = {
  DELIVRD: 'delivered',
  EXPIRED: 'expired',
  UNDELIV: 'undeliverable',
  DELETED: 'undeliverable',
  REJECTD: 'rejected',
  UNKNOWN: 'unknown',
};

interface Pending {
  message: OutboundMessage;
  resolve: (r: SubmitResult) => void;
  reject: (e: Error) => void;
}
interface PartInFlight {
  pending: Pending;
  seq: number;
  timer: NodeJS.Timeout;
}

/** Our references by the Msg_Ids the ISMG answered with, dropped oldest first past this many. */
const KNOWN_IDS = 200_000;

export function createCmppClient(options: CmppClientOptions): SmsGateway & { connected(): boolean } {
  const log = options.log ?? (() => undefined);
  const v = options.version;
  const receiptListeners: ((r: DeliveryReceipt) => void | Promise<void>)[] = [];
  const inboundListeners: ((m: InboundMessage) => void | Promise<void>)[] = [];
  const queue: Pending[] = [];
  /** Parts sent and not answered, by Sequence_Id. */
  const parts = new Map<number, PartInFlight>();
  /** Per message: the parts not yet answered and the first part's id. */
  const progress = new Map<Pending, { left: number; firstId: string | null; failed: SubmitResult | null }>();
  const known = new Map<string, string>();
  const readiness = gatewayReadiness();
  let socket: Socket | null = null;
  let bound = false;
  let boundAt = 0;
  let closed = false;
  let seq = 0;
  let udhRef = 0;
  let backoff = options.reconnectMinMs ?? 500;
  let reconnectTimer: NodeJS.Timeout | null = null;
  let activeTimer: NodeJS.Timeout | null = null;
  let unansweredTests = 0;
  let lastHeard = 0;
  const nextSeq = () => (seq = (seq % 0x7fffffff) + 1);
  const timeout = options.responseTimeoutMs ?? 60_000;

  function remember(id: string, ref: string) {
    known.set(id, ref);
    if (known.size > KNOWN_IDS) known.delete(known.keys().next().value!);
  }

  function connect() {
    if (closed) return;
    const s = new Socket();
    socket = s;
    const reader = new FrameReader();
    let source: Buffer | null = null;
    let connectSeq = 0;
    s.setNoDelay(true);
    s.connect(options.port, options.host, () => {
      const stamp = cmppTimestamp(new Date());
      source = authenticatorSource(options.sourceAddr, options.sharedSecret, stamp);
      connectSeq = nextSeq();
      s.write(encode.connect(connectSeq, { sourceAddr: options.sourceAddr, authenticator: source, version: v, timestamp: Number(stamp) }));
      const t = setTimeout(() => {
        if (!bound && socket === s) {
          log('CMPP 连接请求无应答，稍后重试');
          s.destroy();
        }
      }, timeout);
      t.unref();
    });
    s.on('data', (chunk: Buffer) => {
      lastHeard = Date.now();
      let frames: ReturnType<FrameReader['push']>;
      try {
        frames = reader.push(chunk);
      } catch (error) {
        log(`CMPP 报文格式错误，断开重连：${(error as Error).message}`);
        s.destroy();
        return;
      }
      for (const { header, body } of frames) {
        try {
          handle(s, header.commandId, header.sequenceId, body, source, connectSeq);
        } catch (error) {
          log(`CMPP 报文无法解析，断开重连：${(error as Error).message}`);
          s.destroy();
          return;
        }
      }
    });
    s.on('error', (error: Error) => log(`CMPP 连接错误：${error.message}`));
    s.on('close', () => {
      const wasBound = bound;
      bound = false;
      boundAt = 0;
      if (activeTimer) clearInterval(activeTimer);
      activeTimer = null;
      if (socket === s) socket = null;
      // Messages with a part in flight when the line dropped: the ISMG may or may not have taken them.
      const lost = new Set<Pending>();
      for (const p of parts.values()) {
        clearTimeout(p.timer);
        lost.add(p.pending);
      }
      parts.clear();
      for (const p of lost) {
        progress.delete(p);
        p.reject(new GatewayUnavailable('CMPP 连接中断，提交结果未知'));
      }
      if (closed) return;
      if (wasBound) log('CMPP 连接断开，正在重连');
      reconnectTimer = setTimeout(connect, backoff);
      reconnectTimer.unref();
      backoff = Math.min(backoff * 2, options.reconnectMaxMs ?? 30_000);
    });
  }

  function handle(s: Socket, commandId: number, sequenceId: number, body: Buffer, source: Buffer | null, connectSeq: number) {
    switch (commandId) {
      case CMPP.CONNECT_RESP: {
        if (sequenceId !== connectSeq || !source) return;
        const r = decode.connectResp(v, body);
        if (r.status !== 0) {
          log(`CMPP 登录失败（${CONNECT_STATUS[r.status] ?? `状态 ${r.status}`}），稍后重试`);
          s.destroy();
          return;
        }
        if (!authenticatorIsmg(v, r.status, source, options.sharedSecret).equals(r.authenticator)) {
          log('CMPP 网关的认证码不符，断开');
          s.destroy();
          return;
        }
        bound = true;
        boundAt = Date.now();
        backoff = options.reconnectMinMs ?? 500;
        unansweredTests = 0;
        log(`CMPP ${v === 0x30 ? '3.0' : '2.0'} 已登录 ${options.host}:${options.port}`);
        const every = options.activeTestMs ?? 30_000;
        activeTimer = setInterval(() => {
          if (!bound) return;
          // Three tests unanswered, nothing heard meanwhile: the link is dead though TCP has not noticed.
          if (unansweredTests >= 3 && Date.now() - lastHeard > every) {
            log('CMPP 链路检测连续 3 次无应答，断开重连');
            s.destroy();
            return;
          }
          unansweredTests++;
          s.write(encode.activeTest(nextSeq()));
        }, every);
        activeTimer.unref();
        readiness.ready();
        pump();
        return;
      }
      case CMPP.ACTIVE_TEST:
        s.write(encode.activeTestResp(sequenceId));
        return;
      case CMPP.ACTIVE_TEST_RESP:
        unansweredTests = 0;
        return;
      case CMPP.TERMINATE:
        s.write(encode.terminateResp(sequenceId));
        s.end();
        return;
      case CMPP.TERMINATE_RESP:
        s.end();
        return;
      case CMPP.SUBMIT_RESP: {
        const part = parts.get(sequenceId);
        if (!part) return;
        parts.delete(sequenceId);
        clearTimeout(part.timer);
        const r = decode.submitResp(v, body);
        answered(part.pending, r.result, msgIdHex(r.msgId));
        pump();
        return;
      }
      case CMPP.DELIVER: {
        const d = decode.deliver(v, body);
        // Answered once stored; a failure answers result 9 (其他错误) and the ISMG delivers it again.
        onDeliver(d).then(
          () => s.write(encode.deliverResp(v, sequenceId, d.msgId, 0)),
          () => s.write(encode.deliverResp(v, sequenceId, d.msgId, 9)),
        );
        return;
      }
      default:
        return;
    }
  }

  function answered(p: Pending, result: number, id: string) {
    const state = progress.get(p);
    if (!state) return;
    state.left--;
    if (result === 0) {
      remember(id, p.message.ref);
      state.firstId ??= id;
    } else if (!state.failed) {
      state.failed = TRANSIENT_RESULTS.has(result)
        ? { ok: false, permanent: false, detail: `短信网关暂不接收（流量控制，结果 ${result}）` }
        : { ok: false, permanent: true, detail: `短信网关拒收（结果 ${result}）` };
    }
    if (state.left > 0) return;
    progress.delete(p);
    // A part refused: the message is not taken as a whole (parts already taken reach the phone as a fragment, as with any gateway).
    p.resolve(state.failed ?? { ok: true, gatewayId: state.firstId! });
  }

  async function onDeliver(d: ReturnType<typeof decode.deliver>): Promise<void> {
    const localNumber = (n: string) => n.replace(/^\+?86(?=1\d{10}$)/, '');
    if (d.registeredDelivery === 1) {
      const r = decode.statusReport(v, d.content);
      const id = msgIdHex(r.msgId);
      const stat = r.stat.trim().toUpperCase();
      const receipt: DeliveryReceipt = {
        gatewayId: id,
        ref: known.get(id) ?? null,
        to: localNumber(r.destTerminalId),
        state: STAT[stat] ?? 'undeliverable',
        errorCode: stat === 'DELIVRD' ? null : stat,
      };
      await Promise.all(receiptListeners.map((l) => l(receipt)));
      if (receipt.state !== 'unknown') known.delete(id);
      return;
    }
    const udh = d.tpUdhi ? readUdh(d.content) : null;
    const text = decodeContent(d.msgFmt, udh ? udh.text : d.content);
    await Promise.all(inboundListeners.map((l) => l({ from: localNumber(d.srcTerminalId), text })));
  }

  function pump() {
    const s = socket;
    while (bound && s && queue.length && parts.size < options.window) {
      const p = queue.shift()!;
      let split: ReturnType<typeof splitUcs2>;
      try {
        udhRef = (udhRef + 1) & 0xff;
        split = splitUcs2(p.message.text, udhRef);
      } catch (error) {
        p.resolve({ ok: false, permanent: true, detail: (error as Error).message });
        continue;
      }
      progress.set(p, { left: split.length, firstId: null, failed: null });
      split.forEach((part, i) => {
        const sequenceId = nextSeq();
        const timer = setTimeout(() => {
          // No answer in time: the link is treated as dead, which settles the message as unknown.
          if (parts.has(sequenceId) && socket === s) {
            log('CMPP 提交无应答，断开重连');
            s.destroy();
          }
        }, timeout);
        timer.unref();
        parts.set(sequenceId, { pending: p, seq: sequenceId, timer });
        s.write(
          encode.submit(v, sequenceId, {
            msgId: Buffer.alloc(8),
            pkTotal: split.length,
            pkNumber: i + 1,
            registeredDelivery: 1,
            serviceId: options.serviceId,
            tpUdhi: part.udhi,
            msgFmt: MSG_FMT.ucs2,
            msgSrc: options.sourceAddr,
            validTime: cmppTime(p.message.validUntil),
            srcId: options.srcId,
            destTerminalIds: [p.message.to],
            content: part.content,
          }),
        );
      });
    }
  }

  connect();

  return {
    name: `cmpp${v === 0x30 ? '3' : '2'}://${options.host}:${options.port}`,
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
      const s = socket;
      if (!s) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => s.destroy(), 1000);
        s.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
        if (bound) s.write(encode.terminate(nextSeq()));
        else s.destroy();
      });
    },
  };
}
