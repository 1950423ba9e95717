import {
  DESIGNATED_SUMMARY_PATH,
  HOUSEHOLD_FIGURES_PATH,
  ME_PATH,
  STATS_MONTHLY_PATH,
  STATS_TARGETS_PATH,
  STATS_VERIFICATION_PATH,
} from '../../../contracts/paths.ts';
import { EMPLOYMENT_STAFF, SUBSIDY_APPROVERS } from '../../../contracts/roles.ts';
import { askEarly } from '../api/early.ts';
import type { Me, RoleName } from '../api/types.ts';
import { chinaToday } from './china-time.ts';
import { routeMatches } from './pages.ts';

/**
 * What each page of the console asks the API for first, when it opens with no filters in its
 * address: boot.ts asks for it as soon as the session's account has answered (api/early.ts), so a
 * cold load's data arrives while the console's scripts are still being parsed instead of after the
 * shell has rendered and the page has mounted. Beside the page table (pages.ts) and the menu
 * (menu.tsx).
 *
 * Each entry is the page's own requests, URL for URL (query parameters in the page's order): a
 * request listed here that the page does not make is asked for in vain, one the page makes that is
 * not listed is only asked for later. e2e/first-requests.test.ts opens every page of the menu as
 * accounts of each role and level and fails when an early request is not taken by the page.
 */
/** Who opens the page: what the pages' first requests read of the session's account. */
interface Viewer {
  role: RoleName;
  region: Pick<Me['region'], 'code' | 'level'>;
}

interface Day {
  /** Today in China, as the pages' date pickers start (app/format.ts chinaNow): YYYY-MM-DD. */
  today: string;
  year: number;
}

type Requests = (viewer: Viewer, day: Day) => (string | false)[];

const regionOf = (v: Viewer) => `/api/v1/regions/${v.region.code}`;
/** The region filter's first option (RegionCascader with the viewer's region as its root): shown above a village only. */
const regionFilter = (v: Viewer) => v.region.level !== 'village' && regionOf(v);
const has = (roles: readonly RoleName[], role: RoleName) => roles.includes(role);
/** A region code's ancestors, province first (2, 4, 6, 9 and 12 digits a level). */
const ancestors = (code: string) => [2, 4, 6, 9].filter((n) => n < code.length).map((n) => code.slice(0, n));
const PAGE = 'page=1&pageSize=20';

