import { Link } from 'react-router-dom';
import { Space, Tag, Typography } from 'antd';
import HoverTooltip from '../../components/HoverTooltip.tsx';
import { POSTING_COLUMNS } from '../../../../contracts/columns/postings.ts';
import { EMPLOYER_KIND, EMPLOYER_KIND_COLORS } from '../../api/employers.ts';
import { labelOf } from '../../api/laborers.ts';
import { POSTING_STATE, POSTING_STATE_COLORS, POSTING_STATUS, boardText, wageRange, type Posting } from '../../api/postings.ts';
import { columnsOf, param, type ScreenColumn } from '../../components/list/index.ts';

export const POSTING_SORTS = ['updatedAt', 'wageMax', 'validTo'] as const;

/** The job list's filters as the URL keeps them. */
export const POSTING_FILTERS = {
  region: param.regionCode,
  employerId: param.id,
  occupation: (raw: string | null) => (raw && /^[1-8](-\d{2}){0,3}$/.test(raw) ? raw : undefined),
  status: param.oneOf(POSTING_STATUS.codes),
  openOnly: (raw: string | null) => (raw === 'true' ? ('true' as const) : undefined),
  reservedForPoor: param.yesNo,
  wageAtLeast: param.int(1, 1_000_000),
  q: param.text(30),
};

const col = columnsOf<Posting, typeof POSTING_COLUMNS>(POSTING_COLUMNS);

export function PostingStateTag({ state }: { state: string }) {
  return (
    <Tag color={POSTING_STATE_COLORS[state] ?? 'default'} style={{ marginInlineEnd: 0 }} data-testid="posting-state">
      {labelOf(POSTING_STATE, state)}
    </Tag>
  );
}

/**
 * The job list's columns (titles from contracts/columns/postings.ts), shared by the postings page
 * and an employer's page. `sortable` makes 月薪 and 有效期 sortable on the server (in a ListTable).
 */
export function postingColumns(options: { showEmployer?: boolean; sortable?: boolean }): ScreenColumn<Posting>[] {
  const sortable = options.sortable ? { sorter: true } : {};
  const columns: ScreenColumn<Posting>[] = [
    col('title', {
      width: 200,
      fixed: 'left',
      render: (v: string, p) => (
        <Space size={6} wrap>
          <Link to={`/postings/${p.id}`} data-testid="posting-title">
            {v}
          </Link>
          {p.state !== 'open' && <PostingStateTag state={p.state} />}
        </Space>
      ),
    }),
    col('employer', {
      width: 210,
      ellipsis: { showTitle: false },
      render: (_: unknown, p) => (
        <HoverTooltip title={`${p.employer.name}（${labelOf(EMPLOYER_KIND, p.employer.kind)}）`} placement="topLeft">
          <Space size={4}>
            <Link to={`/employers/${p.employer.id}`}>{p.employer.name}</Link>
            {p.employer.kind !== 'ordinary' && (
              <Tag color={EMPLOYER_KIND_COLORS[p.employer.kind]} style={{ marginInlineEnd: 0 }}>
                {labelOf(EMPLOYER_KIND, p.employer.kind)}
              </Tag>
            )}
          </Space>
        </HoverTooltip>
      ),
    }),
    col('occupation', {
      width: 140,
      ellipsis: { showTitle: false },
      render: (_: unknown, p) => (
        <HoverTooltip title={`${p.occupation.label}（${p.occupation.code}）`} placement="topLeft">
          <span>{p.occupation.label}</span>
        </HoverTooltip>
      ),
    }),
    col('workRegion', {
      width: 200,
      ellipsis: { showTitle: false },
      render: (_: unknown, p) => (
        <HoverTooltip title={`${p.workRegion.fullName}（${p.workRegion.code}）`} placement="topLeft">
          <span>{p.workRegion.fullName}</span>
        </HoverTooltip>
      ),
    }),
    col('headcount', {
      width: 96,
      align: 'right',
      render: (_: unknown, p) => (
        <HoverTooltip title={`尚缺 ${p.openings} 人`}>
          <span data-testid="posting-headcount">
            {p.headcount} / {p.filled}
          </span>
        </HoverTooltip>
      ),
    }),
    col('wageMax', {
      width: 130,
      ...sortable,
      render: (_: unknown, p) => wageRange(p.wageMin, p.wageMax),
    }),
    col('board', {
      width: 90,
      render: (_: unknown, p) =>
        p.food || p.housing ? boardText(p.food, p.housing) : <Typography.Text type="secondary">不包</Typography.Text>,
    }),
    col('reservedForPoor', {
      width: 88,
      render: (v: boolean) => (v ? <Tag color="red">专岗</Tag> : <Typography.Text type="secondary">—</Typography.Text>),
    }),
    col('validTo', {
      width: 200,
      ...sortable,
      render: (_: unknown, p) => (
        <Typography.Text type={p.state === 'expired' ? 'secondary' : undefined}>
          {p.validFrom} ~ {p.validTo}
        </Typography.Text>
      ),
    }),
  ];
  return options.showEmployer === false ? columns.filter((c) => c.key !== 'employer') : columns;
}
