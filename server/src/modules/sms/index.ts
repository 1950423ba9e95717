/**
 * The sms module's public face (issue 17 item 1): what other modules, the app, tasks, the
 * generator, the CLI and the benchmarks may use of it. Nothing else of the module is imported from outside it.
 */
export { composeMessages, createFiller } from './compose.ts';
export { type DeliveryReceipt, GatewayUnavailable, type SmsGateway } from './gateway/gateway.ts';
export { type LocalSmsc, type SmscBehaviour, startLocalSmsc } from './gateway/local-smsc.ts';
export { createSmppClient } from './gateway/smpp-client.ts';
export { handleInbound, phoneIndexOf } from './replies.ts';
export { smsRoutes } from './sms.routes.ts';
export { createSmsService, type SmsService } from './sms.service.ts';
export { compileTemplate, linkCode, messageIdOfCode, segmentsOf, withSignature } from './template.ts';
