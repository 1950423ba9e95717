import { useEffect, useMemo, useState } from 'react';
import { App, Button, Card, Col, Drawer, InputNumber, Row, Space, Statistic, Table, Tabs } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { api } from '../../api/client.ts';
import { subsidyKindLabel, SUBSIDY_STATUS } from '../../api/subsidies.ts';
import {
  STANDING_DECIDER_ROLES,
  VISITOR_ROLES,
  WORKSHOP_EDITOR_ROLES,
  WORKSHOP_KIND,
  WORKSHOP_SUMMARY_PATH,
  WORKSHOPS_PATH,
  type Workshop,
  type WorkshopDetail,
  type WorkshopList,
  type WorkshopSummary,
} from '../../api/workshops.ts';
import { useMe } from '../../app/auth.tsx';
import Chart, { type ChartOption } from '../../components/Chart.tsx';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import { FilterBar, ListTable, param, useListQuery, useUrlFilters } from '../../components/list/index.ts';
import PageHeader from '../../components/PageHeader.tsx';
import { useApiData } from '../../components/useApiData.ts';
import { WORKSHOP_FILTERS, workshopColumns, workshopFilterFields, yuan } from './columns.tsx';
import RegionCascader from '../../components/RegionCascader.tsx';
import StandingTab from './StandingTab.tsx';
import VisitsTab from './VisitsTab.tsx';

/** 扶贫车间和就业扶贫基地: the table per child region with totals, and the registry with its employees and subsidies. */
export default function WorkshopsPage() {
  const me = useMe();
  const editor = WORKSHOP_EDITOR_ROLES.includes(me.role);
  // The region is the page's (figures and registry), in the URL as the registry's filters and page are.
  const view = useUrlFilters({ region: param.regionCode });
  const region = view.filters.region ?? me.region.code;
  const figures = useApiData<WorkshopSummary>(WORKSHOP_SUMMARY_PATH, { region });
  const summary = figures.data;
  const list = useListQuery<Workshop, typeof WORKSHOP_FILTERS, never, WorkshopList>(WORKSHOPS_PATH, {
    filters: WORKSHOP_FILTERS,
    fixed: { region },
  });
  const [open, setOpen] = useState<string | null>(null);
  const load = () => {
    figures.reload();
    list.reload();
  };

  const option = useMemo<ChartOption | null>(() => {
    if (!summary || summary.rows.length === 0) return null;
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 50, right: 16, top: 36, bottom: 50 },
      xAxis: {
        type: 'category',
        data: summary.rows.map((r) => r.name),
        axisLabel: { interval: 0, rotate: summary.rows.length > 8 ? 30 : 0 },
      },
      yAxis: { type: 'value' },
      series: [
        { type: 'bar', name: '扶贫岗位', data: summary.rows.map((r) => r.totals.posts) },
        { type: 'bar', name: '吸纳贫困劳动力就业', data: summary.rows.map((r) => r.totals.employed) },
      ],
    } as ChartOption;
  }, [summary]);

  const t = summary?.totals;

  return (
    <>
      <PageHeader
        title="扶贫车间和就业扶贫基地"
        description="车间、基地名录：开发的扶贫岗位、在岗贫困劳动力（按就业记录计算）、享受的补贴、所在安置点"
        extra={
          <Button icon={<ReloadOutlined />} onClick={load}>
            刷新
          </Button>
        }
      />
      <Space wrap style={{ marginBottom: 16 }}>
        <RegionCascader
          value={region}
          onChange={(code) => view.setFilters({ region: code === me.region.code ? null : code })}
          rootCode={me.region.code}
          changeOnSelect
          allowClear={false}
          style={{ width: 280 }}
          data-testid="workshop-region"
        />
      </Space>
      <ErrorAlert error={figures.error ?? list.error} testId="workshop-error" />
      <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
        {(
          [
            ['扶贫车间（家）', t?.workshops],
            ['就业扶贫基地（家）', t?.bases],
            ['扶贫岗位（个）', t?.posts],
            ['吸纳贫困劳动力就业（人）', t?.employed],
            ['享受补贴（元）', t?.subsidies],
          ] as const
        ).map(([title, value]) => (
          <Col key={title} xs={12} md={8} lg={4}>
            <Card size="small">
              <Statistic title={title} value={value ?? 0} precision={title.includes('元') ? 0 : undefined} />
            </Card>
          </Col>
        ))}
      </Row>
      <Tabs
        items={[
          {
            key: 'summary',
            label: '分区统计',
            children: (
              <Card size="small">
                {option && <Chart option={option} height={260} data-testid="workshop-chart" />}
                <Table
                  rowKey="code"
                  size="small"
                  loading={figures.loading}
                  dataSource={summary?.rows ?? []}
                  pagination={false}
                  data-testid="workshop-summary"
                  style={{ marginTop: 12 }}
                  columns={[
                    { title: '区划', dataIndex: 'name' },
                    { title: '扶贫车间', align: 'right', render: (_, r) => r.totals.workshops },
                    { title: '其中在安置点', align: 'right', render: (_, r) => r.totals.relocation },
                    { title: '就业扶贫基地', align: 'right', render: (_, r) => r.totals.bases },
                    { title: '扶贫岗位', align: 'right', render: (_, r) => r.totals.posts },
                    { title: '吸纳贫困劳动力就业', align: 'right', render: (_, r) => r.totals.employed },
                    { title: '享受补贴', align: 'right', render: (_, r) => yuan(r.totals.subsidies) },
                  ]}
                  summary={() =>
                    t ? (
                      <Table.Summary.Row>
                        <Table.Summary.Cell index={0}>合计</Table.Summary.Cell>
                        <Table.Summary.Cell index={1} align="right">
                          {t.workshops}
                        </Table.Summary.Cell>
                        <Table.Summary.Cell index={2} align="right">
                          {t.relocation}
                        </Table.Summary.Cell>
                        <Table.Summary.Cell index={3} align="right">
                          {t.bases}
                        </Table.Summary.Cell>
                        <Table.Summary.Cell index={4} align="right">
                          {t.posts}
                        </Table.Summary.Cell>
                        <Table.Summary.Cell index={5} align="right">
                          {t.employed}
                        </Table.Summary.Cell>
                        <Table.Summary.Cell index={6} align="right">
                          {yuan(t.subsidies)}
                        </Table.Summary.Cell>
                      </Table.Summary.Row>
                    ) : null
                  }
                />
              </Card>
            ),
          },
          {
            key: 'list',
            label: '名录',
            children: (
              <Card size="small">
                <FilterBar name="workshop-filter" list={list} fields={workshopFilterFields} />
                <ListTable<Workshop>
                  rowKey="id"
                  size="small"
                  list={list}
                  columns={workshopColumns(setOpen)}
                  sizeChanger={false}
                  unit="家"
                  data-testid="workshop-table"
                />
              </Card>
            ),
          },
        ]}
      />
      {open && (
        <WorkshopDrawer
          id={open}
          editor={editor}
          decider={STANDING_DECIDER_ROLES.includes(me.role)}
          visitor={VISITOR_ROLES.includes(me.role)}
          onClose={(changed) => {
            setOpen(null);
            if (changed) load();
          }}
        />
      )}
    </>
  );
}

