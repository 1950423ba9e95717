import type { ErrorBody } from '../../../contracts/common.ts';
import { arrivedEarly, dropEarly, readAnswer, requestInit, takeEarly, type Answer } from './early.ts';

/**
 * The one fetch wrapper of the console. Every call sends the session cookie (same origin),
 * speaks JSON, and turns a non-2xx answer into an ApiError carrying the server's
 * {code, message, details} (message is Chinese and meant for the user).
 *
 * A 401 that means "no valid session" sends the user to /login (see setUnauthorizedHandler);
 * the login call itself, and 401s that only reject a credential typed into a form
 * (wrong password / dynamic code), are left to the caller.
 */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details?: unknown;

  constructor(status: number, body: Partial<ErrorBody> | null) {
    super(body?.message || defaultMessage(status));
    this.name = 'ApiError';
    this.status = status;
    this.code = body?.code || (status === 0 ? 'NETWORK_ERROR' : `HTTP_${status}`);
    this.details = body?.details;
  }

  /** details.problems of WEAK_PASSWORD. */
  get problems(): string[] {
    const d = this.details as { problems?: unknown } | undefined;
    return Array.isArray(d?.problems) ? d.problems.filter((p): p is string => typeof p === 'string') : [];
  }

  /**
   * Field-level errors: VALIDATION_FAILED from schema validation carries [{field: 'body.username', rule, message}];
   * a service-level VALIDATION_FAILED carries {field: 'regionCode'} and the message applies to that field.
   */
  get fieldErrors(): { field: string; message: string }[] {
    const d = this.details as { field?: unknown } | null | undefined;
    if (d && !Array.isArray(d) && typeof d === 'object' && typeof d.field === 'string') return [{ field: d.field, message: this.message }];
    if (!Array.isArray(this.details)) return [];
    return this.details
      .filter((d): d is { field: string; message: string } => typeof d?.field === 'string' && typeof d?.message === 'string')
      .map((d) => ({ field: d.field, message: d.message }));
  }
}

function defaultMessage(status: number): string {
  if (status === 0) return '无法连接服务器，请检查网络后重试';
  if (status === 404) return '接口不存在';
  if (status === 429) return '请求过于频繁，请稍后再试';
  if (status >= 500) return '服务器内部错误，请稍后再试';
  return `请求失败（${status}）`;
}

export const LOGIN_PATH = '/api/v1/auth/login';
/** 401 codes that reject what the user typed rather than the session. */
const CREDENTIAL_CODES = new Set(['INVALID_CREDENTIALS', 'TOTP_REQUIRED', 'TOTP_INVALID']);

type Listener = (error: ApiError) => void;
let onUnauthorized: Listener | null = null;
let onTotpSetupRequired: Listener | null = null;

