import smpp, { type PDU, type Session } from 'smpp';
import { decodeText, REF_TLV, registerRefTlv } from './smpp-client.ts';

/**
 * A local SMSC on the `smpp` package's server side, for the demo (`npm start`) and the tests: it
 * binds transceivers, accepts submit_sm, answers enquire_link, and emits a delivery receipt
 * (deliver_sm) for every accepted message — delivered after a delay, undeliverable when told to
 * fail it, expired at the message's validity when the delay outlasts it. Receipts for a system_id
 * with no bound session wait and go out on its next bind, as an SMSC's store-and-forward does.
 * It can also send replies (mobile-originated messages) to the platform.
 */
export interface ReceivedMessage {
  gatewayId: string;
  to: string;
  text: string;
  ref: string | null;
  at: Date;
}

export interface SmscBehaviour {
  /** Receipts come this long after the submit (default 0). */
  delayMs?: number;
  /** Every n-th accepted message gets an undeliverable receipt (0: none). */
  failEvery?: number;
  /** Every n-th submit is refused outright with ESME_RSUBMITFAIL (0: none). */
  rejectEvery?: number;
}

export interface LocalSmsc {
  port: number;
  received: ReceivedMessage[];
  /** Fires on every accepted message (tests wait on it; the demo logs codes with it). */
  onMessage(listener: (m: ReceivedMessage) => void): void;
  setBehaviour(b: SmscBehaviour): void;
  /** The next n numbers given fail (undeliverable receipt) whatever the rule. */
  failNumbers(numbers: string[]): void;
  /** A reply from a phone to the platform (deliver_sm without the receipt flag). */
  sendReply(from: string, text: string): boolean;
  /** Cuts every link now, as a gateway restarting would (the local ISMG; receipts due wait for the next login). */
  dropConnections?(): void;
  close(): Promise<void>;
}

export async function startLocalSmsc(options: {
  port: number;
  host?: string;
  systemId: string;
  password: string;
  behaviour?: SmscBehaviour;
  log?: (m: string) => void;
}): Promise<LocalSmsc> {
  registerRefTlv();
  const log = options.log ?? (() => undefined);
  let behaviour: SmscBehaviour = { ...options.behaviour };
  const received: ReceivedMessage[] = [];
  const listeners: ((m: ReceivedMessage) => void)[] = [];
  const failing = new Set<string>();
  const boundSessions = new Set<Session>();
  const waitingReceipts: Record<string, unknown>[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let nextId = 1;
  let submits = 0;
  let accepted = 0;

  const later = (ms: number, work: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      work();
    }, ms);
    timers.add(t);
  };

  // Receipts sent and not yet acknowledged, per session: a session that closes gives them back.
  const unacked = new Map<Session, Set<Record<string, unknown>>>();
  function deliver(fields: Record<string, unknown>) {
    const session = [...boundSessions][0];
    if (!session) {
      waitingReceipts.push(fields);
      return;
    }
    const pending = unacked.get(session) ?? new Set();
    unacked.set(session, pending);
    pending.add(fields);
    const written = session.deliver_sm({ ...fields }, (resp) => {
      if (!pending.delete(fields)) return;
      // Not stored on the other side (a temporary error): offered again a little later.
      if (resp.command_status !== 0) later(500, () => deliver(fields));
    });
    if (!written) {
      pending.delete(fields);
      waitingReceipts.push(fields);
    }
  }
  function dropSession(session: Session) {
    boundSessions.delete(session);
    const pending = unacked.get(session);
    unacked.delete(session);
    if (pending) for (const fields of pending) waitingReceipts.push(fields);
    if (pending?.size && boundSessions.size) for (const fields of waitingReceipts.splice(0)) deliver(fields);
  }

  const server = smpp.createServer({}, (session: Session) => {
    session.on('error', () => undefined);
    session.on('bind_transceiver', (pdu: PDU) => {
      if (pdu.system_id !== options.systemId || pdu.password !== options.password) {
        session.send(pdu.response({ command_status: smpp.ESME_RBINDFAIL }));
        session.close();
        return;
      }
      session.send(pdu.response({ system_id: 'LAOWU-SMSC' }));
      boundSessions.add(session);
      // Receipts that waited for a bound session go out now.
      for (const fields of waitingReceipts.splice(0)) deliver(fields);
    });
    session.on('enquire_link', (pdu: PDU) => session.send(pdu.response()));
    session.on('unbind', (pdu: PDU) => {
      session.send(pdu.response());
      session.close();
    });
    session.on('close', () => dropSession(session));
    session.on('submit_sm', (pdu: PDU) => {
      if (!boundSessions.has(session)) {
        session.send(pdu.response({ command_status: smpp.ESME_RINVBNDSTS }));
        return;
      }
      submits++;
      const to = String(pdu.destination_addr ?? '').replace(/^\+?86(?=1\d{10}$)/, '');
      if (!/^1[3-9]\d{9}$/.test(to)) {
        session.send(pdu.response({ command_status: smpp.ESME_RINVDSTADR }));
        return;
      }
      if (behaviour.rejectEvery && submits % behaviour.rejectEvery === 0) {
        session.send(pdu.response({ command_status: smpp.ESME_RSUBMITFAIL }));
        return;
      }
      accepted++;
      const gatewayId = (nextId++).toString(16).toUpperCase().padStart(8, '0');
      const ref = pdu[REF_TLV.name] ? String(pdu[REF_TLV.name]) : null;
      const message: ReceivedMessage = { gatewayId, to, text: decodeText(pdu), ref, at: new Date() };
      received.push(message);
      session.send(pdu.response({ message_id: gatewayId }));
      for (const l of listeners) l(message);
      const fail = failing.delete(to) || (behaviour.failEvery ? accepted % behaviour.failEvery === 0 : false);
      const validUntil = pdu.validity_period instanceof Date ? pdu.validity_period.getTime() : Infinity;
      const delay = behaviour.delayMs ?? 0;
      const expires = Date.now() + delay > validUntil;
      const state = expires ? 3 : fail ? 5 : 2;
      const stat = expires ? 'EXPIRED' : fail ? 'UNDELIV' : 'DELIVRD';
      later(expires ? Math.max(0, validUntil - Date.now()) : delay, () =>
        deliver({
          source_addr: to,
          destination_addr: String(pdu.source_addr ?? ''),
          esm_class: 0x04,
          short_message: `id:${gatewayId} sub:001 dlvrd:${state === 2 ? '001' : '000'} stat:${stat} err:${state === 2 ? '000' : '001'}`,
          receipted_message_id: gatewayId,
          message_state: state,
          ...(ref ? { [REF_TLV.name]: ref } : {}),
        }),
      );
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  log(`本地短信中心（SMSC）监听 ${options.host ?? '127.0.0.1'}:${port}`);

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
      if (!boundSessions.size) return false;
      deliver({ source_addr: from, destination_addr: '10690000', esm_class: 0, data_coding: 0x08, short_message: { message: text } });
      return true;
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const s of server.sessions) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
