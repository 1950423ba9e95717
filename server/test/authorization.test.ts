import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../src/db/schema.ts';
import { ROLES } from '../../contracts/common.ts';
import { createAccountsService } from '../src/modules/accounts/index.ts';
import { createTestApp, DEMO_PASSWORD, type TestApp } from './helpers.ts';
import { sql } from 'kysely';
import { randomToken, sm3 } from '../src/platform/crypto.ts';
import { registerTestClient } from '../src/modules/exchange/exchange.fixture.ts';

/**
 * The route × role decision table. Every registered API route must appear here with the roles
 * that may call it; a route missing from this table, or declaring something else in its
 * `config.access`, fails the suite. Then every route is called as every role (and as nobody)
 * and must answer 401 / 403 / neither exactly as the table says.
 */
/** 'laborer': a laborer signed in on the mobile page (phone + SMS code, no account): staff get 403. */
/** 'exchange': a client system of the data exchange with its own key (docs/exchange.md): sessions are nobody there (401). */
type Decision = 'public' | 'any' | 'laborer' | 'exchange' | readonly Role[];
const MANAGERS = ['admin', 'township_operator'] as const;
/** Accounts: the managers, and auditors for the auditors below them (三权分立). */
const ACCOUNT_MANAGERS = [...MANAGERS, 'auditor'] as const;
const STAFF = ['admin', 'township_operator', 'village_officer'] as const;
/** Employers and postings are not personal data: every staff role reads them anywhere; an employer its own. */
const JOB_READERS = ['admin', 'township_operator', 'village_officer', 'broker', 'liaison_office', 'employer'] as const;
const POSTING_WRITERS = ['admin', 'township_operator', 'employer', 'liaison_office'] as const;
/**
 * Cooperation agreements are not personal data: every staff role reads those touching its region.
 * The auditor is in no row but the audit log's, the 'any' rows (its own sign-in, password and TOTP;
 * the region tree, the published national code table) — separation of duties (等保 level 3).
 */
