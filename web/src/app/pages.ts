/**
 * The console's pages as modules, and which one a path opens. Apart from the routes (AppRoutes.tsx)
 * and free of React and antd, so boot.ts can start fetching the page's module while the shell's
 * scripts are still downloading, instead of after they ran and /auth/me answered.
 */
export const PAGE_MODULES = {
  LoginPage: () => import('../pages/LoginPage.tsx'),
  DashboardPage: () => import('../pages/DashboardPage.tsx'),
  AccountsPage: () => import('../pages/AccountsPage.tsx'),
  AuditPage: () => import('../pages/AuditPage.tsx'),
  ProfilePage: () => import('../pages/ProfilePage.tsx'),
  RegionsPage: () => import('../pages/RegionsPage.tsx'),
  LaborersPage: () => import('../pages/laborers/LaborersPage.tsx'),
  LaborerFormPage: () => import('../pages/laborers/LaborerFormPage.tsx'),
  LaborerDetailPage: () => import('../pages/laborers/LaborerDetailPage.tsx'),
  LaborerImportPage: () => import('../pages/laborers/LaborerImportPage.tsx'),
  RegistryImportPage: () => import('../pages/laborers/RegistryImportPage.tsx'),
  DuplicatesPage: () => import('../pages/laborers/DuplicatesPage.tsx'),
  TransfersPage: () => import('../pages/laborers/TransfersPage.tsx'),
  ConfirmationProgressPage: () => import('../pages/laborers/ConfirmationProgressPage.tsx'),
  EmployersPage: () => import('../pages/employers/EmployersPage.tsx'),
  EmployerFormPage: () => import('../pages/employers/EmployerFormPage.tsx'),
  EmployerDetailPage: () => import('../pages/employers/EmployerDetailPage.tsx'),
  PostingsPage: () => import('../pages/postings/PostingsPage.tsx'),
  PostingFormPage: () => import('../pages/postings/PostingFormPage.tsx'),
  PostingDetailPage: () => import('../pages/postings/PostingDetailPage.tsx'),
  MatchingPage: () => import('../pages/matching/MatchingPage.tsx'),
  MatchRunsPage: () => import('../pages/matching/MatchRunsPage.tsx'),
  AgreementsPage: () => import('../pages/agreements/AgreementsPage.tsx'),
  BrokersPage: () => import('../pages/brokers/BrokersPage.tsx'),
  MyVillagesPage: () => import('../pages/brokers/MyVillagesPage.tsx'),
  TeamsPage: () => import('../pages/teams/TeamsPage.tsx'),
  TravelPage: () => import('../pages/travel/TravelPage.tsx'),
  TrainingPage: () => import('../pages/training/TrainingPage.tsx'),
  ReferralsPage: () => import('../pages/referrals/ReferralsPage.tsx'),
  FairsPage: () => import('../pages/fairs/FairsPage.tsx'),
  FairDetailPage: () => import('../pages/fairs/FairDetailPage.tsx'),
  LiaisonPage: () => import('../pages/liaison/LiaisonPage.tsx'),
  ServiceRecordsPage: () => import('../pages/service-records/ServiceRecordsPage.tsx'),
  SchoolEnrolmentsPage: () => import('../pages/schooling/SchoolEnrolmentsPage.tsx'),
  ExchangeClientsPage: () => import('../pages/exchange/ExchangeClientsPage.tsx'),
  SubsidiesPage: () => import('../pages/subsidies/SubsidiesPage.tsx'),
  WorkshopsPage: () => import('../pages/workshops/WorkshopsPage.tsx'),
  PublicWelfarePage: () => import('../pages/public-welfare/PublicWelfarePage.tsx'),
  RetentionPage: () => import('../pages/employment/RetentionPage.tsx'),
  SmsCampaignsPage: () => import('../pages/sms/SmsCampaignsPage.tsx'),
  SmsComposePage: () => import('../pages/sms/SmsComposePage.tsx'),
  SmsCampaignDetailPage: () => import('../pages/sms/SmsCampaignDetailPage.tsx'),
  SmsInboxPage: () => import('../pages/sms/SmsInboxPage.tsx'),
  WishRequestsPage: () => import('../pages/mobile/WishRequestsPage.tsx'),
  StatsPage: () => import('../pages/stats/StatsPage.tsx'),
  HouseholdPage: () => import('../pages/households/HouseholdPage.tsx'),
  DashboardsPage: () => import('../pages/dashboards/DashboardsPage.tsx'),
  AssessmentPage: () => import('../pages/assessment/AssessmentPage.tsx'),
  SocialInsurancePage: () => import('../pages/social-insurance/SocialInsurancePage.tsx'),
  EmployeesPage: () => import('../pages/employees/EmployeesPage.tsx'),
};

export type PageName = keyof typeof PAGE_MODULES;
export type PageModule<N extends PageName> = Awaited<ReturnType<(typeof PAGE_MODULES)[N]>>;

/** The pages' modules that have arrived, by name. */
const arrived = new Map<PageName, unknown>();

