import { type CSSProperties, useMemo } from 'react';
import { Card, Spin } from 'antd';
import Chart, { type ChartOption } from '../../components/Chart.tsx';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import { useApiData } from '../../components/useApiData.ts';
import { STATS_MONTHLY_PATH } from '../../../../contracts/paths.ts';

/** GET /api/v1/stats/monthly (server/src/modules/stats/stats.schemas.ts, MonthlySchema). */
interface Monthly {
  region: { code: string; name: string; level: number };
  months: { month: string; asOf: string; registered: number; employed: number; employedShare: number | null }[];
}

/**
 * 务工规模月度走势 on the statistics page (issue 20 item 2): the region's employed at each of the
 * last 24 months' ends (this month's as of today) — the summary's own figure at each of those days —
 * with the employed share on a second axis.
 */
export default function MonthlyCard({ region, asOf, style }: { region: string; asOf?: string; style?: CSSProperties }) {
  const { data, error, loading } = useApiData<Monthly>(STATS_MONTHLY_PATH, { region, months: 24, ...(asOf ? { asOf } : {}) });
  const option = useMemo<ChartOption | null>(
    () =>
      data && {
        tooltip: { trigger: 'axis' },
        legend: { data: ['已就业人数', '就业比例'], top: 0 },
        grid: { left: 60, right: 60, top: 40, bottom: 30 },
        xAxis: { type: 'category', data: data.months.map((m) => m.month) },
        yAxis: [
          { type: 'value', name: '人数' },
          { type: 'value', name: '就业比例', max: 100, axisLabel: { formatter: '{value}%' } },
        ],
        series: [
          { name: '已就业人数', type: 'bar', data: data.months.map((m) => m.employed) },
          {
            name: '就业比例',
            type: 'line',
            yAxisIndex: 1,
            smooth: true,
            data: data.months.map((m) => (m.employedShare === null ? null : Math.round(m.employedShare * 1000) / 10)),
            tooltip: { valueFormatter: (v) => `${v}%` },
          },
        ],
      },
    [data],
  );
  return (
    <Card
      size="small"
      style={style ?? { marginBottom: 16 }}
      title={
        data
          ? `${data.region.name} 务工规模月度走势（各月末已就业人数，${asOf ? `末月截至 ${data.months.at(-1)?.asOf ?? asOf}` : '本月截至今天'}）`
          : '务工规模月度走势'
      }
      data-testid="stats-monthly"
    >
      <ErrorAlert error={error} />
      <Spin spinning={loading}>
        {option ? <Chart option={option} height={280} data-testid="stats-monthly-chart" /> : <div style={{ minHeight: 120 }} />}
      </Spin>
    </Card>
  );
}
