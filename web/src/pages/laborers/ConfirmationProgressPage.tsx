import { useEffect, useState, type HTMLAttributes } from 'react';
import { Breadcrumb, Button, Card, Col, Progress, Row, Statistic, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { CONFIRMATION_PROGRESS_PATH, LABORERS_PATH, type ConfirmationProgress, type Laborer } from '../../api/laborers.ts';
import { regionDetail } from '../../api/regions.ts';
import { useMe } from '../../app/auth.tsx';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import PageHeader from '../../components/PageHeader.tsx';
import { ListTable, param, useListQuery, useUrlFilters } from '../../components/list/index.ts';
import { useApiData } from '../../components/useApiData.ts';
import { dueCardColumns } from './columns.tsx';

type ProgressRow = ConfirmationProgress['items'][number];
const share = (confirmed: number, cards: number) => (cards ? Math.round((confirmed / cards) * 1000) / 10 : 0);
const CHILD_LEVEL: Record<number, string> = { 2: '市', 4: '县', 6: '乡镇', 9: '村', 12: '村' };

/** The codes from the viewer's own region down to this one: 430522 → 430522107 → 430522107212. */
function pathCodes(root: string, code: string): string[] {
  return [2, 4, 6, 9, 12].filter((n) => n >= root.length && n <= code.length).map((n) => code.slice(0, n));
}

/** Names of the breadcrumb's regions (region lookups are cached for the page's life). */
function useRegionNames(codes: string[]) {
  const [names, setNames] = useState<Record<string, string>>({});
  const key = codes.join(',');
  useEffect(() => {
    let cancelled = false;
    Promise.all(
      codes.map((c) =>
        regionDetail(c)
          .then((r) => [c, r.name] as const)
          .catch(() => [c, c] as const),
      ),
    ).then((pairs) => {
      if (!cancelled) setNames(Object.fromEntries(pairs));
    });
    return () => {
      cancelled = true;
    };
  }, [key]);
  return names;
}

/**
 * 核实进度: the quarter's re-confirmation campaign (a card counts once a village officer reviewed it
 * this quarter) per child region, with a drill-down to the village and the cards still due.
 */
export default function ConfirmationProgressPage() {
  const me = useMe();
  const view = useUrlFilters({ region: param.regionCode });
  const region = view.filters.region?.startsWith(me.region.code) ? view.filters.region : me.region.code;
  const progressAnswer = useApiData<ConfirmationProgress>(CONFIRMATION_PROGRESS_PATH, { region });
  const progress = progressAnswer.data;
  const loading = progressAnswer.loading;
  // The cards still due: the register under this region, not confirmed this quarter, in village order.
  const due = useListQuery<Laborer, Record<string, never>>(LABORERS_PATH, {
    filters: {},
    fixed: { region, confirmed: false, sort: 'village' },
  });
  const names = useRegionNames(pathCodes(me.region.code, region));

  /** A region of the drill-down (the viewer's own region: no parameter); back to the first page of cards due. */
  const go = (code: string) => view.setFilters({ region: code === me.region.code ? null : code });

  const atVillage = region.length === 12;
  const columns: TableColumnsType<ProgressRow> = [
    {
      title: CHILD_LEVEL[region.length] ?? '区划',
      dataIndex: 'name',
      render: (name: string, r) =>
        r.code === region ? (
          name
        ) : (
          <Typography.Link onClick={() => go(r.code)} data-testid={`progress-drill-${r.code}`}>
            {name}
          </Typography.Link>
        ),
    },
    { title: '信息卡', dataIndex: 'cards', width: 100, align: 'right', sorter: (a, b) => a.cards - b.cards },
    { title: '本季度已核实', dataIndex: 'confirmed', width: 120, align: 'right', sorter: (a, b) => a.confirmed - b.confirmed },
    {
      title: '待核实',
      dataIndex: 'due',
      width: 100,
      align: 'right',
      sorter: (a, b) => a.due - b.due,
      render: (v: number) =>
        v ? <Typography.Text type="warning">{v}</Typography.Text> : <Typography.Text type="success">0</Typography.Text>,
    },
    {
      title: '核实比例',
      key: 'share',
      width: 260,
      defaultSortOrder: 'ascend',
      sorter: (a, b) => share(a.confirmed, a.cards) - share(b.confirmed, b.cards),
      render: (_: unknown, r) => (
        <Progress
          percent={share(r.confirmed, r.cards)}
          size="small"
          status={r.cards && r.confirmed === r.cards ? 'success' : 'normal'}
          format={(p) => `${p}%`}
          data-testid={`progress-share-${r.code}`}
        />
      ),
    },
  ];

  const crumbs = pathCodes(me.region.code, region);
  return (
    <>
      <PageHeader
        title={`核实进度${progress ? ` · ${progress.quarter.replace('Q', ' 年第 ')} 季度` : ''}`}
        description="每季度由村信息员逐户核实信息卡（有无变化均需确认）。按下级区划查看本季度已核实的比例，点击区划名称逐级查看，下方列出尚未核实的信息卡。"
        extra={
          <Button
            icon={<ReloadOutlined />}
            onClick={() => {
              progressAnswer.reload();
              due.reload();
            }}
          >
            刷新
          </Button>
        }
      />
      <Breadcrumb
        style={{ marginBottom: 16 }}
        data-testid="progress-breadcrumb"
        items={crumbs.map((code, i) => ({
          key: code,
          title:
            i === crumbs.length - 1 ? (
              (names[code] ?? code)
            ) : (
              <Typography.Link onClick={() => go(code)}>{names[code] ?? code}</Typography.Link>
            ),
        }))}
      />
      <ErrorAlert error={progressAnswer.error ?? due.error} testId="progress-error" />
      <Row gutter={16} style={{ marginBottom: 16 }}>
        <Col xs={24} md={6}>
          <Card variant="borderless" loading={loading && !progress}>
            <Statistic title="信息卡" value={progress?.cards ?? 0} suffix="张" data-testid="progress-cards" />
          </Card>
        </Col>
        <Col xs={24} md={6}>
          <Card variant="borderless" loading={loading && !progress}>
            <Statistic
              title="本季度已核实"
              value={progress?.confirmed ?? 0}
              suffix="张"
              styles={{ content: { color: '#16a34a' } }}
              data-testid="progress-confirmed"
            />
          </Card>
        </Col>
        <Col xs={24} md={6}>
          <Card variant="borderless" loading={loading && !progress}>
            <Statistic
              title="待核实"
              value={progress?.due ?? 0}
              suffix="张"
              styles={{ content: { color: progress?.due ? '#d97706' : undefined } }}
              data-testid="progress-due"
            />
          </Card>
        </Col>
        <Col xs={24} md={6}>
          <Card variant="borderless" loading={loading && !progress}>
            <Typography.Text type="secondary">核实比例</Typography.Text>
            <Progress
              percent={share(progress?.confirmed ?? 0, progress?.cards ?? 0)}
              status={progress && progress.cards > 0 && progress.due === 0 ? 'success' : 'active'}
              format={(p) => `${p}%`}
              style={{ marginTop: 8 }}
              data-testid="progress-share"
            />
          </Card>
        </Col>
      </Row>
      {!atVillage && (
        <Card variant="borderless" title={`各${CHILD_LEVEL[region.length] ?? '下级区划'}核实情况`} style={{ marginBottom: 16 }}>
          <Table<ProgressRow>
            rowKey="code"
            size="middle"
            data-testid="progress-table"
            columns={columns}
            dataSource={progress?.items ?? []}
            loading={loading}
            pagination={(progress?.items.length ?? 0) > 50 ? { pageSize: 50, showSizeChanger: false } : false}
            onRow={(r) => ({ 'data-testid': `progress-row-${r.code}` }) as HTMLAttributes<HTMLElement>}
            locale={{ emptyText: loading ? ' ' : '本区划暂无信息卡' }}
          />
        </Card>
      )}
      <Card variant="borderless" title={`待核实的信息卡（${due.data?.total ?? 0} 张）`}>
        <ListTable<Laborer>
          rowKey="id"
          list={due}
          unit="张"
          sizeChanger={false}
          data-testid="progress-due-table"
          columns={dueCardColumns(me.region)}
          scroll={{ x: 760 }}
          locale={{ emptyText: due.loading ? ' ' : '本季度已全部核实' }}
        />
      </Card>
    </>
  );
}
