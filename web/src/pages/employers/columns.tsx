import { Space, Tag, Typography } from 'antd';
import HoverTooltip from '../../components/HoverTooltip.tsx';
import { Link } from 'react-router-dom';
import { EMPLOYER_COLUMNS } from '../../../../contracts/columns/employers.ts';
import { EMPLOYER_KIND, EMPLOYER_KIND_COLORS, type Employer } from '../../api/employers.ts';
import { labelOf, optionsOf } from '../../api/laborers.ts';
import { type FilterField, columnsOf, param, type ScreenColumn } from '../../components/list/index.ts';
import { IndustryCascader } from '../../components/CodeCascader.tsx';

/** The employer list's filters as the URL keeps them. */
export const EMPLOYER_FILTERS = {
  region: param.regionCode,
  kind: param.oneOf(EMPLOYER_KIND.codes),
  industry: (raw: string | null) => (raw && /^\d{2}$/.test(raw) ? raw : undefined),
  q: param.text(40),
};

export const employerFilterFields = (industry: string | undefined, setIndustry: (v: string | undefined) => void): FilterField[] => [
  { kind: 'region', name: 'region', label: '所在地', placeholder: '全国', testId: 'employer-filter-region' },
  { kind: 'select', name: 'kind', label: '类型', width: 140, options: optionsOf(EMPLOYER_KIND), testId: 'employer-filter-kind' },
  {
    kind: 'node',
    key: 'industry',
    label: '行业',
    node: (
      <IndustryCascader
        value={industry}
        style={{ width: 220 }}
        placeholder="全部"
        onChange={setIndustry}
        data-testid="employer-filter-industry"
      />
    ),
  },
  {
    kind: 'search',
    name: 'q',
    placeholder: '单位名称或统一社会信用代码',
    maxLength: 40,
    testId: 'employer-search',
    submitTestId: 'employer-search-submit',
  },
];

const col = columnsOf<Employer, typeof EMPLOYER_COLUMNS>(EMPLOYER_COLUMNS);

/** The employer list's table: titles from contracts/columns/employers.ts. */
export const employerColumns: ScreenColumn<Employer>[] = [
  col('name', {
    width: 220,
    fixed: 'left',
    render: (v: string, e) => (
      <Link to={`/employers/${e.id}`} data-testid="employer-name">
        {v}
      </Link>
    ),
  }),
  col('creditCode', { width: 190, render: (v: string) => <span className="lw-mono">{v}</span> }),
  col('kind', {
    width: 120,
    render: (v: string) => (
      <Tag color={EMPLOYER_KIND_COLORS[v] ?? 'default'} style={{ marginInlineEnd: 0 }}>
        {labelOf(EMPLOYER_KIND, v)}
      </Tag>
    ),
  }),
  col('region', {
    dataIndex: ['region', 'fullName'],
    width: 220,
    ellipsis: { showTitle: false },
    render: (v: string, e) => (
      <HoverTooltip title={`${v}（${e.region.code}）`} placement="topLeft">
        <span>{v}</span>
      </HoverTooltip>
    ),
  }),
  col('industry', {
    width: 180,
    ellipsis: true,
    render: (v: Employer['industry']) => (v ? v.name : <Typography.Text type="secondary">—</Typography.Text>),
  }),
  col('contact', {
    width: 170,
    render: (_: unknown, e) =>
      e.contactName || e.contactPhone ? (
        <span>
          {e.contactName}
          {e.contactPhone && (
            <Typography.Text type="secondary" className="lw-mono" style={{ marginLeft: 6 }}>
              {e.contactPhone}
            </Typography.Text>
          )}
        </span>
      ) : (
        <Typography.Text type="secondary">—</Typography.Text>
      ),
  }),
  col('openPostings', {
    width: 96,
    align: 'right',
    render: (n: number, e) =>
      n ? <Link to={`/postings?employerId=${e.id}&openOnly=true`}>{n}</Link> : <Typography.Text type="secondary">0</Typography.Text>,
  }),
  col('actions', {
    width: 110,
    fixed: 'right',
    render: (_: unknown, e) => (
      <Space size={12}>
        <Link to={`/employers/${e.id}`} data-testid="employer-view">
          查看
        </Link>
        {e.editable && (
          <Link to={`/employers/${e.id}/edit`} data-testid="employer-edit-link">
            编辑
          </Link>
        )}
      </Space>
    ),
  }),
];
