import { createHash } from 'node:crypto';

/**
 * China Mobile's CMPP (中国移动通信互联网短信网关接口协议), versions 2.0 and 3.0, written from the
 * specification (no maintained npm library exists): the messages the platform exchanges with an
 * ISMG (互联网短信网关) over one long TCP connection. Every message is a 12-byte header
 * (Total_Length, Command_Id, Sequence_Id, big-endian unsigned 32-bit) and a body of fixed-width
 * fields: integers big-endian, strings ASCII padded with NUL. The two versions differ in the width
 * of terminal numbers (21 → 32 octets, with a terminal-type octet), a few status fields (1 → 4
 * octets) and a trailing LinkID instead of 8 reserved octets.
 */
export const CMPP = {
  CONNECT: 0x00000001,
  CONNECT_RESP: 0x80000001,
  TERMINATE: 0x00000002,
  TERMINATE_RESP: 0x80000002,
  SUBMIT: 0x00000004,
  SUBMIT_RESP: 0x80000004,
  DELIVER: 0x00000005,
  DELIVER_RESP: 0x80000005,
  ACTIVE_TEST: 0x00000008,
  ACTIVE_TEST_RESP: 0x80000008,
} as const;

export type CmppVersion = 0x20 | 0x30;
export const HEADER_LENGTH = 12;
/** Longer than any message of either version (a SUBMIT to one number with 140 octets is under 400): anything above is garbage. */
export const MAX_FRAME = 4096;
/** Msg_Fmt: 0 ASCII, 8 UCS2, 15 GBK. */
export const MSG_FMT = { ascii: 0, ucs2: 8, gbk: 15 } as const;
/** Octets of Msg_Content in one message. */
export const MAX_CONTENT = 140;

export interface Header {
  length: number;
  commandId: number;
  sequenceId: number;
}

export class CmppFormatError extends Error {}

/** Field widths that differ between the versions. */
const terminalWidth = (v: CmppVersion) => (v === 0x30 ? 32 : 21);

class Writer {
  private readonly parts: Buffer[] = [];
  u8(n: number) {
    this.parts.push(Buffer.from([n & 0xff]));
    return this;
  }
  u32(n: number) {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n >>> 0);
    this.parts.push(b);
    return this;
  }
  /** A fixed-width ASCII field, NUL padded; too long a value is refused, never cut. */
  str(value: string, width: number) {
    const b = Buffer.alloc(width);
    const bytes = Buffer.from(value, 'latin1');
    if (bytes.length > width) throw new CmppFormatError(`field longer than ${width} octets`);
    bytes.copy(b);
    this.parts.push(b);
    return this;
  }
  bytes(b: Buffer) {
    this.parts.push(b);
    return this;
  }
  frame(commandId: number, sequenceId: number): Buffer {
    const body = Buffer.concat(this.parts);
    const head = Buffer.alloc(HEADER_LENGTH);
    head.writeUInt32BE(HEADER_LENGTH + body.length, 0);
    head.writeUInt32BE(commandId >>> 0, 4);
    head.writeUInt32BE(sequenceId >>> 0, 8);
    return Buffer.concat([head, body]);
  }
}

class Reader {
  private at = 0;
  constructor(private readonly b: Buffer) {}
  private need(n: number) {
    if (this.at + n > this.b.length) throw new CmppFormatError('message shorter than its fields');
  }
  u8() {
    this.need(1);
    return this.b[this.at++]!;
  }
  u32() {
    this.need(4);
    const v = this.b.readUInt32BE(this.at);
    this.at += 4;
    return v;
  }
  str(width: number) {
    this.need(width);
    const raw = this.b.subarray(this.at, this.at + width);
    this.at += width;
    const end = raw.indexOf(0);
    return raw.subarray(0, end < 0 ? width : end).toString('latin1');
  }
  bytes(n: number) {
    this.need(n);
    const v = this.b.subarray(this.at, this.at + n);
    this.at += n;
    return Buffer.from(v);
  }
}

