/**
 * The field pages' online work (issue 19 item 1): the broker's job seekers and referrals, the
 * officer's jobs and referrals. Each call is an endpoint the console already uses, with the same
 * role lists and rules on the server (brokers, referrals, postings, employment, regions); none of
 * it is kept on the phone, so it needs a connection and the pages say so when there is none.
 */
import type { BrokerLaborer, MyLaborers } from '../../../contracts/brokers.ts';
import type {
  CardEmployments,
  CreateEmploymentInput,
  EndEmploymentInput,
  Employment,
  FollowUp,
  RecordFollowUpInput,
} from '../../../contracts/employment.ts';
import type { Posting } from '../../../contracts/postings.ts';
import type { CreateReferralInput, Referral, ReferralDetail } from '../../../contracts/referrals.ts';
import type { Region } from '../../../contracts/regions.ts';
import { POSTINGS_PATH, REFERRALS_PATH } from '../../../contracts/paths.ts';
import { call, FieldError } from './api.ts';

export type {
  BrokerLaborer,
  CardEmployments,
  Employment,
  FollowUp,
  MyLaborers,
  Posting,
  RecordFollowUpInput,
  Referral,
  ReferralDetail,
  Region,
};

const query = (params: Record<string, string | number | boolean | undefined>) =>
  Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join('&');

export const workApi = {
  /** The broker's job seekers: the villages of their contracts valid today (modules/brokers). */
  myLaborers: (params: { name?: string; village?: string; page?: number }) =>
    call<MyLaborers>('GET', `/api/v1/brokers/me/laborers?${query({ pageSize: 50, ...params })}`),
  /** Open postings (岗位供给清单), by title. */
  openPostings: (q: string) =>
    call<{ items: Posting[] }>('GET', `${POSTINGS_PATH}?${query({ openOnly: true, pageSize: 30, q: q.trim() })}`),
  refer: (body: CreateReferralInput) => call<ReferralDetail>('POST', REFERRALS_PATH, body),
  /** A broker's own referrals; staff's for a laborer with `laborer`. */
  referrals: (params: { laborer?: string } = {}) =>
    call<{ items: Referral[]; total: number }>('GET', `${REFERRALS_PATH}?${query({ pageSize: 50, ...params })}`),
  referral: (id: string) => call<ReferralDetail>('GET', `${REFERRALS_PATH}/${encodeURIComponent(id)}`),
  /** The card's jobs: the current one and those before. */
  jobs: (laborerId: string) => call<CardEmployments>('GET', `/api/v1/laborers/${encodeURIComponent(laborerId)}/employments`),
  registerJob: (body: CreateEmploymentInput) => call<Employment>('POST', '/api/v1/employments', body),
  endJob: (id: string, body: EndEmploymentInput) => call<Employment>('POST', `/api/v1/employments/${encodeURIComponent(id)}/end`, body),
  /** Counties by name (中文、拼音), for a job's place of work. */
  counties: (q: string) => call<{ items: Region[] }>('GET', `/api/v1/regions?${query({ q: q.trim(), level: 'county', limit: 8 })}`),
  region: (code: string) => call<Region>('GET', `/api/v1/regions/${encodeURIComponent(code)}`),
  /** The follow-ups not yet made that the caller may record (a broker: those on their own list), due by `dueBy`, earliest first. */
  dueFollowUps: (dueBy: string) =>
    call<{ items: FollowUp[]; total: number }>('GET', `/api/v1/follow-ups?${query({ status: 'due', dueBy, pageSize: 50 })}`),
  recordFollowUp: (id: string, body: RecordFollowUpInput) => call<FollowUp>('POST', `/api/v1/follow-ups/${encodeURIComponent(id)}`, body),
};

/** A referral refused for a hard condition of the matching (REFERRAL_CONDITION_FAILED): which, to ask for the reason. */
export function conditionFailure(error: unknown): { label: string; detail: string } | null {
  if (!(error instanceof FieldError) || error.code !== 'REFERRAL_CONDITION_FAILED') return null;
  const d = (error.details ?? {}) as { label?: string; detail?: string };
  return { label: d.label ?? '', detail: d.detail ?? error.message };
}
