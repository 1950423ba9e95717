import { useCallback, useEffect, useMemo, useState, type HTMLAttributes } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { Badge, Button, Card, Col, Descriptions, Drawer, Flex, Form, Input, Row, Select, Space, Statistic, Tag, Typography } from 'antd';
import HoverTooltip from '../../components/HoverTooltip.tsx';
import type { TableColumnsType } from 'antd';
import { ApartmentOutlined, IdcardOutlined, ProfileOutlined, ShopOutlined, SolutionOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { useApiData } from '../../components/useApiData.ts';
import { EDUCATION, SEX, WILLINGNESS, labelOf, optionsOf, shortVillageName } from '../../api/laborers.ts';
import {
  DEMAND_PATH,
  RUN_STARTER_ROLES,
  SUPPLY_PATH,
  type Demand,
  type DemandItem,
  type PostingBrief,
  type SeekerBrief,
  type Supply,
  type SupplyItem,
} from '../../api/matching.ts';
import { wageRange } from '../../api/postings.ts';
import { regionDetail } from '../../api/regions.ts';
import { useMe } from '../../app/auth.tsx';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import PageHeader from '../../components/PageHeader.tsx';
import RegionCascader from '../../components/RegionCascader.tsx';
import LaborerRecommendations from './LaborerRecommendations.tsx';
import PostingCandidates from './PostingCandidates.tsx';
import { EmployerKindTag, PostingFacts, PostingTags } from './matchingParts.tsx';
import ScrollTable from '../../components/ScrollTable.tsx';
import { grouped } from '../../app/format.ts';

const REGION_PATTERN = /^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/;
const PAGE_SIZE = 10;
/**
 * The demand table's columns together: it fits its half of a 1366-pixel screen without scrolling
 * sideways (the sticky 可选岗位 column lay over the wage beside it when it did).
 */
const DEMAND_WIDTH = 112 + 104 + 116 + 80 + 72;

/**
 * A list's answer to draw: its rows (none yet: `empty`), loading until the first answer or error,
 * and `first`: loading with no rows yet (its figures show a skeleton, not 0).
 */
function listOf<T>(answer: { data: T | null; loading: boolean; error: unknown }, empty: T) {
  const loading = answer.loading || (answer.data === null && !answer.error);
  return { data: answer.data ?? empty, loading, first: loading && answer.data === null, error: answer.error };
}

/**
 * 供需对接 at /matching: a region's job-seeker demand list (求职需求清单) beside the job supply list
 * (岗位供给清单). A laborer opens their recommended postings, a posting its candidates.
 */
export default function MatchingPage() {
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const regionParam = params.get('region');
  const region = regionParam && REGION_PATTERN.test(regionParam) && regionParam.startsWith(me.region.code) ? regionParam : me.region.code;
  const [regionName, setRegionName] = useState<string>(me.region.name);
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
  const [workRegion, setWorkRegion] = useState<string | undefined>();
  const [seekerQ, setSeekerQ] = useState<string | undefined>();
  const [willingness, setWillingness] = useState<string | undefined>();
  const [demandPage, setDemandPage] = useState(1);
  const [supplyPage, setSupplyPage] = useState(1);
  const [laborer, setLaborer] = useState<SeekerBrief | null>(null);
  const [posting, setPosting] = useState<PostingBrief | null>(null);

  useEffect(() => {
    setDemandPage(1);
    setSupplyPage(1);
  }, [region]);
  useEffect(() => setSupplyPage(1), [workRegion]);
  useEffect(() => setDemandPage(1), [seekerQ, willingness]);

  // The newest answer of each list wins; on a cold load the first is the one boot.ts asked for.
  const demandAnswer = useApiData<Demand>(DEMAND_PATH, { region, q: seekerQ, willingness, page: demandPage, pageSize: PAGE_SIZE });
  const supplyAnswer = useApiData<Supply>(SUPPLY_PATH, { region, workRegion, page: supplyPage, pageSize: PAGE_SIZE });
  const demand = listOf(demandAnswer, { items: [], total: 0 });
  const supply = listOf(supplyAnswer, { items: [], total: 0, openings: 0 });

  const village = useCallback((fullName: string) => shortVillageName(fullName, me.region), [me.region]);

  const demandColumns: TableColumnsType<DemandItem> = useMemo(
    () => [
      {
        title: '姓名',
        key: 'name',
        width: 112,
        fixed: 'left',
        render: (_: unknown, { laborer: l }) => (
          <Space size={6}>
            <Typography.Link onClick={() => setLaborer(l)} data-testid="demand-laborer-name">
              {l.name}
            </Typography.Link>
            <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
              {labelOf(SEX, l.sex)} {l.age}岁
            </Typography.Text>
          </Space>
        ),
      },
      {
        title: '户籍村',
        key: 'village',
        width: 104,
        ellipsis: { showTitle: false },
        render: (_: unknown, { laborer: l }) => (
          <HoverTooltip title={l.villageName} placement="topLeft">
            <span>{village(l.villageName)}</span>
          </HoverTooltip>
        ),
      },
      {
        title: '求职意向',
        key: 'wish',
        width: 116,
        ellipsis: { showTitle: false },
        render: (_: unknown, { laborer: l }) => {
          const wanted = l.wantedJobTypes.length ? l.wantedJobTypes.join('、') : '工种未填写';
          return (
            <HoverTooltip title={`就业意愿：${labelOf(WILLINGNESS, l.willingness)}；期望工种：${wanted}`} placement="topLeft">
              <span>
                <Tag style={{ marginInlineEnd: 4 }}>{labelOf(WILLINGNESS, l.willingness)}</Tag>
                {l.wantedJobTypes.length ? wanted : <Typography.Text type="secondary">{wanted}</Typography.Text>}
              </span>
            </HoverTooltip>
          );
        },
      },
      {
        title: '期望月薪',
        key: 'wage',
        width: 80,
        align: 'right',
        render: (_: unknown, { laborer: l }) =>
          l.expectedWage === null ? <Typography.Text type="secondary">—</Typography.Text> : `${grouped(l.expectedWage)} 元`,
      },
      {
        title: (
          <HoverTooltip title="该劳动力符合其硬性条件（年龄、学历、就业意愿、照料负担）的在招岗位数">
            <span>可选岗位</span>
          </HoverTooltip>
        ),
        key: 'eligible',
        width: 72,
        align: 'right',
        fixed: 'right',
        render: (_: unknown, item) => (
          <Typography.Link onClick={() => setLaborer(item.laborer)} data-testid="demand-eligible">
            <Badge
              count={item.eligiblePostings}
              showZero
              overflowCount={9999}
              color={item.eligiblePostings ? '#1677ff' : '#d9d9d9'}
              style={{ boxShadow: 'none' }}
            />
          </Typography.Link>
        ),
      },
    ],
    [village],
  );

  const supplyColumns: TableColumnsType<SupplyItem> = useMemo(
    () => [
      {
        title: '岗位',
        key: 'title',
        width: 128,
        fixed: 'left',
        render: (_: unknown, { posting: p }) => (
          <Space orientation="vertical" size={0}>
            <Typography.Link onClick={() => setPosting(p)} data-testid="supply-posting-title">
              {p.title}
            </Typography.Link>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {p.occupationLabel}
            </Typography.Text>
            <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="supply-openings">
              尚缺 {p.openings} 人
            </Typography.Text>
          </Space>
        ),
      },
      {
        title: '用人单位',
        key: 'employer',
        width: 140,
        render: (_: unknown, { posting: p }) => (
          <Space orientation="vertical" size={2}>
            <span>{p.employerName}</span>
            <EmployerKindTag kind={p.employerKind} />
          </Space>
        ),
      },
      {
        title: '工作地点 / 月薪',
        key: 'place',
        width: 136,
        render: (_: unknown, { posting: p }) => (
          <Space orientation="vertical" size={2}>
            <span>{p.place}</span>
            <span style={{ color: '#cf1322' }}>{wageRange(p.wageMin, p.wageMax)}</span>
            <PostingTags posting={p} />
          </Space>
        ),
      },
      {
        title: (
          <HoverTooltip title={`${regionName}求职需求清单中符合该岗位硬性条件（年龄、学历、就业意愿、照料负担）的人数`}>
            <span>符合人数</span>
          </HoverTooltip>
        ),
        key: 'eligible',
        width: 72,
        align: 'right',
        fixed: 'right',
        render: (_: unknown, item) => (
          <Typography.Link onClick={() => setPosting(item.posting)} data-testid="supply-eligible">
            <Badge
              count={item.eligibleSeekers}
              showZero
              overflowCount={99999}
              color={item.eligibleSeekers ? '#52c41a' : '#d9d9d9'}
              style={{ boxShadow: 'none' }}
            />
          </Typography.Link>
        ),
      },
    ],
    [regionName],
  );

  const canRun = RUN_STARTER_ROLES.includes(me.role);

  return (
    <>
      <PageHeader
        title={<span data-testid="matching-title">供需对接 · {regionName}</span>}
        description="求职需求清单与岗位供给清单对照：点击劳动力查看推荐岗位，点击岗位查看推荐人选，推荐均附理由"
        extra={
          canRun && (
            <Link to={`/matching/runs?region=${region}`}>
              <Button type="primary" icon={<ThunderboltOutlined />} data-testid="matching-to-runs">
                批量匹配
              </Button>
            </Link>
          )
        }
      />
      <Card variant="borderless" style={{ marginBottom: 16 }}>
        <Flex gap={24} wrap align="center" justify="space-between">
          <Form layout="inline" onSubmitCapture={(e) => e.preventDefault()}>
            <Form.Item label="区划" style={{ marginBottom: 0 }}>
              <RegionCascader
                rootCode={me.region.code}
                changeOnSelect
                allowClear={false}
                value={region}
                style={{ width: 280 }}
                onChange={(code) => setParams(code && code !== me.region.code ? { region: code } : {}, { replace: true })}
                data-testid="matching-region"
              />
            </Form.Item>
          </Form>
          <Flex gap={40} wrap data-testid="matching-stats">
            <Statistic
              title="求职人数"
              loading={demand.first}
              value={demand.data.total}
              suffix="人"
              prefix={<SolutionOutlined />}
              data-testid="stat-seekers"
            />
            <Statistic
              title="在招岗位"
              loading={supply.first}
              value={supply.data.total}
              suffix="个"
              prefix={<ProfileOutlined />}
              data-testid="stat-postings"
            />
            <Statistic
              title="岗位空缺"
              loading={supply.first}
              value={supply.data.openings}
              suffix="人"
              prefix={<ShopOutlined />}
              styles={{ content: { color: '#cf1322' } }}
              data-testid="stat-openings"
            />
          </Flex>
        </Flex>
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Card
            variant="borderless"
            title={
              <Space>
                <IdcardOutlined />
                求职需求清单
                <Typography.Text type="secondary" style={{ fontWeight: 'normal', fontSize: 13 }}>
                  有意愿、有能力、未就业
                </Typography.Text>
              </Space>
            }
            extra={
              <Space.Compact>
                <Select
                  allowClear
                  placeholder="就业意愿"
                  style={{ width: 112 }}
                  value={willingness}
                  onChange={setWillingness}
                  options={optionsOf(WILLINGNESS)}
                  data-testid="demand-willingness"
                />
                <Input.Search
                  allowClear
                  placeholder="姓名或拼音"
                  style={{ width: 150 }}
                  onSearch={(v) => setSeekerQ(v.trim() || undefined)}
                  data-testid="demand-search"
                />
              </Space.Compact>
            }
            data-testid="demand-card"
          >
            <ErrorAlert error={demand.error} testId="demand-error" />
            <ScrollTable<DemandItem>
              rowKey={(i) => i.laborer.id}
              size="small"
              data-testid="demand-table"
              columns={demandColumns}
              dataSource={demand.data.items}
              loading={demand.loading}
              scroll={{ x: DEMAND_WIDTH }}
              onRow={(i) => ({ 'data-testid': `demand-row-${i.laborer.id}` }) as HTMLAttributes<HTMLElement>}
              pagination={{
                current: demandPage,
                pageSize: PAGE_SIZE,
                total: demand.data.total,
                showSizeChanger: false,
                showTotal: (t) => `共 ${t} 人`,
                onChange: setDemandPage,
              }}
              locale={{ emptyText: demand.loading ? ' ' : '该区划暂无求职的劳动力（有就业意愿、有劳动能力且未就业）' }}
            />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card
            variant="borderless"
            title={
              <Space>
                <ApartmentOutlined />
                岗位供给清单
                <Typography.Text type="secondary" style={{ fontWeight: 'normal', fontSize: 13 }}>
                  在招岗位
                </Typography.Text>
              </Space>
            }
            extra={
              <RegionCascader
                maxLevel="county"
                changeOnSelect
                value={workRegion}
                placeholder="工作地点：全部"
                style={{ width: 200, minWidth: 0 }}
                onChange={(code) => setWorkRegion(code)}
                data-testid="supply-work-region"
              />
            }
            data-testid="supply-card"
          >
            <ErrorAlert error={supply.error} testId="supply-error" />
            <ScrollTable<SupplyItem>
              rowKey={(i) => i.posting.id}
              size="small"
              data-testid="supply-table"
              columns={supplyColumns}
              dataSource={supply.data.items}
              loading={supply.loading}
              scroll={{ x: 500 }}
              onRow={(i) => ({ 'data-testid': `supply-row-${i.posting.id}` }) as HTMLAttributes<HTMLElement>}
              pagination={{
                current: supplyPage,
                pageSize: PAGE_SIZE,
                total: supply.data.total,
                showSizeChanger: false,
                showTotal: (t) => `共 ${t} 个岗位`,
                onChange: setSupplyPage,
              }}
              locale={{ emptyText: supply.loading ? ' ' : workRegion ? '该工作地点暂无在招岗位' : '暂无在招岗位' }}
            />
          </Card>
        </Col>
      </Row>

      <Drawer
        open={!!laborer}
        onClose={() => setLaborer(null)}
        size={760}
        destroyOnHidden
        title={laborer && <span data-testid="laborer-drawer-title">{laborer.name} · 推荐岗位</span>}
        extra={
          laborer && (
            <Link to={`/laborers/${laborer.id}`} data-testid="laborer-drawer-card">
              <Button icon={<IdcardOutlined />}>查看信息卡</Button>
            </Link>
          )
        }
      >
        {laborer && (
          <div data-testid="laborer-drawer">
            <Descriptions
              size="small"
              column={2}
              style={{ marginBottom: 16 }}
              items={[
                { key: 'id', label: '身份证号', children: <span className="lw-mono">{laborer.idNumberMasked}</span> },
                { key: 'sexAge', label: '性别 / 年龄', children: `${labelOf(SEX, laborer.sex)} / ${laborer.age} 岁` },
                { key: 'village', label: '户籍村', span: 2, children: laborer.villageName },
                { key: 'education', label: '文化程度', children: labelOf(EDUCATION, laborer.education) },
                { key: 'willingness', label: '就业意愿', children: labelOf(WILLINGNESS, laborer.willingness) },
                {
                  key: 'wanted',
                  label: '期望工种',
                  children: laborer.wantedJobTypes.length ? (
                    laborer.wantedJobTypes.map((w) => <Tag key={w}>{w}</Tag>)
                  ) : (
                    <Typography.Text type="secondary">未填写</Typography.Text>
                  ),
                },
                {
                  key: 'wage',
                  label: '期望月薪',
                  children:
                    laborer.expectedWage === null ? (
                      <Typography.Text type="secondary">未填写</Typography.Text>
                    ) : (
                      `${grouped(laborer.expectedWage)} 元`
                    ),
                },
              ]}
            />
            <LaborerRecommendations laborerId={laborer.id} bordered style={{ marginBottom: 0 }} />
          </div>
        )}
      </Drawer>

      <Drawer
        open={!!posting}
        onClose={() => setPosting(null)}
        size={1000}
        destroyOnHidden
        title={posting && <span data-testid="posting-drawer-title">{posting.title} · 推荐人选</span>}
        extra={
          posting && (
            <Link to={`/postings/${posting.id}`} data-testid="posting-drawer-detail">
              <Button icon={<ProfileOutlined />}>查看岗位详情</Button>
            </Link>
          )
        }
      >
        {posting && (
          <div data-testid="posting-drawer">
            <Flex vertical gap={6} style={{ marginBottom: 16 }}>
              <Space size={8} wrap>
                <Typography.Text strong>{posting.employerName}</Typography.Text>
                <EmployerKindTag kind={posting.employerKind} />
                <Typography.Text type="secondary">
                  {posting.occupationLabel}（{posting.occupationCode}）· 有效期至 {posting.validTo}
                </Typography.Text>
              </Space>
              <PostingFacts posting={posting} />
            </Flex>
            <PostingCandidates postingId={posting.id} region={region === me.region.code ? undefined : region} bordered />
          </div>
        )}
      </Drawer>
    </>
  );
}