export const FIRST_REQUESTS: [string, Requests][] = [
  ['/', () => ['/api/v1/workbench']],
  ['/accounts', (v) => [regionFilter(v), `/api/v1/accounts?${PAGE}`]],
  ['/laborers', (v) => [regionFilter(v), `/api/v1/laborers?${PAGE}`]],
  ['/laborers/registry-import', () => ['/api/v1/registry-imports/mappings']],
  [
    '/laborers/confirmation',
    ({ region }) => [
      `/api/v1/laborers/confirmation-progress?region=${region.code}`,
      `/api/v1/laborers?region=${region.code}&confirmed=false&sort=village&${PAGE}`,
      `/api/v1/regions/${region.code}`,
    ],
  ],
  // A province admin picks a city before the list loads.
  ['/laborers/duplicates', (v) => [regionFilter(v), v.region.code.length >= 4 && '/api/v1/laborers/duplicates?page=1&pageSize=10']],
  ['/laborers/transfers', () => [`/api/v1/laborers/transfer-requests?direction=incoming&${PAGE}`]],
  // The employer's own list has no region filter (the others' covers the whole country).
  ['/employers', (v) => [v.role !== 'employer' && '/api/v1/regions', `/api/v1/employers?${PAGE}`]],
  ['/postings', () => ['/api/v1/regions', `/api/v1/postings?${PAGE}`]],
  [
    '/matching',
    (v) => [
      regionOf(v),
      '/api/v1/regions',
      `/api/v1/matching/demand?region=${v.region.code}&page=1&pageSize=10`,
      `/api/v1/matching/supply?region=${v.region.code}&page=1&pageSize=10`,
    ],
  ],
  ['/matching/runs', (v) => [regionOf(v), `/api/v1/matching/runs?region=${v.region.code}`]],
  ['/agreements', () => ['/api/v1/regions', '/api/v1/agreements']],
  // A broker sees their own row of the broker table above their referrals.
  ['/referrals', (v) => [v.role === 'broker' && '/api/v1/brokers/me/table', `/api/v1/referrals?${PAGE}`]],
  ['/fairs', () => [`/api/v1/fairs?${PAGE}`, '/api/v1/fairs/results']],
  [
    '/brokers',
    (v, day) => [
      regionOf(v),
      `/api/v1/brokers/table?region=${v.region.code}&asOf=${day.today}`,
      `/api/v1/brokers/contracts?region=${v.region.code}&${PAGE}`,
    ],
  ],
  ['/teams', (v) => [regionOf(v), `/api/v1/teams/results?region=${v.region.code}`, `/api/v1/teams?region=${v.region.code}&${PAGE}`]],
  ['/travel', () => [`/api/v1/trips?${PAGE}`]],
  ['/sms', () => [`/api/v1/sms/campaigns?${PAGE}`]],
  ['/sms/inbox', () => [`/api/v1/sms/inbox?handled=false&${PAGE}`]],
  ['/wish-requests', () => [`/api/v1/wish-requests?${PAGE}`]],
  [
    '/service-records',
    (v, day) => {
      const span = `region=${v.region.code}&from=${day.year}-01-01&to=${day.today}`;
      return [regionOf(v), `/api/v1/service-records?${span}&${PAGE}`, `/api/v1/service-records/person-times?${span}`];
    },
  ],
  ['/school-enrolments', (v) => [`/api/v1/school-enrolments?region=${v.region.code}&${PAGE}`]],
  ['/training', () => [`/api/v1/training-classes?${PAGE}`]],
  // A county or higher approver opens on the approval queue.
  [
    '/subsidies',
    (v) => {
      const queue = has(SUBSIDY_APPROVERS, v.role) && v.region.code.length <= 6;
      return [regionOf(v), `/api/v1/subsidies?region=${v.region.code}${queue ? '&queue=true' : ''}&${PAGE}`];
    },
  ],
  [
    '/workshops',
    (v) => [regionOf(v), `/api/v1/workshops/summary?region=${v.region.code}`, `/api/v1/workshops?region=${v.region.code}&${PAGE}`],
  ],
  ['/public-welfare', () => [`/api/v1/public-welfare/posts?${PAGE}`, `/api/v1/public-welfare/holdings?${PAGE}`]],
  ['/my-villages', () => [`/api/v1/brokers/me/laborers?${PAGE}`]],
  ['/employees', () => [`/api/v1/employments?status=open&${PAGE}`]],
  ['/liaison', () => [`/api/v1/liaison/workers?${PAGE}`]],
  // Staff see everyone's follow-ups and the overdue figures; a broker or an office its own.
  [
    '/retention',
    (v) =>
      has(EMPLOYMENT_STAFF, v.role)
        ? ['/api/v1/follow-ups/overdue', `/api/v1/follow-ups?status=due&${PAGE}`]
        : [`/api/v1/follow-ups?status=due&mine=true&${PAGE}`],
  ],
  [
    '/social-insurance',
    (v) => [regionOf(v), `/api/v1/social-insurance/reviews?${PAGE}`, '/api/v1/social-insurance/comparisons?pageSize=5'],
  ],
  // The cards below the two tables ask for theirs when scrolled near (components/WhenNear.tsx).
  ['/stats', (v, { today }) => [regionOf(v), `/api/v1/stats/breakdown?region=${v.region.code}&asOf=${today}`]],
  [
    '/dashboards',
    (v, { today }) => {
      const at = `region=${v.region.code}&asOf=${today}`;
      return [
        regionOf(v),
        `/api/v1/stats/monthly?region=${v.region.code}&months=24&asOf=${today}`,
        `/api/v1/stats/breakdown?${at}`,
        `/api/v1/dashboards/flows?${at}`,
        `/api/v1/dashboards/quarterly?${at}`,
        `/api/v1/dashboards/funnel?${at}`,
        `/api/v1/dashboards/retention-curve?${at}`,
        `/api/v1/regions/${v.region.code}/children`,
      ];
    },
  ],
  ['/assessment', (_, { today }) => [`/api/v1/assessment?asOf=${today}`]],
  ['/exchange', () => ['/api/v1/exchange/clients']],
  ['/audit', () => [`/api/v1/audit?${PAGE}`]],
  // The region browser opens at the viewer's region: its ancestors' children show the way there.
  [
    '/regions',
    (v) => [
      '/api/v1/regions',
      regionOf(v),
      `/api/v1/regions/${v.region.code}/children`,
      ...ancestors(v.region.code).map((code) => `/api/v1/regions/${code}/children`),
    ],
  ],
];

function chinaDay(): Day {
  const today = chinaToday();
  return { today, year: Number(today.slice(0, 4)) };
}

/**
 * What a page asks for only when a part of it below its first screen comes near (WhenNear), by the
 * path of each request: not asked early, since where the first screen ends depends on the window and
 * on the data; how many of them a load makes does too.
 */
export const WHEN_NEAR: Record<string, string[]> = {
  '/stats': [STATS_MONTHLY_PATH, STATS_VERIFICATION_PATH, HOUSEHOLD_FIGURES_PATH, DESIGNATED_SUMMARY_PATH, STATS_TARGETS_PATH],
};

/** The URLs the page at `pathname` asks for first, for this viewer (none for a page not in the table). */
export function firstRequestsOf(pathname: string, viewer: Viewer, day = chinaDay()): string[] {
  const hit = FIRST_REQUESTS.find(([pattern]) => routeMatches(pattern, pathname));
  return hit ? hit[1](viewer, day).filter((url): url is string => !!url) : [];
}

/**
 * Asks for the session's account (the answer index.html's preload already started) and, once it
 * has answered, the first requests of the page at `pathname`. With filters in the address the
 * page asks for other lists, so only the account is asked for; and nothing more while the account
 * must enrol a second factor (every page sends it to its profile).
 */
export function askFirstRequests(pathname: string, search: string): void {
  const me = askEarly(ME_PATH);
  if (search) return;
  me.then((answer) => {
    if (!answer.ok) return;
    const viewer = JSON.parse(answer.text) as Me;
    if (viewer.totpSetupRequired) return;
    for (const url of firstRequestsOf(pathname, viewer)) askEarly(url);
  }).catch(() => undefined);
}
