import { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createCmppClient } from './cmpp-client.ts';
import {
  authenticatorIsmg,
  authenticatorSource,
  CMPP,
  CmppFormatError,
  decode,
  decodeContent,
  encode,
  FrameReader,
  MSG_FMT,
  readUdh,
  splitUcs2,
} from './cmpp-codec.ts';
import type { DeliveryReceipt, InboundMessage, SmsGateway } from './gateway.ts';
import { startLocalIsmg } from './local-ismg.ts';
import type { LocalSmsc } from './local-smsc.ts';

const hex = (s: string) => Buffer.from(s.replace(/\s/g, ''), 'hex');
const until = async (check: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('CMPP messages, byte for byte', () => {
  // Vectors of another implementation of the specification (gocmpp's packet tests): source 900001,
  // secret 888888, timestamp 1021080510, sequence 0x17.
  it('CONNECT carries MD5(Source_Addr, 9 NULs, secret, timestamp)', () => {
    const auth = authenticatorSource('900001', '888888', '1021080510');
    expect(auth.toString('hex')).toBe('90d00c1d517abd0b4f65f6bcf8535d16');
    const bytes = encode.connect(0x17, { sourceAddr: '900001', authenticator: auth, version: 0x21, timestamp: 1021080510 });
    expect(bytes).toEqual(hex('00000027 00000001 00000017 393030303031 90d00c1d517abd0b4f65f6bcf8535d16 21 3cdc73be'));
    const back = decode.connect(bytes.subarray(12));
    expect(back).toMatchObject({ sourceAddr: '900001', version: 0x21, timestamp: 1021080510 });
  });

  it("CONNECT_RESP's authenticator differs by the Status field's width (1 octet in 2.0, 4 in 3.0)", () => {
    const source = hex('90d00c1d517abd0b4f65f6bcf8535d16');
    const v2 = encode.connectResp(0x20, 0x17, { status: 0, authenticator: authenticatorIsmg(0x20, 0, source, '888888'), version: 0x21 });
    expect(v2).toEqual(hex('0000001e 80000001 00000017 00 6c0b846e25bab6daa4ed1c466e0f4bd8 21'));
    const v3 = encode.connectResp(0x30, 0x17, { status: 0, authenticator: authenticatorIsmg(0x30, 0, source, '888888'), version: 0x30 });
    expect(v3).toEqual(hex('00000021 80000001 00000017 00000000 7942977274098cf210ab0c16c367bc8d 30'));
  });

  it('SUBMIT and DELIVER read back as written in both versions, with 21- and 32-octet numbers', () => {
    for (const v of [0x20, 0x30] as const) {
      const submit = {
        msgId: Buffer.alloc(8),
        pkTotal: 2,
        pkNumber: 1,
        registeredDelivery: 1,
        serviceId: 'LAOWU',
        tpUdhi: 1,
        msgFmt: MSG_FMT.ucs2,
        msgSrc: '901234',
        validTime: '261206235959032+',
        srcId: '106900001234',
        destTerminalIds: ['13912345678'],
        content: Buffer.from([5, 0, 3, 7, 2, 1, 0x4f, 0x60]),
      };
      const bytes = encode.submit(v, 9, submit);
      // The specification's lengths: 126 + 21 × numbers + content in 2.0, 151 + 32 × numbers + content in 3.0.
      expect(bytes.length).toBe(12 + (v === 0x20 ? 126 + 21 : 151 + 32) + 8);
      expect(decode.submit(v, bytes.subarray(12))).toEqual(submit);
      const report = encode.statusReport(v, {
        msgId: hex('0102030405060708'),
        stat: 'DELIVRD',
        submitTime: '2612061200',
        doneTime: '2612061201',
        destTerminalId: '13912345678',
        smscSequence: 42,
      });
      expect(report.length).toBe(8 + 7 + 10 + 10 + (v === 0x30 ? 32 : 21) + 4);
      const deliver = encode.deliver(v, 3, {
        msgId: hex('0a0b0c0d0e0f1011'),
        destId: '106900001234',
        serviceId: 'LAOWU',
        tpUdhi: 0,
        msgFmt: 0,
        srcTerminalId: '13912345678',
        registeredDelivery: 1,
        content: report,
      });
      const d = decode.deliver(v, deliver.subarray(12));
      expect(d.registeredDelivery).toBe(1);
      expect(decode.statusReport(v, d.content)).toMatchObject({ stat: 'DELIVRD', destTerminalId: '13912345678', smscSequence: 42 });
    }
  });

  it('splits a long text into parts of at most 140 octets behind a header the phone joins again, never cutting a surrogate pair', () => {
    const text = `【湖南人社】${'龙溪铺镇竹木加工厂招工，月薪三千元。'.repeat(8)}𠀀回复TD退订`;
    const parts = splitUcs2(text, 7);
    expect(parts.length).toBe(Math.ceil([...text].length / 67));
    let joined = Buffer.alloc(0);
    parts.forEach((p, i) => {
      expect(p.content.length).toBeLessThanOrEqual(140);
      const udh = readUdh(p.content)!;
      expect(udh).toMatchObject({ reference: 7, total: parts.length, number: i + 1 });
      joined = Buffer.concat([joined, udh.text]);
    });
    expect(decodeContent(MSG_FMT.ucs2, joined)).toBe(text);
    const short = splitUcs2('【湖南人社】您的验证码是 123456', 1);
    expect(short).toHaveLength(1);
    expect(short[0]!.udhi).toBe(0);
  });

  it('reads messages split anywhere across TCP chunks, and refuses a length that is not CMPP', () => {
    const a = encode.activeTest(1);
    const b = encode.terminate(2);
    const stream = Buffer.concat([a, b]);
    const reader = new FrameReader();
    const got = [...reader.push(stream.subarray(0, 5)), ...reader.push(stream.subarray(5, 17)), ...reader.push(stream.subarray(17))];
    expect(got.map((f) => [f.header.commandId, f.header.sequenceId])).toEqual([
      [CMPP.ACTIVE_TEST, 1],
      [CMPP.TERMINATE, 2],
    ]);
    expect(() => new FrameReader().push(hex('7fffffff 00000004 00000001'))).toThrow(CmppFormatError);
    expect(() => new FrameReader().push(hex('00000004 00000004 00000001'))).toThrow(CmppFormatError);
  });
});

describe('the CMPP client against the local ISMG', () => {
  let ismg: LocalSmsc | null = null;
  let client: (SmsGateway & { connected(): boolean }) | null = null;
  afterEach(async () => {
    await client?.close();
    await ismg?.close();
    client = null;
    ismg = null;
  });
  const start = async (version: 0x20 | 0x30, secret = 'ismg-secret', delayMs = 20) => {
    ismg = await startLocalIsmg({ port: 0, sourceAddr: '901234', sharedSecret: 'ismg-secret', version, behaviour: { delayMs } });
    client = createCmppClient({
      host: '127.0.0.1',
      port: ismg.port,
      sourceAddr: '901234',
      sharedSecret: secret,
      version,
      serviceId: 'LAOWU',
      srcId: '106900001234',
      window: 16,
      reconnectMinMs: 50,
      reconnectMaxMs: 200,
    });
    return { ismg, client };
  };
  const validUntil = () => new Date(Date.now() + 60_000);

  for (const version of [0x20, 0x30] as const) {
    it(`CMPP ${version === 0x30 ? '3.0' : '2.0'}: a long Chinese text arrives whole, its receipt names our message, a failed number is undeliverable`, async () => {
      const { ismg, client } = await start(version);
      const receipts: DeliveryReceipt[] = [];
      client.onReceipt((r) => void receipts.push(r));
      expect(await client.waitReady(3000)).toBe(true);
      const text = `【湖南人社】张三您好，${'深圳龙华区电子厂招普工，月薪五千元，包吃住。'.repeat(4)}回复TD退订`;
      ismg.failNumbers(['13700000002']);
      const [a, b, c] = await Promise.all([
        client.submit({ ref: '101', to: '13900000001', text, validUntil: validUntil() }),
        client.submit({ ref: '102', to: '13700000002', text: '【湖南人社】短消息', validUntil: validUntil() }),
        client.submit({ ref: '103', to: '1390000', text: '【湖南人社】号码不对', validUntil: validUntil() }),
      ]);
      expect(a.ok && b.ok).toBe(true);
      expect(c).toMatchObject({ ok: false, permanent: true });
      await until(() => receipts.filter((r) => r.ref === '101').length >= 1 && receipts.some((r) => r.ref === '102'));
      expect(ismg.received.map((m) => [m.to, m.text])).toEqual([
        ['13900000001', text],
        ['13700000002', '【湖南人社】短消息'],
      ]);
      expect(receipts.find((r) => r.ref === '101')).toMatchObject({ state: 'delivered', to: '13900000001' });
      expect(receipts.find((r) => r.ref === '102')).toMatchObject({ state: 'undeliverable', errorCode: 'UNDELIV' });
    });
  }

  it('a wrong shared secret is refused at CONNECT: nothing is bound and nothing is sent', async () => {
    const { client } = await start(0x30, 'not-the-secret');
    expect(await client.waitReady(600)).toBe(false);
    expect(client.isReady()).toBe(false);
  });

  it('a reply from a phone reaches the platform, and a DELIVER whose storing fails is delivered again', async () => {
    const { ismg, client } = await start(0x30);
    const replies: InboundMessage[] = [];
    let refuse = true;
    client.onInbound(async (m) => {
      if (refuse) {
        refuse = false;
        throw new Error('database down');
      }
      replies.push(m);
    });
    await client.waitReady(3000);
    expect(ismg.sendReply('13900000009', '退订')).toBe(true);
    await until(() => replies.length === 1, 3000);
    expect(replies).toEqual([{ from: '13900000009', text: '退订' }]);
  });

  it('the line dropping: the client logs in again and the receipt kept for it arrives; after a restart a receipt names the number instead of our reference', async () => {
    const { ismg, client } = await start(0x30, 'ismg-secret', 300);
    await client.waitReady(3000);
    const receipts: DeliveryReceipt[] = [];
    client.onReceipt((r) => void receipts.push(r));
    expect((await client.submit({ ref: '201', to: '13900000201', text: '【湖南人社】一', validUntil: validUntil() })).ok).toBe(true);
    // The ISMG drops every link before the receipt is due: it waits for the next login, which the client makes by itself.
    ismg.dropConnections!();
    await until(() => !client.isReady(), 2000);
    await until(() => receipts.length === 1, 5000);
    expect(receipts[0]).toMatchObject({ ref: '201', to: '13900000201', state: 'delivered' });

    // A process that stopped with a receipt due: the next one (a fresh client) is told the number, not our reference.
    expect((await client.submit({ ref: '202', to: '13900000202', text: '【湖南人社】二', validUntil: validUntil() })).ok).toBe(true);
    await client.close();
    const next = createCmppClient({
      host: '127.0.0.1',
      port: ismg.port,
      sourceAddr: '901234',
      sharedSecret: 'ismg-secret',
      version: 0x30,
      serviceId: 'LAOWU',
      srcId: '106900001234',
      window: 16,
    });
    const later: DeliveryReceipt[] = [];
    next.onReceipt((r) => void later.push(r));
    try {
      await until(() => later.length === 1, 5000);
      expect(later[0]).toMatchObject({ ref: null, to: '13900000202', state: 'delivered' });
    } finally {
      await next.close();
    }
  });

  it('a peer that sends garbage is cut off without taking the ISMG down', async () => {
    const { ismg, client } = await start(0x30);
    await client.waitReady(3000);
    const rogue = new Socket();
    await new Promise<void>((resolve) => rogue.connect(ismg.port, '127.0.0.1', () => resolve()));
    const closed = new Promise<void>((resolve) => rogue.once('close', () => resolve()));
    rogue.write(hex('7fffffff 00000004 00000001 00'));
    await closed;
    const r = await client.submit({ ref: '301', to: '13900000301', text: '【湖南人社】仍然可用', validUntil: validUntil() });
    expect(r.ok).toBe(true);
  });
});
