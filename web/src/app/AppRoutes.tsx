import { lazy, Suspense, type ReactNode } from 'react';
import { Link, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { Button, Flex, Result, Spin } from 'antd';
import { useAuth } from './auth.tsx';
import AppLayout from './AppLayout.tsx';
import { ACCOUNT_ADMIN_ROLES, AUDITOR_ROLES, REGISTRY_ROLES, STAFF_ROLES } from '../api/labels.ts';
import type { RoleName } from '../api/types.ts';
import LoginPage from '../pages/LoginPage.tsx';
import { EMPLOYER_CREATOR_ROLES, EMPLOYER_EDITOR_ROLES, JOB_READER_ROLES } from '../api/employers.ts';
import { POSTING_WRITER_ROLES } from '../api/postings.ts';
import { MATCHING_ROLES } from '../api/matching.ts';
import { AGREEMENT_READER_ROLES } from '../api/agreements.ts';
import { REFERRAL_ROLES } from '../api/referrals.ts';
import { FAIR_ROLES } from '../api/fairs.ts';
import { LIAISON_ROLES } from '../api/liaison.ts';
import { BROKER_MANAGER_ROLES, BROKER_ROLES } from '../api/brokers.ts';
import { TEAM_ROLES } from '../api/teams.ts';
import { EMPLOYEE_READER_ROLES, FOLLOW_UP_ROLES } from '../api/employment.ts';
import { TRIP_ROLES } from '../api/travel.ts';
import { SERVICE_RECORD_ROLES } from '../api/service-records.ts';
import { EXCHANGE_ROLES } from '../api/exchange.ts';
import { SUBSIDY_ROLES } from '../api/subsidies.ts';
import { WORKSHOP_ROLES } from '../api/workshops.ts';
import { SMS_INBOX_ROLES, SMS_ROLES } from '../api/sms.ts';
import { WISH_CONFIRMER_ROLES } from '../api/mobile.ts';
import { ASSESSMENT_ROLES, DASHBOARD_ROLES } from '../api/dashboards.ts';
import { HOUSEHOLD_ROLES } from '../api/households.ts';

const DashboardPage = lazy(() => import('../pages/DashboardPage.tsx'));
const AccountsPage = lazy(() => import('../pages/AccountsPage.tsx'));
const AuditPage = lazy(() => import('../pages/AuditPage.tsx'));
const ProfilePage = lazy(() => import('../pages/ProfilePage.tsx'));
const RegionsPage = lazy(() => import('../pages/RegionsPage.tsx'));
const LaborersPage = lazy(() => import('../pages/laborers/LaborersPage.tsx'));
const LaborerFormPage = lazy(() => import('../pages/laborers/LaborerFormPage.tsx'));
const LaborerDetailPage = lazy(() => import('../pages/laborers/LaborerDetailPage.tsx'));
const LaborerImportPage = lazy(() => import('../pages/laborers/LaborerImportPage.tsx'));
const DuplicatesPage = lazy(() => import('../pages/laborers/DuplicatesPage.tsx'));
const TransfersPage = lazy(() => import('../pages/laborers/TransfersPage.tsx'));
const ConfirmationProgressPage = lazy(() => import('../pages/laborers/ConfirmationProgressPage.tsx'));
const EmployersPage = lazy(() => import('../pages/employers/EmployersPage.tsx'));
const EmployerFormPage = lazy(() => import('../pages/employers/EmployerFormPage.tsx'));
const EmployerDetailPage = lazy(() => import('../pages/employers/EmployerDetailPage.tsx'));
const PostingsPage = lazy(() => import('../pages/postings/PostingsPage.tsx'));
const PostingFormPage = lazy(() => import('../pages/postings/PostingFormPage.tsx'));
const PostingDetailPage = lazy(() => import('../pages/postings/PostingDetailPage.tsx'));
const MatchingPage = lazy(() => import('../pages/matching/MatchingPage.tsx'));
const MatchRunsPage = lazy(() => import('../pages/matching/MatchRunsPage.tsx'));
const AgreementsPage = lazy(() => import('../pages/agreements/AgreementsPage.tsx'));
const BrokersPage = lazy(() => import('../pages/brokers/BrokersPage.tsx'));
const MyVillagesPage = lazy(() => import('../pages/brokers/MyVillagesPage.tsx'));
const TeamsPage = lazy(() => import('../pages/teams/TeamsPage.tsx'));
const TravelPage = lazy(() => import('../pages/travel/TravelPage.tsx'));
const ReferralsPage = lazy(() => import('../pages/referrals/ReferralsPage.tsx'));
const FairsPage = lazy(() => import('../pages/fairs/FairsPage.tsx'));
const FairDetailPage = lazy(() => import('../pages/fairs/FairDetailPage.tsx'));
const LiaisonPage = lazy(() => import('../pages/liaison/LiaisonPage.tsx'));
const ServiceRecordsPage = lazy(() => import('../pages/service-records/ServiceRecordsPage.tsx'));
const ExchangeClientsPage = lazy(() => import('../pages/exchange/ExchangeClientsPage.tsx'));
const SubsidiesPage = lazy(() => import('../pages/subsidies/SubsidiesPage.tsx'));
const WorkshopsPage = lazy(() => import('../pages/workshops/WorkshopsPage.tsx'));
const RetentionPage = lazy(() => import('../pages/employment/RetentionPage.tsx'));
const SmsCampaignsPage = lazy(() => import('../pages/sms/SmsCampaignsPage.tsx'));
const SmsComposePage = lazy(() => import('../pages/sms/SmsComposePage.tsx'));
const SmsCampaignDetailPage = lazy(() => import('../pages/sms/SmsCampaignDetailPage.tsx'));
const SmsInboxPage = lazy(() => import('../pages/sms/SmsInboxPage.tsx'));
const WishRequestsPage = lazy(() => import('../pages/mobile/WishRequestsPage.tsx'));
const StatsPage = lazy(() => import('../pages/stats/StatsPage.tsx'));
const HouseholdPage = lazy(() => import('../pages/households/HouseholdPage.tsx'));
const DashboardsPage = lazy(() => import('../pages/dashboards/DashboardsPage.tsx'));
const AssessmentPage = lazy(() => import('../pages/assessment/AssessmentPage.tsx'));
const EmployeesPage = lazy(() => import('../pages/employees/EmployeesPage.tsx'));

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
  if (!me || !roles.includes(me.role)) {
    return (
      <Result
        status="403"
        title="无权访问"
        subTitle="您的账号角色无权使用此功能，如有需要请联系上级管理员。"
        extra={
          <Link to="/">
            <Button type="primary">返回工作台</Button>
          </Link>
        }
      />
    );
  }
  return <>{children}</>;
}

function NotFound() {
  return (
    <Result
      status="404"
      title="页面不存在"
      subTitle="您访问的页面不存在或已被移除。"
      extra={
        <Link to="/">
          <Button type="primary">返回工作台</Button>
        </Link>
      }
    />
  );
}

export default function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
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
        <Route path="service-records" element={<Guarded roles={SERVICE_RECORD_ROLES} page={<ServiceRecordsPage />} />} />
        <Route path="subsidies" element={<Guarded roles={SUBSIDY_ROLES} page={<SubsidiesPage />} />} />
        <Route path="workshops" element={<Guarded roles={WORKSHOP_ROLES} page={<WorkshopsPage />} />} />
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
        <Route path="wish-requests" element={<Guarded roles={WISH_CONFIRMER_ROLES} page={<WishRequestsPage />} />} />
        <Route path="profile" element={<Lazy page={<ProfilePage />} />} />
        <Route path="*" element={<NotFound />} />
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
