/**
 * The laborer's page's API (contracts/mobile.ts). Its own small fetch: a 401 means "sign in with
 * your phone", never the staff console's login page. Types only from the contracts: the page
 * carries no schema code.
 */
import type { MobileMe, OnlineFair } from '../../../contracts/mobile.ts';
import type { PostingBrief } from '../../../contracts/matching.ts';

export type { MobileMe, OnlineFair, PostingBrief };
export type PostingChoice = { posting: PostingBrief; applied: boolean };
export type Recommended = PostingChoice & { reasons: string[] };
export type Application = { id: string; postingId: string; title: string; employerName: string; status: string; createdAt: string };

export class MobileError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: { Accept: 'application/json', ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
  } catch {
    throw new MobileError(0, 'NETWORK_ERROR', '网络连接失败，请稍后重试');
  }
  const data = await response.json().catch(() => null);
  if (!response.ok)
    throw new MobileError(response.status, data?.code ?? `HTTP_${response.status}`, data?.message ?? '操作失败，请稍后重试');
  return data as T;
}

const id = (value: string) => encodeURIComponent(value);

export const mobileApi = {
  requestCode: (phone: string) => call<{ message: string; expiresInSeconds: number }>('POST', '/api/v1/mobile/code', { phone }),
  login: (phone: string, code: string) => call<{ ok: boolean }>('POST', '/api/v1/mobile/login', { phone, code }),
  logout: () => call<{ ok: boolean }>('POST', '/api/v1/mobile/logout', {}),
  me: () => call<MobileMe>('GET', '/api/v1/mobile/me'),
  recommendations: () => call<{ refused: string | null; items: Recommended[] }>('GET', '/api/v1/mobile/recommendations'),
  link: (code: string) => call<{ items: PostingChoice[] }>('GET', `/api/v1/mobile/links/${id(code)}`),
  apply: (postingId: string) => call<{ id: string; status: string }>('POST', '/api/v1/mobile/applications', { postingId }),
  applications: () => call<{ items: Application[] }>('GET', '/api/v1/mobile/applications'),
  wishes: (w: { willingness: string; wantedJobTypes: string[]; expectedWage: number | null }) =>
    call<{ id: string; status: string }>('POST', '/api/v1/mobile/wishes', w),
  smsPreference: (receive: boolean) => call<{ smsOptedOut: boolean }>('POST', '/api/v1/mobile/sms-preference', { receive }),
  fairs: () => call<{ items: OnlineFair[] }>('GET', '/api/v1/mobile/fairs'),
  fair: (fairId: string) => call<{ fair: OnlineFair; items: PostingChoice[] }>('GET', `/api/v1/mobile/fairs/${id(fairId)}`),
  applyAtFair: (fairId: string, postingId: string) =>
    call<{ attendeeId: string; intentionId: string; referralId: string; status: string }>(
      'POST',
      `/api/v1/mobile/fairs/${id(fairId)}/applications`,
      { postingId },
    ),
};
