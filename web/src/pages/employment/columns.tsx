import { Button, Tag, Typography } from 'antd';
import PlaceName from '../../components/PlaceName.tsx';
import {
  CASE_COLUMNS,
  FOLLOW_UP_COLUMNS,
  RESPONSIBILITY_LIST_COLUMNS,
  RETENTION_LIST_COLUMNS,
  RETURNEE_COLUMNS,
  RISK_COLUMNS,
  TASK_LIST_COLUMNS,
} from '../../../../contracts/columns/employment.ts';
import type { Returnees } from '../../../../contracts/employment.ts';
import {
  CASE_CLOSE_REASON,
  CASE_STATUS,
  END_REASON,
  FOLLOW_UP_METHOD,
  RESPONSIBLE_KIND,
  RISK_SIGN,
  UNEMPLOYMENT_BENEFIT,
  type FollowUp,
  type ReemploymentCase,
  type Responsibility,
  type RetentionList,
  type RiskList,
  type TaskList,
} from '../../api/employment.ts';
import { columnsOf, param, type ScreenColumn } from '../../components/list/index.ts';
import { grouped } from '../../app/format.ts';

export type Returnee = Returnees['items'][number];
export type TaskRow = TaskList['items'][number];
export type ResponsibilityRow = Responsibility['items'][number];
export type RetentionRow = RetentionList['items'][number];
export type RiskRow = RiskList['items'][number];

export const label = <T extends Record<string, string>>(dict: { labels: T }, code: string | null | undefined) =>
  code ? ((dict.labels as Record<string, string>)[code] ?? code) : '—';
const wage = (n: number | null | undefined) => (n === null || n === undefined ? '—' : `${grouped(n)} 元/月`);

export const WILLINGNESS: Record<string, string> = {
  in_county: '县内',
  in_province: '县外省内',
  out_of_province: '省外',
  stay_home: '不愿外出',
  abroad: '出国务工',
};

/** The filters each list keeps in the URL (the tabs share the URL, and a tab change clears it). */
export const FOLLOW_UP_FILTERS = { status: param.oneOf(['overdue', 'done'] as const), mine: param.yesNo };
export const CASE_FILTERS = { status: param.oneOf(['closed'] as const) };
export const REGION_FILTER = { region: param.regionCode };
export const LISTS_FILTERS = {
  list: param.oneOf(['responsibility', 'retention'] as const),
  region: param.regionCode,
  groupBy: param.oneOf(['province', 'county'] as const),
  workRegion: param.regionCode,
};
export const RISK_FILTERS = { sign: param.oneOf(RISK_SIGN.codes) };

const returnee = columnsOf<Returnee, typeof RETURNEE_COLUMNS>(RETURNEE_COLUMNS);

/** 本月返乡人员 (titles from contracts/columns/employment.ts). */
export const returneeColumns: ScreenColumn<Returnee>[] = [
  returnee('name', { width: 100, render: (_, r) => r.laborer.name }),
  returnee('idNumberMasked', { width: 180, render: (_, r) => r.laborer.idNumberMasked }),
  returnee('phoneMasked', { width: 130, render: (_, r) => r.laborer.phoneMasked ?? '—' }),
  returnee('village', { ellipsis: true, render: (_, r) => <PlaceName fullName={r.laborer.villageName} /> }),
  returnee('workRegionName', { ellipsis: true }),
  returnee('employer', { ellipsis: true, render: (_, r) => r.employer ?? '—' }),
  returnee('startedOn', { width: 110 }),
  returnee('endedOn', { width: 110 }),
  returnee('endReason', { width: 110, render: (_, r) => label(END_REASON, r.endReason) }),
  returnee('responsible', {
    render: (_, r) =>
      r.responsible.length
        ? r.responsible.map((p) => `${p.name}（${p.kind === 'follow_up' ? '回访责任人' : '村级信息员'}）`).join('、')
        : '—',
  }),
];

const followUp = columnsOf<FollowUp, typeof FOLLOW_UP_COLUMNS>(FOLLOW_UP_COLUMNS);

/** 回访任务: the done ones show the result, the others the 记录回访 button. */
export const followUpColumns = (done: boolean, record: (f: FollowUp) => void): ScreenColumn<FollowUp>[] => [
  followUp('name', { width: 100, render: (_, f) => f.laborer.name }),
  followUp('village', { ellipsis: true, render: (_, f) => <PlaceName fullName={f.laborer.villageName} /> }),
  followUp('phoneMasked', { width: 130, render: (_, f) => f.laborer.phoneMasked ?? '—' }),
  followUp('workplace', { ellipsis: true, render: (v: string | null) => v ?? '—' }),
  followUp('workRegionName', { ellipsis: true }),
  followUp('startedOn', { width: 105 }),
  followUp('months', { width: 90, render: (_, f) => `第 ${f.months} 个月` }),
  followUp('dueOn', {
    width: 130,
    render: (_, f) =>
      f.overdue ? (
        <Tag color="red" data-testid="follow-up-overdue">
          {f.dueOn} 逾期
        </Tag>
      ) : (
        f.dueOn
      ),
  }),
  followUp('responsible', {
    width: 150,
    ellipsis: true,
    render: (_, f) => `${label(RESPONSIBLE_KIND, f.responsibleKind)}${f.responsible ? `·${f.responsible.displayName}` : ''}`,
  }),
  done
    ? followUp('result', {
        ellipsis: true,
        render: (_, f) =>
          `${f.doneOn} ${label(FOLLOW_UP_METHOD, f.method)}：${f.stillEmployed ? '在岗' : '已离岗'}${f.problems ? `；${f.problems}` : ''}`,
      })
    : followUp('actions', {
        width: 100,
        fixed: 'right',
        render: (_, f) => (
          <Button size="small" type="primary" data-testid={`follow-up-record-${f.id}`} onClick={() => record(f)}>
            记录回访
          </Button>
        ),
      }),
];

