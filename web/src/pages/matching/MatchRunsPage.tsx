import { useCallback, useEffect, useMemo, useState, type HTMLAttributes } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Empty,
  Flex,
  Form,
  Progress,
  Row,
  Segmented,
  Space,
  Statistic,
  Steps,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { CheckCircleOutlined, HistoryOutlined, SafetyCertificateOutlined, ThunderboltOutlined, WarningOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { api, errorText } from '../../api/client.ts';
import {
  RUN_PHASES,
  RUN_STARTER_ROLES,
  RUN_STATUS,
  RUNS_PATH,
  phaseLabel,
  runPath,
  suggestionDecisionPath,
  type MatchRun,
  type MatchRunList,
  type MatchRunSummary,
  type Suggestion,
  type SuggestionList,
} from '../../api/matching.ts';
import { regionDetail } from '../../api/regions.ts';
import { useMe } from '../../app/auth.tsx';
import Chart, { type ChartOption } from '../../components/Chart.tsx';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import { ListTable, useListQuery, useUrlFilters } from '../../components/list/index.ts';
import PageHeader from '../../components/PageHeader.tsx';
import RegionCascader from '../../components/RegionCascader.tsx';
import { SUGGESTION_VIEW_FILTER, type SuggestionView, suggestionColumns } from './columns.tsx';
import ScrollTable from '../../components/ScrollTable.tsx';
import { grouped } from '../../app/format.ts';

const REGION_PATTERN = /^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/;
const SUGGESTIONS_PAGE_SIZE = 10;
/** Each phase's share of the progress bar; ranking and matching report done/total, the others are short. */
const PHASE_SPAN: Record<string, [number, number]> = { rank: [0, 45], match: [45, 85], verify: [85, 93], save: [93, 99] };

function runPercent(run: MatchRun): number {
  if (run.status === 'done') return 100;
  const [from, to] = PHASE_SPAN[run.phase ?? ''] ?? [0, 0];
  const fraction = run.total > 0 && (run.phase === 'rank' || run.phase === 'match') ? Math.min(1, run.done / run.total) : 0;
  return Math.round(from + (to - from) * fraction);
}

const when = (iso: string) => dayjs(iso).format('YYYY-MM-DD HH:mm:ss');

/**
 * 批量匹配 at /matching/runs: stable matching (deferred acceptance with capacities) for a region's
 * job seekers against the open postings, its progress, its summary, and the suggestions it made,
 * which staff accept (they become recommendations) or dismiss.
 */
export default function MatchRunsPage() {
  const me = useMe();
  const { message, modal } = App.useApp();
  const [params, setParams] = useSearchParams();
  const regionParam = params.get('region');
  const region = regionParam && REGION_PATTERN.test(regionParam) && regionParam.startsWith(me.region.code) ? regionParam : me.region.code;
  const [regionName, setRegionName] = useState(me.region.name);
  const [runs, setRuns] = useState<MatchRun[] | null>(null);
  const [runsError, setRunsError] = useState<unknown>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [current, setCurrent] = useState<MatchRun | null>(null);
  const [starting, setStarting] = useState(false);
  const canStart = RUN_STARTER_ROLES.includes(me.role);

  useEffect(() => {
    let cancelled = false;
    if (region === me.region.code) setRegionName(me.region.name);
    else
      regionDetail(region).then(
        (r) => !cancelled && setRegionName(r.name),
        () => undefined,
      );
    return () => {
      cancelled = true;
    };
  }, [region, me.region]);

  const loadRuns = useCallback(async () => {
    try {
      const { items } = await api.get<MatchRunList>(RUNS_PATH, { region });
      setRuns(items);
      setRunsError(null);
      return items;
    } catch (e) {
      setRunsError(e);
      return null;
    }
  }, [region]);

  // A new region: its runs, the latest one selected.
  useEffect(() => {
    setRuns(null);
    setSelectedId(null);
    setCurrent(null);
    loadRuns().then((items) => {
      if (items?.length) setSelectedId(items[0]!.id);
    });
  }, [loadRuns]);

  // The selected run, polled every second while it runs.
  useEffect(() => {
    if (!selectedId) return;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const run = await api.get<MatchRun>(runPath(selectedId));
        if (cancelled) return;
        setCurrent(run);
        if (run.status === 'running') timer = setTimeout(poll, 1000);
        else {
          setRuns((list) => list?.map((r) => (r.id === run.id ? run : r)) ?? list);
        }
      } catch (e) {
        if (!cancelled) message.error(errorText(e));
      }
    };
    poll();
    return () => {
      cancelled = true;
      if (timer) clearTimeout(timer);
    };
  }, [selectedId, message]);

  /** Another run: its suggestions from their first page (the page in the URL was the previous run's). */
  const selectRun = (id: string) => {
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        next.delete('suggestions.page');
        return next;
      },
      { replace: true },
    );
    setSelectedId(id);
  };

  const start = () =>
    modal.confirm({
      title: `对${regionName}运行批量匹配`,
      icon: <ThunderboltOutlined style={{ color: '#1677ff' }} />,
      width: 520,
      content: (
        <div data-testid="run-confirm-content">
          <Typography.Paragraph style={{ marginBottom: 8 }}>
            将为{regionName}求职需求清单中的全部劳动力与在招岗位进行稳定匹配（延迟接受算法，考虑岗位空缺人数）：
          </Typography.Paragraph>
          <ul style={{ paddingInlineStart: 20, marginBottom: 8 }}>
            <li>每名求职者至多得到一个建议岗位；</li>
            <li>每个岗位的建议人数不超过其尚缺人数；</li>
            <li>结果稳定：不存在某个劳动力和某个岗位双方都更愿意彼此、却没有被匹配在一起的情况。</li>
          </ul>
          <Typography.Text type="secondary">
            匹配结果作为“匹配建议”保存，经工作人员采纳后才成为推荐；本区划此前未处理的建议将被新批次取代。
          </Typography.Text>
        </div>
      ),
      okText: '开始匹配',
      cancelText: '取消',
      okButtonProps: { 'data-testid': 'run-confirm-ok' } as never,
      onOk: async () => {
        setStarting(true);
        try {
          const run = await api.post<MatchRun>(RUNS_PATH, { region });
          setRuns((list) => [run, ...(list ?? []).filter((r) => r.id !== run.id)]);
          setCurrent(run);
          selectRun(run.id);
          message.success('批量匹配已开始');
        } catch (e) {
          message.error(errorText(e));
        } finally {
          setStarting(false);
        }
      },
    });

  const runColumns: TableColumnsType<MatchRun> = [
    { title: '开始时间', key: 'createdAt', width: 170, render: (_: unknown, r) => when(r.createdAt) },
    { title: '区划', key: 'region', dataIndex: 'regionName', width: 140 },
    {
      title: '状态',
      key: 'status',
      width: 90,
      render: (_: unknown, r) => <Tag color={RUN_STATUS[r.status].color}>{RUN_STATUS[r.status].text}</Tag>,
    },
    {
      title: '已匹配 / 求职人数',
      key: 'matched',
      width: 140,
      render: (_: unknown, r) => (r.summary ? `${grouped(r.summary.matched)} / ${grouped(r.summary.seekers)}` : '—'),
    },
    {
      title: '稳定性',
      key: 'stable',
      width: 100,
      render: (_: unknown, r) =>
        r.summary ? (
          r.summary.blockingPairs === 0 ? (
            <Tag color="success">校验通过</Tag>
          ) : (
            <Tag color="error">阻塞对 {r.summary.blockingPairs}</Tag>
          )
        ) : (
          '—'
        ),
    },
    { title: '用时', key: 'seconds', width: 80, render: (_: unknown, r) => (r.summary ? `${r.summary.seconds} 秒` : '—') },
    {
      title: '操作',
      key: 'actions',
      width: 80,
      render: (_: unknown, r) =>
        r.id === selectedId ? (
          <Typography.Text type="secondary">当前查看</Typography.Text>
        ) : (
          <Typography.Link onClick={() => selectRun(r.id)} data-testid="run-select">
            查看
          </Typography.Link>
        ),
    },
  ];

  return (
    <>
      <PageHeader
        title={<span data-testid="runs-title">批量匹配 · {regionName}</span>}
        description="对区划内求职需求清单与岗位供给清单做稳定匹配，结果作为匹配建议，由工作人员采纳或驳回"
        extra={
          <Link to={`/matching${region === me.region.code ? '' : `?region=${region}`}`}>
            <Button>返回供需对接</Button>
          </Link>
        }
      />
      <Card variant="borderless" style={{ marginBottom: 16 }}>
        <Flex gap={16} wrap align="center">
          <Form layout="inline" onSubmitCapture={(e) => e.preventDefault()}>
            <Form.Item label="区划" style={{ marginBottom: 0 }}>
              <RegionCascader
                rootCode={me.region.code}
                changeOnSelect
                allowClear={false}
                value={region}
                style={{ width: 280 }}
                onChange={(code) => setParams(code && code !== me.region.code ? { region: code } : {}, { replace: true })}
                data-testid="runs-region"
              />
            </Form.Item>
          </Form>
          {canStart ? (
            <Button
              type="primary"
              icon={<ThunderboltOutlined />}
              loading={starting}
              disabled={current?.status === 'running'}
              onClick={start}
              data-testid="run-start"
            >
              开始批量匹配
            </Button>
          ) : (
            <Typography.Text type="secondary">批量匹配由县、乡镇工作人员发起；您可以查看结果并采纳或驳回匹配建议。</Typography.Text>
          )}
        </Flex>
      </Card>

      {current ? (
        <RunCard run={current} />
      ) : (
        runs?.length === 0 && (
          <Card variant="borderless" style={{ marginBottom: 16 }}>
            <Empty description={`${regionName}尚未运行过批量匹配${canStart ? '，点击“开始批量匹配”发起' : ''}`} data-testid="runs-empty" />
          </Card>
        )
      )}

      {current?.status === 'done' && <SuggestionsCard key={current.id} run={current} />}

      <Card
        variant="borderless"
        title={
          <Space>
            <HistoryOutlined />
            匹配记录
          </Space>
        }
        data-testid="runs-history"
      >
        <ErrorAlert error={runsError} testId="runs-error" />
        <ScrollTable<MatchRun>
          rowKey="id"
          size="small"
          data-testid="runs-table"
          columns={runColumns}
          dataSource={runs ?? []}
          loading={runs === null && !runsError}
          pagination={false}
          scroll={{ x: 800 }}
          rowClassName={(r) => (r.id === selectedId ? 'ant-table-row-selected' : '')}
          onRow={(r) => ({ 'data-testid': `run-row-${r.id}` }) as HTMLAttributes<HTMLElement>}
          locale={{ emptyText: '暂无匹配记录' }}
        />
      </Card>
    </>
  );
}

