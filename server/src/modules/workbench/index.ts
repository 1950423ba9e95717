/**
 * The workbench module's public face (issue 17 item 1): the 工作台 of each role, built from what the
 * owning modules export; it owns no table.
 */
export { createWorkbenchService, type WorkbenchService } from './workbench.service.ts';
export { workbenchRoutes } from './workbench.routes.ts';
