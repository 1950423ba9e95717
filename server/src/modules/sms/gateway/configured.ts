import type { SmsConfig } from '../../../config.ts';
import { createCmppClient } from './cmpp-client.ts';
import type { SmsGateway } from './gateway.ts';
import { startLocalIsmg } from './local-ismg.ts';
import { type LocalSmsc, type SmscBehaviour, startLocalSmsc } from './local-smsc.ts';
import { createSmppClient } from './smpp-client.ts';

/** Whether the configuration names a gateway to send through (else campaigns queue and nothing is sent). */
export const gatewayConfigured = (sms: SmsConfig) => Boolean(sms.protocol === 'cmpp' ? sms.cmpp.sharedSecret : sms.password);

/** The gateway the configuration chooses (LAOWU_SMS_PROTOCOL): an SMPP SMSC or a CMPP ISMG; `at` points it at a local one. */
export function createConfiguredGateway(
  sms: SmsConfig,
  o: { at?: { host: string; port: number }; reconnectMinMs?: number; reconnectMaxMs?: number; log?: (m: string) => void } = {},
): SmsGateway & { connected(): boolean } {
  if (sms.protocol === 'cmpp')
    return createCmppClient({
      host: o.at?.host ?? sms.cmpp.host,
      port: o.at?.port ?? sms.cmpp.port,
      sourceAddr: sms.cmpp.sourceAddr,
      sharedSecret: sms.cmpp.sharedSecret!,
      version: sms.cmpp.version,
      serviceId: sms.cmpp.serviceId,
      srcId: sms.cmpp.srcId,
      window: sms.cmpp.window,
      reconnectMinMs: o.reconnectMinMs,
      reconnectMaxMs: o.reconnectMaxMs,
      log: o.log,
    });
  return createSmppClient({
    host: o.at?.host ?? sms.smppHost,
    port: o.at?.port ?? sms.smppPort,
    systemId: sms.systemId,
    password: sms.password!,
    window: sms.window,
    reconnectMinMs: o.reconnectMinMs,
    reconnectMaxMs: o.reconnectMaxMs,
    log: o.log,
  });
}

/** The local peer of the configured protocol for the demo and the tests: the SMPP SMSC or the CMPP ISMG. */
export function startLocalGateway(
  sms: SmsConfig,
  o: { port?: number; behaviour?: SmscBehaviour; log?: (m: string) => void } = {},
): Promise<LocalSmsc> {
  if (sms.protocol === 'cmpp')
    return startLocalIsmg({
      port: o.port ?? sms.cmpp.port,
      sourceAddr: sms.cmpp.sourceAddr,
      sharedSecret: sms.cmpp.sharedSecret!,
      version: sms.cmpp.version,
      behaviour: o.behaviour,
      log: o.log,
    });
  return startLocalSmsc({
    port: o.port ?? sms.smppPort,
    systemId: sms.systemId,
    password: sms.password!,
    behaviour: o.behaviour,
    log: o.log,
  });
}