/**
 * The loader a route's `lazy` calls: once the module has arrived (boot.ts started it, so on the
 * first load it usually has by the time the session's answer lets the page render), a thenable that
 * hands it over at once, so React's lazy renders the page in the same pass. A promise, even one
 * already settled, suspends the page once: the spinner is committed, and React holds a fallback it
 * has shown for 300 ms before it reveals what replaced it — measured as ~300 ms between the shell
 * and the page on every cold load.
 */
export function pageLoader<N extends PageName>(name: N): () => PromiseLike<PageModule<N>> {
  return () => {
    const module = arrived.get(name) as PageModule<N> | undefined;
    // biome-ignore lint/suspicious/noThenProperty: a thenable on purpose, whose `then` answers synchronously.
    if (module) return { then: (resolve) => resolve?.(module) as never };
    return loadPage(name);
  };
}

function loadPage<N extends PageName>(name: N): Promise<PageModule<N>> {
  return (PAGE_MODULES[name]() as Promise<PageModule<N>>).then((module) => {
    arrived.set(name, module);
    return module;
  });
}

/** Fixed paths before the `:id` patterns; a route missing here still loads, only later. */
const PATHS: [string, PageName][] = [
  ['/', 'DashboardPage'],
  ['/login', 'LoginPage'],
  ['/accounts', 'AccountsPage'],
  ['/audit', 'AuditPage'],
  ['/regions', 'RegionsPage'],
  ['/profile', 'ProfilePage'],
  ['/laborers', 'LaborersPage'],
  ['/laborers/new', 'LaborerFormPage'],
  ['/laborers/import', 'LaborerImportPage'],
  ['/laborers/registry-import', 'RegistryImportPage'],
  ['/laborers/duplicates', 'DuplicatesPage'],
  ['/laborers/transfers', 'TransfersPage'],
  ['/laborers/confirmation', 'ConfirmationProgressPage'],
  ['/laborers/:id', 'LaborerDetailPage'],
  ['/laborers/:id/edit', 'LaborerFormPage'],
  ['/employers', 'EmployersPage'],
  ['/employers/new', 'EmployerFormPage'],
  ['/employers/:id', 'EmployerDetailPage'],
  ['/employers/:id/edit', 'EmployerFormPage'],
  ['/postings', 'PostingsPage'],
  ['/postings/new', 'PostingFormPage'],
  ['/postings/:id', 'PostingDetailPage'],
  ['/postings/:id/edit', 'PostingFormPage'],
  ['/matching', 'MatchingPage'],
  ['/matching/runs', 'MatchRunsPage'],
  ['/referrals', 'ReferralsPage'],
  ['/employees', 'EmployeesPage'],
  ['/fairs', 'FairsPage'],
  ['/fairs/:id', 'FairDetailPage'],
  ['/agreements', 'AgreementsPage'],
  ['/brokers', 'BrokersPage'],
  ['/my-villages', 'MyVillagesPage'],
  ['/teams', 'TeamsPage'],
  ['/travel', 'TravelPage'],
  ['/training', 'TrainingPage'],
  ['/liaison', 'LiaisonPage'],
  ['/exchange', 'ExchangeClientsPage'],
  ['/service-records', 'ServiceRecordsPage'],
  ['/school-enrolments', 'SchoolEnrolmentsPage'],
  ['/subsidies', 'SubsidiesPage'],
  ['/workshops', 'WorkshopsPage'],
  ['/public-welfare', 'PublicWelfarePage'],
  ['/retention', 'RetentionPage'],
  ['/sms', 'SmsCampaignsPage'],
  ['/sms/new', 'SmsComposePage'],
  ['/sms/inbox', 'SmsInboxPage'],
  ['/sms/:id', 'SmsCampaignDetailPage'],
  ['/stats', 'StatsPage'],
  ['/households/:code', 'HouseholdPage'],
  ['/dashboards', 'DashboardsPage'],
  ['/assessment', 'AssessmentPage'],
  ['/social-insurance', 'SocialInsurancePage'],
  ['/wish-requests', 'WishRequestsPage'],
];

/** Whether a route pattern ('/laborers/:id') matches a path, as react-router matches it (whole segments, end anchored). */
export function routeMatches(pattern: string, pathname: string): boolean {
  const want = pattern.split('/').filter(Boolean);
  const have = pathname.split('/').filter(Boolean);
  return want.length === have.length && want.every((segment, i) => segment.startsWith(':') || segment === have[i]);
}

let opening: Promise<unknown> = Promise.resolve();

/** Starts loading the module of the page `pathname` opens. */
export function preloadPage(pathname: string): void {
  const hit = PATHS.find(([pattern]) => routeMatches(pattern, pathname));
  // A failed fetch is the lazy route's to report when it renders.
  if (hit) opening = loadPage(hit[1]).catch(() => undefined);
}

/**
 * Settles when the module of the page the console opened on has arrived (or failed to arrive):
 * main.tsx renders then, so the first render holds the page, not a spinner that React would keep
 * up 300 ms after the page could have replaced it (see pageLoader).
 */
export function pageOpened(): Promise<unknown> {
  return opening;
}
