/**
 * The field pages' API (contracts/field.ts and the registry's, employment's, workbench's): its own
 * small fetch, as the laborer's page has. A network failure is `offline`, never a crash: the
 * caller keeps working from the phone's copy.
 */
import type { Me } from '../../../contracts/auth.ts';
import type { FieldPackage, SyncEntry, SyncResponse } from '../../../contracts/field.ts';
import type { FollowUp } from '../../../contracts/employment.ts';
import type { Laborer } from '../../../contracts/laborers.ts';
import type { Workbench } from '../../../contracts/workbench.ts';
import { FIELD_PACKAGE_PATH, FIELD_SYNC_PATH, WORKBENCH_PATH } from '../../../contracts/paths.ts';

export type { FieldPackage, Me, SyncResponse, Workbench };

export class FieldError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The error's details as the server gave them (a refused referral names the failed condition). */
    readonly details?: unknown,
  ) {
    super(message);
  }
  get offline() {
    return this.status === 0;
  }
}

export async function call<T>(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: { Accept: 'application/json', ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
  } catch {
    throw new FieldError(0, 'OFFLINE', '没有网络连接');
  }
  if (response.status === 204) return undefined as T;
  const data = await response.json().catch(() => null);
  if (!response.ok)
    throw new FieldError(response.status, data?.code || `HTTP_${response.status}`, data?.message || '操作失败，请稍后重试', data?.details);
  return data as T;
}

export const fieldApi = {
  login: (username: string, password: string) => call<{ user: Me }>('POST', '/api/v1/auth/login', { username, password }),
  logout: () => call<void>('POST', '/api/v1/auth/logout'),
  me: () => call<Me>('GET', '/api/v1/auth/me'),
  workbench: () => call<Workbench>('GET', WORKBENCH_PATH),
  takePackage: () => call<FieldPackage>('GET', FIELD_PACKAGE_PATH),
  sync: (entries: SyncEntry[]) => call<SyncResponse>('POST', FIELD_SYNC_PATH, { entries }),
  /** Without a package taken: the register's own search and card, online. */
  search: (q: string) =>
    call<{ items: Laborer[]; total: number }>('GET', `/api/v1/laborers?pageSize=50${q ? `&q=${encodeURIComponent(q)}` : ''}`),
  card: (id: string) => call<Laborer>('GET', `/api/v1/laborers/${encodeURIComponent(id)}`),
  dueFollowUps: (laborerId: string) =>
    call<{ items: FollowUp[] }>('GET', `/api/v1/follow-ups?status=due&laborer=${encodeURIComponent(laborerId)}&pageSize=20`),
};
