import { useEffect, useMemo, useState } from 'react';
import { Alert, Card, Col, DatePicker, Empty, Flex, Row, Space, Spin, Statistic, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useSearchParams } from 'react-router-dom';
import { useAuth } from '../../app/auth.tsx';
import { ApiError } from '../../api/client.ts';
import { regionChildren } from '../../api/regions.ts';
import {
  BREAKDOWN_PATH,
  FLOWS_PATH,
  FUNNEL_PATH,
  QUARTERLY_PATH,
  RETENTION_CURVE_PATH,
  type Breakdown,
  type Flows,
  type Funnel,
  type Quarterly,
  type RetentionCurve,
} from '../../api/dashboards.ts';
import type { Region } from '../../api/types.ts';
import Chart, { chartEngine, type ChartOption } from '../../components/Chart.tsx';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import PageHeader from '../../components/PageHeader.tsx';
import RegionCascader from '../../components/RegionCascader.tsx';
import { useApiData } from '../../components/useApiData.ts';
import MonthlyCard from '../stats/MonthlyCard.tsx';
import RegionMap, { type MapChild } from './RegionMap.tsx';
import { chinaNow } from '../../app/format.ts';

// The page is its charts: ECharts is asked for as the page loads, beside its figures.
void chartEngine();

const percent = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)}%`);
const DATA_BEGINS = dayjs('2016-01-01');

/** 数据看板: the region's children on a map, flows to work, the quarterly series, the referral funnel and the retention curve. */
export default function DashboardsPage() {
  const { me } = useAuth();
  // The region lives in the URL (?region=), so a view can be linked and the map's clicks kept in history.
  const [params, setParams] = useSearchParams();
  const asked = params.get('region');
  const region = asked && /^\d+$/.test(asked) && asked.startsWith(me!.region.code) ? asked : me!.region.code;
  const setRegion = (code: string) => setParams((p) => ({ ...Object.fromEntries(p), region: code }));
  const [asOf, setAsOf] = useState<Dayjs>(chinaNow());
  const query = { region, asOf: asOf.format('YYYY-MM-DD') };

  const breakdown = useApiData<Breakdown>(BREAKDOWN_PATH, query);
  const flows = useApiData<Flows>(FLOWS_PATH, query);
  const quarterly = useApiData<Quarterly>(QUARTERLY_PATH, query);
  const funnel = useApiData<Funnel>(FUNNEL_PATH, query);
  const curve = useApiData<RetentionCurve>(RETENTION_CURVE_PATH, query);

  // Until the statistics answer (or when they refuse), the map still shows the children, uncoloured.
  const [children, setChildren] = useState<Region[] | null>(null);
  useEffect(() => {
    let live = true;
    setChildren(null);
    regionChildren(region)
      .then((c) => live && setChildren(c))
      .catch(() => live && setChildren([]));
    return () => {
      live = false;
    };
  }, [region]);
  const statsMissing = breakdown.error instanceof ApiError && breakdown.error.code === 'ROUTE_NOT_FOUND';
  const mapItems = useMemo<MapChild[]>(() => {
    if (breakdown.data)
      return breakdown.data.children.map((c) => ({
        code: c.code,
        name: c.name,
        employedShare: c.employedShare,
        employed: c.employed,
        registered: c.registered,
      }));
    return (children ?? []).map((c) => ({ code: c.code, name: c.name, employedShare: null }));
  }, [breakdown.data, children]);

  return (
    <>
      <PageHeader
        title="数据看板"
        description="所选区划及下级在截至日期的就业比例地图、劳动力流向、季度走势、务工规模月度走势、推荐漏斗和稳岗曲线（仅本辖区数据）"
        extra={
          <Space wrap>
            <RegionCascader
              value={region}
              onChange={(code) => setRegion(code ?? me!.region.code)}
              rootCode={me!.region.code}
              maxLevel="township"
              changeOnSelect
              allowClear={false}
              style={{ width: 280 }}
              data-testid="dashboard-region"
            />
            <DatePicker
              value={asOf}
              onChange={(d) => d && setAsOf(d)}
              allowClear={false}
              disabledDate={(d) => d.isAfter(chinaNow(), 'day') || d.isBefore(DATA_BEGINS, 'day')}
              data-testid="dashboard-as-of"
            />
          </Space>
        }
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Card
            title="下级区划就业比例"
            size="small"
            extra={
              breakdown.data && <Typography.Text type="secondary">本级 {percent(breakdown.data.region.employedShare)}</Typography.Text>
            }
          >
            {statsMissing && <Alert type="info" showIcon style={{ marginBottom: 8 }} title="统计接口尚未提供，地图暂不着色" />}
            {!statsMissing && <ErrorAlert error={breakdown.error} />}
            {children === null && !breakdown.data ? <Spin /> : <RegionMap regionCode={region} items={mapItems} onPick={setRegion} />}
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card
            title="劳动力流向（户籍县 → 务工地）"
            size="small"
            extra={flows.data && <Typography.Text type="secondary">在岗 {flows.data.total} 人</Typography.Text>}
          >
            <ErrorAlert error={flows.error} />
            <Spin spinning={flows.loading}>{flows.data ? <FlowsChart flows={flows.data} /> : <div style={{ minHeight: 120 }} />}</Spin>
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card title="2016 年以来各季度就业比例与新增转移就业" size="small">
            <ErrorAlert error={quarterly.error} />
            <Spin spinning={quarterly.loading}>
              {quarterly.data ? <QuarterlyChart data={quarterly.data} /> : <div style={{ minHeight: 120 }} />}
            </Spin>
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <MonthlyCard region={region} asOf={query.asOf} style={{ height: '100%' }} />
        </Col>
        <Col xs={24} xl={12}>
          <Card title="推荐漏斗（近一年推荐）" size="small">
            <ErrorAlert error={funnel.error} />
            <Spin spinning={funnel.loading}>{funnel.data ? <FunnelView data={funnel.data} /> : <div style={{ minHeight: 120 }} />}</Spin>
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card title="稳岗曲线（入职满 N 个月者 N 个月后仍在岗的比例）" size="small">
            <ErrorAlert error={curve.error} />
            <Spin spinning={curve.loading}>{curve.data ? <CurveChart data={curve.data} /> : <div style={{ minHeight: 120 }} />}</Spin>
          </Card>
        </Col>
      </Row>
    </>
  );
}

function FlowsChart({ flows }: { flows: Flows }) {
  const option = useMemo<ChartOption>(() => {
    // Small destinations (under 3 % of the people shown, beyond the 8 largest) share one node, so
    // the destinations' labels have room and never print over each other.
    const byTarget = new Map<string, number>();
    for (const l of flows.links) byTarget.set(l.to.code, (byTarget.get(l.to.code) ?? 0) + l.laborers);
    const total = [...byTarget.values()].reduce((a, b) => a + b, 0);
    const kept = new Set(
      [...byTarget]
        .sort((a, b) => b[1] - a[1])
        .filter(([, n], i) => i < 8 && n >= total * 0.03)
        .map(([code]) => code),
    );
    const small = [...byTarget.keys()].filter((code) => !kept.has(code));
    const names = new Map<string, string>();
    const merged = new Map<string, { source: string; target: string; value: number }>();
    for (const l of flows.links) {
      const source = `h${l.from.code}`;
      const target = kept.has(l.to.code) ? `w${l.to.code}` : 'w-other';
      names.set(source, l.from.name.split(' ').pop()!);
      names.set(target, kept.has(l.to.code) ? l.to.name.split(' ').pop()! : `其余 ${small.length} 地`);
      const key = `${source}>${target}`;
      const link = merged.get(key) ?? { source, target, value: 0 };
      link.value += l.laborers;
      merged.set(key, link);
    }
    const links = [...merged.values()];
    return {
      tooltip: {
        trigger: 'item',
        formatter: (p: unknown) => {
          const d = (p as { data: { source?: string; target?: string; value?: number; name?: string } }).data;
          return d.source ? `${names.get(d.source)} → ${names.get(d.target!)}：${d.value} 人` : (names.get(d.name!) ?? '');
        },
      },
      series: [
        {
          type: 'sankey',
          left: 10,
          right: 110,
          top: 10,
          bottom: 10,
          nodeAlign: 'left',
          nodeGap: 14,
          emphasis: { focus: 'adjacency' },
          label: { width: 100, overflow: 'truncate', formatter: (p: unknown) => names.get((p as { name: string }).name) ?? '' },
          data: [...names.keys()].map((name) => ({ name })),
          links,
        },
      ],
    };
  }, [flows]);
  if (!flows.links.length) return <Empty description="截至日期没有在岗人员" />;
  return (
    <>
      <Chart option={option} height={360} data-testid="flows-chart" />
      {flows.others > 0 && <Typography.Text type="secondary">另有 {flows.others} 人流向其他地区</Typography.Text>}
    </>
  );
}

function QuarterlyChart({ data }: { data: Quarterly }) {
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { data: ['就业比例', '新增转移就业'], top: 0 },
      grid: { left: 50, right: 60, top: 56, bottom: 30 },
      xAxis: { type: 'category', data: data.quarters.map((q) => q.quarter) },
      yAxis: [
        { type: 'value', name: '就业比例', max: 100, axisLabel: { formatter: '{value}%' } },
        { type: 'value', name: '人数' },
      ],
      series: [
        {
          name: '就业比例',
          type: 'line',
          smooth: true,
          data: data.quarters.map((q) => (q.employedShare === null ? null : Math.round(q.employedShare * 1000) / 10)),
          tooltip: { valueFormatter: (v) => `${v}%` },
        },
        { name: '新增转移就业', type: 'bar', yAxisIndex: 1, data: data.quarters.map((q) => q.newTransfers) },
      ],
    }),
    [data],
  );
  return <Chart option={option} height={280} data-testid="quarterly-chart" />;
}

function FunnelView({ data }: { data: Funnel }) {
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'item', formatter: '{b}：{c} 人' },
      series: [
        {
          type: 'funnel',
          left: '5%',
          width: '62%',
          top: 10,
          bottom: 10,
          sort: 'descending',
          minSize: '8%',
          // Beside the funnel: the last stages are too narrow to hold their names.
          label: { show: true, position: 'right', formatter: '{b} {c}' },
          data: [
            { name: '推荐', value: data.recommended },
            { name: '面试', value: data.interviewed },
            { name: '录用', value: data.hired },
            { name: '6个月后仍在岗', value: data.stillAtWorkAfterSixMonths },
          ],
        },
      ],
    }),
    [data],
  );
  return (
    <>
      <Chart option={option} height={240} data-testid="funnel-chart" />
      <Flex gap={24} wrap>
        <Statistic title="推荐日期" value={`${data.from} 至 ${data.asOf}`} styles={{ content: { fontSize: 14 } }} />
        <Statistic title="入职满 6 个月的录用" value={data.hiredSixMonthsAgo} suffix="人" styles={{ content: { fontSize: 14 } }} />
        <Statistic
          title="其中仍在岗"
          value={data.hiredSixMonthsAgo ? percent(data.stillAtWorkAfterSixMonths / data.hiredSixMonthsAgo) : '—'}
          styles={{ content: { fontSize: 14 } }}
        />
      </Flex>
    </>
  );
}

function CurveChart({ data }: { data: RetentionCurve }) {
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis', valueFormatter: (v) => (v === null || v === undefined ? '—' : `${v}%`) },
      grid: { left: 50, right: 30, top: 20, bottom: 30 },
      xAxis: { type: 'category', name: '月', data: data.points.map((p) => `${p.months}个月`) },
      yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
      series: [
        {
          type: 'line',
          smooth: true,
          data: data.points.map((p) => (p.rate === null ? null : Math.round(p.rate * 1000) / 10)),
          label: { show: true, formatter: '{c}%' },
        },
      ],
    }),
    [data],
  );
  return <Chart option={option} height={240} data-testid="retention-curve-chart" />;
}
