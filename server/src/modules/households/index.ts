/**
 * The households module's public face (issue 20 item 1): households (户) read from the cards'
 * ledger as of any date, their figures and the province's yearly poverty line.
 */
export { householdRoutes } from './households.routes.ts';
export { createHouseholdsService, type HouseholdsService } from './households.service.ts';
/** The derived state of migration 0062: the server's background settler, the generator and the benchmark settle it. */
export {
  householdFiguresFromLedger,
  householdFiguresOn,
  householdMarks,
  markAllHouseholds,
  settleAllHouseholds,
  settleHouseholds,
  startHouseholdSettler,
} from './households.settle.ts';
