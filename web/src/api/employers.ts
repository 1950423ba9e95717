/**
 * Employers (用人单位) on the console side: API shapes from contracts/employers.ts, the kind and
 * industry dictionaries, and who may do what (mirrors the server's EMPLOYER_* role lists).
 */
import {
  EMPLOYER_KIND,
  type CreateEmployerInput,
  type Employer,
  type EmployerListQueryInput,
  type UpdateEmployerInput,
} from '../../../contracts/employers.ts';
import { industryCascaderOptions, industryByCode, industryLabel, INDUSTRY_SECTIONS } from '../../../contracts/industries.ts';
import { EMPLOYERS_PATH } from '../../../contracts/paths.ts';
export { EMPLOYER_CREATOR_ROLES, EMPLOYER_EDITOR_ROLES, JOB_READER_ROLES } from './roles.ts';

export { EMPLOYER_KIND, industryCascaderOptions, industryByCode, industryLabel, INDUSTRY_SECTIONS };
export type { CreateEmployerInput, Employer, EmployerListQueryInput, UpdateEmployerInput };

export { EMPLOYERS_PATH };
export const employerPath = (id: string) => `${EMPLOYERS_PATH}/${encodeURIComponent(id)}`;

export const EMPLOYER_KIND_COLORS: Record<string, string> = { designated: 'red', base: 'volcano', workshop: 'green', ordinary: 'default' };

/** The section and division of an industry division code, for the cascader's value ('19' → ['C', '19']). */
export function industryPath(code: string | null | undefined): string[] | undefined {
  const industry = industryByCode(code);
  return industry ? [industry.section, industry.code] : undefined;
}