/** One run: its progress while it runs, its summary once done. */
function RunCard({ run }: { run: MatchRun }) {
  const phaseIndex = Math.max(
    0,
    RUN_PHASES.findIndex((p) => p.key === run.phase),
  );
  return (
    <Card
      variant="borderless"
      style={{ marginBottom: 16 }}
      data-testid="run-card"
      title={
        <Space>
          <ThunderboltOutlined />
          {run.regionName}批量匹配
          <Tag color={RUN_STATUS[run.status].color} data-testid="run-status">
            {RUN_STATUS[run.status].text}
          </Tag>
          <Typography.Text type="secondary" style={{ fontWeight: 'normal', fontSize: 13 }}>
            {when(run.createdAt)} 开始{run.finishedAt ? ` · ${when(run.finishedAt)} 结束` : ''}
          </Typography.Text>
        </Space>
      }
    >
      {run.status === 'failed' && (
        <Alert type="error" showIcon title={run.message ?? '批量匹配失败，请稍后重试'} data-testid="run-failed" />
      )}
      {run.status === 'running' && (
        <div data-testid="run-progress">
          <Steps
            size="small"
            current={phaseIndex}
            style={{ marginBottom: 16, maxWidth: 720 }}
            items={RUN_PHASES.map((p) => ({ title: p.label }))}
          />
          <Progress percent={runPercent(run)} status="active" />
          <Typography.Text type="secondary" data-testid="run-phase">
            正在{phaseLabel(run.phase)}
            {run.total > 0 && (run.phase === 'rank' || run.phase === 'match') ? `：${grouped(run.done)} / ${grouped(run.total)} 人` : '…'}
          </Typography.Text>
        </div>
      )}
      {run.status === 'done' && run.summary && <RunSummary summary={run.summary} />}
    </Card>
  );
}