const AGREEMENT_READERS = ['admin', 'township_operator', 'village_officer', 'broker', 'liaison_office'] as const;
const EXPECTED: Record<string, Decision> = {
  'GET /api/v1/health': 'public',
  'POST /api/v1/auth/login': 'public',
  'POST /api/v1/auth/logout': 'any',
  'GET /api/v1/auth/me': 'any',
  'POST /api/v1/auth/password': 'any',
  'POST /api/v1/auth/totp/setup': 'any',
  'POST /api/v1/auth/totp/enable': 'any',
  'POST /api/v1/auth/totp/disable': 'any',
  'GET /api/v1/accounts': ACCOUNT_MANAGERS,
  'GET /api/v1/accounts/grantable-roles': ACCOUNT_MANAGERS,
  'GET /api/v1/accounts/:id': ACCOUNT_MANAGERS,
  'POST /api/v1/accounts': ACCOUNT_MANAGERS,
  'PATCH /api/v1/accounts/:id': ACCOUNT_MANAGERS,
  'POST /api/v1/accounts/:id/reset-password': ACCOUNT_MANAGERS,
  'GET /api/v1/regions': 'any',
  'GET /api/v1/regions/:code': 'any',
  'GET /api/v1/regions/:code/children': 'any',
  'GET /api/v1/audit': ['auditor'],
  'GET /api/v1/laborers': STAFF,
  'POST /api/v1/laborers': STAFF,
  'GET /api/v1/laborers/:id': STAFF,
  'PATCH /api/v1/laborers/:id': STAFF,
  'DELETE /api/v1/laborers/:id': STAFF,
  'GET /api/v1/laborers/:id/history': STAFF,
  'POST /api/v1/laborers/:id/reveal': STAFF,
  'POST /api/v1/laborers/:id/confirm': ['village_officer'],
  'POST /api/v1/laborers/confirmations': ['village_officer'],
  'GET /api/v1/laborers/template': STAFF,
  'POST /api/v1/laborers/imports': STAFF,
  'GET /api/v1/laborers/imports/:id': STAFF,
  'GET /api/v1/laborers/imports/:id/report': STAFF,
  'POST /api/v1/registry-imports/preview': ['admin'],
  'GET /api/v1/registry-imports/mappings': ['admin'],
  'POST /api/v1/registry-imports/mappings': ['admin'],
  'POST /api/v1/registry-imports': ['admin'],
  'GET /api/v1/registry-imports/:id': ['admin'],
  'GET /api/v1/registry-imports/:id/missing': ['admin'],
  'GET /api/v1/registry-imports/:id/households': ['admin'],
  'GET /api/v1/laborers/export': STAFF,
  'GET /api/v1/laborers/confirmation-progress': STAFF,
  'GET /api/v1/laborers/duplicates': STAFF,
  'POST /api/v1/laborers/duplicates/dismiss': STAFF,
  'POST /api/v1/laborers/:id/merge': STAFF,
  'GET /api/v1/laborers/transfer-requests': STAFF,
  'POST /api/v1/laborers/transfer-requests': STAFF,
  'POST /api/v1/laborers/transfer-requests/:id/approve': MANAGERS,
  'POST /api/v1/laborers/transfer-requests/:id/reject': MANAGERS,
  'GET /api/v1/audit/verify': ['auditor'],
  'GET /api/v1/audit/export': ['auditor'],
  'GET /api/v1/laborers/:id/recommendations': STAFF,
  'GET /api/v1/postings/:id/candidates': STAFF,
  'GET /api/v1/matching/demand': STAFF,
  'GET /api/v1/matching/supply': STAFF,
  'POST /api/v1/matching/runs': MANAGERS,
  'GET /api/v1/matching/runs': STAFF,
  'GET /api/v1/matching/runs/:id': STAFF,
  'GET /api/v1/matching/runs/:id/suggestions': STAFF,
  'POST /api/v1/matching/suggestions/:id/accept': STAFF,
  'POST /api/v1/matching/suggestions/:id/dismiss': STAFF,
  'GET /api/v1/employers': JOB_READERS,
  'POST /api/v1/employers': MANAGERS,
  'GET /api/v1/employers/:id': JOB_READERS,
  'PATCH /api/v1/employers/:id': [...MANAGERS, 'employer'],
  'GET /api/v1/postings': JOB_READERS,
  'POST /api/v1/postings': POSTING_WRITERS,
  'GET /api/v1/postings/import-template': POSTING_WRITERS,
  'POST /api/v1/postings/imports': POSTING_WRITERS,
  'GET /api/v1/postings/imports/:id': POSTING_WRITERS,
  'GET /api/v1/postings/imports/:id/report': POSTING_WRITERS,
  'GET /api/v1/postings/:id': JOB_READERS,
  'PATCH /api/v1/postings/:id': POSTING_WRITERS,
  'POST /api/v1/postings/:id/close': POSTING_WRITERS,
  'POST /api/v1/referrals': [...STAFF, 'broker'],
  'GET /api/v1/referrals': [...STAFF, 'employer', 'broker'],
  'GET /api/v1/referrals/:id': [...STAFF, 'employer', 'broker'],
  'GET /api/v1/referrals/export': [...STAFF, 'employer', 'broker'],
  'POST /api/v1/referrals/:id/steps': [...STAFF, 'employer'],
  'GET /api/v1/fairs/results': STAFF,
  'POST /api/v1/fairs': STAFF,
  'GET /api/v1/fairs': STAFF,
  'GET /api/v1/fairs/:id': STAFF,
  'POST /api/v1/fairs/:id/postings': STAFF,
  'POST /api/v1/fairs/:id/attendees': STAFF,
  'POST /api/v1/fairs/:id/attendees/batch': STAFF,
  'GET /api/v1/fairs/:id/attendees': STAFF,
  'GET /api/v1/fairs/:id/attendees/export': STAFF,
  'POST /api/v1/fairs/:id/intentions': STAFF,
  'GET /api/v1/fairs/:id/pre-recruitment': STAFF,
  'GET /api/v1/agreements': AGREEMENT_READERS,
  'GET /api/v1/agreements/:id': AGREEMENT_READERS,
  'POST /api/v1/agreements': ['admin'],
  'PATCH /api/v1/agreements/:id': ['admin'],
  'GET /api/v1/school-enrolments': STAFF,
  'POST /api/v1/school-enrolments': STAFF,
  'POST /api/v1/school-enrolments/:id/finish': STAFF,
  'GET /api/v1/brokers/contracts': MANAGERS,
  'POST /api/v1/brokers/contracts': MANAGERS,
  'POST /api/v1/brokers/contracts/:id/end': MANAGERS,
  'PUT /api/v1/brokers/contracts/:id/pay-terms': MANAGERS,
  'GET /api/v1/brokers/contracts/:id/pay': MANAGERS,
  'POST /api/v1/brokers/contracts/:id/pay/draft': MANAGERS,
  'GET /api/v1/brokers/table': MANAGERS,
  'GET /api/v1/brokers/table/export': MANAGERS,
  'GET /api/v1/brokers/me/contracts': ['broker'],
  'GET /api/v1/brokers/me/laborers': ['broker'],
  'GET /api/v1/brokers/me/table': ['broker'],
  'GET /api/v1/workbench': 'any',
  // 进村入户 (issue 19): the village officer's phone.
  'GET /api/v1/field/package': ['village_officer'],
  'POST /api/v1/field/sync': ['village_officer'],
  'GET /api/v1/field/key': ['village_officer', 'broker'],
  'DELETE /api/v1/field/key': ['village_officer', 'broker'],
  'GET /api/v1/employments': ['admin', 'township_operator', 'village_officer', 'employer', 'liaison_office', 'broker'],
  'POST /api/v1/employments': STAFF,
  'GET /api/v1/employments/import-template': STAFF,
  'POST /api/v1/employments/imports': STAFF,
  'GET /api/v1/employments/imports/:id': STAFF,
  'GET /api/v1/employments/imports/:id/report': STAFF,
  'GET /api/v1/employments/:id': ['admin', 'township_operator', 'village_officer', 'employer', 'liaison_office', 'broker'],
  'POST /api/v1/employments/:id/end': ['admin', 'township_operator', 'village_officer', 'employer', 'liaison_office'],
  'POST /api/v1/employments/:id/confirmations': ['employer'],
  'POST /api/v1/employments/:id/corrections': STAFF,
  'GET /api/v1/laborers/:id/employments': STAFF,
  'GET /api/v1/follow-ups': ['admin', 'township_operator', 'village_officer', 'broker', 'liaison_office'],
  'GET /api/v1/follow-ups/overdue': STAFF,
  'POST /api/v1/follow-ups/:id': ['admin', 'township_operator', 'village_officer', 'broker', 'liaison_office'],
  'POST /api/v1/follow-ups/records': ['admin', 'township_operator', 'village_officer', 'broker', 'liaison_office'],
  'GET /api/v1/reemployment-cases': STAFF,
  'POST /api/v1/social-insurance/comparisons': ['admin'],
  'GET /api/v1/social-insurance/comparisons': MANAGERS,
  'GET /api/v1/social-insurance/comparisons/:id': MANAGERS,
  'GET /api/v1/social-insurance/reviews': MANAGERS,
  'POST /api/v1/social-insurance/reviews/:id/accept': MANAGERS,
  'POST /api/v1/social-insurance/reviews/:id/reject': MANAGERS,
  'GET /api/v1/reemployment-cases/:id': STAFF,
  'PATCH /api/v1/reemployment-cases/:id': STAFF,
  'POST /api/v1/reemployment-cases/:id/close': STAFF,
  'GET /api/v1/lists/tasks': STAFF,
  'GET /api/v1/lists/responsibility': STAFF,
  'GET /api/v1/lists/retention': STAFF,
  'GET /api/v1/lists/returnees': STAFF,
  'GET /api/v1/lists/:list/export': STAFF,
  'GET /api/v1/retention/rate': ['admin', 'township_operator', 'village_officer', 'employer', 'broker'],
  'GET /api/v1/retention/risks': STAFF,
  'GET /api/v1/stats/summary': STAFF,
  'GET /api/v1/stats/monthly': STAFF,
  'GET /api/v1/stats/breakdown': STAFF,
  'GET /api/v1/stats/drill': STAFF,
  'GET /api/v1/stats/verification': STAFF,
  'GET /api/v1/stats/drill/export': STAFF,
  'GET /api/v1/stats/export': STAFF,
  'GET /api/v1/stats/targets': STAFF,
  'POST /api/v1/stats/targets': ['admin'],
  'GET /api/v1/households/figures': STAFF,
  'GET /api/v1/households/poverty-lines': STAFF,
  'PUT /api/v1/households/poverty-lines/:year': ['admin'],
  'GET /api/v1/households': STAFF,
  'GET /api/v1/households/:code': STAFF,
  'GET /api/v1/dashboards/flows': STAFF,
  'GET /api/v1/dashboards/quarterly': STAFF,
  'GET /api/v1/dashboards/funnel': STAFF,
  'GET /api/v1/dashboards/retention-curve': STAFF,
  'GET /api/v1/assessment': ['admin'],
  'GET /api/v1/assessment/weights': ['admin'],
  'POST /api/v1/assessment/weights': ['admin'],
  'GET /api/v1/teams': MANAGERS,
  'POST /api/v1/teams': MANAGERS,
  'GET /api/v1/teams/results': MANAGERS,
  'GET /api/v1/teams/:id': MANAGERS,
  'GET /api/v1/liaison/workers': ['liaison_office'],
  'GET /api/v1/liaison/workers/export': ['liaison_office'],
  'GET /api/v1/liaison/workers/:laborerId': ['liaison_office'],
  'POST /api/v1/liaison/workers/:laborerId/cases': ['liaison_office'],
  'PATCH /api/v1/liaison/cases/:id': ['liaison_office'],
  'GET /api/v1/liaison/cases': ['liaison_office', 'admin'],
  'GET /api/v1/liaison/postings': ['liaison_office'],
  'GET /api/v1/trips': [...MANAGERS, 'employer'],
  'POST /api/v1/trips': MANAGERS,
  'GET /api/v1/trips/:id': [...MANAGERS, 'employer'],
  'GET /api/v1/trips/:id/manifest': [...MANAGERS, 'employer'],
  'GET /api/v1/trips/:id/candidates': MANAGERS,
  'POST /api/v1/trips/:id/passengers': MANAGERS,
  'POST /api/v1/trips/:id/boarding': MANAGERS,
  'POST /api/v1/trips/:id/arrivals': [...MANAGERS, 'employer'],
  'POST /api/v1/trips/:id/status': MANAGERS,
  'POST /api/v1/trips/:id/subsidies': MANAGERS,
  'GET /api/v1/training-classes': MANAGERS,
  'POST /api/v1/training-classes': MANAGERS,
  'GET /api/v1/training-classes/:id': MANAGERS,
  'GET /api/v1/training-classes/:id/roster': MANAGERS,
  'POST /api/v1/training-classes/:id/roster': MANAGERS,
  'POST /api/v1/training-classes/:id/attendance': MANAGERS,
  'POST /api/v1/training-classes/:id/finish': MANAGERS,
  'POST /api/v1/training-classes/:id/certificates': MANAGERS,
  'GET /api/v1/public-welfare/posts': STAFF,
  'POST /api/v1/public-welfare/posts': MANAGERS,
  'GET /api/v1/public-welfare/holdings': STAFF,
  'POST /api/v1/public-welfare/holdings': MANAGERS,
  'POST /api/v1/public-welfare/holdings/:id/exit': MANAGERS,
  'GET /api/v1/public-welfare/holdings/:id/attendance': STAFF,
  'PUT /api/v1/public-welfare/holdings/:id/attendance': STAFF,
  'POST /api/v1/public-welfare/pay': MANAGERS,
  'POST /api/v1/service-records': STAFF,
  'GET /api/v1/service-records': STAFF,
  'GET /api/v1/service-records/person-times': STAFF,
  'GET /api/v1/service-records/export': STAFF,
  'POST /api/v1/subsidies': STAFF,
  'GET /api/v1/subsidies': STAFF,
  'GET /api/v1/subsidies/summary': STAFF,
  'GET /api/v1/subsidies/export': STAFF,
  'GET /api/v1/subsidies/retention/eligibility': MANAGERS,
  'POST /api/v1/subsidies/retention/draft': MANAGERS,
  'GET /api/v1/subsidies/:id': STAFF,
  'POST /api/v1/subsidies/:id/approve': ['admin'],
  'POST /api/v1/subsidies/:id/reject': ['admin'],
  'POST /api/v1/subsidies/:id/pay': ['admin'],
  'POST /api/v1/subsidies/approvals': ['admin'],
  'POST /api/v1/subsidies/payments': ['admin'],
  'PUT /api/v1/subsidies/:id/bank-account': ['admin'],
  'POST /api/v1/subsidies/payment-batches': ['admin'],
  'GET /api/v1/subsidies/payment-batches': ['admin'],
  'GET /api/v1/subsidies/payment-batches/:id': ['admin'],
  'GET /api/v1/subsidies/payment-batches/:id/bank-file': ['admin'],
  'POST /api/v1/subsidies/payment-batches/:id/returns': ['admin'],
  'GET /api/v1/subsidies/payment-batches/:id/notice': ['admin'],
  'GET /api/v1/workshops': STAFF,
  'GET /api/v1/workshops/summary': STAFF,
  'GET /api/v1/designated-enterprises/summary': STAFF,
  'GET /api/v1/workshops/:id': STAFF,
  'PATCH /api/v1/workshops/:id': MANAGERS,
  'GET /api/v1/workshops/:id/standing': STAFF,
  'POST /api/v1/workshops/:id/accreditations': ['admin'],
  'POST /api/v1/workshops/:id/reviews': ['admin'],
  'POST /api/v1/workshops/:id/removal': ['admin'],
  'GET /api/v1/workshops/:id/visits': STAFF,
  'GET /api/v1/workshops/:id/visits/roster': MANAGERS,
  'POST /api/v1/workshops/:id/visits': MANAGERS,
  'GET /api/v1/sms/fields': MANAGERS,
  'POST /api/v1/sms/preview': MANAGERS,
  'GET /api/v1/sms/campaigns': MANAGERS,
  'POST /api/v1/sms/campaigns': MANAGERS,
  'GET /api/v1/sms/campaigns/:id': MANAGERS,
  'POST /api/v1/sms/campaigns/:id/submit': MANAGERS,
  'POST /api/v1/sms/campaigns/:id/approve': MANAGERS,
  'POST /api/v1/sms/campaigns/:id/reject': MANAGERS,
  'POST /api/v1/sms/campaigns/:id/cancel': MANAGERS,
  'GET /api/v1/sms/campaigns/:id/messages': MANAGERS,
  'GET /api/v1/sms/inbox': STAFF,
  'POST /api/v1/sms/inbox/:id/handled': STAFF,
  'POST /api/v1/mobile/code': 'public',
  'POST /api/v1/mobile/login': 'public',
  'POST /api/v1/mobile/logout': 'laborer',
  'GET /api/v1/mobile/me': 'laborer',
  'GET /api/v1/mobile/recommendations': 'laborer',
  'GET /api/v1/mobile/links/:code': 'laborer',
  'GET /api/v1/mobile/applications': 'laborer',
  'POST /api/v1/mobile/applications': 'laborer',
  'POST /api/v1/mobile/wishes': 'laborer',
  'POST /api/v1/mobile/sms-preference': 'laborer',
  'GET /api/v1/mobile/fairs': 'laborer',
  'GET /api/v1/mobile/fairs/:id': 'laborer',
  'POST /api/v1/mobile/fairs/:id/applications': 'laborer',
  'GET /api/v1/wish-requests': STAFF,
  'POST /api/v1/wish-requests/:id/confirm': STAFF,
  'POST /api/v1/wish-requests/:id/reject': STAFF,
  'GET /api/v1/exchange/changes': 'exchange',
  'GET /api/v1/exchange/files/statistics': 'exchange',
  'GET /api/v1/exchange/files/cards': 'exchange',
  'GET /api/v1/exchange/clients': ['admin'],
  'POST /api/v1/exchange/clients': ['admin'],
  'POST /api/v1/exchange/clients/:id/revoke': ['admin'],
};

