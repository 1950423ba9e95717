import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { schemaCompilers } from './platform/schema-compilers.ts';
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from './config.ts';
import type { AppContext } from './context.ts';
import { installRequestScope, type Databases } from './db/pools.ts';
import { startAuditLinker, type AuditLinker } from './tasks/audit-linker.ts';
import { createAuditLog } from './platform/audit.ts';
import {
  authorize,
  crossSiteGuard,
  enforceAccessDeclarations,
  errorHandler,
  rejectBadText,
  type RegisteredRoute,
} from './platform/http.ts';
import { AppError } from './platform/errors.ts';
import { regionRoutes } from './modules/regions/index.ts';
import { createAuthService } from './modules/accounts/index.ts';
import { authRoutes, SESSION_COOKIE } from './modules/accounts/index.ts';
import { createAccountsService } from './modules/accounts/index.ts';
import { accountRoutes, accountsRepo, toActor } from './modules/accounts/index.ts';
import { auditLogRoutes } from './modules/audit-log/index.ts';
import { createLaborersService } from './modules/registry/index.ts';
import { laborerRoutes } from './modules/registry/index.ts';
import { laborerImportRoutes, MAX_UPLOAD_BYTES } from './modules/registry/index.ts';
import { createLaborerImports, type LaborerImports } from './modules/registry/index.ts';
import { createRegistryImports, registryImportRoutes } from './modules/registry/index.ts';
import { createDuplicatesService } from './modules/registry/index.ts';
import { duplicateRoutes } from './modules/registry/index.ts';
import { createTransfersService } from './modules/registry/index.ts';
import { transferRoutes } from './modules/registry/index.ts';
import { createEmployersService } from './modules/employers/index.ts';
import { employerRoutes } from './modules/employers/index.ts';
import { createPostingsService, openPostingCounts } from './modules/postings/index.ts';
import { postingImportKind, postingRoutes } from './modules/postings/index.ts';
import { createImportJobs, type ImportJobs } from './platform/import-job.ts';
import { bulkImportRoutes } from './platform/import-job.routes.ts';
import { POSTINGS_PATH } from '../../contracts/paths.ts';
import { EMPLOYMENT_STAFF, POSTING_WRITERS } from '../../contracts/roles.ts';
import multipart from '@fastify/multipart';
import { Market } from './modules/matching/index.ts';
import { createMatchingService, type MatchingService } from './modules/matching/index.ts';
import { matchingRoutes } from './modules/matching/index.ts';
import { failInterruptedRuns } from './modules/matching/index.ts';
import { createReferralsService } from './modules/referrals/index.ts';
import { referralExportRoutes, referralRoutes } from './modules/referrals/index.ts';
import { createAgreementsService } from './modules/agreements/index.ts';
import { agreementRoutes } from './modules/agreements/index.ts';
import { createFairsService } from './modules/fairs/index.ts';
import { fairExportRoutes, fairRoutes } from './modules/fairs/index.ts';
import { createBrokersService } from './modules/brokers/index.ts';
import { createSchoolingService, schoolingRoutes } from './modules/schooling/index.ts';
import { brokerExportRoutes, brokerRoutes } from './modules/brokers/index.ts';
import { createTeamsService } from './modules/teams/index.ts';
import { teamRoutes } from './modules/teams/index.ts';
import { createLiaisonService } from './modules/liaison/index.ts';
import { liaisonExportRoutes, liaisonRoutes } from './modules/liaison/index.ts';
import { createTravelService } from './modules/travel/index.ts';
import { travelRoutes } from './modules/travel/index.ts';
import { createTrainingService, trainingRoutes } from './modules/training/index.ts';
import { createSmsService } from './modules/sms/index.ts';
import { smsRoutes } from './modules/sms/index.ts';
import { createSmsRuntime, type SmsRuntime } from './tasks/sms-runtime.ts';
import { createMobileService, MOBILE_COOKIE } from './modules/mobile/index.ts';
import { mobileRoutes } from './modules/mobile/index.ts';
import {
  createServiceRecordsService,
  serviceRecordExportRoutes,
  serviceRecordRoutes,
  serviceRecordsRepo,
} from './modules/service-records/index.ts';
import {
  createSubsidiesService,
  createSubsidyPaymentsService,
  subsidiesRepo,
  subsidyExportRoutes,
  subsidyPaymentRoutes,
  subsidyRoutes,
} from './modules/subsidies/index.ts';
import { createWorkshopsService } from './modules/workshops/index.ts';
import { workshopRoutes } from './modules/workshops/index.ts';
import {
  createEmploymentService,
  createRetentionService,
  employmentFacts,
  employmentImportKind,
  employmentRepo,
  employmentRoutes,
  retentionRoutes,
} from './modules/employment/index.ts';
import { createDashboardsService } from './modules/dashboards/index.ts';
import { dashboardRoutes } from './modules/dashboards/index.ts';
import { type AssessmentService, createAssessmentService } from './modules/assessment/index.ts';
import { assessmentRoutes } from './modules/assessment/index.ts';
import { createStatsService } from './modules/stats/index.ts';
import { statsExportRoutes, statsRoutes } from './modules/stats/index.ts';
import { createHouseholdsService, householdRoutes } from './modules/households/index.ts';
import { createWorkbenchService, workbenchRoutes } from './modules/workbench/index.ts';
import { createExchangeFiles, createExchangeService, exchangeRoutes } from './modules/exchange/index.ts';
import { createSocialInsuranceService, socialInsuranceRoutes } from './modules/social-insurance/index.ts';
import { startExchangeLinker } from './tasks/exchange-linker.ts';
import { createFieldService, fieldRoutes } from './modules/field/index.ts';
import { createPublicWelfareService, publicWelfareRoutes } from './modules/public-welfare/index.ts';

