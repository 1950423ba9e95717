/**
 * The registry module's public face (issue 17 item 1): what other modules, the app, tasks, the
 * generator, the CLI and the benchmarks may use of it. Nothing else of the module is imported from outside it.
 */
import * as repo from './laborers.repo.ts';
export { FORM_COLUMNS } from './collection-form.ts';
export { duplicateRoutes } from './duplicates.routes.ts';
export { createDuplicatesService } from './duplicates.service.ts';
export { ageOn, idCheckChar, maskIdNumber, maskName, parseIdNumber } from './identity.ts';
export { attachment, laborerImportRoutes, MAX_UPLOAD_BYTES, XLSX } from './laborers.import.routes.ts';
export { createLaborerImports, type LaborerImports } from './laborers.import.ts';
export {
  cardsOfPeople,
  householdPeopleAsOf,
  householdStretches,
  householdVersionsOf,
  maskedIdentifiers,
  peopleAsOf,
} from './laborers.repo.ts';
/** The cards as the exchange feed gives them (modules/exchange). */
export { forExchange as laborersForExchange } from './laborers.repo.ts';
/** The cards in force of a region in keyset pages, for the exchange's cards file (modules/exchange). */
export { exchangeCardsAfter } from './laborers.repo.ts';
export { laborerRoutes } from './laborers.routes.ts';
export { registryImportRoutes } from './registry-import.routes.ts';
export { createRegistryImports, type RegistryImports } from './registry-import.service.ts';
export { createLaborersService, type LaborersService, type ListQuery } from './laborers.service.ts';
export { maskPhone, normalizePhone, parseMobile, PHONE_FORMAT_MESSAGE } from './phone.ts';
export { transferRoutes } from './transfers.routes.ts';
export { createTransfersService, type TransfersService } from './transfers.service.ts';
/** Card ids by name and names by id, for the audit log's search and names (masked by the caller's presenter). */
export const laborersRepo: Pick<typeof repo, 'idsNamed' | 'namesOf'> = repo;