/** The 8-octet Msg_Id as 16 hex digits (how the platform stores a gateway's id). */
export const msgIdHex = (b: Buffer) => b.toString('hex').toUpperCase();
export const msgIdBytes = (hex: string) => Buffer.from(hex.padStart(16, '0').slice(-16), 'hex');

/** MMDDHHMMSS of China time, as CONNECT's Timestamp and the authenticator use it. */
export function cmppTimestamp(at: Date): string {
  const china = new Date(at.getTime() + 8 * 3_600_000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(china.getUTCMonth() + 1)}${two(china.getUTCDate())}${two(china.getUTCHours())}${two(china.getUTCMinutes())}${two(china.getUTCSeconds())}`;
}

/** AuthenticatorSource = MD5(Source_Addr + 9 NUL octets + shared secret + timestamp). */
export function authenticatorSource(sourceAddr: string, secret: string, timestamp: string): Buffer {
  return createHash('md5')
    .update(
      Buffer.concat([Buffer.from(sourceAddr, 'latin1'), Buffer.alloc(9), Buffer.from(secret, 'latin1'), Buffer.from(timestamp, 'latin1')]),
    )
    .digest();
}

/** AuthenticatorISMG = MD5(Status + AuthenticatorSource + shared secret); Status as its octets in the version's width. */
export function authenticatorIsmg(version: CmppVersion, status: number, source: Buffer, secret: string): Buffer {
  const s = version === 0x30 ? Buffer.alloc(4) : Buffer.alloc(1);
  if (version === 0x30) s.writeUInt32BE(status);
  else s[0] = status;
  return createHash('md5')
    .update(Buffer.concat([s, source, Buffer.from(secret, 'latin1')]))
    .digest();
}

export interface Connect {
  sourceAddr: string;
  authenticator: Buffer;
  version: number;
  timestamp: number;
}
export interface ConnectResp {
  status: number;
  authenticator: Buffer;
  version: number;
}
export interface Submit {
  msgId: Buffer;
  pkTotal: number;
  pkNumber: number;
  registeredDelivery: number;
  serviceId: string;
  tpUdhi: number;
  msgFmt: number;
  msgSrc: string;
  validTime: string;
  srcId: string;
  destTerminalIds: string[];
  content: Buffer;
}
export interface SubmitResp {
  msgId: Buffer;
  result: number;
}
export interface Deliver {
  msgId: Buffer;
  destId: string;
  serviceId: string;
  tpUdhi: number;
  msgFmt: number;
  srcTerminalId: string;
  registeredDelivery: number;
  content: Buffer;
}
/** The Msg_Content of a DELIVER with Registered_Delivery 1: the status report of an earlier SUBMIT. */
export interface StatusReport {
  msgId: Buffer;
  stat: string;
  submitTime: string;
  doneTime: string;
  destTerminalId: string;
  smscSequence: number;
}

export const encode = {
  connect(seq: number, c: Connect): Buffer {
    return new Writer().str(c.sourceAddr, 6).bytes(c.authenticator).u8(c.version).u32(c.timestamp).frame(CMPP.CONNECT, seq);
  },
  connectResp(v: CmppVersion, seq: number, r: ConnectResp): Buffer {
    const w = new Writer();
    if (v === 0x30) w.u32(r.status);
    else w.u8(r.status);
    return w.bytes(r.authenticator).u8(r.version).frame(CMPP.CONNECT_RESP, seq);
  },
  submit(v: CmppVersion, seq: number, s: Submit): Buffer {
    const tw = terminalWidth(v);
    const w = new Writer()
      .bytes(s.msgId)
      .u8(s.pkTotal)
      .u8(s.pkNumber)
      .u8(s.registeredDelivery)
      .u8(0) // Msg_level
      .str(s.serviceId, 10)
      .u8(0) // Fee_UserType: the destination pays nothing (free notice)
      .str('', tw); // Fee_terminal_Id
    if (v === 0x30) w.u8(0); // Fee_terminal_type
    w.u8(0) // TP_pId
      .u8(s.tpUdhi)
      .u8(s.msgFmt)
      .str(s.msgSrc, 6)
      .str('01', 2) // FeeType: 免费
      .str('000000', 6) // FeeCode
      .str(s.validTime, 17)
      .str('', 17) // At_Time: now
      .str(s.srcId, 21)
      .u8(s.destTerminalIds.length);
    for (const d of s.destTerminalIds) w.str(d, tw);
    if (v === 0x30) w.u8(0); // Dest_terminal_type: a real number
    if (s.content.length > MAX_CONTENT) throw new CmppFormatError('Msg_Content longer than 140 octets');
    w.u8(s.content.length).bytes(s.content);
    w.str('', v === 0x30 ? 20 : 8); // LinkID (3.0) or Reserve (2.0)
    return w.frame(CMPP.SUBMIT, seq);
  },
  submitResp(v: CmppVersion, seq: number, r: SubmitResp): Buffer {
    const w = new Writer().bytes(r.msgId);
    if (v === 0x30) w.u32(r.result);
    else w.u8(r.result);
    return w.frame(CMPP.SUBMIT_RESP, seq);
  },
  deliver(v: CmppVersion, seq: number, d: Deliver): Buffer {
    const tw = terminalWidth(v);
    const w = new Writer()
      .bytes(d.msgId)
      .str(d.destId, 21)
      .str(d.serviceId, 10)
      .u8(0) // TP_pid
      .u8(d.tpUdhi)
      .u8(d.msgFmt)
      .str(d.srcTerminalId, tw);
    if (v === 0x30) w.u8(0); // Src_terminal_type
    if (d.content.length > 255) throw new CmppFormatError('Msg_Content too long');
    w.u8(d.registeredDelivery).u8(d.content.length).bytes(d.content);
    w.str('', v === 0x30 ? 20 : 8);
    return w.frame(CMPP.DELIVER, seq);
  },
  deliverResp(v: CmppVersion, seq: number, msgId: Buffer, result: number): Buffer {
    const w = new Writer().bytes(msgId);
    if (v === 0x30) w.u32(result);
    else w.u8(result);
    return w.frame(CMPP.DELIVER_RESP, seq);
  },
  statusReport(v: CmppVersion, r: StatusReport): Buffer {
    return new Writer()
      .bytes(r.msgId)
      .str(r.stat, 7)
      .str(r.submitTime, 10)
      .str(r.doneTime, 10)
      .str(r.destTerminalId, terminalWidth(v))
      .u32(r.smscSequence)
      .frame(0, 0)
      .subarray(HEADER_LENGTH);
  },
  activeTest: (seq: number) => new Writer().frame(CMPP.ACTIVE_TEST, seq),
  activeTestResp: (seq: number) => new Writer().u8(0).frame(CMPP.ACTIVE_TEST_RESP, seq),
  terminate: (seq: number) => new Writer().frame(CMPP.TERMINATE, seq),
  terminateResp: (seq: number) => new Writer().frame(CMPP.TERMINATE_RESP, seq),
};

export const decode = {
  header(b: Buffer): Header {
    return { length: b.readUInt32BE(0), commandId: b.readUInt32BE(4), sequenceId: b.readUInt32BE(8) };
  },
  connect(body: Buffer): Connect {
    const r = new Reader(body);
    return { sourceAddr: r.str(6), authenticator: r.bytes(16), version: r.u8(), timestamp: r.u32() };
  },
  connectResp(v: CmppVersion, body: Buffer): ConnectResp {
    const r = new Reader(body);
    return { status: v === 0x30 ? r.u32() : r.u8(), authenticator: r.bytes(16), version: r.u8() };
  },
  submit(v: CmppVersion, body: Buffer): Submit {
    const tw = terminalWidth(v);
    const r = new Reader(body);
    const msgId = r.bytes(8);
    const pkTotal = r.u8();
    const pkNumber = r.u8();
    const registeredDelivery = r.u8();
    r.u8();
    const serviceId = r.str(10);
    r.u8();
    r.str(tw);
    if (v === 0x30) r.u8();
    r.u8();
    const tpUdhi = r.u8();
    const msgFmt = r.u8();
    const msgSrc = r.str(6);
    r.str(2);
    r.str(6);
    const validTime = r.str(17);
    r.str(17);
    const srcId = r.str(21);
    const n = r.u8();
    const destTerminalIds: string[] = [];
    for (let i = 0; i < n; i++) destTerminalIds.push(r.str(tw));
    if (v === 0x30) r.u8();
    const content = r.bytes(r.u8());
    return { msgId, pkTotal, pkNumber, registeredDelivery, serviceId, tpUdhi, msgFmt, msgSrc, validTime, srcId, destTerminalIds, content };
  },
  submitResp(v: CmppVersion, body: Buffer): SubmitResp {
    const r = new Reader(body);
    return { msgId: r.bytes(8), result: v === 0x30 ? r.u32() : r.u8() };
  },
  deliver(v: CmppVersion, body: Buffer): Deliver {
    const r = new Reader(body);
    const msgId = r.bytes(8);
    const destId = r.str(21);
    const serviceId = r.str(10);
    r.u8();
    const tpUdhi = r.u8();
    const msgFmt = r.u8();
    const srcTerminalId = r.str(terminalWidth(v));
    if (v === 0x30) r.u8();
    const registeredDelivery = r.u8();
    const content = r.bytes(r.u8());
    return { msgId, destId, serviceId, tpUdhi, msgFmt, srcTerminalId, registeredDelivery, content };
  },
  deliverResp(v: CmppVersion, body: Buffer): { msgId: Buffer; result: number } {
    const r = new Reader(body);
    return { msgId: r.bytes(8), result: v === 0x30 ? r.u32() : r.u8() };
  },
  statusReport(v: CmppVersion, content: Buffer): StatusReport {
    const r = new Reader(content);
    return {
      msgId: r.bytes(8),
      stat: r.str(7),
      submitTime: r.str(10),
      doneTime: r.str(10),
      destTerminalId: r.str(terminalWidth(v)),
      smscSequence: r.u32(),
    };
  },
};

/**
 * Splits a TCP stream into CMPP messages. A length below the header or above MAX_FRAME is not
 * CMPP: the caller closes the connection (CmppFormatError), never buffers without bound.
 */
export class FrameReader {
  private buffer: Buffer = Buffer.alloc(0);
  push(chunk: Buffer): { header: Header; body: Buffer }[] {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    const out: { header: Header; body: Buffer }[] = [];
    while (this.buffer.length >= HEADER_LENGTH) {
      const header = decode.header(this.buffer);
      if (header.length < HEADER_LENGTH || header.length > MAX_FRAME) throw new CmppFormatError(`bad Total_Length ${header.length}`);
      if (this.buffer.length < header.length) break;
      out.push({ header, body: Buffer.from(this.buffer.subarray(HEADER_LENGTH, header.length)) });
      this.buffer = this.buffer.subarray(header.length);
    }
    return out;
  }
}

/** UCS2 (UTF-16BE) as Msg_Fmt 8 carries it. */
export function ucs2(text: string): Buffer {
  const b = Buffer.from(text, 'utf16le');
  b.swap16();
  return b;
}
export function fromUcs2(b: Buffer): string {
  const c = Buffer.from(b.subarray(0, b.length - (b.length % 2)));
  c.swap16();
  return c.toString('utf16le');
}

/** A message's text in the octets of Msg_Fmt. */
export function decodeContent(fmt: number, content: Buffer): string {
  if (fmt === MSG_FMT.ucs2) return fromUcs2(content);
  if (fmt === MSG_FMT.gbk) return new TextDecoder('gbk').decode(content);
  return content.toString('latin1');
}

/**
 * A text as the parts of one message: a single part of up to 70 characters, or parts of up to 67
 * behind a 6-octet user data header (05 00 03 reference total number, TP_udhi 1) that the phone
 * joins again. A surrogate pair is never cut between two parts.
 */
export function splitUcs2(text: string, reference: number): { content: Buffer; udhi: number }[] {
  const units = ucs2(text);
  if (units.length <= MAX_CONTENT) return [{ content: units, udhi: 0 }];
  const chunks: Buffer[] = [];
  let at = 0;
  while (at < units.length) {
    let end = Math.min(at + 134, units.length);
    // A high surrogate as the last unit: keep the pair together in the next part.
    if (end < units.length && (units.readUInt16BE(end - 2) & 0xfc00) === 0xd800) end -= 2;
    chunks.push(units.subarray(at, end));
    at = end;
  }
  if (chunks.length > 255) throw new CmppFormatError('text too long for one message');
  return chunks.map((c, i) => ({ content: Buffer.concat([Buffer.from([5, 0, 3, reference & 0xff, chunks.length, i + 1]), c]), udhi: 1 }));
}

/** The user data header of a part, when there is one: its reference, total and number. */
export function readUdh(content: Buffer): { reference: number; total: number; number: number; text: Buffer } | null {
  const len = content[0];
  if (len === undefined || content.length < len + 1) return null;
  // 8-bit reference (IEI 0) or 16-bit (IEI 8).
  if (content[1] === 0 && content[2] === 3 && len >= 5)
    return { reference: content[3]!, total: content[4]!, number: content[5]!, text: content.subarray(len + 1) };
  if (content[1] === 8 && content[2] === 4 && len >= 6)
    return { reference: content.readUInt16BE(3), total: content[5]!, number: content[6]!, text: content.subarray(len + 1) };
  return { reference: 0, total: 1, number: 1, text: content.subarray(len + 1) };
}

/**
 * Msg_Id as an ISMG makes it: month, day, hour, minute, second (China time), the gateway's code
 * (22 bits) and a sequence (16 bits), packed into 64 bits.
 */
export function makeMsgId(at: Date, ismgCode: number, sequence: number): Buffer {
  const china = new Date(at.getTime() + 8 * 3_600_000);
  let v = BigInt(china.getUTCMonth() + 1);
  v = (v << 5n) | BigInt(china.getUTCDate());
  v = (v << 5n) | BigInt(china.getUTCHours());
  v = (v << 6n) | BigInt(china.getUTCMinutes());
  v = (v << 6n) | BigInt(china.getUTCSeconds());
  v = (v << 22n) | BigInt(ismgCode & 0x3fffff);
  v = (v << 16n) | BigInt(sequence & 0xffff);
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(v);
  return b;
}

/** A validity as CMPP's ValId_Time: YYMMDDhhmmsstnnp with the offset from UTC in quarters of an hour ("32+" is China). */
export function cmppTime(at: Date): string {
  const china = new Date(at.getTime() + 8 * 3_600_000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(china.getUTCFullYear() % 100)}${two(china.getUTCMonth() + 1)}${two(china.getUTCDate())}${two(china.getUTCHours())}${two(china.getUTCMinutes())}${two(china.getUTCSeconds())}032+`;
}

/** The absolute ValId_Time read back (only the form written above and an empty field are understood). */
export function parseCmppTime(value: string): Date | null {
  const m = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})\d(\d{2})([+-])$/.exec(value);
  if (!m) return null;
  const offsetMin = Number(m[7]) * 15 * (m[8] === '-' ? -1 : 1);
  const utc = Date.UTC(2000 + Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  return new Date(utc - offsetMin * 60_000);
}
