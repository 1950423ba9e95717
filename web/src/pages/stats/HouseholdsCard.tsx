import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Card, Drawer, Flex, Statistic, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { HOUSEHOLD_FILTER, type HouseholdBrief, type HouseholdFigures, type HouseholdFilter } from '../../../../contracts/households.ts';
import { HOUSEHOLD_FIGURES_PATH, HOUSEHOLDS_PATH } from '../../../../contracts/paths.ts';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import { useApiData } from '../../components/useApiData.ts';
import { grouped, yuan } from '../../app/format.ts';

const PAGE_SIZE = 20;

/**
 * 家庭户 on the statistics page (issue 20 item 1): for the page's region and date, households, those
 * with a member at work, 零就业家庭 and those whose income from recorded work reaches the year's
 * line; each figure opens its list of households (ID numbers masked), each household its page.
 */
export default function HouseholdsCard({ region, asOf }: { region: string; asOf: string }) {
  const { data, error, loading } = useApiData<HouseholdFigures>(HOUSEHOLD_FIGURES_PATH, { region, asOf });
  const [filter, setFilter] = useState<HouseholdFilter | null>(null);
  const figure = (key: HouseholdFilter, title: string, value: number | null | undefined) => (
    <Typography.Link onClick={() => setFilter(key)} data-testid={`households-${key}`}>
      <Statistic title={title} value={value ?? '—'} loading={loading} />
    </Typography.Link>
  );
  return (
    <Card
      size="small"
      style={{ marginBottom: 16 }}
      data-testid="households-figures"
      title={
        data
          ? `家庭户（截至 ${data.asOf}；务工收入 ${data.window.from} 至 ${data.window.to}${
              data.povertyLine ? `，${data.povertyLine.year} 年脱贫线 ${yuan(data.povertyLine.yuan)}/人` : '，当年脱贫线未设定'
            }）`
          : '家庭户'
      }
    >
      <ErrorAlert error={error} />
      <Flex gap={48} wrap>
        {figure('all', '家庭户（按户主所在村）', data?.households)}
        {figure('with_employed', '有成员就业的家庭', data?.withEmployed)}
        {figure('zero_employment', '零就业家庭', data?.zeroEmployment)}
        {figure('reaching_line', '人均务工收入达到脱贫线', data?.reachingLine)}
      </Flex>
      <HouseholdList region={region} asOf={asOf} filter={filter} onClose={() => setFilter(null)} />
    </Card>
  );
}

function HouseholdList({
  region,
  asOf,
  filter,
  onClose,
}: {
  region: string;
  asOf: string;
  filter: HouseholdFilter | null;
  onClose: () => void;
}) {
  const [page, setPage] = useState(1);
  const [shown, setShown] = useState<HouseholdFilter | null>(null);
  if (filter !== shown) {
    setShown(filter);
    setPage(1);
  }
  const { data, error, loading } = useApiData<{ total: number; items: HouseholdBrief[] }>(filter ? HOUSEHOLDS_PATH : null, {
    region,
    asOf,
    filter,
    page,
    pageSize: PAGE_SIZE,
  });
  const columns: TableColumnsType<HouseholdBrief> = [
    {
      title: '户编号',
      key: 'code',
      width: 170,
      render: (_, h) => (
        <Link to={`/households/${encodeURIComponent(h.code)}?asOf=${asOf}`} className="lw-mono">
          {h.code}
        </Link>
      ),
    },
    { title: '户主', key: 'head', width: 90, render: (_, h) => h.head.name },
    { title: '身份证号', key: 'id', width: 180, render: (_, h) => <span className="lw-mono">{h.head.idNumberMasked}</span> },
    { title: '户主所在村', key: 'village', ellipsis: true, render: (_, h) => h.village.name },
    { title: '家庭人口', dataIndex: 'size', width: 80, align: 'right' },
    { title: '有劳动能力', dataIndex: 'able', width: 90, align: 'right' },
    { title: '已就业', dataIndex: 'employed', width: 70, align: 'right' },
    { title: '人均务工收入', key: 'perCapita', width: 120, align: 'right', render: (_, h) => yuan(h.perCapitaIncome) },
  ];
  return (
    <Drawer
      open={!!filter}
      onClose={onClose}
      width={1000}
      destroyOnHidden
      title={filter ? `${HOUSEHOLD_FILTER.labels[filter]}（截至 ${asOf}）` : ''}
    >
      <ErrorAlert error={error} />
      <Typography.Paragraph data-testid="households-total">共 {data ? grouped(data.total) : '…'} 户</Typography.Paragraph>
      <Table<HouseholdBrief>
        data-testid="households-list"
        rowKey="code"
        size="small"
        loading={loading}
        columns={columns}
        dataSource={data?.items ?? []}
        pagination={{ current: page, pageSize: PAGE_SIZE, total: data?.total ?? 0, showSizeChanger: false, onChange: setPage }}
      />
    </Drawer>
  );
}