function WorkshopDrawer({
  id,
  editor,
  decider,
  visitor,
  onClose,
}: {
  id: string;
  editor: boolean;
  decider: boolean;
  visitor: boolean;
  onClose: (changed: boolean) => void;
}) {
  const { message } = App.useApp();
  const [detail, setDetail] = useState<WorkshopDetail | null>(null);
  const [posts, setPosts] = useState<number | null>(null);
  const [changed, setChanged] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api.get<WorkshopDetail>(`${WORKSHOPS_PATH}/${id}`).then((d) => {
      setDetail(d);
      setPosts(d.workshop.postsPlanned);
    }, setError);
  }, [id]);
  const save = async () => {
    if (posts === null) return;
    try {
      const w = await api.patch<Workshop>(`${WORKSHOPS_PATH}/${id}`, { postsPlanned: posts });
      setDetail((d) => (d ? { ...d, workshop: w } : d));
      setChanged(true);
      message.success('扶贫岗位数已更新');
    } catch (e) {
      setError(e);
    }
  };
  const w = detail?.workshop;
  return (
    <Drawer open size={760} title={w?.name ?? '加载中…'} onClose={() => onClose(changed)}>
      {error ? <ErrorAlert error={error} testId="workshop-detail-error" /> : null}
      {w && (
        <>
          <Space wrap size="large" style={{ marginBottom: 12 }}>
            <span>类型：{WORKSHOP_KIND[w.kind]}</span>
            <span>所在地：{w.region.name}</span>
            {w.relocationSite && <span>安置点：{w.relocationSite}</span>}
            <span>在岗贫困劳动力：{w.employed} 人</span>
            <span>享受补贴：{yuan(w.subsidies)}</span>
          </Space>
          <Space style={{ marginBottom: 16 }}>
            <span>扶贫岗位</span>
            <InputNumber min={0} max={100000} value={posts} onChange={(v) => setPosts(v)} disabled={!editor} data-testid="workshop-posts" />
            {editor && (
              <Button onClick={save} data-testid="workshop-posts-save">
                保存
              </Button>
            )}
          </Space>
          <Tabs
            items={[
              {
                key: 'standing',
                label: '认定与年审',
                children: <StandingTab id={id} decider={decider} onChanged={() => setChanged(true)} />,
              },
              ...(w.kind === 'base' ? [{ key: 'visits', label: '巡诊', children: <VisitsTab id={id} visitor={visitor} /> }] : []),
              {
                key: 'employees',
                label: `在岗人员（${detail!.employees.length}）`,
                children: (
                  <Table
                    rowKey="laborerId"
                    size="small"
                    dataSource={detail!.employees}
                    pagination={{ pageSize: 10 }}
                    columns={[
                      { title: '姓名', dataIndex: 'name' },
                      { title: '身份证号', dataIndex: 'idNumberMasked' },
                      { title: '户籍所在村', dataIndex: 'villageName' },
                      { title: '入职日期', dataIndex: 'startedOn' },
                      { title: '月工资', dataIndex: 'monthlyWage', align: 'right' },
                    ]}
                  />
                ),
              },
              {
                key: 'subsidies',
                label: `补贴（${detail!.subsidies.length}）`,
                children: (
                  <Table
                    rowKey="id"
                    size="small"
                    dataSource={detail!.subsidies}
                    pagination={{ pageSize: 10 }}
                    columns={[
                      {
                        title: '类别',
                        render: (_, s) => subsidyKindLabel(s.kind, 'employer') + (s.laborerName ? `（${s.laborerName}）` : ''),
                      },
                      { title: '期间', render: (_, s) => `${s.periodFrom} 至 ${s.periodTo}` },
                      { title: '金额', dataIndex: 'amount', align: 'right', render: (n: number) => yuan(n) },
                      {
                        title: '状态',
                        dataIndex: 'status',
                        render: (v: string) => SUBSIDY_STATUS.labels[v as keyof typeof SUBSIDY_STATUS.labels] ?? v,
                      },
                      { title: '发放日期', dataIndex: 'paidOn' },
                    ]}
                  />
                ),
              },
            ]}
          />
        </>
      )}
    </Drawer>
  );
}