const ACCOUNT_OF: Record<Role, string> = {
  admin: 'xinshao_admin',
  township_operator: 'longxipu_operator',
  village_officer: 'dazhu_officer',
  broker: 'longxipu_broker',
  liaison_office: 'huayuan_shenzhen',
  employer: 'guohui_employer',
  laborer: 'authz_laborer',
  auditor: 'hunan_auditor',
};

let t: TestApp;
const cookies = new Map<Role, string>();

beforeAll(async () => {
  t = await createTestApp();
  const accounts = createAccountsService({ audit: t.ctx.audit });
  await t.database.db.transaction().execute((tx) =>
    accounts.createSystemAccount(tx, {
      username: 'authz_laborer',
      displayName: '测试劳动者',
      password: DEMO_PASSWORD,
      role: 'laborer',
      regionCode: '430522107212',
    }),
  );
  for (const role of ROLES) cookies.set(role, await t.login(ACCOUNT_OF[role]));
  // A laborer of the mobile page: a card, and a session made for it (sign-in by SMS code has its own tests).
  const { rows } = await sql<{
    id: string;
  }>`INSERT INTO laborer (id_index, id_cipher, id_masked, name, name_pinyin, name_initials, sex, birth_date,
      home_village_code, poverty_status, education, labor_capacity, health, willingness, caring, employment_status)
    VALUES ('\\x01', 'x', '430522********0001', '手机测试', 'shoujiceshi', 'sjcs', 'male', '1990-01-01', '430522107212', 'registered', '70',
      'full', 'healthy', 'in_county', 'none', 'unemployed') RETURNING id`.execute(t.ctx.db);
  mobileLaborerId = String(rows[0]!.id);
  exchangeAuthorization = (await registerTestClient(t.ctx.db)).authorization;
});
/** A client system of the data exchange: its key opens the exchange's routes and nothing else. */
let exchangeAuthorization = '';
let mobileLaborerId = '';
/** A fresh mobile session of the test laborer (logout ends the one it is given). */
async function mobileCookie(): Promise<string> {
  const token = randomToken();
  await sql`INSERT INTO mobile_session (token_hash, laborer_id, expires_at) VALUES (${sm3(token)}, ${mobileLaborerId}, now() + interval '1 day')`.execute(
    t.ctx.db,
  );
  return `laowu_mobile=${token}`;
}
afterAll(async () => t?.close());

