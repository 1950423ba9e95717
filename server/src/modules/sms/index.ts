/**
 * The sms module's public face (issue 17 item 1): what other modules, the app, tasks, the
 * generator, the CLI and the benchmarks may use of it. Nothing else of the module is imported from outside it.
 */
import * as repo from './sms.repo.ts';
export { composeMessages, createFiller } from './compose.ts';
export { type DeliveryReceipt, GatewayUnavailable, type SmsGateway } from './gateway/gateway.ts';
export { type LocalSmsc, type SmscBehaviour, startLocalSmsc } from './gateway/local-smsc.ts';
export { createSmppClient } from './gateway/smpp-client.ts';
export { createCmppClient } from './gateway/cmpp-client.ts';
export { startLocalIsmg } from './gateway/local-ismg.ts';
export { createConfiguredGateway, gatewayConfigured, startLocalGateway } from './gateway/configured.ts';
export { handleInbound, phoneIndexOf } from './replies.ts';
export { smsRoutes } from './sms.routes.ts';
export { createSmsService, type SmsService } from './sms.service.ts';
export { compileTemplate, linkCode, messageIdOfCode, segmentsOf, withSignature } from './template.ts';
/** Opt-out and the phone's card for the mobile page; the sending queue for tasks/sms-sender.ts and tasks/sms-runtime.ts; recipients for the benchmark. */
export const smsRepo: Pick<
  typeof repo,
  | 'activeCampaigns'
  | 'claim'
  | 'countRecipients'
  | 'deleteMessages'
  | 'finishIfDone'
  | 'isOptedOut'
  | 'laborerByPhone'
  | 'optIn'
  | 'optOut'
  | 'recipientCondition'
  | 'recipientPage'
  | 'recordOutcomes'
  | 'recordReceipts'
  | 'setCampaign'
  | 'settleUnsettled'
  | 'unsettled'
> = repo;
export type { SendOutcome } from './sms.repo.ts';
