import { useCallback, useEffect, useMemo, useState, type CSSProperties, type HTMLAttributes } from 'react';
import { Link } from 'react-router-dom';
import { Alert, App, Button, Card, Col, Empty, Row, Skeleton, Space, Statistic, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { ReloadOutlined, TeamOutlined } from '@ant-design/icons';
import { api, ApiError, errorText } from '../../api/client.ts';
import { REFERRALS_PATH, REFERRAL_CREATOR_ROLES } from '../../api/referrals.ts';
import { EDUCATION, SEX, WILLINGNESS, labelOf, shortVillageName } from '../../api/laborers.ts';
import { MATCHING_ROLES, candidatesPath, type Candidates } from '../../api/matching.ts';
import { useMe } from '../../app/auth.tsx';
import Chart, { type ChartOption } from '../../components/Chart.tsx';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import { ReasonTags, ScoreTag } from './matchingParts.tsx';
import ScrollTable from '../../components/ScrollTable.tsx';

type Candidate = Candidates['items'][number];

/** Read by screen readers and tests; the chart's canvas says the same to the eye. */
const SR_ONLY: CSSProperties = {
  position: 'absolute',
  width: 1,
  height: 1,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
  margin: 0,
  padding: 0,
};

/**
 * 推荐人选: the job seekers of the caller's scope (or of `region` inside it) who qualify for a
 * posting, best first, with their reasons; and, for the others, which hard condition refused how
 * many (GET /api/v1/postings/:id/candidates). Renders nothing for roles that may not ask.
 */
export default function PostingCandidates({
  postingId,
  region,
  limit = 50,
  bordered = false,
  style,
}: {
  postingId: string;
  region?: string;
  limit?: number;
  bordered?: boolean;
  style?: CSSProperties;
}) {
  const me = useMe();
  const allowed = MATCHING_ROLES.includes(me.role);
  const [data, setData] = useState<Candidates | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const { message } = App.useApp();
  const canRefer = REFERRAL_CREATOR_ROLES.includes(me.role);
  /** Laborers put forward for this posting from this card (or already with an open referral). */
  const [referred, setReferred] = useState<Set<string>>(new Set());
  const [referring, setReferring] = useState<string | null>(null);

  const refer = async (c: Candidate) => {
    setReferring(c.laborer.id);
    try {
      await api.post(REFERRALS_PATH, { laborerId: c.laborer.id, postingId, channel: 'staff' });
      message.success(`已推荐 ${c.laborer.name}`);
      setReferred((prev) => new Set(prev).add(c.laborer.id));
    } catch (e) {
      if (e instanceof ApiError && e.code === 'REFERRAL_EXISTS') setReferred((prev) => new Set(prev).add(c.laborer.id));
      message.error(errorText(e));
    } finally {
      setReferring(null);
    }
  };

  const load = useCallback(async () => {
    if (!allowed) return;
    setLoading(true);
    setError(null);
    try {
      setData(await api.get<Candidates>(candidatesPath(postingId), { limit, region }));
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, [allowed, postingId, limit, region]);

  useEffect(() => {
    setData(null);
    load();
  }, [load]);

  const refusalChart = useMemo<ChartOption | null>(() => {
    if (!data?.refusals.length) return null;
    // Largest at the top: a horizontal bar's category axis runs bottom-up.
    const rows = [...data.refusals].reverse();
    return {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => `${v} 人` },
      grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { type: 'dashed' } } },
      yAxis: { type: 'category', data: rows.map((r) => r.reason), axisTick: { show: false } },
      series: [
        {
          type: 'bar',
          name: '不符合人数',
          data: rows.map((r) => r.count),
          barMaxWidth: 18,
          itemStyle: { color: '#fa8c16', borderRadius: [0, 3, 3, 0] },
          label: { show: true, position: 'right', formatter: '{c} 人' },
        },
      ],
    };
  }, [data]);

  if (!allowed) return null;

  const columns: TableColumnsType<Candidate> = [
    {
      title: '#',
      key: 'rank',
      width: 44,
      render: (_: unknown, __: Candidate, i: number) => <Typography.Text type="secondary">{i + 1}</Typography.Text>,
    },
    {
      title: '姓名',
      key: 'name',
      width: 90,
      render: (_: unknown, c) => (
        <Link to={`/laborers/${c.laborer.id}`} data-testid="candidate-name">
          {c.laborer.name}
        </Link>
      ),
    },
    {
      title: '身份证号',
      key: 'id',
      width: 176,
      render: (_: unknown, c) => (
        <span className="lw-mono" style={{ whiteSpace: 'nowrap' }}>
          {c.laborer.idNumberMasked}
        </span>
      ),
    },
    {
      title: '性别 / 年龄',
      key: 'sexAge',
      width: 84,
      render: (_: unknown, c) => `${labelOf(SEX, c.laborer.sex)} / ${c.laborer.age} 岁`,
    },
    {
      title: '户籍村',
      key: 'village',
      width: 130,
      ellipsis: { showTitle: false },
      render: (_: unknown, c) => (
        <Tooltip
          title={`${c.laborer.villageName} · ${labelOf(EDUCATION, c.laborer.education)} · 就业意愿：${labelOf(WILLINGNESS, c.laborer.willingness)}`}
          placement="topLeft"
        >
          <span>{shortVillageName(c.laborer.villageName, me.region)}</span>
        </Tooltip>
      ),
    },
    { title: '匹配度', key: 'score', width: 84, render: (_: unknown, c) => <ScoreTag score={c.score} testId="candidate-score" /> },
    {
      title: '推荐理由',
      key: 'reasons',
      width: 380,
      render: (_: unknown, c) => <ReasonTags reasons={c.reasons} testId="candidate-reasons" />,
    },
  ];
  if (canRefer) {
    columns.push({
      title: '操作',
      key: 'refer',
      width: 80,
      fixed: 'right',
      render: (_: unknown, c) =>
        referred.has(c.laborer.id) ? (
          <Tag color="blue" data-testid="candidate-referred">
            已推荐
          </Tag>
        ) : (
          <Button
            size="small"
            type="primary"
            ghost
            loading={referring === c.laborer.id}
            onClick={() => refer(c)}
            data-testid="candidate-refer"
          >
            推荐
          </Button>
        ),
    });
  }

  return (
    <Card
      variant={bordered ? 'outlined' : 'borderless'}
      style={style}
      data-testid="posting-candidates"
      title={
        <Space>
          <TeamOutlined />
          推荐人选
          <Typography.Text type="secondary" style={{ fontWeight: 'normal', fontSize: 13 }}>
            从{region ? '所选区划' : '本辖区'}求职需求清单中按岗位条件匹配
          </Typography.Text>
        </Space>
      }
      extra={<Button size="small" type="text" icon={<ReloadOutlined />} onClick={load} loading={loading} aria-label="刷新" />}
    >
      <ErrorAlert error={error} testId="candidates-error" />
      {!data && !error && <Skeleton active />}
      {data && (
        <>
          {data.refused && (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 16 }}
              title={`${data.refused}，暂不推荐人选`}
              data-testid="candidates-refused"
            />
          )}
          <Row gutter={[24, 16]} style={{ marginBottom: 16 }}>
            <Col xs={24} md={8}>
              <Space size={32}>
                <Statistic title="求职人数" value={data.considered} suffix="人" data-testid="candidates-considered" />
                <Statistic
                  title="符合条件"
                  value={data.eligible}
                  suffix="人"
                  styles={{ content: { color: '#389e0d' } }}
                  data-testid="candidates-eligible"
                />
              </Space>
              {data.considered > 0 && !data.refused && (
                <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
                  {data.eligible > data.items.length ? `按匹配度显示前 ${data.items.length} 人。` : ''}
                  {data.considered - data.eligible > 0
                    ? `其余 ${data.considered - data.eligible} 人不符合硬性条件，原因见右图。`
                    : '求职人员均符合岗位的硬性条件。'}
                </Typography.Paragraph>
              )}
            </Col>
            <Col xs={24} md={16} data-testid="candidates-refusals">
              {refusalChart ? (
                <>
                  <Typography.Text strong>不符合条件的原因</Typography.Text>
                  <Chart
                    option={refusalChart}
                    height={Math.max(90, 30 * data.refusals.length + 24)}
                    data-testid="candidates-refusal-chart"
                  />
                  <ul style={SR_ONLY} data-testid="candidates-refusal-list">
                    {data.refusals.map((r) => (
                      <li key={r.reason}>
                        {r.reason}：{r.count} 人
                      </li>
                    ))}
                  </ul>
                </>
              ) : (
                data.considered > 0 && <Typography.Text type="secondary">没有因硬性条件被排除的求职人员。</Typography.Text>
              )}
            </Col>
          </Row>
          <ScrollTable<Candidate>
            rowKey={(c) => c.laborer.id}
            size="small"
            data-testid="candidates-table"
            columns={columns}
            dataSource={data.items}
            pagination={data.items.length > 10 ? { pageSize: 10, showTotal: (t) => `共 ${t} 人`, showSizeChanger: false } : false}
            scroll={{ x: canRefer ? 1040 : 960 }}
            onRow={(c) => ({ 'data-testid': `candidate-row-${c.laborer.id}` }) as HTMLAttributes<HTMLElement>}
            locale={{
              emptyText: (
                <Empty
                  image={Empty.PRESENTED_IMAGE_SIMPLE}
                  description={
                    data.refused ? data.refused : data.considered === 0 ? '本辖区求职需求清单中暂无劳动力' : '暂无符合岗位条件的劳动力'
                  }
                />
              ),
            }}
          />
        </>
      )}
    </Card>
  );
}
