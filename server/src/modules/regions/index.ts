/**
 * The regions module's public face (issue 17 item 1): what other modules, the app, tasks, the
 * generator, the CLI and the benchmarks may use of it. Nothing else of the module is imported from outside it.
 */
import * as repo from './regions.repo.ts';
export { ensureAbroadRegions, loadRegions, readDivisions, regionTreeLoaded } from './regions.loader.ts';
export { ABROAD_CODE, abroadPlaces, isAbroad } from './abroad.ts';
export { regionRoutes } from './regions.routes.ts';
export { regionRefs, requireRegion } from './regions.service.ts';
export {
  createRegionNameResolver,
  placeName,
  recordFormerNames,
  REGION_NAME_LEVELS,
  type RegionNamePath,
  type ResolvedPlace,
} from './regions.names.ts';
/** Regions by code, for the audit log's names. */
export const regionsRepo: Pick<typeof repo, 'findByCode' | 'findMany'> = repo;
