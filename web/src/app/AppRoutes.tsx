import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { Flex, Spin } from 'antd';
import { useAuth } from './auth.tsx';
import { pageLoader, type PageModule, type PageName } from './pages.ts';
import AppLayout from './AppLayout.tsx';
import { ACCOUNT_ADMIN_ROLES, AUDITOR_ROLES, REGISTRY_ROLES, STAFF_ROLES } from '../api/labels.ts';
import {
  AGREEMENT_READER_ROLES,
  ASSESSMENT_ROLES,
  SI_REVIEWER_ROLES,
  BROKER_MANAGER_ROLES,
  BROKER_ROLES,
  DASHBOARD_ROLES,
  EMPLOYEE_READER_ROLES,
  EMPLOYER_CREATOR_ROLES,
  EMPLOYER_EDITOR_ROLES,
  EXCHANGE_ROLES,
  FAIR_ROLES,
  FOLLOW_UP_ROLES,
  HOUSEHOLD_ROLES,
  JOB_READER_ROLES,
  LIAISON_ROLES,
  MATCHING_ROLES,
  POSTING_WRITER_ROLES,
  REFERRAL_ROLES,
  REGISTRY_IMPORT_ROLES,
  SERVICE_RECORD_ROLES,
  ENROLMENT_ROLES,
  SMS_INBOX_ROLES,
  SMS_ROLES,
  SUBSIDY_ROLES,
  TEAM_ROLES,
  TRIP_ROLES,
  TRAINING_ROLES,
  WISH_CONFIRMER_ROLES,
  WORKSHOP_ROLES,
  PUBLIC_WELFARE_ROLES,
} from '../api/roles.ts';
import type { RoleName } from '../api/types.ts';

/** A page's module (pages.ts), loaded by its route's lazy component unless boot.ts started it already. */
function page<N extends PageName>(name: N) {
  // React's lazy calls only `then` on what the loader returns; its types ask for a Promise.
  return lazy(pageLoader(name) as () => Promise<PageModule<N>>);
}

const LoginPage = page('LoginPage');
const Forbidden = lazy(() => import('./Refusals.tsx').then((m) => ({ default: m.Forbidden })));
const NotFound = lazy(() => import('./Refusals.tsx').then((m) => ({ default: m.NotFound })));
const DashboardPage = page('DashboardPage');
const AccountsPage = page('AccountsPage');
const AuditPage = page('AuditPage');
const ProfilePage = page('ProfilePage');
const RegionsPage = page('RegionsPage');
const LaborersPage = page('LaborersPage');
const LaborerFormPage = page('LaborerFormPage');
const LaborerDetailPage = page('LaborerDetailPage');
const LaborerImportPage = page('LaborerImportPage');
const RegistryImportPage = page('RegistryImportPage');
const DuplicatesPage = page('DuplicatesPage');
const TransfersPage = page('TransfersPage');
const ConfirmationProgressPage = page('ConfirmationProgressPage');
const EmployersPage = page('EmployersPage');
const EmployerFormPage = page('EmployerFormPage');
const EmployerDetailPage = page('EmployerDetailPage');
const PostingsPage = page('PostingsPage');
const PostingFormPage = page('PostingFormPage');
const PostingDetailPage = page('PostingDetailPage');
const MatchingPage = page('MatchingPage');
const MatchRunsPage = page('MatchRunsPage');
const AgreementsPage = page('AgreementsPage');
const BrokersPage = page('BrokersPage');
const MyVillagesPage = page('MyVillagesPage');
const TeamsPage = page('TeamsPage');
const TravelPage = page('TravelPage');
const TrainingPage = page('TrainingPage');
const ReferralsPage = page('ReferralsPage');
const FairsPage = page('FairsPage');
const FairDetailPage = page('FairDetailPage');
const LiaisonPage = page('LiaisonPage');
const ServiceRecordsPage = page('ServiceRecordsPage');
const SchoolEnrolmentsPage = page('SchoolEnrolmentsPage');
const ExchangeClientsPage = page('ExchangeClientsPage');
const SubsidiesPage = page('SubsidiesPage');
const WorkshopsPage = page('WorkshopsPage');
const PublicWelfarePage = page('PublicWelfarePage');
const RetentionPage = page('RetentionPage');
const SmsCampaignsPage = page('SmsCampaignsPage');
const SmsComposePage = page('SmsComposePage');
const SmsCampaignDetailPage = page('SmsCampaignDetailPage');
const SmsInboxPage = page('SmsInboxPage');
const WishRequestsPage = page('WishRequestsPage');
const StatsPage = page('StatsPage');
const HouseholdPage = page('HouseholdPage');
const DashboardsPage = page('DashboardsPage');
const AssessmentPage = page('AssessmentPage');
const SocialInsurancePage = page('SocialInsurancePage');
const EmployeesPage = page('EmployeesPage');

