import { describe, expect, it } from 'vitest';
import { jobTypeToOccupation, occupationByCode } from '../../../contracts/occupations.ts';
import { DEMO_POSTINGS } from './demo-employers.ts';
import { PUBLIC_WELFARE_OCCUPATION } from './employment.model.ts';
import { JOB_TYPES } from './laborers.model.ts';
import { CONSTRUCTION_JOBS, FACTORY_JOBS, SERVICE_JOBS } from './postings.step.ts';

/**
 * The demo generator writes occupation codes on postings and employment records, and job-type words
 * on cards that matching turns into codes: every one must be a code of the table, or postings would
 * be refused and matching would not see the wanted job.
 */
describe('occupation codes the demo generator uses', () => {
  it('resolves every job-type word of postings and cards to a code in the table', () => {
    const words = [...FACTORY_JOBS, ...SERVICE_JOBS, ...CONSTRUCTION_JOBS].map(([w]) => w).concat(JOB_TYPES);
    expect(words.length).toBeGreaterThan(20);
    for (const w of words) {
      const code = jobTypeToOccupation(w);
      expect(code, w).not.toBeNull();
      expect(occupationByCode(code), `${w} → ${code}`).toBeDefined();
    }
  });

  it('uses only codes of the table on the demo employer postings and public-welfare jobs', () => {
    expect(occupationByCode(PUBLIC_WELFARE_OCCUPATION)?.name).toBe('水利、环境和公共设施管理服务人员');
    expect(DEMO_POSTINGS.map((p) => occupationByCode(p.occupationCode)?.name)).toEqual(['缝纫工', '皮革及皮革制品加工工']);
  });
});
