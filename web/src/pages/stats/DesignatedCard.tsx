import { Card, Flex, Statistic, Table } from 'antd';
import type { TableColumnsType } from 'antd';
import type { DesignatedSummary, DesignatedTotals } from '../../../../contracts/workshops.ts';
import { DESIGNATED_SUMMARY_PATH } from '../../../../contracts/paths.ts';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import { useApiData } from '../../components/useApiData.ts';

type Row = { code: string; name: string; totals: DesignatedTotals };

/**
 * 定点接收单位 on the statistics page (issue 20 item 3): the second article's table for the page's
 * region and date — enterprises designated (of which 就业扶贫基地), the region's laborers they
 * received, the reserved posts they planned (拟接收) and those taken — with a row per child region.
 */
export default function DesignatedCard({ region, asOf }: { region: string; asOf: string }) {
  const { data, error, loading } = useApiData<DesignatedSummary>(DESIGNATED_SUMMARY_PATH, { region, asOf });
  const columns: TableColumnsType<Row> = [
    { title: '区划', dataIndex: 'name', key: 'name' },
    { title: '接收本地劳动力的单位', key: 'receiving', align: 'right', render: (_, r) => r.totals.receiving },
    { title: '接收贫困劳动力就业（人）', key: 'received', align: 'right', render: (_, r) => r.totals.received },
    { title: '就业扶贫专岗已上岗（人）', key: 'filled', align: 'right', render: (_, r) => r.totals.reservedFilled },
  ];
  return (
    <Card
      size="small"
      style={{ marginBottom: 16 }}
      data-testid="designated-summary"
      title={data ? `定点接收单位（截至 ${data.asOf}，${data.region.name}贫困劳动力）` : '定点接收单位'}
    >
      <ErrorAlert error={error} />
      <Flex gap={48} wrap style={{ marginBottom: 12 }}>
        <Statistic title="定点接收单位（家）" value={data?.enterprises ?? '—'} loading={loading} />
        <Statistic title="其中就业扶贫基地" value={data?.bases ?? '—'} loading={loading} />
        <Statistic title="已接收贫困劳动力就业（人）" value={data?.totals.received ?? '—'} loading={loading} />
        <Statistic title="就业扶贫专岗拟接收（人）" value={data?.reservedPlanned ?? '—'} loading={loading} />
        <Statistic title="专岗已上岗（人）" value={data?.totals.reservedFilled ?? '—'} loading={loading} />
      </Flex>
      {data && data.rows.length > 0 && (
        <Table<Row> size="small" rowKey="code" pagination={false} columns={columns} dataSource={data.rows} data-testid="designated-rows" />
      )}
    </Card>
  );
}
