import type { FastifyInstance, FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Role } from '../db/schema.ts';
import type { Actor, ExchangeClientIdentity, MobileLaborer } from './actor.ts';
import { AppError, ERROR_CODES } from './errors.ts';

/**
 * Every route declares its authorization decision in `config.access`; a route without one
 * stops the application from building (and the route × role test enumerates them all).
 *
 * - `{ public: true }`: anyone, signed in or not (login, health, the console's static files).
 * - `{ roles: 'any' }`: any signed-in account.
 * - `{ roles: [...] }`: these roles only; others get 403 before the handler runs.
 * - `{ laborer: true }`: a laborer signed in on the mobile page (phone + SMS code, no account);
 *   staff accounts get 403, nobody signed in 401. The service reads only the laborer's own card.
 * - `{ exchange: true }`: a client system of the data exchange with its own key (modules/exchange,
 *   docs/exchange.md); sessions count for nothing there, and the key counts for nothing anywhere else.
 * Data scope (which records) is then decided by the service with platform/access.ts.
 */
export type AccessRule =
  | { public: true }
  | { laborer: true }
  | { exchange: true }
  | { roles: 'any' | readonly Role[]; allowDuringTotpSetup?: boolean };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: AccessRule;
  }
  interface FastifyRequest {
    actor: Actor | null;
    /** Set when the session is valid but a required second factor is not enrolled yet. */
    totpSetupRequired: boolean;
    sessionTokenHash: Buffer | null;
    /** The laborer signed in on the mobile page (modules/mobile), on `{ laborer: true }` routes. */
    laborer: MobileLaborer | null;
    /** The client system of the data exchange, on `{ exchange: true }` routes. */
    exchangeClient: ExchangeClientIdentity | null;
  }
}

export interface RegisteredRoute {
  method: string;
  url: string;
  access: AccessRule;
}

/**
 * Routes added by plugins we do not own are public: the OpenAPI documentation, and the console's
 * static files (every path outside /api/ that @fastify/static registers from web/dist).
 */
const isPluginPublic = (url: string) => url.startsWith('/api/docs') || !url.startsWith('/api/');

export function enforceAccessDeclarations(app: FastifyInstance, registry: RegisteredRoute[]) {
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    let access = route.config?.access as AccessRule | undefined;
    if (!access && isPluginPublic(route.url)) {
      access = { public: true };
      route.config = { ...(route.config ?? {}), access } as typeof route.config;
    }
    if (!access) throw new Error(`route ${methods.join(',')} ${route.url} has no authorization decision (config.access)`);
    for (const method of methods) if (method !== 'HEAD') registry.push({ method, url: route.url, access });
  });
}

export function authorize(request: FastifyRequest): void {
  const access = request.routeOptions.config?.access;
  if (!access) {
    // Unknown routes (404) carry no config: they fall through to the not-found handler.
    return;
  }
  if ('public' in access) return;
  if ('exchange' in access) {
    if (request.exchangeClient) return;
    throw new AppError('EXCHANGE_UNAUTHENTICATED');
  }
  if ('laborer' in access) {
    if (request.laborer) return;
    if (request.actor) throw new AppError('FORBIDDEN', '该页面仅供劳动者本人使用');
    throw new AppError('MOBILE_UNAUTHENTICATED');
  }
  if (!request.actor) throw new AppError('UNAUTHENTICATED');
  if (request.totpSetupRequired && !access.allowDuringTotpSetup) throw new AppError('TOTP_SETUP_REQUIRED');
  if (access.roles !== 'any' && !access.roles.includes(request.actor.role)) throw new AppError('FORBIDDEN');
}

/**
 * NUL, or half of a UTF-16 surrogate pair: no text of the platform holds either, and PostgreSQL
 * refuses the first in text and the second in jsonb — a 500 deep inside a handler, before this check.
 */
const INVALID_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/**
 * Bidirectional controls (U+202A–U+202E embeddings and overrides, U+2066–U+2069 isolates): in a
 * name they make it display as something else (a right-to-left override turns "张三‮moc.exe" around;
 * CVE-2021-42574 "Trojan Source"). No Chinese name, place or organisation needs them.
 */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/;
/** For text that reaches a handler outside JSON (a multipart upload's file name, a spreadsheet cell): the same rule. */
export const hasInvalidText = (text: string) => INVALID_TEXT.test(text);
export const hasBidiControls = (text: string) => BIDI_CONTROLS.test(text);
/** Fields holding a name: `name`, `displayName`, `employerName`, `contactName` … (contracts/). */
const isNameField = (key: string) => key === 'name' || /Name$/.test(key);

/**
 * The first string of the request's query, path parameters or JSON body (its keys included) that
 * holds a character no text may hold, or a name that holds a bidirectional control. Walked with a
 * stack, not recursion: a deeply nested body cannot overflow it.
 */
export function findBadText(request: Pick<FastifyRequest, 'query' | 'params' | 'body'>): AppError | null {
  const stack: { value: unknown; field: string; name: boolean }[] = [
    { value: request.params, field: 'params', name: false },
    { value: request.query, field: 'query', name: false },
    { value: request.body, field: 'body', name: false },
  ];
  while (stack.length > 0) {
    const { value, field, name } = stack.pop()!;
    if (typeof value === 'string') {
      if (INVALID_TEXT.test(value))
        return new AppError('INVALID_CHARACTERS', undefined, [{ field, message: '含有空字符或不完整的 Unicode 字符' }]);
      if (name && BIDI_CONTROLS.test(value))
        return new AppError('NAME_INVALID_CHARACTERS', undefined, [{ field, message: '名称中含有文字方向控制字符' }]);
    } else if (Array.isArray(value)) {
      for (const [i, item] of value.entries()) stack.push({ value: item, field: `${field}.${i}`, name });
    } else if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
      for (const [key, item] of Object.entries(value)) {
        if (INVALID_TEXT.test(key))
          return new AppError('INVALID_CHARACTERS', undefined, [{ field, message: '字段名含有空字符或不完整的 Unicode 字符' }]);
        stack.push({ value: item, field: `${field}.${key}`, name: isNameField(key) });
      }
    }
  }
  return null;
}