export const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

export interface BuiltApp {
  app: FastifyInstance;
  ctx: AppContext;
  /** Every registered route with its authorization decision, for the route × role test. */
  routes: RegisteredRoute[];
  imports: LaborerImports;
  /** Bulk imports of postings and employment records (platform/import-job.ts). */
  bulkImports: ImportJobs;
  matching: MatchingService;
  /** SMS gateway, local SMSC and sender: created stopped; main.ts and tests start it. */
  sms: SmsRuntime;
  /** Links the audit rows into the chain; stopped when the app closes. */
  auditLinker: AuditLinker;
  /** 量化考核: main.ts starts its daily preparing of the province figures. */
  assessment: AssessmentService;
}

export async function buildApp(config: Config, databases: Databases): Promise<BuiltApp> {
  const db = databases.requests;
  const app = Fastify({
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel },
    bodyLimit: config.bodyLimit,
    trustProxy: process.env.LAOWU_TRUST_PROXY === 'true',
    // Requests Node cannot even parse (a bad URL, broken headers) get the same error shape.
    clientErrorHandler: (_error, socket) => {
      if (!socket.writable) return socket.destroy();
      const body = JSON.stringify({ code: 'BAD_REQUEST', message: '请求格式不正确' });
      socket.end(
        `HTTP/1.1 400 Bad Request\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      );
    },
    // Every route's schemas compiled once per process, however many apps are built (the tests).
    schemaController: { compilersFactory: schemaCompilers },
    ajv: {
      // Unknown fields are refused, not silently dropped.
      customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false },
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const ctx: AppContext = {
    config,
    db,
    readers: databases.readers,
    background: databases.background,
    audit: createAuditLog(config.secrets.auditKey),
  };
  const routes: RegisteredRoute[] = [];
  // One request connection per request at a time (db/pools.ts), checked from the first hook on.
  installRequestScope(app);
  const auditLinker = startAuditLinker(databases.background, ctx.audit, { log: (m) => app.log.error(m) });
  app.addHook('onClose', async () => auditLinker.stop());
  enforceAccessDeclarations(app, routes);
  // A refusal's audit rows are written after the request's transaction rolled back (AppError.audits).
  app.setErrorHandler(async function (error, request, reply) {
    if (error instanceof AppError && error.audits.length) {
      const { audits } = error;
      await db
        .transaction()
        .execute(async (tx) => {
          for (const { context, entry } of audits) await ctx.audit.record(tx, context, entry);
        })
        .catch((e: unknown) => request.log.error(e));
    }
    return errorHandler.call(this, error as AppError, request, reply);
  });

  await app.register(cookie);
  // Browser hardening on every response (issue 15): the console and the API docs load only their own
  // files, never run inline scripts, are never framed, and the browser never sniffs a type.
  const production = config.env === 'production';
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        // antd writes its CSS-in-JS as <style> elements at run time (e2e/security-headers.test.ts fails without it).
        styleSrc: ["'self'", "'unsafe-inline'"],
        // Generated QR codes and icons are data: URLs; exports are downloaded from blob: URLs.
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        // Only behind TLS: on a plain-http demo it would send the browser to an https port nobody listens on.
        upgradeInsecureRequests: production ? [] : null,
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: production ? { maxAge: 31_536_000, includeSubDomains: true } : false,
  });
  // State-changing API requests from other sites are refused before anything else is looked at.
  app.addHook('onRequest', crossSiteGuard(new URL(config.sms.publicUrl).origin));
  await app.register(swagger, {
    openapi: {
      info: { title: 'Laowu 劳务协作脱贫综合信息服务平台 API', version: '1' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          // The data exchange's client systems (docs/exchange.md): `Authorization: Bearer <keyId>.<secret>`.
          exchangeKey: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  const auth = createAuthService({ db, audit: ctx.audit, config });
  const accounts = createAccountsService({ audit: ctx.audit });

  app.decorateRequest('actor', null);
  app.decorateRequest('totpSetupRequired', false);
  app.decorateRequest('sessionTokenHash', null);
  app.decorateRequest('laborer', null);
  app.decorateRequest('exchangeClient', null);
  // 数据交换 (issue 21 item 5): client systems authenticate with their own key, never a session.
  const exchange = createExchangeService({ audit: ctx.audit });
  const exchangeLinker = startExchangeLinker(databases.background, { log: (m) => app.log.error(m) });
  app.addHook('onClose', async () => exchangeLinker.stop());
  // Filled once the routes are built (the mobile service needs matching and referrals).
  let mobileSession: ((token: string | undefined, ip: string) => Promise<import('./platform/actor.ts').MobileLaborer | null>) | null = null;
  app.addHook('onRequest', async (request) => {
    // Public routes (login, health, the console's files) never need the session: no lookup.
    const access = request.routeOptions.config?.access;
    if (!access || 'public' in access) return;
    if ('exchange' in access) {
      request.exchangeClient = await exchange.authenticate(db, request.headers.authorization, request.ip);
      return authorize(request);
    }
    if ('laborer' in access && mobileSession) request.laborer = await mobileSession(request.cookies[MOBILE_COOKIE], request.ip);
    const token = request.cookies[SESSION_COOKIE];
    let expired = false;
    if (token) {
      const resolved = await auth.resolve(token, request.ip);
      if (resolved === 'expired') expired = true;
      else if (resolved) {
        request.actor = resolved.actor;
        request.totpSetupRequired = resolved.totpSetupRequired;
        request.sessionTokenHash = resolved.tokenHash;
      }
    }
    try {
      authorize(request);
    } catch (error) {
      if (expired && error instanceof AppError && error.code === 'UNAUTHENTICATED') throw new AppError('SESSION_EXPIRED');
      throw error;
    }
  });
  // NUL, lone surrogates, and bidirectional controls in names: a clear 400 on every route (platform/http.ts).
  app.addHook('preValidation', rejectBadText);
  // Personal data must never be cached by a browser or a proxy.
  app.addHook('onSend', async (request, reply) => {
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
  });

  // Health answers on a connection of its own, outside the requests' budget: it says whether the
  // database answers even when every request connection is taken.
  const HealthSchema = Type.Object({
    status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
    database: Type.Union([Type.Literal('ok'), Type.Literal('down')]),
    databaseMs: Type.Number(),
  });
  app.get('/api/v1/health', {
    config: { access: { public: true } },
    schema: { tags: ['system'], summary: '健康检查（数据库是否应答）', response: { 200: HealthSchema, 503: HealthSchema } },
    handler: async (_request, reply) => {
      const started = performance.now();
      const ok = await databases.health.query('SELECT 1').then(
        () => true,
        () => false,
      );
      const databaseMs = Math.round((performance.now() - started) * 10) / 10;
      if (!ok)
        return reply
          .status(503)
          .header('retry-after', '5')
          .send({ status: 'degraded' as const, database: 'down' as const, databaseMs });
      return { status: 'ok' as const, database: 'ok' as const, databaseMs };
    },
  });

  await app.register(authRoutes, { ctx, auth });
  await app.register(accountRoutes, { ctx, accounts });
  await app.register(regionRoutes, { ctx });
  await app.register(auditLogRoutes, { ctx });
  const laborers = createLaborersService({ config, audit: ctx.audit, employment: employmentFacts });
  const imports = createLaborerImports({ config, db: ctx.background, audit: ctx.audit, laborers });
  await app.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1 } });
  await app.register(laborerRoutes, { ctx, laborers });
  await app.register(laborerImportRoutes, { ctx, imports, laborers });
  await app.register(registryImportRoutes, {
    ctx,
    imports,
    registry: createRegistryImports({ db: ctx.background, audit: ctx.audit, imports }),
  });
  await app.register(duplicateRoutes, {
    ctx,
    duplicates: createDuplicatesService({
      audit: ctx.audit,
      laborers,
      carryOver: { employments: employmentRepo, serviceRecords: serviceRecordsRepo, subsidies: subsidiesRepo },
    }),
  });
  const transfers = createTransfersService({ audit: ctx.audit, laborers });
  await app.register(transferRoutes, { ctx, transfers });

  await app.register(employerRoutes, { ctx, employers: createEmployersService({ audit: ctx.audit, openPostingCounts }) });
  const postings = createPostingsService({ audit: ctx.audit });
  await app.register(postingRoutes, { ctx, postings });
  // The matching engine keeps the market in memory (matching/market.ts); runs a restart cut short are closed.
  // The market refreshes and batch runs work on the background connections, never a request's.
  const matching = createMatchingService({ db: ctx.background, audit: ctx.audit, market: new Market() });
  await failInterruptedRuns(db);
  await app.register(matchingRoutes, { ctx, matching });
  const employment = createEmploymentService({ audit: ctx.audit, laborers });
  await app.register(employmentRoutes, { ctx, employment });
  // Bulk imports (issue 21 item 4): one queue for both kinds, run with the uploader's rights on the background pool.
  const bulkImports = createImportJobs({
    config,
    db: ctx.background,
    audit: ctx.audit,
    kinds: [postingImportKind(postings), employmentImportKind(employment, laborers)],
    actorOf: async (accountId) => {
      const a = await accountsRepo.findById(ctx.background, accountId);
      if (!a) throw new Error(`import owner ${accountId} is gone`);
      return toActor(a, 'import');
    },
  });
  await app.register(bulkImportRoutes, {
    jobs: bulkImports,
    kind: 'postings',
    base: POSTINGS_PATH,
    tag: 'postings',
    roles: POSTING_WRITERS,
  });
  await app.register(bulkImportRoutes, {
    jobs: bulkImports,
    kind: 'employments',
    base: '/api/v1/employments',
    tag: 'employment',
    roles: EMPLOYMENT_STAFF,
  });

  // 社保比对 (issue 21 item 2): the contribution file compared with the jobs on record, the counties' review lists.
  const socialInsurance = createSocialInsuranceService({ db: ctx.background, audit: ctx.audit, laborers, employment });
  await app.register(socialInsuranceRoutes, { ctx, socialInsurance });
  const retention = createRetentionService({ audit: ctx.audit });
  await app.register(retentionRoutes, { ctx, retention });
  // 统计, dashboards and the county assessment (issue 8): one statistics service; its figures are read on the pool.
  const stats = createStatsService({ audit: ctx.audit, retention, db: ctx.readers });
  await app.register(statsRoutes, { ctx, stats });
  await app.register(statsExportRoutes, { ctx, stats });
  await app.register(dashboardRoutes, { ctx, dashboards: createDashboardsService({ audit: ctx.audit, retention, stats }) });
  const assessment = createAssessmentService({
    audit: ctx.audit,
    stats,
    overdueReviews: socialInsurance,
    db: ctx.background,
    reuseMs: config.assessmentReuseMs,
    log: (message) => app.log.warn(message),
  });
  await app.register(assessmentRoutes, { ctx, assessment });
  // 家庭户 (issue 20 item 1): households read from the cards' ledger, their figures and the poverty line.
  await app.register(householdRoutes, { ctx, households: createHouseholdsService({ audit: ctx.audit }) });
  const referrals = createReferralsService({ audit: ctx.audit, employment, matching });
  await app.register(referralRoutes, { ctx, referrals });
  await app.register(referralExportRoutes, { ctx });
  const fairs = createFairsService({ audit: ctx.audit, laborers, referrals, lookupLimits: config.fairLookups });
  await app.register(fairRoutes, { ctx, fairs });
  await app.register(fairExportRoutes, { ctx, fairs });
  await app.register(agreementRoutes, { ctx, agreements: createAgreementsService({ audit: ctx.audit }) });
  await app.register(schoolingRoutes, { ctx, schooling: createSchoolingService({ audit: ctx.audit }) });
  const brokers = createBrokersService({ audit: ctx.audit });
  await app.register(brokerRoutes, { ctx, brokers });
  await app.register(brokerExportRoutes, { ctx, brokers });
  await app.register(teamRoutes, { ctx, teams: createTeamsService({ audit: ctx.audit }) });
  await app.register(liaisonRoutes, { ctx, liaison: createLiaisonService({ audit: ctx.audit }) });
  await app.register(liaisonExportRoutes, { ctx });
  await app.register(travelRoutes, { ctx, travel: createTravelService({ audit: ctx.audit }) });
  await app.register(trainingRoutes, { ctx, training: createTrainingService({ audit: ctx.audit }) });
  // 公益性岗位 (issue 20 item 9): posts, holders (their jobs opened and ended through employment), attendance, monthly pay.
  await app.register(publicWelfareRoutes, { ctx, publicWelfare: createPublicWelfareService({ audit: ctx.audit, employment }) });
  await app.register(serviceRecordRoutes, { ctx, serviceRecords: createServiceRecordsService({ audit: ctx.audit }) });
  await app.register(serviceRecordExportRoutes, { ctx });
  const subsidies = createSubsidiesService({ audit: ctx.audit });
  await app.register(subsidyRoutes, { ctx, subsidies });
  await app.register(subsidyExportRoutes, { ctx });
  await app.register(subsidyPaymentRoutes, { ctx, payments: createSubsidyPaymentsService({ audit: ctx.audit, subsidies }) });
  await app.register(workshopRoutes, { ctx, workshops: createWorkshopsService({ audit: ctx.audit }) });

  // 点对点短信 and the laborer's mobile page (issue 9).
  const smsService = createSmsService({ db: ctx.background, audit: ctx.audit, market: matching.market, config: config.sms });
  const sms = createSmsRuntime({ ctx, service: smsService, lockDb: () => databases.dedicated() });
  app.addHook('onClose', async () => sms.stop());
  await app.register(smsRoutes, { ctx, sms: smsService });
  const mobile = createMobileService({
    config,
    audit: ctx.audit,
    matching,
    referrals,
    laborers,
    fairs,
    sendNow: (ref, to, text) => sms.sendNow(ref, to, text),
  });
  mobileSession = (token, ip) => mobile.resolve(db, token, ip);
  await app.register(mobileRoutes, { ctx, mobile });

  // 工作台 (issue 18 item 5): each count from the module owning its list.
  const workbench = createWorkbenchService({
    audit: ctx.audit,
    laborers,
    transfers,
    subsidies,
    mobile,
    sms: smsService,
    employment,
    referrals,
    brokers,
    stats,
    socialInsurance,
    declineAlertShare: config.declineAlertShare,
  });
  await app.register(workbenchRoutes, { ctx, workbench });
  await app.register(exchangeRoutes, { ctx, exchange, files: createExchangeFiles({ audit: ctx.audit, stats }) });
  // 进村入户 (issue 19): the village officer's phone, offline, synced field by field.
  await app.register(fieldRoutes, { ctx, field: createFieldService({ audit: ctx.audit, laborers, employment }) });

  // The console: built files served by the same server; unknown non-API paths fall back to index.html.
  const hasWeb = existsSync(path.join(WEB_DIST, 'index.html'));
  const hasMobile = existsSync(path.join(WEB_DIST, 'm.html'));
  const hasField = existsSync(path.join(WEB_DIST, 'field.html'));
  if (hasWeb) {
    // wildcard: files are looked up per request, so a rebuilt console is served without a restart.
    await app.register(fastifyStatic, {
      root: WEB_DIST,
      wildcard: true,
      // Brotli or gzip made at build time (scripts/web-build.mjs), as the browser accepts.
      preCompressed: true,
      // Vite names assets by their content: a changed file is a new name, so they may be kept a year;
      // index.html (which names them) is asked for again each time.
      setHeaders: (reply, filePath) => {
        if (/[\\/]assets[\\/]/.test(filePath)) reply.header('cache-control', 'public, max-age=31536000, immutable');
      },
    });
  }
  app.setNotFoundHandler((request, reply) => {
    // Missing assets are 404s; any other page path is the console's client-side route.
    if (request.url.startsWith('/api/') || request.url.startsWith('/assets/') || !hasWeb || request.method !== 'GET') {
      return reply.status(404).send({ code: 'ROUTE_NOT_FOUND', message: '接口不存在' });
    }
    // The laborer's page (/m, /m/…) is its own small entry (web/m.html), not the console's.
    if (/^\/m(\/|\?|$)/.test(request.url) && hasMobile) return reply.sendFile('m.html');
    // The field officer's phone pages (/field, /field/…): their own light, offline entry (web/field.html).
    if (/^\/field(\/|\?|$)/.test(request.url) && hasField) return reply.sendFile('field.html');
    return reply.sendFile('index.html');
  });

  await app.ready();
  return { app, ctx, routes, imports, bulkImports, matching, sms, auditLinker, assessment };
}
