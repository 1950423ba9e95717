/**
 * The public-welfare module's public face (公益性岗位, issue 20 item 9): what the app and other
 * modules may use of it. Nothing else of the module is imported from outside it.
 */
export { publicWelfareRoutes } from './public-welfare.routes.ts';
export { createPublicWelfareService, type PublicWelfareService } from './public-welfare.service.ts';
