import { createServer, type Socket } from 'node:net';
import {
  authenticatorIsmg,
  authenticatorSource,
  CMPP,
  type CmppVersion,
  cmppTimestamp,
  decode,
  decodeContent,
  encode,
  FrameReader,
  makeMsgId,
  MSG_FMT,
  msgIdHex,
  parseCmppTime,
  readUdh,
  ucs2,
} from './cmpp-codec.ts';
import type { LocalSmsc, ReceivedMessage, SmscBehaviour } from './local-smsc.ts';

/**
 * A local CMPP ISMG for the demo (`npm start` with LAOWU_SMS_PROTOCOL=cmpp) and the tests, beside
 * the local SMPP SMSC and with the same face: it checks CONNECT's authenticator against the shared
 * secret (and the clock, within 15 minutes), answers SUBMITs with a Msg_Id, joins the parts of a
 * long text into one received message, sends a status report (DELIVER, Registered_Delivery 1) for
 * every part it took — delivered after a delay, UNDELIV when told to fail, EXPIRED at the part's
 * validity —, redelivers a DELIVER left unanswered when its connection closes (store-and-forward:
 * reports for a closed link wait for the next login), answers ACTIVE_TEST and TERMINATE, and sends
 * replies from phones. A message that is not CMPP (a bad length, a short body) closes that
 * connection only.
 */