function RunSummary({ summary }: { summary: MatchRunSummary }) {
  const unmatched = summary.unmatchedNoEligible + summary.unmatchedAllFilled;
  const chart = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'item', formatter: '{b}：{c} 人（{d}%）' },
      legend: { orient: 'vertical', right: 0, top: 'middle', itemWidth: 12, itemHeight: 12 },
      color: ['#52c41a', '#faad14', '#bfbfbf'],
      series: [
        {
          type: 'pie',
          name: '匹配结果',
          radius: ['45%', '72%'],
          center: ['32%', '50%'],
          avoidLabelOverlap: true,
          label: { show: false },
          data: [
            { name: '已匹配', value: summary.matched },
            { name: '未匹配：可选岗位均已招满', value: summary.unmatchedAllFilled },
            { name: '未匹配：无符合条件的岗位', value: summary.unmatchedNoEligible },
          ],
        },
      ],
    }),
    [summary],
  );
  const rate = summary.seekers ? Math.round((summary.matched / summary.seekers) * 1000) / 10 : 0;
  return (
    <div data-testid="run-summary">
      <Row gutter={[24, 16]}>
        <Col xs={24} lg={14}>
          <Row gutter={[16, 20]}>
            <Col span={8}>
              <Statistic title="求职人数" value={summary.seekers} suffix="人" data-testid="summary-seekers" />
            </Col>
            <Col span={8}>
              <Statistic title="在招岗位" value={summary.postings} suffix="个" />
            </Col>
            <Col span={8}>
              <Statistic title="岗位空缺" value={summary.openings} suffix="人" />
            </Col>
            <Col span={8}>
              <Statistic
                title="已匹配"
                value={summary.matched}
                suffix="人"
                styles={{ content: { color: '#389e0d' } }}
                data-testid="summary-matched"
              />
            </Col>
            <Col span={8}>
              <Statistic title="匹配率" value={rate} suffix="%" />
            </Col>
            <Col span={8}>
              <Statistic
                title="未匹配"
                value={unmatched}
                suffix="人"
                styles={{ content: { color: unmatched ? '#d46b08' : undefined } }}
                data-testid="summary-unmatched"
              />
            </Col>
          </Row>
          <ul style={{ margin: '16px 0 0', paddingInlineStart: 20, color: 'rgba(0,0,0,0.65)' }} data-testid="summary-unmatched-reasons">
            <li>可选岗位均已招满：{summary.unmatchedAllFilled} 人（有符合条件的岗位，但名额已给了岗位更优先的人选）</li>
            <li>无符合条件的岗位：{summary.unmatchedNoEligible} 人（年龄、学历、就业意愿或照料负担不符合任何在招岗位）</li>
          </ul>
          {summary.blockingPairs === 0 ? (
            <Alert
              type="success"
              showIcon
              icon={<SafetyCertificateOutlined />}
              style={{ marginTop: 16 }}
              data-testid="summary-stable"
              title="稳定性校验通过"
              description="逐一检查了每个劳动力与其可选岗位：不存在双方都更愿意彼此、却没有匹配在一起的劳动力与岗位（阻塞对 0 个）。"
            />
          ) : (
            <Alert
              type="error"
              showIcon
              icon={<WarningOutlined />}
              style={{ marginTop: 16 }}
              data-testid="summary-unstable"
              title={`稳定性校验未通过：发现 ${summary.blockingPairs} 个阻塞对`}
              description="请重新运行批量匹配；如仍出现，请联系系统管理员。"
            />
          )}
          <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0, fontSize: 12 }}>
            每名求职者按匹配度排出前 {summary.listLength} 个可选岗位参与匹配，共发出 {grouped(summary.proposals)} 次申请，用时{' '}
            {summary.seconds} 秒。
          </Typography.Paragraph>
        </Col>
        <Col xs={24} lg={10}>
          <Typography.Text strong>匹配结果构成</Typography.Text>
          <Chart option={chart} height={220} data-testid="summary-chart" />
        </Col>
      </Row>
    </div>
  );
}

