/**
 * 驻外服务 on the console side (contracts/liaison.ts): the office's workers in its host city, their
 * problems and the help given, and the postings it published.
 */
import type {
  LiaisonCase,
  LiaisonCaseList,
  OfficePosting,
  OfficePostingList,
  Worker,
  WorkerDetail,
  WorkerList,
} from '../../../contracts/liaison.ts';
import { LIAISON_CASE_KIND, LIAISON_CASE_STATUS } from '../../../contracts/liaison.ts';
import { LIAISON_CASES_PATH, LIAISON_POSTINGS_PATH, LIAISON_WORKERS_PATH } from '../../../contracts/paths.ts';
export { LIAISON_ROLES } from './roles.ts';

export type { LiaisonCase, LiaisonCaseList, OfficePosting, OfficePostingList, Worker, WorkerDetail, WorkerList };
export { LIAISON_CASE_KIND, LIAISON_CASE_STATUS };

export const WORKERS_PATH = LIAISON_WORKERS_PATH;
export const workerPath = (laborerId: string) => `${WORKERS_PATH}/${laborerId}`;
export const workerCasesPath = (laborerId: string) => `${WORKERS_PATH}/${laborerId}/cases`;
export const CASES_PATH = LIAISON_CASES_PATH;
export const casePath = (id: string) => `${CASES_PATH}/${id}`;
export const OFFICE_POSTINGS_PATH = LIAISON_POSTINGS_PATH;

export const CASE_KIND_COLOR: Record<string, string> = {
  wage_arrears: 'red',
  labor_dispute: 'volcano',
  work_injury: 'magenta',
  hardship: 'gold',
  return_home: 'blue',
  other: 'default',
};
