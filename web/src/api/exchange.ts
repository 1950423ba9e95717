/**
 * 数据交换 on the console side (contracts/exchange.ts, docs/exchange.md): the client systems that read
 * the change feed. Roles mirror the server's EXCHANGE_MANAGERS; registering and revoking is the
 * province admin's (the server says EXCHANGE_PROVINCE_ONLY to the others).
 */
import type { CreatedExchangeClient, ExchangeClient, ExchangeClientList, ExchangeKind } from '../../../contracts/exchange.ts';
import { EXCHANGE_KIND } from '../../../contracts/exchange.ts';
import { EXCHANGE_CLIENTS_PATH } from '../../../contracts/paths.ts';
export { EXCHANGE_ROLES } from './roles.ts';

export type { CreatedExchangeClient, ExchangeClient, ExchangeClientList, ExchangeKind };
export { EXCHANGE_CLIENTS_PATH, EXCHANGE_KIND };
