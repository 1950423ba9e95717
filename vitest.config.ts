import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['server/test/global-setup.ts'],
    include: ['server/**/*.test.ts', 'e2e/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: 2,
    // Test files share their worker's module cache instead of importing the server's module graph
    // again each (139 files: 330 s of imports in a CI run). Measured on this machine, the whole
    // suite: 714 s isolated, 471 s not, all 858 tests passing both ways. Every test file builds its
    // own app and database from createTestApp (no module-level state is shared), and a file that
    // changes process.env puts it back in afterAll.
    isolate: false,
    // expect.poll waits for what a user would wait for (a page answering, a list reloading). Its
    // default of 1 s failed a browser test on a loaded machine (the exchange page's 已吊销 after a
    // revoke); a poll still passes as soon as the condition holds, so only a failure waits longer.
    expect: { poll: { timeout: 10_000 } },
    reporters: ['default'],
  },
});
