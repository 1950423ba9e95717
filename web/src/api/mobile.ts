/**
 * The laborer's mobile page (contracts/mobile.ts). It has its own small fetch: its 401 means
 * "sign in with your phone", never the staff console's login page.
 */
import type { MobileMe } from '../../../contracts/mobile.ts';
import type { PostingBrief } from '../../../contracts/matching.ts';
import type { RoleName } from './types.ts';
import { WISH_CONFIRMERS } from '../../../contracts/roles.ts';

export type { MobileMe, PostingBrief };

/** Who confirms the wishes sent from phones (the server's WISH_CONFIRMERS). */
export const WISH_CONFIRMER_ROLES: RoleName[] = [...WISH_CONFIRMERS];

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

export const mobileApi = {
  requestCode: (phone: string) => call<{ message: string; expiresInSeconds: number }>('POST', '/api/v1/mobile/code', { phone }),
  login: (phone: string, code: string) => call<{ ok: boolean }>('POST', '/api/v1/mobile/login', { phone, code }),
  logout: () => call<{ ok: boolean }>('POST', '/api/v1/mobile/logout', {}),
  me: () => call<MobileMe>('GET', '/api/v1/mobile/me'),
  recommendations: () =>
    call<{ refused: string | null; items: { reasons: string[]; posting: PostingBrief; applied: boolean }[] }>(
      'GET',
      '/api/v1/mobile/recommendations',
    ),
  link: (code: string) =>
    call<{ items: { posting: PostingBrief; applied: boolean }[] }>('GET', `/api/v1/mobile/links/${encodeURIComponent(code)}`),
  apply: (postingId: string) => call<{ id: string; status: string }>('POST', '/api/v1/mobile/applications', { postingId }),
  applications: () =>
    call<{ items: { id: string; postingId: string; title: string; employerName: string; status: string; createdAt: string }[] }>(
      'GET',
      '/api/v1/mobile/applications',
    ),
  wishes: (w: { willingness: string; wantedJobTypes: string[]; expectedWage: number | null }) =>
    call<{ id: string; status: string }>('POST', '/api/v1/mobile/wishes', w),
  smsPreference: (receive: boolean) => call<{ smsOptedOut: boolean }>('POST', '/api/v1/mobile/sms-preference', { receive }),
};

export const WISH_REQUESTS_PATH = '/api/v1/wish-requests';
