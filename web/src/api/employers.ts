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
import type { RoleName } from './types.ts';
import { EMPLOYER_READERS, EMPLOYER_CREATORS, EMPLOYER_EDITORS } from '../../../contracts/roles.ts';
import { EMPLOYERS_PATH } from '../../../contracts/paths.ts';

export { EMPLOYER_KIND, industryCascaderOptions, industryByCode, industryLabel, INDUSTRY_SECTIONS };
export type { CreateEmployerInput, Employer, EmployerListQueryInput, UpdateEmployerInput };

export { EMPLOYERS_PATH };
export const employerPath = (id: string) => `${EMPLOYERS_PATH}/${encodeURIComponent(id)}`;

/** Employers and postings are not personal data: every staff role reads them; an employer account its own. */
export const JOB_READER_ROLES: RoleName[] = [...EMPLOYER_READERS];
/** Who registers employers: admins and township operators, in their own region. */
export const EMPLOYER_CREATOR_ROLES: RoleName[] = [...EMPLOYER_CREATORS];
/** Who edits employers: those creators in their region, and an employer account its own record. */
export const EMPLOYER_EDITOR_ROLES: RoleName[] = [...EMPLOYER_EDITORS];

export const EMPLOYER_KIND_COLORS: Record<string, string> = { designated: 'red', base: 'volcano', workshop: 'green', ordinary: 'default' };

/** The section and division of an industry division code, for the cascader's value ('19' → ['C', '19']). */
export function industryPath(code: string | null | undefined): string[] | undefined {
  const industry = industryByCode(code);
  return industry ? [industry.section, industry.code] : undefined;
}
