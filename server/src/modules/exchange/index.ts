/**
 * The exchange module's public face (issue 21 item 5, docs/exchange.md): the client systems of the
 * data exchange and the change feed they read. Nothing else of the module is imported from outside it.
 */
export { link as linkExchangeChanges } from './exchange.repo.ts';
export { exchangeRoutes } from './exchange.routes.ts';
export { createExchangeService, type ExchangeService } from './exchange.service.ts';
export { createExchangeFiles } from './exchange.files.ts';