export async function startLocalIsmg(options: {
  port: number;
  host?: string;
  sourceAddr: string;
  sharedSecret: string;
  version: CmppVersion;
  behaviour?: SmscBehaviour;
  log?: (m: string) => void;
  /** The ISMG's clock (tests of the authenticator's timestamp move it). */
  now?: () => Date;
}): Promise<LocalSmsc> {
  const v = options.version;
  const log = options.log ?? (() => undefined);
  const now = options.now ?? (() => new Date());
  let behaviour: SmscBehaviour = { ...options.behaviour };
  const received: ReceivedMessage[] = [];
  const listeners: ((m: ReceivedMessage) => void)[] = [];
  const failing = new Set<string>();
  const bound = new Set<Socket>();
  const waiting: Buffer[] = []; // DELIVER bodies with no bound connection
  const unacked = new Map<Socket, Map<number, Buffer>>();
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();
  /** Parts of long texts by (connection, number, reference). */
  const partial = new Map<string, { parts: Map<number, Buffer>; total: number; firstId: string }>();
  let seq = 0;
  let msgSeq = 0;
  /** A Msg_Id made now; 0x1d0e7 is this simulator's gateway code. */
  const nextMsgId = () => {
    msgSeq = (msgSeq + 1) & 0xffff;
    return makeMsgId(now(), 0x1d0e7, msgSeq);
  };
  let submits = 0;
  let accepted = 0;

  const later = (ms: number, work: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      work();
    }, ms);
    timers.add(t);
  };

  function deliver(body: Buffer) {
    const s = [...bound][0];
    if (!s) {
      waiting.push(body);
      return;
    }
    seq = (seq % 0x7fffffff) + 1;
    const sequenceId = seq;
    let pending = unacked.get(s);
    if (!pending) {
      pending = new Map();
      unacked.set(s, pending);
    }
    pending.set(sequenceId, body);
    s.write(frame(CMPP.DELIVER, sequenceId, body));
  }
  const frame = (commandId: number, sequenceId: number, body: Buffer) => {
    const head = Buffer.alloc(12);
    head.writeUInt32BE(12 + body.length, 0);
    head.writeUInt32BE(commandId, 4);
    head.writeUInt32BE(sequenceId, 8);
    return Buffer.concat([head, body]);
  };
  const body = (b: Buffer) => b.subarray(12);

  function drop(s: Socket) {
    bound.delete(s);
    sockets.delete(s);
    const pending = unacked.get(s);
    unacked.delete(s);
    if (pending) for (const b of pending.values()) waiting.push(b);
    if (bound.size) for (const b of waiting.splice(0)) deliver(b);
  }

  const server = createServer((s) => {
    sockets.add(s);
    // Answers go out as written (no Nagle delay): a stop-and-wait peer would otherwise wait for the delayed ACK on every SUBMIT.
    s.setNoDelay(true);
    const reader = new FrameReader();
    s.on('error', () => undefined);
    s.on('close', () => drop(s));
    s.on('data', (chunk: Buffer) => {
      try {
        for (const { header, body: b } of reader.push(chunk)) handle(s, header.commandId, header.sequenceId, b);
      } catch (error) {
        log(`本地短信网关（CMPP）收到无法解析的报文，断开该连接：${(error as Error).message}`);
        s.destroy();
      }
    });
  });

  function handle(s: Socket, commandId: number, sequenceId: number, b: Buffer) {
    switch (commandId) {
      case CMPP.CONNECT: {
        const c = decode.connect(b);
        const stamp = String(c.timestamp).padStart(10, '0');
        let status = 0;
        if (c.version > v) status = 4;
        else if (c.sourceAddr !== options.sourceAddr) status = 2;
        else if (!authenticatorSource(c.sourceAddr, options.sharedSecret, stamp).equals(c.authenticator)) status = 3;
        else if (!withinMinutes(stamp, now(), 15)) status = 3;
        s.write(
          encode.connectResp(v, sequenceId, {
            status,
            authenticator: status === 0 ? authenticatorIsmg(v, 0, c.authenticator, options.sharedSecret) : Buffer.alloc(16),
            version: v,
          }),
        );
        if (status !== 0) {
          s.end();
          return;
        }
        bound.add(s);
        for (const w of waiting.splice(0)) deliver(w);
        return;
      }
      case CMPP.ACTIVE_TEST:
        s.write(encode.activeTestResp(sequenceId));
        return;
      case CMPP.ACTIVE_TEST_RESP:
        return;
      case CMPP.TERMINATE:
        s.write(encode.terminateResp(sequenceId));
        s.end();
        return;
      case CMPP.DELIVER_RESP: {
        const r = decode.deliverResp(v, b);
        const pending = unacked.get(s);
        const sent = pending?.get(sequenceId);
        if (!sent) return;
        pending!.delete(sequenceId);
        // Not stored on the other side: offered again a little later.
        if (r.result !== 0) later(500, () => deliver(sent));
        return;
      }
      case CMPP.SUBMIT: {
        if (!bound.has(s)) {
          s.destroy();
          return;
        }
        const m = decode.submit(v, b);
        submits++;
        const to = (m.destTerminalIds[0] ?? '').replace(/^\+?86(?=1\d{10}$)/, '');
        let result = 0;
        if (m.destTerminalIds.length !== 1 || !/^1[3-9]\d{9}$/.test(to))
          result = 13; // Dest_terminal_Id 错误
        else if (behaviour.rejectEvery && submits % behaviour.rejectEvery === 0) result = 9;
        const msgId = nextMsgId();
        s.write(encode.submitResp(v, sequenceId, { msgId, result }));
        if (result !== 0) return;
        accepted++;
        const id = msgIdHex(msgId);
        const udh = m.tpUdhi ? readUdh(m.content) : null;
        const partText = udh ? udh.text : m.content;
        if (!udh || udh.total <= 1) take(id, to, decodeContent(m.msgFmt, partText));
        else {
          const key = `${to}:${udh.reference}:${udh.total}`;
          let entry = partial.get(key);
          if (!entry) {
            entry = { parts: new Map(), total: udh.total, firstId: id };
            partial.set(key, entry);
          }
          if (udh.number === 1) entry.firstId = id;
          entry.parts.set(udh.number, partText);
          if (entry.parts.size === entry.total) {
            partial.delete(key);
            const joined = Buffer.concat([...entry.parts.entries()].sort((a, c) => a[0] - c[0]).map(([, p]) => p));
            take(entry.firstId, to, decodeContent(m.msgFmt, joined));
          }
        }
        if (m.registeredDelivery !== 1) return;
        const fail = failing.has(to) || (behaviour.failEvery ? accepted % behaviour.failEvery === 0 : false);
        if (!udh || udh.number === (udh.total || 1)) failing.delete(to);
        const validUntil = parseCmppTime(m.validTime)?.getTime() ?? Number.POSITIVE_INFINITY;
        const delay = behaviour.delayMs ?? 0;
        const expires = Date.now() + delay > validUntil;
        const stat = expires ? 'EXPIRED' : fail ? 'UNDELIV' : 'DELIVRD';
        const submitTime = cmppTimestamp(now()).slice(0, 10);
        later(expires ? Math.max(0, validUntil - Date.now()) : delay, () => {
          const report = encode.statusReport(v, {
            msgId,
            stat,
            submitTime,
            doneTime: cmppTimestamp(now()).slice(0, 10),
            destTerminalId: to,
            smscSequence: accepted,
          });
          deliver(
            body(
              encode.deliver(v, 0, {
                msgId,
                destId: m.srcId,
                serviceId: m.serviceId,
                tpUdhi: 0,
                msgFmt: MSG_FMT.ascii,
                srcTerminalId: to,
                registeredDelivery: 1,
                content: report,
              }),
            ),
          );
        });
        return;
      }
      default:
        return;
    }
  }

  function take(gatewayId: string, to: string, text: string) {
    const message: ReceivedMessage = { gatewayId, to, text, ref: null, at: new Date() };
    received.push(message);
    for (const l of listeners) l(message);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  log(`本地短信网关（CMPP ${v === 0x30 ? '3.0' : '2.0'}）监听 ${options.host ?? '127.0.0.1'}:${port}`);

  return {
    port,
    received,
    onMessage: (l) => void listeners.push(l),
    setBehaviour: (b) => {
      behaviour = { ...b };
    },
    failNumbers: (numbers) => {
      for (const n of numbers) failing.add(n);
    },
    sendReply(from, text) {
      if (!bound.size) return false;
      deliver(
        body(
          encode.deliver(v, 0, {
            msgId: nextMsgId(),
            destId: '10690000',
            serviceId: '',
            tpUdhi: 0,
            msgFmt: MSG_FMT.ucs2,
            srcTerminalId: from,
            registeredDelivery: 0,
            content: ucs2(text).subarray(0, 140),
          }),
        ),
      );
      return true;
    },
    dropConnections() {
      for (const s of sockets) s.destroy();
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A CONNECT's MMDDHHMMSS within `minutes` of the ISMG's clock (the year is the nearest one). */
function withinMinutes(stamp: string, at: Date, minutes: number): boolean {
  const m = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(stamp);
  if (!m) return false;
  const china = new Date(at.getTime() + 8 * 3_600_000);
  let best = Number.POSITIVE_INFINITY;
  for (const year of [china.getUTCFullYear() - 1, china.getUTCFullYear(), china.getUTCFullYear() + 1]) {
    const t = Date.UTC(year, Number(m[1]) - 1, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])) - 8 * 3_600_000;
    best = Math.min(best, Math.abs(t - at.getTime()));
  }
  return best <= minutes * 60_000;
}
