import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The files that took 40 s or more in a whole run (2026-12-07, fresh clone: 56–127 s each). They
 * start first, so a clone without Vitest's timing cache (CI) does not end with one worker running
 * one of them alone: that run's two workers finished a minute apart, with the files in Vitest's
 * order for unknown timings (the larger file first). With the cache, Vitest puts them first anyway.
 */
const LONG_FIRST = [
  'e2e/first-requests.test.ts',
  'server/src/modules/stats/asof.property.test.ts',
  'server/src/tasks/sms-sender.kill.test.ts',
  'server/src/generate/generator.test.ts',
  'server/src/modules/regions/regions.names.test.ts',
  'server/src/modules/registry/laborers.import.test.ts',
  'e2e/workbench.test.ts',
  'e2e/retention.test.ts',
];

class LongFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]) {
    const rank = (file: TestSpecification) => {
      const i = LONG_FIRST.findIndex((name) => file.moduleId.endsWith(name));
      return i < 0 ? LONG_FIRST.length : i;
    };
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    globalSetup: ['server/test/global-setup.ts'],
    include: ['server/**/*.test.ts', 'e2e/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    sequence: { sequencer: LongFirstSequencer },
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