export function FullPageSpin() {
  return (
    <Flex align="center" justify="center" style={{ minHeight: '60vh' }}>
      <Spin size="large" description="加载中…" />
    </Flex>
  );
}

/** Signed-in pages: a session is required; while a second factor must be enrolled only /profile is open. */
function RequireAuth({ children }: { children: ReactNode }) {
  const { me, signedOutOnPurpose } = useAuth();
  const location = useLocation();
  if (me === undefined) return <FullPageSpin />;
  if (me === null) {
    return <Navigate to="/login" replace state={signedOutOnPurpose() ? undefined : { from: location.pathname + location.search }} />;
  }
  if (me.totpSetupRequired && location.pathname !== '/profile') return <Navigate to="/profile" replace />;
  return <>{children}</>;
}

function RoleGuard({ roles, children }: { roles: RoleName[]; children: ReactNode }) {
  const { me } = useAuth();
  if (!me || !roles.includes(me.role)) return <Lazy page={<Forbidden />} />;
  return <>{children}</>;
}

export default function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<Lazy page={<LoginPage />} />} />
      <Route
        element={
          <RequireAuth>
            <AppLayout />
          </RequireAuth>
        }
      >
        <Route index element={<Lazy page={<DashboardPage />} />} />
        <Route
          path="accounts"
          element={
            <RoleGuard roles={ACCOUNT_ADMIN_ROLES}>
              <Lazy page={<AccountsPage />} />
            </RoleGuard>
          }
        />
        <Route
          path="audit"
          element={
            <RoleGuard roles={AUDITOR_ROLES}>
              <Lazy page={<AuditPage />} />
            </RoleGuard>
          }
        />
        <Route
          path="regions"
          element={
            <RoleGuard roles={STAFF_ROLES}>
              <Lazy page={<RegionsPage />} />
            </RoleGuard>
          }
        />
        <Route path="laborers">
          <Route index element={<Registry page={<LaborersPage />} />} />
          <Route path="new" element={<Registry page={<LaborerFormPage key="new" />} />} />
          <Route path="import" element={<Registry page={<LaborerImportPage />} />} />
          <Route path="registry-import" element={<Guarded roles={REGISTRY_IMPORT_ROLES} page={<RegistryImportPage />} />} />
          <Route path="duplicates" element={<Registry page={<DuplicatesPage />} />} />
          <Route path="transfers" element={<Registry page={<TransfersPage />} />} />
          <Route path="confirmation" element={<Registry page={<ConfirmationProgressPage />} />} />
          <Route path=":id" element={<Registry page={<LaborerDetailPage />} />} />
          <Route path=":id/edit" element={<Registry page={<LaborerFormPage key="edit" />} />} />
        </Route>
        {/* 岗位对接: employers and their postings (readers: every staff role and employer accounts). */}
        <Route path="employers">
          <Route index element={<Guarded roles={JOB_READER_ROLES} page={<EmployersPage />} />} />
          <Route path="new" element={<Guarded roles={EMPLOYER_CREATOR_ROLES} page={<EmployerFormPage key="new" />} />} />
          <Route path=":id" element={<Guarded roles={JOB_READER_ROLES} page={<EmployerDetailPage />} />} />
          <Route path=":id/edit" element={<Guarded roles={EMPLOYER_EDITOR_ROLES} page={<EmployerFormPage key="edit" />} />} />
        </Route>
        <Route path="postings">
          <Route index element={<Guarded roles={JOB_READER_ROLES} page={<PostingsPage />} />} />
          <Route path="new" element={<Guarded roles={POSTING_WRITER_ROLES} page={<PostingFormPage key="new" />} />} />
          <Route path=":id" element={<Guarded roles={JOB_READER_ROLES} page={<PostingDetailPage />} />} />
          <Route path=":id/edit" element={<Guarded roles={POSTING_WRITER_ROLES} page={<PostingFormPage key="edit" />} />} />
        </Route>
        {/* 供需对接: the two lists, recommendations and batch matching (the server's MATCHING_STAFF). */}
        <Route path="matching">
          <Route index element={<Guarded roles={MATCHING_ROLES} page={<MatchingPage />} />} />
          <Route path="runs" element={<Guarded roles={MATCHING_ROLES} page={<MatchRunsPage />} />} />
        </Route>
        <Route path="referrals" element={<Guarded roles={REFERRAL_ROLES} page={<ReferralsPage />} />} />
        <Route path="employees" element={<Guarded roles={EMPLOYEE_READER_ROLES} page={<EmployeesPage />} />} />
        {/* 招聘会: staff of the organising region (the server's FAIR_STAFF). */}
        <Route path="fairs">
          <Route index element={<Guarded roles={FAIR_ROLES} page={<FairsPage />} />} />
          <Route path=":id" element={<Guarded roles={FAIR_ROLES} page={<FairDetailPage />} />} />
        </Route>
        {/* 劳务协作协议: readable by every staff role for the agreements touching its region. */}
        <Route path="agreements" element={<Guarded roles={AGREEMENT_READER_ROLES} page={<AgreementsPage />} />} />
        {/* 劳务经纪人: managers (the server's BROKER_MANAGERS) and a broker's own villages. */}
        <Route path="brokers" element={<Guarded roles={BROKER_MANAGER_ROLES} page={<BrokersPage />} />} />
        <Route path="my-villages" element={<Guarded roles={BROKER_ROLES} page={<MyVillagesPage />} />} />
        {/* 招工小分队: the county bureau and township operators (the server's TEAM_MANAGERS). */}
        <Route path="teams" element={<Guarded roles={TEAM_ROLES} page={<TeamsPage />} />} />
        {/* 就业直通车: organisers (the server's TRIP_ORGANISERS) and the trip's employer at the gate. */}
        <Route path="travel" element={<Guarded roles={TRIP_ROLES} page={<TravelPage />} />} />
        {/* 驻外服务: the liaison office's workers in its host city, their cases, its postings. */}
        <Route path="liaison" element={<Guarded roles={LIAISON_ROLES} page={<LiaisonPage />} />} />
        {/* 精准服务: service records, subsidies (the server's SUBSIDY_STAFF), workshops and bases. */}
        <Route path="exchange" element={<Guarded roles={EXCHANGE_ROLES} page={<ExchangeClientsPage />} />} />
        {/* 职业培训班: organisers (the server's TRAINING_ORGANISERS). */}
        <Route path="training" element={<Guarded roles={TRAINING_ROLES} page={<TrainingPage />} />} />
        <Route path="service-records" element={<Guarded roles={SERVICE_RECORD_ROLES} page={<ServiceRecordsPage />} />} />
        <Route path="school-enrolments" element={<Guarded roles={ENROLMENT_ROLES} page={<SchoolEnrolmentsPage />} />} />
        <Route path="subsidies" element={<Guarded roles={SUBSIDY_ROLES} page={<SubsidiesPage />} />} />
        <Route path="workshops" element={<Guarded roles={WORKSHOP_ROLES} page={<WorkshopsPage />} />} />
        {/* 公益性岗位: the region's staff (the server's PUBLIC_WELFARE_READERS; managers assign, exit and draft the pay). */}
        <Route path="public-welfare" element={<Guarded roles={PUBLIC_WELFARE_ROLES} page={<PublicWelfarePage />} />} />
        {/* 稳岗服务: follow-ups for staff, brokers and liaison offices; cases, lists and rates for staff. */}
        <Route path="retention" element={<Guarded roles={FOLLOW_UP_ROLES} page={<RetentionPage />} />} />
        {/* 点对点短信: campaigns (the server's SMS_MANAGERS), replies, and wishes sent from phones. */}
        <Route path="sms">
          <Route index element={<Guarded roles={SMS_ROLES} page={<SmsCampaignsPage />} />} />
          <Route path="new" element={<Guarded roles={SMS_ROLES} page={<SmsComposePage />} />} />
          <Route path="inbox" element={<Guarded roles={SMS_INBOX_ROLES} page={<SmsInboxPage />} />} />
          <Route path=":id" element={<Guarded roles={SMS_ROLES} page={<SmsCampaignDetailPage />} />} />
        </Route>
        <Route path="stats" element={<Guarded roles={STAFF_ROLES} page={<StatsPage />} />} />
        {/* 家庭户: a household as of a date (the server's HOUSEHOLD_READERS), from a card's 户编号 or the statistics. */}
        <Route path="households/:code" element={<Guarded roles={HOUSEHOLD_ROLES} page={<HouseholdPage />} />} />
        <Route path="dashboards" element={<Guarded roles={DASHBOARD_ROLES} page={<DashboardsPage />} />} />
        <Route path="assessment" element={<Guarded roles={ASSESSMENT_ROLES} page={<AssessmentPage />} />} />
        <Route path="social-insurance" element={<Guarded roles={SI_REVIEWER_ROLES} page={<SocialInsurancePage />} />} />
        <Route path="wish-requests" element={<Guarded roles={WISH_CONFIRMER_ROLES} page={<WishRequestsPage />} />} />
        <Route path="profile" element={<Lazy page={<ProfilePage />} />} />
        <Route path="*" element={<Lazy page={<NotFound />} />} />
      </Route>
    </Routes>
  );
}

function Lazy({ page }: { page: ReactNode }) {
  return <Suspense fallback={<FullPageSpin />}>{page}</Suspense>;
}

function Guarded({ roles, page }: { roles: RoleName[]; page: ReactNode }) {
  return (
    <RoleGuard roles={roles}>
      <Lazy page={page} />
    </RoleGuard>
  );
}

/** The laborer registry's pages (精准识别): staff who keep the cards. */
function Registry({ page }: { page: ReactNode }) {
  return (
    <RoleGuard roles={REGISTRY_ROLES}>
      <Lazy page={page} />
    </RoleGuard>
  );
}
