import { useEffect, useState } from 'react';
import { Breadcrumb, Card, Col, Descriptions, Empty, Input, List, Row, Space, Spin, Table, Tag, Typography } from 'antd';
import { EnvironmentOutlined } from '@ant-design/icons';
import { regionChildren, regionDetail, searchRegions } from '../api/regions.ts';
import { LEVEL_LABELS } from '../api/labels.ts';
import type { Region, RegionDetail } from '../api/types.ts';
import { useMe } from '../app/auth.tsx';
import ErrorAlert from '../components/ErrorAlert.tsx';
import PageHeader from '../components/PageHeader.tsx';
import RegionCascader from '../components/RegionCascader.tsx';

const LEVEL_COLORS: Record<string, string> = { province: 'red', city: 'volcano', county: 'orange', township: 'blue', village: 'green' };
const LevelTag = ({ level }: { level: Region['level'] }) => <Tag color={LEVEL_COLORS[level]}>{LEVEL_LABELS[level]}</Tag>;

export default function RegionsPage() {
  const me = useMe();
  const [code, setCode] = useState<string | undefined>(me.region.code);
  const [detail, setDetail] = useState<RegionDetail | null>(null);
  const [children, setChildren] = useState<Region[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [q, setQ] = useState('');
  const [results, setResults] = useState<Region[] | null>(null);
  const [searching, setSearching] = useState(false);
  const [searchError, setSearchError] = useState<unknown>(null);

  useEffect(() => {
    if (!code) {
      setDetail(null);
      setChildren([]);
      return;
    }
    let cancelled = false;
    setLoading(true);
    setError(null);
    Promise.all([regionDetail(code), regionChildren(code)])
      .then(([d, c]) => {
        if (cancelled) return;
        setDetail(d);
        setChildren(c);
      })
      .catch((e) => !cancelled && setError(e))
      .finally(() => !cancelled && setLoading(false));
    return () => {
      cancelled = true;
    };
  }, [code]);

  const search = async (text: string) => {
    const query = text.trim();
    setQ(text);
    if (!query) {
      setResults(null);
      return;
    }
    setSearching(true);
    setSearchError(null);
    try {
      setResults(await searchRegions(query, { limit: 50 }));
    } catch (e) {
      setSearchError(e);
    } finally {
      setSearching(false);
    }
  };

  const parent = detail?.ancestors[detail.ancestors.length - 1];

  return (
    <>
      <PageHeader title="行政区划" description="按国家统计用区划代码浏览省、市、县、乡镇、村五级行政区划，支持中文、全拼或拼音首字母检索" />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={9}>
          <Card title="选择区划" variant="borderless" style={{ marginBottom: 16 }}>
            <RegionCascader
              value={code}
              onChange={(c) => setCode(c)}
              changeOnSelect
              style={{ width: '100%' }}
              data-testid="regions-cascader"
            />
          </Card>
          <Card title="检索区划" variant="borderless">
            <Input.Search
              placeholder="如 新邵、xinshao、xs"
              allowClear
              enterButton="检索"
              maxLength={40}
              value={q}
              onChange={(e) => {
                setQ(e.target.value);
                if (!e.target.value) setResults(null);
              }}
              onSearch={search}
              loading={searching}
              data-testid="regions-search"
            />
            <ErrorAlert error={searchError} />
            {results && (
              <List
                style={{ marginTop: 12, maxHeight: 420, overflow: 'auto' }}
                size="small"
                dataSource={results}
                locale={{ emptyText: '未找到匹配的行政区划' }}
                data-testid="regions-search-results"
                renderItem={(r) => (
                  <List.Item
                    style={{ cursor: 'pointer', background: r.code === code ? '#fef2f2' : undefined, paddingInline: 8 }}
                    onClick={() => setCode(r.code)}
                    extra={<LevelTag level={r.level} />}
                  >
                    <List.Item.Meta
                      title={r.name}
                      description={
                        <span style={{ fontSize: 12 }}>
                          {r.fullName} · <span className="lw-mono">{r.code}</span>
                        </span>
                      }
                    />
                  </List.Item>
                )}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={15}>
          <Card title="区划详情" variant="borderless" data-testid="region-detail">
            <ErrorAlert error={error} />
            <Spin spinning={loading}>
              {!detail ? (
                <Empty description="请选择或检索一个行政区划" />
              ) : (
                <>
                  <Breadcrumb
                    style={{ marginBottom: 16 }}
                    items={[
                      ...detail.ancestors.map((a) => ({
                        title: <Typography.Link onClick={() => setCode(a.code)}>{a.name}</Typography.Link>,
                      })),
                      {
                        title: (
                          <Space size={4}>
                            <EnvironmentOutlined />
                            {detail.name}
                          </Space>
                        ),
                      },
                    ]}
                  />
                  <Descriptions
                    bordered
                    size="small"
                    column={{ xs: 1, md: 2 }}
                    items={[
                      { key: 'code', label: '区划代码', children: <span className="lw-mono">{detail.code}</span> },
                      { key: 'name', label: '名称', children: detail.name },
                      { key: 'level', label: '级别', children: <LevelTag level={detail.level} /> },
                      {
                        key: 'parent',
                        label: '上级区划',
                        children: parent ? (
                          <Typography.Link onClick={() => setCode(parent.code)}>
                            {parent.name}（{parent.code}）
                          </Typography.Link>
                        ) : (
                          '—'
                        ),
                      },
                      { key: 'full', label: '全称', span: 2, children: detail.fullName },
                      {
                        key: 'ancestors',
                        label: '上级链',
                        span: 2,
                        children: detail.ancestors.length
                          ? detail.ancestors.map((a) => `${a.name}（${LEVEL_LABELS[a.level]}）`).join(' → ')
                          : '无（省级）',
                      },
                    ]}
                  />
                  {detail.hasChildren && (
                    <>
                      <Typography.Title level={5} style={{ margin: '20px 0 12px' }}>
                        下级区划（{children.length}）
                      </Typography.Title>
                      <Table<Region>
                        rowKey="code"
                        size="small"
                        dataSource={children}
                        pagination={children.length > 15 ? { pageSize: 15, showSizeChanger: false } : false}
                        onRow={(r) => ({ onClick: () => setCode(r.code), style: { cursor: 'pointer' } })}
                        columns={[
                          { title: '区划代码', dataIndex: 'code', width: 150, render: (v: string) => <span className="lw-mono">{v}</span> },
                          { title: '名称', dataIndex: 'name' },
                          { title: '级别', dataIndex: 'level', width: 90, render: (l: Region['level']) => <LevelTag level={l} /> },
                          { title: '下级', dataIndex: 'hasChildren', width: 80, render: (h: boolean) => (h ? '有' : '无') },
                        ]}
                      />
                    </>
                  )}
                </>
              )}
            </Spin>
          </Card>
        </Col>
      </Row>
    </>
  );
}
