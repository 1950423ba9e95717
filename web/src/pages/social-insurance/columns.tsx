import { Button, Space, Tag, Typography } from 'antd';
import { SI_REVIEW_COLUMNS } from '../../../../contracts/columns/social-insurance.ts';
import { optionsOf } from '../../api/laborers.ts';
import { SI_OUTCOME, SI_REVIEW_FILTER, type Review } from '../../api/social-insurance.ts';
import { columnsOf, type FilterField, param, type ScreenColumn } from '../../components/list/index.ts';

export const REVIEW_FILTERS = {
  region: param.regionCode,
  status: param.oneOf(SI_REVIEW_FILTER.codes),
  outcome: param.oneOf(['suspected', 'unverified', 'employer_differs'] as const),
  comparison: param.text(20),
};

const REVIEW_OUTCOMES = {
  suspected: SI_OUTCOME.labels.suspected,
  unverified: SI_OUTCOME.labels.unverified,
  employer_differs: SI_OUTCOME.labels.employer_differs,
};
export const reviewFilterFields = (rootCode: string): FilterField[] => [
  { kind: 'region', name: 'region', label: '区划', rootCode, placeholder: '本辖区', testId: 'si-filter-region' },
  { kind: 'select', name: 'status', label: '状态', width: 120, options: optionsOf(SI_REVIEW_FILTER), testId: 'si-filter-status' },
  {
    kind: 'select',
    name: 'outcome',
    label: '比对结果',
    width: 150,
    options: Object.entries(REVIEW_OUTCOMES).map(([value, label]) => ({ value, label })),
    testId: 'si-filter-outcome',
  },
];

const col = columnsOf<Review, typeof SI_REVIEW_COLUMNS>(SI_REVIEW_COLUMNS);
const OUTCOME_COLOR: Record<string, string> = { suspected: 'blue', unverified: 'orange', employer_differs: 'purple' };

/** The review list: 采纳 / 驳回 on the open ones, the overdue marked. */
export const reviewColumns = (decide: (review: Review, decision: 'accept' | 'reject') => void): ScreenColumn<Review>[] => [
  col('laborer', {
    render: (_, r) => (
      <span>
        {r.laborer.name}
        <Typography.Text type="secondary" style={{ marginLeft: 6 }}>
          {r.laborer.idNumberMasked}
        </Typography.Text>
      </span>
    ),
  }),
  col('village', { render: (_, r) => r.villageName ?? r.villageCode }),
  col('outcome', { render: (_, r) => <Tag color={OUTCOME_COLOR[r.outcome]}>{r.outcomeLabel}</Tag> }),
  col('employment', { render: (_, r) => (r.employment ? `${r.employment.employer ?? '—'}（${r.employment.startedOn} 起）` : '—') }),
  col('contribution', {
    render: (_, r) =>
      r.contribution
        ? `${r.contribution.unitName ?? r.contribution.creditCode ?? '—'}${r.contribution.place ? `（${r.contribution.place}）` : ''}`
        : '无缴费',
  }),
  col('months', { width: 90, render: (_, r) => r.contribution?.months ?? '—' }),
  col('dueOn', {
    width: 140,
    render: (_, r) => (
      <Space size={4}>
        {r.dueOn}
        {r.overdue && (
          <Tag color="red" data-testid={`si-overdue-${r.id}`}>
            已逾期
          </Tag>
        )}
      </Space>
    ),
  }),
  col('status', { width: 100, render: (_, r) => (r.status === 'rejected' && r.reason ? `${r.statusLabel}：${r.reason}` : r.statusLabel) }),
  col('actions', {
    width: 150,
    render: (_, r) =>
      r.status === 'open' && (
        <Space>
          <Button size="small" type="primary" onClick={() => decide(r, 'accept')} data-testid={`si-accept-${r.id}`}>
            采纳
          </Button>
          <Button size="small" onClick={() => decide(r, 'reject')} data-testid={`si-reject-${r.id}`}>
            驳回
          </Button>
        </Space>
      ),
  }),
];