/** The suggestions of a finished run, filtered by status (in the URL), each accepted or dismissed in place. */
function SuggestionsCard({ run }: { run: MatchRun }) {
  const me = useMe();
  const { message } = App.useApp();
  const view = useUrlFilters(SUGGESTION_VIEW_FILTER);
  const status: SuggestionView = view.filters['suggestions.status'] ?? 'proposed';
  const list = useListQuery<Suggestion, Record<string, never>, never, SuggestionList>(`${runPath(run.id)}/suggestions`, {
    filters: {},
    prefix: 'suggestions.',
    pageSize: SUGGESTIONS_PAGE_SIZE,
    fixed: status === 'all' ? {} : { status },
  });
  // A decided row stays where it is with its new status, so the user sees what changed.
  const [decided, setDecided] = useState<Record<string, Suggestion>>({});
  const [deciding, setDeciding] = useState<string | null>(null);
  const shown = { ...list, data: list.data && { ...list.data, items: list.data.items.map((x) => decided[x.id] ?? x) } };

  const decide = async (s: Suggestion, decision: 'accept' | 'dismiss') => {
    setDeciding(s.id);
    try {
      const updated = await api.post<Suggestion>(suggestionDecisionPath(s.id, decision));
      setDecided((d) => ({ ...d, [updated.id]: updated }));
      message.success(decision === 'accept' ? `已采纳：推荐${s.laborer.name}到${s.posting.title}` : `已驳回${s.laborer.name}的匹配建议`);
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setDeciding(null);
    }
  };

  return (
    <Card
      variant="borderless"
      style={{ marginBottom: 16 }}
      data-testid="suggestions-card"
      title={
        <Space>
          <CheckCircleOutlined />
          匹配建议
          <Tooltip title="采纳后，该建议成为对劳动力的岗位推荐；驳回则不再推荐">
            <Typography.Text type="secondary" style={{ fontWeight: 'normal', fontSize: 13 }}>
              采纳即推荐该劳动力到建议岗位
            </Typography.Text>
          </Tooltip>
        </Space>
      }
      extra={
        <Segmented<SuggestionView>
          value={status}
          onChange={(v) => {
            setDecided({});
            view.setFilters({ 'suggestions.status': v === 'proposed' ? undefined : v });
          }}
          options={[
            { value: 'proposed', label: '待处理' },
            { value: 'recommended', label: '已采纳' },
            { value: 'dismissed', label: '已驳回' },
            { value: 'superseded', label: '已取代' },
            { value: 'all', label: '全部' },
          ]}
          data-testid="suggestions-filter"
        />
      }
    >
      <ErrorAlert error={list.error} testId="suggestions-error" />
      <ListTable<Suggestion>
        rowKey="id"
        size="small"
        data-testid="suggestions-table"
        list={shown}
        sizeChanger={false}
        columns={suggestionColumns(me.region, deciding, decide)}
        scroll={{ x: 1100 }}
        rowTestId={(s) => `suggestion-row-${s.id}`}
        locale={{ emptyText: list.loading ? ' ' : status === 'proposed' ? '没有待处理的匹配建议' : '暂无匹配建议' }}
      />
    </Card>
  );
}
