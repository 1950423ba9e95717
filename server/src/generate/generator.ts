import { Rng } from './random.ts';
import type { GeneratorContext, GeneratorStep } from './step.ts';
import { accountsStep } from './accounts.step.ts';
import { laborersStep } from './laborers.step.ts';
import { postingsStep } from './postings.step.ts';
import { agreementsStep } from './agreements.step.ts';
import { fairsStep } from './fairs.step.ts';
import { liaisonStep } from './liaison.step.ts';
import { brokersStep } from './brokers.step.ts';
import { travelStep } from './travel.step.ts';
import { teamsStep } from './teams.step.ts';
import { workshopStandingStep, workshopsStep } from './workshops.step.ts';
import { serviceRecordsStep } from './service-records.step.ts';
import { trainingStep } from './training.step.ts';
import { schoolingStep } from './schooling.step.ts';
import { subsidiesStep } from './subsidies.step.ts';
import { publicWelfareStep } from './public-welfare.step.ts';
import { smsStep } from './sms.step.ts';
import { demoReferralsStep } from './demo-referrals.step.ts';
import { statsPauseStep, statsResumeStep, statsTargetsStep } from './targets.step.ts';
import { householdsStep } from './households.step.ts';

/**
 * The data generator framework: `laowu generate --preset demo|province --seed N`.
 * Each domain contributes a step; steps run in order, each deterministic for the seed (each gets
 * its own forked generator, so adding a step never changes what the others make) and idempotent
 * (re-running a preset adds nothing twice).
 */
export type { GeneratorContext, GeneratorStep, Preset } from './step.ts';
export { DEMO_COUNTIES, PROVINCE } from './places.ts';

export const STEPS: GeneratorStep[] = [
  statsPauseStep,
  accountsStep,
  laborersStep,
  statsResumeStep,
  postingsStep,
  agreementsStep,
  brokersStep,
  liaisonStep,
  fairsStep,
  teamsStep,
  workshopsStep,
  workshopStandingStep,
  serviceRecordsStep,
  trainingStep,
  schoolingStep,
  subsidiesStep,
  publicWelfareStep,
  travelStep,
  smsStep,
  demoReferralsStep,
  statsTargetsStep,
  householdsStep,
];

export async function generate(
  base: Omit<GeneratorContext, 'rng' | 'progress'> & { onProgress?: (step: string, phase: string, done: number, total: number) => void },
): Promise<{ step: string; summary: string; seconds: number }[]> {
  const root = new Rng(base.seed);
  const results = [];
  for (const step of STEPS) {
    const started = performance.now();
    const summary = await step.run({
      ...base,
      rng: root.fork(step.name),
      progress: (phase, done, total) => base.onProgress?.(step.name, phase, done, total),
    });
    await base.db.transaction().execute((tx) =>
      base.audit.record(
        tx,
        { actor: null, ip: null, claimedUsername: 'generator' },
        {
          action: `generate.${step.name}`,
          entity: 'generator',
          details: { preset: base.preset, seed: base.seed, summary },
        },
      ),
    );
    results.push({ step: step.name, summary, seconds: (performance.now() - started) / 1000 });
  }
  return results;
}
