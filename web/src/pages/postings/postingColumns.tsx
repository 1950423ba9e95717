import { Link } from 'react-router-dom';
import { Space, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { EMPLOYER_KIND, EMPLOYER_KIND_COLORS } from '../../api/employers.ts';
import { labelOf } from '../../api/laborers.ts';
import { POSTING_STATE, POSTING_STATE_COLORS, boardText, wageRange, type Posting } from '../../api/postings.ts';

export type PostingSortKey = 'updatedAt' | 'wageMax' | 'validTo';

export function PostingStateTag({ state }: { state: string }) {
  return (
    <Tag color={POSTING_STATE_COLORS[state] ?? 'default'} style={{ marginInlineEnd: 0 }} data-testid="posting-state">
      {labelOf(POSTING_STATE, state)}
    </Tag>
  );
}

/**
 * The job list's columns (岗位, 单位, 工种, 工作地点, 招聘/已招, 月薪, 食宿, 扶贫专岗, 有效期), shared by the
 * postings page and an employer's page. `sortOrderOf` makes 月薪 and 有效期 sortable on the server.
 */
export function postingColumns(options: {
  showEmployer?: boolean;
  sortOrderOf?: (key: PostingSortKey) => 'ascend' | 'descend' | null;
}): TableColumnsType<Posting> {
  const sortable = (key: PostingSortKey) => (options.sortOrderOf ? { sorter: true, sortOrder: options.sortOrderOf(key) } : {});
  const columns: TableColumnsType<Posting> = [
    {
      title: '岗位',
      dataIndex: 'title',
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
    },
    {
      title: '单位',
      key: 'employer',
      width: 210,
      ellipsis: { showTitle: false },
      render: (_: unknown, p) => (
        <Tooltip title={`${p.employer.name}（${labelOf(EMPLOYER_KIND, p.employer.kind)}）`} placement="topLeft">
          <Space size={4}>
            <Link to={`/employers/${p.employer.id}`}>{p.employer.name}</Link>
            {p.employer.kind !== 'ordinary' && (
              <Tag color={EMPLOYER_KIND_COLORS[p.employer.kind]} style={{ marginInlineEnd: 0 }}>
                {labelOf(EMPLOYER_KIND, p.employer.kind)}
              </Tag>
            )}
          </Space>
        </Tooltip>
      ),
    },
    {
      title: '工种',
      key: 'occupation',
      width: 140,
      ellipsis: { showTitle: false },
      render: (_: unknown, p) => (
        <Tooltip title={`${p.occupation.label}（${p.occupation.code}）`} placement="topLeft">
          <span>{p.occupation.label}</span>
        </Tooltip>
      ),
    },
    {
      title: '工作地点',
      key: 'workRegion',
      width: 200,
      ellipsis: { showTitle: false },
      render: (_: unknown, p) => (
        <Tooltip title={`${p.workRegion.fullName}（${p.workRegion.code}）`} placement="topLeft">
          <span>{p.workRegion.fullName}</span>
        </Tooltip>
      ),
    },
    {
      title: '招聘/已招',
      key: 'headcount',
      width: 96,
      align: 'right',
      render: (_: unknown, p) => (
        <Tooltip title={`尚缺 ${p.openings} 人`}>
          <span data-testid="posting-headcount">
            {p.headcount} / {p.filled}
          </span>
        </Tooltip>
      ),
    },
    {
      title: '月薪',
      key: 'wageMax',
      width: 130,
      ...sortable('wageMax'),
      render: (_: unknown, p) => wageRange(p.wageMin, p.wageMax),
    },
    {
      title: '食宿',
      key: 'board',
      width: 90,
      render: (_: unknown, p) =>
        p.food || p.housing ? boardText(p.food, p.housing) : <Typography.Text type="secondary">不包</Typography.Text>,
    },
    {
      title: '扶贫专岗',
      dataIndex: 'reservedForPoor',
      width: 88,
      render: (v: boolean) => (v ? <Tag color="red">专岗</Tag> : <Typography.Text type="secondary">—</Typography.Text>),
    },
    {
      title: '有效期',
      key: 'validTo',
      width: 200,
      ...sortable('validTo'),
      render: (_: unknown, p) => (
        <Typography.Text type={p.state === 'expired' ? 'secondary' : undefined}>
          {p.validFrom} ~ {p.validTo}
        </Typography.Text>
      ),
    },
  ];
  return options.showEmployer === false ? columns.filter((c) => c.key !== 'employer') : columns;
}
