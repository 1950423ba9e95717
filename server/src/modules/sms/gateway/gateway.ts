/**
 * The adapter boundary between campaigns and whatever carries the messages: an SMPP 3.4 SMSC
 * (smpp-client.ts) or a CMPP 2.0/3.0 ISMG (cmpp-client.ts), chosen by LAOWU_SMS_PROTOCOL. Campaigns and the sender
 * see only this interface.
 */

export interface OutboundMessage {
  /** Our own reference (the sms_message id, or 'otp-…'): echoed in receipts where the gateway can. */
  ref: string;
  /** 11-digit mainland mobile number, clear (decrypted for this call only). */
  to: string;
  /** The whole text with its 【signature】; the gateway splits it into parts as it must. */
  text: string;
  /** An absolute validity: the gateway answers with a final receipt by then (delivered, failed or expired). */
  validUntil: Date;
}

export type SubmitResult =
  | { ok: true; gatewayId: string }
  /** Refused for good (bad number, content refused): never retried. */
  | { ok: false; permanent: true; detail: string }
  /** Throttled or the gateway is busy: the message was not taken and may be offered again. */
  | { ok: false; permanent: false; detail: string };

export interface DeliveryReceipt {
  gatewayId: string | null;
  /** Our reference when the gateway echoes it (see echoesReference). */
  ref: string | null;
  /**
   * The number the message went to, when the receipt names it and our reference is unknown (CMPP's
   * status report): the sender settles it by the one unanswered message to that number.
   */
  to?: string | null;
  state: 'delivered' | 'undeliverable' | 'expired' | 'rejected' | 'unknown';
  errorCode: string | null;
}

export interface InboundMessage {
  from: string;
  text: string;
}

export interface SmsGateway {
  readonly name: string;
  /**
   * True when every receipt identifies its message — by our reference (SMPP through the local
   * SMSC's TLV) or by its number (CMPP, whose status report names the number: a report for an id
   * the client does not know settles the oldest unanswered message to that number) —: a send whose submit response was lost can be settled
   * from receipts alone, and silence after its validity proves it was never accepted.
   */
  readonly echoesReference: boolean;
  /** Resolves once the gateway answered; rejects (GatewayUnavailable) when the connection dropped first: outcome unknown. */
  submit(message: OutboundMessage): Promise<SubmitResult>;
  /**
   * The gateway is answered (deliver_sm_resp) only once every listener's promise resolved: a
   * receipt or a reply is acknowledged after it is stored, so a crash in between makes the
   * gateway deliver it again rather than lose it.
   */
  onReceipt(listener: (receipt: DeliveryReceipt) => void | Promise<void>): void;
  onInbound(listener: (message: InboundMessage) => void | Promise<void>): void;
  /** Bound and able to take submits now. */
  isReady(): boolean;
  /** Milliseconds the current binding has lasted (0 when not bound). */
  boundFor(): number;
  waitReady(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

/** The connection dropped with the submit in flight, or there is none: whether the gateway took it is unknown. */
export class GatewayUnavailable extends Error {
  constructor(message = 'gateway unavailable') {
    super(message);
  }
}

/**
 * The "bound yet?" waiters a gateway client keeps (SMPP and CMPP alike): `wait` resolves true once
 * `ready()` is called, false after the timeout.
 */
export function readiness() {
  const waiters = new Set<() => void>();
  return {
    wait(isReady: boolean, timeoutMs: number): Promise<boolean> {
      if (isReady) return Promise.resolve(true);
      return new Promise((resolve) => {
        const done = () => {
          clearTimeout(timer);
          resolve(true);
        };
        const timer = setTimeout(() => {
          waiters.delete(done);
          resolve(false);
        }, timeoutMs);
        waiters.add(done);
      });
    },
    ready() {
      for (const w of waiters) w();
      waiters.clear();
    },
  };
}
