import { markAllHouseholds, settleAllHouseholds } from '../modules/households/index.ts';
import type { GeneratorStep } from './step.ts';

/**
 * The households' derived state (migration 0062) for the generated cards: the laborers step loads
 * cards with the triggers paused, so every household is marked and settled here, with progress —
 * the figures are then read from the derived state from the first request on.
 */
export const householdsStep: GeneratorStep = {
  name: 'households',
  description: '户的派生状态（户数、有人就业、零就业、收入达线）',
  async run(ctx) {
    await markAllHouseholds(ctx.db);
    const t0 = performance.now();
    let total = 0;
    const done = await settleAllHouseholds(ctx.db, (n, left) => {
      total = Math.max(total, n + left);
      ctx.progress('户', n, total);
    });
    return `${done} households settled in ${((performance.now() - t0) / 1000).toFixed(1)} s`;
  },
};
