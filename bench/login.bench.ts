import argon2 from 'argon2';
import { buildApp } from '../server/src/app.ts';
import { connectPools } from '../server/src/db/pools.ts';
import { DEMO_PASSWORD } from '../server/src/generate/demo-accounts.ts';
import { ARGON2_OPTIONS } from '../server/src/modules/accounts/index.ts';
import type { Benchmark } from './harness.ts';

/**
 * Login throughput through the whole stack (validation, argon2id verify, session insert, audit
 * row with its hash chain). Baseline: argon2id verification alone at the same concurrency — the
 * floor no login can beat; the ratio shows what the rest of the stack costs (1.0 is free).
 */
const LOGINS = 200;
const CONCURRENCY = 4;

async function runConcurrently(total: number, concurrency: number, work: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await work(next++);
    }),
  );
}

export const loginBenchmark: Benchmark = {
  name: 'login',
  async run({ config, databaseUrl, log }) {
    const pools = connectPools(databaseUrl, config.db);
    const { app } = await buildApp({ ...config, logLevel: 'silent' }, pools);
    try {
      const users = ['hunan_admin', 'shaoyang_admin', 'xinshao_admin', 'guzhang_admin', 'dazhu_officer'];
      log(`login: ${LOGINS} logins, ${CONCURRENCY} at a time`);
      let failures = 0;
      const started = performance.now();
      await runConcurrently(LOGINS, CONCURRENCY, async (i) => {
        const response = await app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { username: users[i % users.length], password: DEMO_PASSWORD },
        });
        if (response.statusCode !== 200) failures++;
      });
      const perSecond = LOGINS / ((performance.now() - started) / 1000);

      const hash = await argon2.hash(DEMO_PASSWORD, ARGON2_OPTIONS);
      const baselineStarted = performance.now();
      await runConcurrently(LOGINS, CONCURRENCY, async () => {
        await argon2.verify(hash, DEMO_PASSWORD);
      });
      const baselinePerSecond = LOGINS / ((performance.now() - baselineStarted) / 1000);
      return [
        {
          figure: `login throughput (argon2id 19 MiB/t=2, session + audit), ${CONCURRENCY} concurrent`,
          value: perSecond,
          unit: 'logins/s',
          baseline: { label: 'argon2id verify alone, same concurrency', value: baselinePerSecond },
          ratio: perSecond / baselinePerSecond,
          notes: failures ? `${failures} failed logins` : undefined,
        },
      ];
    } finally {
      await app.close();
      await pools.close();
    }
  },
};