const apiRoutes = () => t.routes.filter((r) => r.url.startsWith('/api/v1/'));
const key = (r: { method: string; url: string }) => `${r.method} ${r.url}`;
/** A real-looking URL for a route pattern: region codes get a county, every other parameter an id. */
const concrete = (url: string) => url.replace(':code', '430522').replace(/:[A-Za-z]+/g, '1');
const declared = (access: (typeof t.routes)[number]['access']): Decision =>
  'public' in access
    ? 'public'
    : 'laborer' in access
      ? 'laborer'
      : 'exchange' in access
        ? 'exchange'
        : access.roles === 'any'
          ? 'any'
          : [...access.roles].sort();
const normal = (d: Decision): Decision => (typeof d === 'string' ? d : [...d].sort());

describe('route × role authorization', () => {
  it('every registered API route has a decision in this table, and the table has no stale rows', () => {
    const registered = apiRoutes().map(key).sort();
    const missing = registered.filter((k) => !(k in EXPECTED));
    expect(missing, `routes without an authorization decision in ${import.meta.url}`).toEqual([]);
    expect(Object.keys(EXPECTED).filter((k) => !registered.includes(k))).toEqual([]);
  });

  it('every route declares the decision this table expects', () => {
    for (const route of apiRoutes()) expect(declared(route.access), key(route)).toEqual(normal(EXPECTED[key(route)]));
  });

  it('every route answers every role as decided', async () => {
    const failures: string[] = [];
    // Logout and password change end sessions: they run last, on throw-away sessions.
    for (const route of apiRoutes()) {
      const decision = EXPECTED[key(route)];
      // 'mobile': a laborer signed in on the mobile page; to staff routes it is nobody (401).
      // 'client': a client system of the data exchange with its key; to every other route it is nobody (401).
      const callers: (Role | 'mobile' | 'client' | null)[] = [null, ...ROLES, 'mobile', 'client'];
      for (const role of callers) {
        const cookie =
          role === 'client'
            ? undefined
            : role === 'mobile'
              ? await mobileCookie()
              : role
                ? route.url.includes('logout') || route.url.includes('password') || route.url.includes('totp')
                  ? await t.login(ACCOUNT_OF[role])
                  : cookies.get(role)!
                : undefined;
        const response = await t.app.inject({
          method: route.method as 'GET',
          url: concrete(route.url),
          headers: role === 'client' ? { authorization: exchangeAuthorization } : cookie ? { cookie } : {},
          payload: route.method === 'GET' ? undefined : {},
        });
        const status = response.statusCode;
        const allowed =
          decision === 'public' ||
          (decision === 'laborer'
            ? role === 'mobile'
            : decision === 'exchange'
              ? role === 'client'
              : role !== null && role !== 'mobile' && role !== 'client' && (decision === 'any' || decision.includes(role)));
        // Staff on the exchange's routes hold no key: nobody there (401), as a key is nobody elsewhere.
        const anonymous = role === null || role === 'mobile' || role === 'client' || decision === 'exchange';
        const expected = allowed ? 'not 401/403' : anonymous ? '401' : '403';
        const ok = allowed ? status !== 401 && status !== 403 : status === (anonymous ? 401 : 403);
        // An allowed caller may still be refused by data scope (403 REGION_OUT_OF_SCOPE) — not here:
        // the concrete parameters are inside every test account's reach or answer 404/400.
        if (!ok) failures.push(`${key(route)} as ${role ?? 'anonymous'}: ${status}, expected ${expected} (${response.body.slice(0, 120)})`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('a route registered without a decision stops the application from building', async () => {
    const Fastify = (await import('fastify')).default;
    const { enforceAccessDeclarations } = await import('../src/platform/http.ts');
    const app = Fastify();
    enforceAccessDeclarations(app, []);
    expect(() => app.get('/api/v1/undeclared', async () => 'x')).toThrow(/no authorization decision/);
  });
});