/** Installed by the auth provider: clear the cached user and go to /login. */
export function setUnauthorizedHandler(fn: Listener | null) {
  onUnauthorized = fn;
}
/** Installed by the auth provider: the account must enrol a second factor before anything else. */
export function setTotpSetupRequiredHandler(fn: Listener | null) {
  onTotpSetupRequired = fn;
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export function buildQuery(query?: Query): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

async function request<T>(method: string, path: string, body?: unknown, query?: Query): Promise<T> {
  const url = path + buildQuery(query);
  // A GET boot.ts asked for before the console ran is answered from there (api/early.ts).
  const asked = method === 'GET' ? takeEarly(url) : undefined;
  let answer: Answer;
  try {
    answer = await (asked ?? send(method, url, body));
  } catch {
    throw new ApiError(0, null);
  }
  return interpret<T>(path, answer);
}

async function send(method: string, url: string, body?: unknown): Promise<Answer> {
  const init = requestInit(method);
  if (body !== undefined) {
    init.headers = { Accept: 'application/json', 'Content-Type': 'application/json' };
    init.body = JSON.stringify(body);
  }
  return readAnswer(await fetch(url, init));
}

/** An answer's data, or its error thrown as an ApiError (a lost session and a second factor to enrol told to the auth provider). */
function interpret<T>(path: string, answer: Answer): T {
  let data: unknown = null;
  if (answer.text) {
    try {
      data = JSON.parse(answer.text);
    } catch {
      data = null;
    }
  }
  if (!answer.ok) {
    const error = new ApiError(answer.status, isErrorBody(data) ? data : null);
    if (answer.status === 401 && path !== LOGIN_PATH && !CREDENTIAL_CODES.has(error.code)) onUnauthorized?.(error);
    if (answer.status === 403 && error.code === 'TOTP_SETUP_REQUIRED') onTotpSetupRequired?.(error);
    throw error;
  }
  return data as T;
}

function isErrorBody(data: unknown): data is ErrorBody {
  return typeof data === 'object' && data !== null && typeof (data as ErrorBody).message === 'string';
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', path, undefined, query),
  post: <T = void>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  put: <T = void>(path: string, body: unknown) => request<T>('PUT', path, body),
  del: <T = void>(path: string, body?: unknown) => request<T>('DELETE', path, body),
  /**
   * The data of a GET whose answer boot.ts asked for and has already arrived (api/early.ts), for a
   * component to draw in its first render; undefined otherwise (ask with `get`). Once drawn, the
   * component calls `drop` (in an effect: a render may be thrown away and done again).
   */
  arrived: <T>(path: string, query?: Query): T | undefined => {
    const answer = arrivedEarly(path + buildQuery(query));
    return answer ? interpret<T>(path, answer) : undefined;
  },
  drop: (path: string, query?: Query) => dropEarly(path + buildQuery(query)),
};

/** The Chinese text to show for any thrown value. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    const problems = error.problems;
    if (problems.length && !error.message.includes(problems[0])) return `${error.message}：${problems.join('；')}`;
    return error.message;
  }
  return '操作失败，请稍后再试';
}

/** The name in `content-disposition` (RFC 6266's UTF-8 form first, then the plain one). */
function fileNameOf(disposition: string | null): string {
  const utf8 = disposition?.match(/filename\*=UTF-8''([^;]+)/i)?.[1];
  if (utf8) return decodeURIComponent(utf8);
  return disposition?.match(/filename="([^"]+)"/i)?.[1] ?? 'export.xlsx';
}

/**
 * A file the server streams (an export): read as it arrives, `onBytes` told how many bytes have
 * come so far (the server cannot say the total in advance: it writes the file while it reads the
 * rows), then handed to the browser under the name the server gave. A refusal comes back as JSON
 * before any byte of the file and is thrown as an ApiError, as every call's is.
 */
export async function download(
  path: string,
  query?: Query,
  onBytes?: (received: number) => void,
): Promise<{ name: string; bytes: number }> {
  let response: Response;
  try {
    response = await fetch(path + buildQuery(query), { credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, null);
  }
  if (!response.ok) {
    let data: unknown = null;
    try {
      data = await response.json();
    } catch {
      data = null;
    }
    const error = new ApiError(response.status, isErrorBody(data) ? data : null);
    if (response.status === 401) onUnauthorized?.(error);
    throw error;
  }
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let bytes = 0;
  const reader = response.body?.getReader();
  try {
    while (reader) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      bytes += value.byteLength;
      onBytes?.(bytes);
    }
  } catch {
    // The server breaks the download rather than send an incomplete file (its audit row failed, say).
    throw new ApiError(0, { code: 'DOWNLOAD_BROKEN', message: '下载中断，文件不完整，请重新导出' });
  }
  const name = fileNameOf(response.headers.get('content-disposition'));
  const url = URL.createObjectURL(new Blob(chunks, { type: response.headers.get('content-type') ?? 'application/octet-stream' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Give the browser a moment to start saving before the blob goes.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return { name, bytes };
}