const reCase = columnsOf<ReemploymentCase, typeof CASE_COLUMNS>(CASE_COLUMNS);

/** 转岗服务: the name opens the case. */
export const caseColumns = (open: (c: ReemploymentCase) => void): ScreenColumn<ReemploymentCase>[] => [
  reCase('name', {
    width: 100,
    render: (_, c) => (
      <Typography.Link data-testid={`case-open-${c.id}`} onClick={() => open(c)}>
        {c.laborer.name}
      </Typography.Link>
    ),
  }),
  reCase('village', { ellipsis: true, render: (_, c) => <PlaceName fullName={c.laborer.villageName} /> }),
  reCase('job', { ellipsis: true, render: (_, c) => `${c.endedEmployment.workplace ?? '—'}（${c.endedEmployment.workRegionName}）` }),
  reCase('ended', {
    width: 190,
    render: (_, c) => `${c.endedEmployment.endedOn ?? '—'} ${label(END_REASON, c.endedEmployment.endReason)}`,
  }),
  reCase('returnee', { width: 70, render: (v: boolean) => (v ? <Tag color="blue">返乡</Tag> : '') }),
  reCase('unemploymentBenefit', { width: 110, render: (v: string) => label(UNEMPLOYMENT_BENEFIT, v) }),
  reCase('openedOn', { width: 105 }),
  reCase('status', {
    width: 160,
    render: (_, c) => (
      <Tag color={c.status === 'open' ? 'orange' : 'green'} data-testid="case-status">
        {label(CASE_STATUS, c.status)}
        {c.closeReason ? `·${label(CASE_CLOSE_REASON, c.closeReason)}` : ''}
      </Tag>
    ),
  }),
];

const task = columnsOf<TaskRow, typeof TASK_LIST_COLUMNS>(TASK_LIST_COLUMNS);

/** 任务清单 (its export's columns from the same definition). */
export const taskColumns: ScreenColumn<TaskRow>[] = [
  task('name', { width: 100, render: (_, r) => r.laborer.name }),
  task('village', { ellipsis: true, render: (_, r) => <PlaceName fullName={r.laborer.villageName} /> }),
  task('age', { width: 60 }),
  task('willingness', { width: 100, render: (w: string) => WILLINGNESS[w] ?? w }),
  task('wantedJobTypes', { ellipsis: true, render: (_, r) => r.wantedJobTypes.join('、') || '—' }),
  task('expectedWage', { width: 120, render: wage }),
  task('skillsAndCertificates', { ellipsis: true, render: (_, r) => [...r.skills, ...r.certificates].join('、') || '—' }),
  task('openCase', { width: 90, render: (_, r) => (r.openCaseId ? <Tag color="orange">服务中</Tag> : '') }),
];

const responsibility = columnsOf<ResponsibilityRow, typeof RESPONSIBILITY_LIST_COLUMNS>(RESPONSIBILITY_LIST_COLUMNS);

/** 责任清单. */
export const responsibilityColumns: ScreenColumn<ResponsibilityRow>[] = [
  responsibility('name', { width: 100, render: (_, r) => r.laborer.name }),
  responsibility('village', { ellipsis: true, render: (_, r) => <PlaceName fullName={r.laborer.villageName} /> }),
  responsibility('employed', { width: 90, render: (_, r) => (r.employed ? <Tag color="green">已就业</Tag> : <Tag>未就业</Tag>) }),
  responsibility('workRegionName', { ellipsis: true, render: (v: string | null) => v ?? '—' }),
  responsibility('responsible', { render: (_, r) => r.responsible.map((p) => p.name).join('；') }),
  responsibility('tasks', {
    render: (_, r) =>
      r.tasks.map((x) => (
        <Tag key={x} color={x.startsWith('逾期') ? 'red' : 'default'}>
          {x}
        </Tag>
      )),
  }),
];

const retention = columnsOf<RetentionRow, typeof RETENTION_LIST_COLUMNS>(RETENTION_LIST_COLUMNS);

/** 稳岗清单. */
export const retentionColumns: ScreenColumn<RetentionRow>[] = [
  retention('name', { width: 90, render: (_, r) => r.laborer.name }),
  retention('phoneMasked', { width: 120, render: (_, r) => r.laborer.phoneMasked ?? '—' }),
  retention('workRegionName', { ellipsis: true }),
  retention('employer', { ellipsis: true, render: (v: string | null) => v ?? '—' }),
  retention('contact', { width: 130, render: (v: string | null) => v ?? '—' }),
  retention('startedOn', { width: 100 }),
  retention('monthlyWage', { width: 110, render: wage }),
];

const risk = columnsOf<RiskRow, typeof RISK_COLUMNS>(RISK_COLUMNS);

/** 离岗风险. */
export const riskColumns: ScreenColumn<RiskRow>[] = [
  risk('name', { width: 90, render: (_, r) => r.laborer.name }),
  risk('work', { ellipsis: true, render: (_, r) => `${r.workplace ?? '—'}（${r.workRegionName}）` }),
  risk('score', { width: 70, render: (s: number) => <Tag color={s >= 5 ? 'red' : s >= 3 ? 'orange' : 'gold'}>{s}</Tag> }),
  risk('signs', {
    render: (_, r) =>
      r.signs.map((s) => (
        <div key={s.sign}>
          <Tag>{label(RISK_SIGN, s.sign)}</Tag>
          {s.detail}
        </div>
      )),
  }),
];
