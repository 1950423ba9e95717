import { type CSSProperties, lazy, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Alert, App, Button, Card, DatePicker, Drawer, Flex, InputNumber, Space, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { ArrowUpOutlined, DownloadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { api, buildQuery } from '../../api/client.ts';
import { useMe } from '../../app/auth.tsx';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import ExportButton from '../../components/ExportButton.tsx';
import { STATS_DRILL_EXPORT_PATH, STATS_TARGETS_PATH } from '../../../../contracts/paths.ts';
import { FIGURE_LABELS } from '../../../../contracts/stats-figures.ts';
import PageHeader from '../../components/PageHeader.tsx';
import PrintButton from '../../components/PrintButton.tsx';
import StatsPrintSheet from './StatsPrintSheet.tsx';
import type { Figures } from '../../api/stats.ts';
import RegionCascader from '../../components/RegionCascader.tsx';
import { useApiData } from '../../components/useApiData.ts';
import HouseholdsCard from './HouseholdsCard.tsx';
import DesignatedCard from './DesignatedCard.tsx';
import WhenNear from '../../components/WhenNear.tsx';
import VerificationCard from './VerificationCard.tsx';
import PlaceName from '../../components/PlaceName.tsx';
import { grouped, chinaNow } from '../../app/format.ts';

/** The statistics tables scroll sideways, as wide as their columns (styles.css `lw-scroll-x`). */
const WIDE = { '--lw-table-x': 'max-content' } as CSSProperties;

/** Its chart needs ECharts, a chunk of its own: loaded when the card comes near the screen (WhenNear). */
const MonthlyCard = lazy(() => import('./MonthlyCard.tsx'));

/** The summary's fields (server/src/modules/stats/stats.schemas.ts; names fixed by issue 8). */
interface RegionFigures extends Figures {
  code: string;
  name: string;
  level: number;
}
interface Breakdown {
  region: RegionFigures;
  asOf: string;
  from: string;
  staleSince: string | null;
  children: RegionFigures[];
}
interface DrillItem {
  laborer: {
    id: string;
    name: string;
    sex: string;
    idNumberMasked: string;
    phoneMasked: string | null;
    villageCode: string;
    villageName: string;
  };
  workRegionName: string | null;
  startedOn: string | null;
  monthlyWage: number | null;
  channel: string | null;
  recordDate: string | null;
  recordNote: string | null;
}
interface Targets {
  year: number;
  region: TargetRow;
  children: TargetRow[];
}
interface TargetRow {
  code: string;
  name: string;
  level: number;
  newTransfers: number | null;
  editable: boolean;
}

const DAY = 'YYYY-MM-DD';
const PAGE_SIZE = 20;
const int = (n: number | null) => (n === null ? '—' : grouped(n));
const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(2)}%`);
const CHANNEL: Record<string, string> = {
  self_found: '自主就业',
  assisted: '就业帮扶',
  entrepreneurship: '自主创业',
  public_welfare: '公益性岗位',
};

interface Drill {
  region: RegionFigures;
  figure: string;
}

/**
 * 统计报表 at /stats: for a region and everything below it as of a date, the second article's
 * table (laborers, employed and where, channel, wage, new transfers against the year's target,
 * services and subsidies, 6-month retention), the same figures per child region below (click one
 * to go down), each figure opening the laborers behind it; export to .xlsx; the children's targets.
 */
export default function StatsPage() {
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const region = params.get('region') ?? me.region.code;
  const asOf = params.get('asOf') ?? chinaNow().format(DAY);
  const from = params.get('from') ?? undefined;
  const move = (next: Record<string, string | undefined>) => {
    const merged = { region, asOf, from, ...next };
    setParams(Object.fromEntries(Object.entries(merged).filter(([, v]) => v)) as Record<string, string>);
  };
  const { data, error, loading } = useApiData<Breakdown>('/api/v1/stats/breakdown', { region, asOf, from });
  const [drill, setDrill] = useState<Drill | null>(null);
  const parent = region.length > me.region.code.length ? region.slice(0, { 4: 2, 6: 4, 9: 6, 12: 9 }[region.length]) : null;

  const open = (r: RegionFigures, figure: string) => setDrill({ region: r, figure });
  const columns = useMemo(() => figureColumns(open), []);
  const nameColumn = (children: boolean): TableColumnsType<RegionFigures>[number] => ({
    title: '地区',
    key: 'name',
    width: 130,
    className: 'lw-stick-start',
    render: (_, r) =>
      children && r.level < 5 ? (
        <Typography.Link data-testid={`stats-child-${r.code}`} onClick={() => move({ region: r.code })}>
          {r.name}
        </Typography.Link>
      ) : (
        <Typography.Text strong>{r.name}</Typography.Text>
      ),
  });

  return (
    <>
      {data && (
        <StatsPrintSheet
          region={data.region}
          children={data.children}
          asOf={data.asOf}
          from={data.from}
          printedBy={`${me.displayName}（${me.username}）`}
        />
      )}
      <div className="lw-screen-only">
        <PageHeader
          title="统计报表"
          description="区划（含下级）截至某日的建档立卡贫困劳动力、就业及去向、渠道、工资、新增转移与目标完成、服务人次、补贴人数和稳岗率；点击数字查看背后的人员名单"
          extra={
            <>
              <PrintButton testId="stats-print" disabled={!data} />
              <Button
                icon={<DownloadOutlined />}
                href={`/api/v1/stats/export${buildQuery({ region, asOf, from })}`}
                data-testid="stats-export"
              >
                导出 Excel
              </Button>
            </>
          }
        />
        <Flex gap={12} wrap align="center" style={{ marginBottom: 16 }}>
          <RegionCascader
            rootCode={me.region.code}
            changeOnSelect
            value={region}
            onChange={(code) => code && move({ region: code })}
            style={{ width: 320 }}
            data-testid="stats-region"
          />
          <span>截至</span>
          <DatePicker
            value={dayjs(asOf)}
            allowClear={false}
            disabledDate={(d) => d.isAfter(chinaNow()) || d.isBefore(dayjs('2016-01-01'))}
            onChange={(d) => d && move({ asOf: d.format(DAY) })}
            data-testid="stats-as-of"
          />
          <span>服务与补贴自</span>
          <DatePicker
            value={from ? dayjs(from) : null}
            placeholder="当年 1 月 1 日"
            onChange={(d) => move({ from: d ? d.format(DAY) : undefined })}
            data-testid="stats-from"
          />
          {parent && (
            <Button icon={<ArrowUpOutlined />} onClick={() => move({ region: parent })} data-testid="stats-up">
              上一级
            </Button>
          )}
        </Flex>
        <ErrorAlert error={error} />
        {data?.staleSince && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 12 }}
            message={`统计数据自 ${dayjs(data.staleSince).format('YYYY-MM-DD HH:mm')} 起批量导入，尚未重建完成，数字可能滞后`}
          />
        )}
        <Card
          size="small"
          title={data ? `${data.region.name} 截至 ${data.asOf}（服务与补贴 ${data.from} 至 ${data.asOf}）` : '统计表'}
          style={{ marginBottom: 16 }}
        >
          <Table<RegionFigures>
            data-testid="stats-summary"
            rowKey="code"
            size="small"
            bordered
            pagination={false}
            loading={loading}
            className="lw-scroll-x"
            style={WIDE}
            columns={[nameColumn(false), ...columns]}
            dataSource={data ? [data.region] : []}
          />
        </Card>
        {data && data.children.length > 0 && (
          <Card size="small" title="下级区划" style={{ marginBottom: 16 }}>
            <Table<RegionFigures>
              data-testid="stats-children"
              rowKey="code"
              size="small"
              bordered
              pagination={false}
              className="lw-scroll-x lw-scroll-tall"
              style={WIDE}
              columns={[nameColumn(true), ...columns]}
              dataSource={data.children}
            />
          </Card>
        )}
        {/* Below the first screen: each card is mounted (asks for its figures, draws) when scrolled near. */}
        <WhenNear minHeight={360} testId="stats-more-monthly">
          <MonthlyCard region={region} />
        </WhenNear>
        <WhenNear minHeight={200} testId="stats-more-verification">
          <VerificationCard region={region} asOf={asOf} />
        </WhenNear>
        <WhenNear minHeight={200} testId="stats-more-households">
          <HouseholdsCard region={region} asOf={asOf} />
        </WhenNear>
        <WhenNear minHeight={200} testId="stats-more-designated">
          <DesignatedCard region={region} asOf={asOf} />
        </WhenNear>
        <WhenNear minHeight={200} testId="stats-more-targets">
          <TargetsCard region={region} year={Number(asOf.slice(0, 4))} />
        </WhenNear>
      </div>
      <DrillDrawer drill={drill} asOf={asOf} from={from} onClose={() => setDrill(null)} />
    </>
  );
}

function figureColumns(open: (r: RegionFigures, figure: string) => void): TableColumnsType<RegionFigures> {
  const link =
    (figure: string, value: (r: RegionFigures) => number | null, show: (v: number | null) => string = int) =>
    (_: unknown, r: RegionFigures) => (
      // A plain button that looks like a link, not Typography.Link: the children's table holds
      // hundreds of these figures, and antd's Typography (its style hooks, its ellipsis state) was
      // most of that table's render (98–157 ms → 27–88 ms measured with React's profiler).
      <button type="button" className="lw-figure-link" data-testid={`stats-figure-${figure}`} onClick={() => open(r, figure)}>
        {show(value(r))}
      </button>
    );
  const share = (n: (r: RegionFigures) => number) => (_: unknown, r: RegionFigures) => pct(r.employed ? n(r) / r.employed : null);
  const place = (title: string, figure: keyof Figures) => ({
    title,
    children: [
      { title: '人数', key: figure, width: 90, align: 'right' as const, render: link(figure, (r) => r[figure] as number) },
      { title: '占比', key: `${figure}-share`, width: 80, align: 'right' as const, render: share((r) => r[figure] as number) },
    ],
  });
  return [
    { title: '建档立卡贫困劳动力', key: 'registered', width: 110, align: 'right', render: link('registered', (r) => r.registered) },
    {
      title: '已就业',
      children: [
        { title: '人数', key: 'employed', width: 90, align: 'right', render: link('employed', (r) => r.employed) },
        { title: '占比', key: 'employedShare', width: 80, align: 'right', render: (_, r) => pct(r.employedShare) },
      ],
    },
    place('县内', 'inCounty'),
    place('县外省内', 'outOfCountyInProvince'),
    place('省外', 'outOfProvince'),
    { title: '其中境外', key: 'abroad', width: 80, align: 'right', render: link('abroad', (r) => r.abroad) },
    { title: '自主就业', key: 'selfEmployed', width: 90, align: 'right', render: link('selfEmployed', (r) => r.selfEmployed) },
    {
      title: '就业帮扶',
      key: 'throughAssistance',
      width: 90,
      align: 'right',
      render: link('throughAssistance', (r) => r.throughAssistance),
    },
    {
      title: '月均工资（元）',
      key: 'averageMonthlyWage',
      width: 100,
      align: 'right',
      render: link('averageMonthlyWage', (r) => r.averageMonthlyWage),
    },
    {
      title: '今年新增转移就业',
      children: [
        {
          title: '人数',
          key: 'newTransfersThisYear',
          width: 90,
          align: 'right',
          render: link('newTransfersThisYear', (r) => r.newTransfersThisYear),
        },
        { title: '年度目标', key: 'yearTarget', width: 90, align: 'right', render: (_, r) => int(r.yearTarget) },
        { title: '完成率', key: 'targetCompletion', width: 80, align: 'right', render: (_, r) => pct(r.targetCompletion) },
      ],
    },
    {
      title: '就业服务（人次）',
      children: (['guidance', 'introduction', 'training', 'entrepreneurship', 'policySupport'] as const).map((k) => ({
        title: {
          guidance: '职业指导',
          introduction: '职业介绍',
          training: '职业培训',
          entrepreneurship: '创业服务',
          policySupport: '政策扶持',
        }[k],
        key: `services.${k}`,
        width: 90,
        align: 'right' as const,
        render: link(`services.${k}`, (r) => r.services[k]),
      })),
    },
    {
      title: '补贴（人）',
      children: (['training', 'socialInsurance', 'job', 'policySupport', 'transport', 'oneTimeJob', 'publicWelfare'] as const).map((k) => ({
        title: {
          training: '培训',
          socialInsurance: '社保',
          job: '岗位',
          policySupport: '政策扶持',
          transport: '交通',
          oneTimeJob: '一次性求职',
          publicWelfare: '公益性岗位',
        }[k],
        key: `subsidies.${k}`,
        width: 80,
        align: 'right' as const,
        render: link(`subsidies.${k}`, (r) => r.subsidies[k]),
      })),
    },
    {
      title: '6个月稳岗率',
      key: 'retentionRate6m',
      width: 100,
      align: 'right',
      render: link('retentionRate6m', (r) => r.retentionRate6m, pct),
    },
  ];
}

function DrillDrawer({ drill, asOf, from, onClose }: { drill: Drill | null; asOf: string; from?: string; onClose: () => void }) {
  const [page, setPage] = useState(1);
  const key = drill ? `${drill.region.code}/${drill.figure}` : null;
  const [shownKey, setShownKey] = useState<string | null>(null);
  if (key !== shownKey) {
    setShownKey(key);
    setPage(1);
  }
  const { data, error, loading } = useApiData<{ total: number; items: DrillItem[] }>(drill ? '/api/v1/stats/drill' : null, {
    region: drill?.region.code,
    asOf,
    from,
    figure: drill?.figure,
    page,
    pageSize: PAGE_SIZE,
  });
  const figure = drill?.figure ?? '';
  const columns: TableColumnsType<DrillItem> = [
    { title: '姓名', key: 'name', width: 90, render: (_, i) => i.laborer.name },
    { title: '身份证号', key: 'id', width: 180, render: (_, i) => i.laborer.idNumberMasked },
    { title: '手机号', key: 'phone', width: 120, render: (_, i) => i.laborer.phoneMasked ?? '—' },
    { title: '户籍所在村', key: 'village', ellipsis: true, render: (_, i) => <PlaceName fullName={i.laborer.villageName} /> },
    ...(figure.startsWith('services.') || figure.startsWith('subsidies.')
      ? [
          {
            title: figure.startsWith('services.') ? '服务日期' : '发放日期',
            key: 'date',
            width: 110,
            render: (_: unknown, i: DrillItem) => i.recordDate ?? '—',
          },
          { title: '说明', key: 'note', ellipsis: true, render: (_: unknown, i: DrillItem) => i.recordNote ?? '—' },
        ]
      : [
          { title: '务工地 / 单位', key: 'work', ellipsis: true, render: (_: unknown, i: DrillItem) => i.workRegionName ?? '—' },
          { title: '入职', key: 'started', width: 110, render: (_: unknown, i: DrillItem) => i.startedOn ?? '—' },
          ...(figure === 'retentionRate6m'
            ? [{ title: '6 个月后', key: 'retained', width: 130, render: (_: unknown, i: DrillItem) => i.recordNote ?? '—' }]
            : [
                {
                  title: '渠道',
                  key: 'channel',
                  width: 90,
                  render: (_: unknown, i: DrillItem) => (i.channel ? (CHANNEL[i.channel] ?? i.channel) : '—'),
                },
                {
                  title: '月工资',
                  key: 'wage',
                  width: 90,
                  align: 'right' as const,
                  render: (_: unknown, i: DrillItem) => int(i.monthlyWage),
                },
              ]),
        ]),
  ];
  return (
    <Drawer
      open={!!drill}
      onClose={onClose}
      width={960}
      destroyOnHidden
      title={drill ? `${drill.region.name} · ${FIGURE_LABELS[figure] ?? figure}（截至 ${asOf}）` : ''}
    >
      <ErrorAlert error={error} />
      <Space style={{ marginBottom: 12 }}>
        <Typography.Text data-testid="stats-drill-total">
          共 {data ? grouped(data.total) : '…'} {figure.startsWith('services.') ? '人次' : '人'}
        </Typography.Text>
        {drill && (
          <ExportButton
            path={STATS_DRILL_EXPORT_PATH}
            query={{ region: drill.region.code, asOf, from, figure: drill.figure }}
            disabled={!data?.total}
            testId="stats-drill-export"
          />
        )}
      </Space>
      <Table<DrillItem>
        data-testid="stats-drill"
        rowKey={(i) => `${i.laborer.id}-${i.startedOn ?? ''}-${i.recordDate ?? ''}`}
        size="small"
        loading={loading}
        columns={columns}
        dataSource={data?.items ?? []}
        pagination={{ current: page, pageSize: PAGE_SIZE, total: data?.total ?? 0, showSizeChanger: false, onChange: setPage }}
      />
    </Drawer>
  );
}

function TargetsCard({ region, year }: { region: string; year: number }) {
  const { message } = App.useApp();
  const { data, error, reload } = useApiData<Targets>(STATS_TARGETS_PATH, { region, year });
  const [draft, setDraft] = useState<Record<string, number | null>>({});
  const rows = data ? [data.region, ...data.children] : [];
  if (!rows.some((r) => r.editable) && !data?.children.length) return null;
  const save = async (row: TargetRow) => {
    const value = draft[row.code];
    if (!value) return;
    try {
      await api.post(STATS_TARGETS_PATH, { region: row.code, year, newTransfers: value });
      message.success(`已设定 ${row.name} ${year} 年新增转移就业目标 ${grouped(value)} 人`);
      setDraft((d) => ({ ...d, [row.code]: null }));
      reload();
    } catch (e) {
      message.error(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <Card size="small" title={`${year} 年新增转移就业目标（由上级设定）`} data-testid="stats-targets">
      <ErrorAlert error={error} />
      <Table<TargetRow>
        rowKey="code"
        size="small"
        pagination={false}
        dataSource={rows.filter((r) => r.editable || r.newTransfers !== null || r !== data?.region)}
        columns={[
          { title: '地区', dataIndex: 'name', width: 160 },
          { title: '目标（人）', key: 'target', width: 120, align: 'right', render: (_, r) => int(r.newTransfers) },
          {
            title: '设定',
            key: 'set',
            render: (_, r) =>
              r.editable ? (
                <Space>
                  <InputNumber
                    min={1}
                    max={10_000_000}
                    precision={0}
                    value={draft[r.code] ?? null}
                    placeholder="目标人数"
                    onChange={(v) => setDraft((d) => ({ ...d, [r.code]: v }))}
                    data-testid={`stats-target-${r.code}`}
                  />
                  <Button size="small" disabled={!draft[r.code]} onClick={() => save(r)} data-testid={`stats-target-save-${r.code}`}>
                    保存
                  </Button>
                </Space>
              ) : (
                <Typography.Text type="secondary">由上级设定</Typography.Text>
              ),
          },
        ]}
      />
    </Card>
  );
}
