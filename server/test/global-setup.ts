import type { TestProject } from 'vitest/node';
import { ensureTemplate, startTestServer } from './test-database.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgTemplate: string;
  }
}

export default async function setup(project: TestProject) {
  const { adminUrl, server } = await startTestServer();
  const template = await ensureTemplate(adminUrl);
  project.provide('pgAdminUrl', adminUrl);
  project.provide('pgTemplate', template);
  return async () => {
    await server?.stop();
  };
}