/** One check for every route (registered in app.ts as a preValidation hook): bad text is a clear 400, never a 500. */
export async function rejectBadText(request: FastifyRequest): Promise<void> {
  const error = findBadText(request);
  if (error) throw error;
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * A state-changing API request comes from the platform's own pages, beside the SameSite=Strict
 * session cookie (a second line: a cookie-less login, a sibling subdomain, an old browser).
 * When the browser says where the request comes from it must be here: `Sec-Fetch-Site` is
 * same-origin or none (typed or bookmarked), and `Origin` names this server (its Host) or its
 * configured public address. A request with neither header (curl, the CLI, tests) is not a
 * browser's cross-site request and passes.
 */
export function crossSiteGuard(publicOrigin: string) {
  return async function rejectCrossSite(request: FastifyRequest): Promise<void> {
    if (!STATE_CHANGING.has(request.method) || !request.url.startsWith('/api/')) return;
    const site = request.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none') throw new AppError('CROSS_SITE_REQUEST');
    const origin = request.headers.origin;
    if (origin === undefined) return;
    let sameHost = false;
    try {
      const url = new URL(origin);
      // Host as the origin's scheme reads it: "localhost:80" is "localhost" for http.
      sameHost = url.origin !== 'null' && new URL(`${url.protocol}//${request.host}`).host === url.host;
    } catch {
      sameHost = false;
    }
    if (!sameHost && origin !== publicOrigin) throw new AppError('CROSS_SITE_REQUEST');
  };
}

/** `{code, message, details}` for every error; 5xx never carries internals. */
export function errorHandler(this: FastifyInstance, error: FastifyError | AppError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof AppError) {
    if (error.status === 503) reply.header('retry-after', '5');
    return reply.status(error.status).send({ code: error.code, message: error.message, details: error.details });
  }
  const fe = error as FastifyError & { validationContext?: string };
  if (fe.validation) {
    const details = fe.validation.map((v) => ({
      field:
        `${fe.validationContext ?? 'body'}${v.instancePath ? v.instancePath.replace(/\//g, '.') : ''}` +
        (v.keyword === 'required' ? `.${(v.params as { missingProperty: string }).missingProperty}` : '') +
        (v.keyword === 'additionalProperties' ? `.${(v.params as { additionalProperty: string }).additionalProperty}` : ''),
      rule: v.keyword,
      message: validationMessage(v.keyword, v.params as Record<string, unknown>, v.message),
    }));
    return reply.status(400).send({ code: 'VALIDATION_FAILED', message: ERROR_CODES.VALIDATION_FAILED.message, details });
  }
  switch (fe.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return reply.status(400).send({ code: 'MALFORMED_JSON', message: ERROR_CODES.MALFORMED_JSON.message });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return reply.status(413).send({ code: 'BODY_TOO_LARGE', message: ERROR_CODES.BODY_TOO_LARGE.message });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return reply.status(415).send({ code: 'UNSUPPORTED_MEDIA_TYPE', message: ERROR_CODES.UNSUPPORTED_MEDIA_TYPE.message });
  }
  if (fe instanceof SyntaxError || fe.statusCode === 400) {
    return reply.status(400).send({ code: 'MALFORMED_JSON', message: ERROR_CODES.MALFORMED_JSON.message });
  }
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    return reply.status(fe.statusCode).send({ code: 'BAD_REQUEST', message: '请求无法处理' });
  }
  // The database's own bounds (issue 14): a statement over statement_timeout, a transaction left
  // idle too long, the server stopping. The request may be tried again; nothing of it was committed.
  const sqlState = (error as { code?: unknown }).code;
  if (sqlState === '57014' || sqlState === '25P03' || sqlState === '57P01' || sqlState === '57P03') {
    request.log.warn({ err: error }, 'database bound reached');
    const code = sqlState === '57014' || sqlState === '25P03' ? 'DB_TIMEOUT' : 'SHUTTING_DOWN';
    return reply.status(503).header('retry-after', '5').send({ code, message: ERROR_CODES[code].message });
  }
  request.log.error({ err: error }, 'unhandled error');
  return reply.status(500).send({ code: 'INTERNAL', message: ERROR_CODES.INTERNAL.message });
}

function validationMessage(keyword: string, params: Record<string, unknown>, fallback?: string): string {
  switch (keyword) {
    case 'required':
      return `缺少必填字段 ${params.missingProperty}`;
    case 'additionalProperties':
      return `不允许的字段 ${params.additionalProperty}`;
    case 'minProperties':
      return '请至少填写一项要修改的内容';
    case 'pattern':
      return '格式不正确';
    case 'format':
      return `格式不正确，应为 ${params.format}`;
    case 'minLength':
      return `长度不能少于 ${params.limit}`;
    case 'maxLength':
      return `长度不能超过 ${params.limit}`;
    case 'minimum':
      return `不能小于 ${params.limit}`;
    case 'maximum':
      return `不能大于 ${params.limit}`;
    case 'type':
      return `类型应为 ${params.type}`;
    case 'enum':
    case 'const':
    case 'anyOf':
      return '取值不在允许范围内';
    default:
      return fallback ?? '不合法';
  }
}
