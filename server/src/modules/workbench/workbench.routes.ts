import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorSchema } from '../../../../contracts/common.ts';
import { WORKBENCH_PATH } from '../../../../contracts/paths.ts';
import { WorkbenchSchema } from '../../../../contracts/workbench.ts';
import type { AppContext } from '../../context.ts';
import type { WorkbenchService } from './workbench.service.ts';

export const workbenchRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; workbench: WorkbenchService }> = async (
  app,
  { ctx, workbench },
) => {
  app.get(WORKBENCH_PATH, {
    // Every account has a workbench; what it holds follows the role (an auditor's is empty).
    config: { access: { roles: 'any' } },
    schema: {
      tags: ['workbench'],
      summary: '工作台：本角色的待办事项（数量及对应列表）和关键指标，限本辖区',
      response: { 200: WorkbenchSchema, 401: ErrorSchema, 403: ErrorSchema },
    },
    handler: async (request) => ctx.db.transaction().execute((tx) => workbench.view(tx, request.actor!)),
  });
};
