import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['server/test/global-setup.ts'],
    include: ['server/**/*.test.ts', 'e2e/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: 2,
    // expect.poll waits for what a user would wait for (a page answering, a list reloading). Its
    // default of 1 s failed a browser test on a loaded machine (the exchange page's 已吊销 after a
    // revoke); a poll still passes as soon as the condition holds, so only a failure waits longer.
    expect: { poll: { timeout: 10_000 } },
    reporters: ['default'],
  },
});
