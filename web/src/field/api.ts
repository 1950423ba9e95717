/**
 * The field pages' API (contracts/field.ts and the registry's, employment's, workbench's): its own
 * small fetch, as the laborer's page has. A network failure is `offline`, never a crash: the
 * caller keeps working from the phone's copy.
 */
import type { Me } from '../../../contracts/auth.ts';
import {
  FIELD_KEY_GENERATION_HEADER,
  type FieldKey,
  type FieldPackage,
  type SyncEntry,
  type SyncResponse,
} from '../../../contracts/field.ts';
import type { FollowUp } from '../../../contracts/employment.ts';
import type { Laborer } from '../../../contracts/laborers.ts';
import type { Workbench } from '../../../contracts/workbench.ts';
import { FIELD_KEY_PATH, FIELD_PACKAGE_PATH, FIELD_SYNC_PATH, WORKBENCH_PATH } from '../../../contracts/paths.ts';
import { vault } from './vault.ts';

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

export async function call<T>(
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: { Accept: 'application/json', ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
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

/**
 * The device key generation the phone holds, named on a package or a sync (issue 19 item 4);
 * without one the phone must sign in first.
 */
async function keyHeader(): Promise<Record<string, string>> {
  const generation = await vault.generation();
  if (generation === null) throw new FieldError(401, 'UNAUTHENTICATED', '请先登录');
  return { [FIELD_KEY_GENERATION_HEADER]: String(generation) };
}

export const fieldApi = {
  login: (username: string, password: string) => call<{ user: Me }>('POST', '/api/v1/auth/login', { username, password }),
  logout: () => call<void>('POST', '/api/v1/auth/logout'),
  me: () => call<Me>('GET', '/api/v1/auth/me'),
  workbench: () => call<Workbench>('GET', WORKBENCH_PATH),
  // A package taken or a sync answered: the phone's offline days count from now (vault.ts).
  takePackage: async () => {
    const answer = await call<FieldPackage>('GET', FIELD_PACKAGE_PATH, undefined, await keyHeader());
    await vault.synced();
    return answer;
  },
  sync: async (entries: SyncEntry[]) => {
    const answer = await call<SyncResponse>('POST', FIELD_SYNC_PATH, { entries }, await keyHeader());
    await vault.synced();
    return answer;
  },
  /** The device key, released to the officer signed in. */
  key: () => call<FieldKey>('GET', FIELD_KEY_PATH),
  /** Sign-out on the phone: the server replaces the device key, then the session ends (each as far as the network allows). */
  signOut: async () => {
    await call<void>('DELETE', FIELD_KEY_PATH).catch(() => undefined);
    await call<void>('POST', '/api/v1/auth/logout').catch(() => undefined);
  },
  /** Without a package taken: the register's own search and card, online. */
  search: (q: string) =>
    call<{ items: Laborer[]; total: number }>('GET', `/api/v1/laborers?pageSize=50${q ? `&q=${encodeURIComponent(q)}` : ''}`),
  card: (id: string) => call<Laborer>('GET', `/api/v1/laborers/${encodeURIComponent(id)}`),
  dueFollowUps: (laborerId: string) =>
    call<{ items: FollowUp[] }>('GET', `/api/v1/follow-ups?status=due&laborer=${encodeURIComponent(laborerId)}&pageSize=20`),
};
