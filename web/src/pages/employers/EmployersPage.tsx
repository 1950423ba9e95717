import { useCallback, useEffect, useMemo, useState, type HTMLAttributes } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { Button, Card, Form, Input, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType, TableProps } from 'antd';
import { PlusOutlined, ReloadOutlined, SearchOutlined } from '@ant-design/icons';
import { api, buildQuery, type Query } from '../../api/client.ts';
import { EMPLOYER_CREATOR_ROLES, EMPLOYER_KIND, EMPLOYER_KIND_COLORS, EMPLOYERS_PATH, type Employer } from '../../api/employers.ts';
import { labelOf, optionsOf } from '../../api/laborers.ts';
import type { Paged } from '../../api/types.ts';
import { useMe } from '../../app/auth.tsx';
import { IndustryCascader } from '../../components/CodeCascader.tsx';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import PageHeader from '../../components/PageHeader.tsx';
import RegionCascader from '../../components/RegionCascader.tsx';

const PAGE_SIZES = [10, 20, 50, 100];
const FILTER_KEYS = ['region', 'kind', 'industry', 'q'] as const;

function readQuery(params: URLSearchParams) {
  const region = params.get('region');
  const kind = params.get('kind');
  const industry = params.get('industry');
  const q = params.get('q')?.trim();
  const page = Number(params.get('page'));
  return {
    filters: {
      region: region && /^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/.test(region) ? region : undefined,
      kind: kind && EMPLOYER_KIND.codes.includes(kind as never) ? kind : undefined,
      industry: industry && /^\d{2}$/.test(industry) ? industry : undefined,
      q: q ? q.slice(0, 40) : undefined,
    },
    page: Number.isInteger(page) && page >= 1 ? page : 1,
    pageSize: PAGE_SIZES.includes(Number(params.get('pageSize'))) ? Number(params.get('pageSize')) : 20,
  };
}

/** 用人单位: the employers of the platform, readable by every staff role; an employer account sees its own. */
export default function EmployersPage() {
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const { filters, page, pageSize } = useMemo(() => readQuery(params), [params]);
  const [data, setData] = useState<Paged<Employer>>({ items: [], total: 0 });
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [qText, setQText] = useState(filters.q ?? '');
  useEffect(() => setQText(filters.q ?? ''), [filters.q]);

  const apiQuery: Query = useMemo(() => ({ ...filters, page, pageSize }), [filters, page, pageSize]);
  const queryKey = buildQuery(apiQuery);
  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      setData(await api.get<Paged<Employer>>(EMPLOYERS_PATH, apiQuery));
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, [queryKey]);
  useEffect(() => {
    load();
  }, [load]);

  const update = useCallback(
    (patch: Record<string, string | number | undefined | null>, keepPage = false) => {
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          for (const [key, value] of Object.entries(patch)) {
            if (value === undefined || value === null || value === '') next.delete(key);
            else next.set(key, String(value));
          }
          if (!keepPage) next.delete('page');
          return next;
        },
        { replace: true },
      );
    },
    [setParams],
  );

  const canCreate = EMPLOYER_CREATOR_ROLES.includes(me.role);
  const isEmployer = me.role === 'employer';
  const hasFilters = FILTER_KEYS.some((k) => filters[k] !== undefined);

  const columns: TableColumnsType<Employer> = [
    {
      title: '单位名称',
      dataIndex: 'name',
      width: 220,
      fixed: 'left',
      render: (v: string, e) => (
        <Link to={`/employers/${e.id}`} data-testid="employer-name">
          {v}
        </Link>
      ),
    },
    { title: '统一社会信用代码', dataIndex: 'creditCode', width: 190, render: (v: string) => <span className="lw-mono">{v}</span> },
    {
      title: '类型',
      dataIndex: 'kind',
      width: 120,
      render: (v: string) => (
        <Tag color={EMPLOYER_KIND_COLORS[v] ?? 'default'} style={{ marginInlineEnd: 0 }}>
          {labelOf(EMPLOYER_KIND, v)}
        </Tag>
      ),
    },
    {
      title: '所在地',
      dataIndex: ['region', 'fullName'],
      width: 220,
      ellipsis: { showTitle: false },
      render: (v: string, e) => (
        <Tooltip title={`${v}（${e.region.code}）`} placement="topLeft">
          <span>{v}</span>
        </Tooltip>
      ),
    },
    {
      title: '行业',
      dataIndex: 'industry',
      width: 180,
      ellipsis: true,
      render: (v: Employer['industry']) => (v ? v.name : <Typography.Text type="secondary">—</Typography.Text>),
    },
    {
      title: '联系人',
      key: 'contact',
      width: 170,
      render: (_: unknown, e) =>
        e.contactName || e.contactPhone ? (
          <span>
            {e.contactName}
            {e.contactPhone && (
              <Typography.Text type="secondary" className="lw-mono" style={{ marginLeft: 6 }}>
                {e.contactPhone}
              </Typography.Text>
            )}
          </span>
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        ),
    },
    {
      title: '在招岗位',
      dataIndex: 'openPostings',
      width: 96,
      align: 'right',
      render: (n: number, e) =>
        n ? <Link to={`/postings?employerId=${e.id}&openOnly=true`}>{n}</Link> : <Typography.Text type="secondary">0</Typography.Text>,
    },
    {
      title: '操作',
      key: 'actions',
      width: 110,
      fixed: 'right',
      render: (_: unknown, e) => (
        <Space size={12}>
          <Link to={`/employers/${e.id}`} data-testid="employer-view">
            查看
          </Link>
          {e.editable && (
            <Link to={`/employers/${e.id}/edit`} data-testid="employer-edit-link">
              编辑
            </Link>
          )}
        </Space>
      ),
    },
  ];

  const onTableChange: TableProps<Employer>['onChange'] = (pagination, _filters, _sorter, extra) => {
    if (extra.action === 'paginate') {
      const size = pagination.pageSize ?? pageSize;
      update(
        { page: size !== pageSize || pagination.current === 1 ? undefined : pagination.current, pageSize: size === 20 ? undefined : size },
        true,
      );
    }
  };

  return (
    <>
      <PageHeader
        title={<span data-testid="employers-title">{isEmployer ? '本单位信息' : '用人单位'}</span>}
        description={
          isEmployer
            ? '本单位的登记信息与在招岗位'
            : '定点接收单位、就业扶贫基地、扶贫车间和普通用人单位；各地工作人员均可查看，登记和修改限本辖区'
        }
        extra={
          canCreate && (
            <Link to="/employers/new">
              <Button type="primary" icon={<PlusOutlined />} data-testid="employer-create">
                登记用人单位
              </Button>
            </Link>
          )
        }
      />
      <Card variant="borderless">
        {!isEmployer && (
          <Form name="employer-filter" layout="inline" style={{ rowGap: 12, marginBottom: 16 }} onSubmitCapture={(e) => e.preventDefault()}>
            <Form.Item label="所在地">
              <RegionCascader
                changeOnSelect
                value={filters.region}
                placeholder="全国"
                style={{ width: 250 }}
                onChange={(code) => update({ region: code })}
                data-testid="employer-filter-region"
              />
            </Form.Item>
            <Form.Item label="类型">
              <Select
                allowClear
                placeholder="全部"
                style={{ width: 140 }}
                value={filters.kind}
                options={optionsOf(EMPLOYER_KIND)}
                onChange={(v) => update({ kind: v })}
                data-testid="employer-filter-kind"
              />
            </Form.Item>
            <Form.Item label="行业">
              <IndustryCascader
                value={filters.industry}
                style={{ width: 220 }}
                placeholder="全部"
                onChange={(v) => update({ industry: v })}
                data-testid="employer-filter-industry"
              />
            </Form.Item>
            <Form.Item>
              <Space.Compact>
                <Input
                  allowClear
                  placeholder="单位名称或统一社会信用代码"
                  maxLength={40}
                  style={{ width: 240 }}
                  value={qText}
                  onChange={(e) => {
                    setQText(e.target.value);
                    if (!e.target.value && filters.q) update({ q: undefined });
                  }}
                  onPressEnter={() => update({ q: qText.trim() || undefined })}
                  data-testid="employer-search"
                />
                <Button
                  type="primary"
                  icon={<SearchOutlined />}
                  aria-label="搜索"
                  onClick={() => update({ q: qText.trim() || undefined })}
                  data-testid="employer-search-submit"
                />
              </Space.Compact>
            </Form.Item>
            <Form.Item style={{ marginInlineEnd: 0 }}>
              <Button icon={<ReloadOutlined />} disabled={!hasFilters} onClick={() => setParams(new URLSearchParams(), { replace: true })}>
                重置
              </Button>
            </Form.Item>
          </Form>
        )}
        <ErrorAlert error={error} testId="employers-error" />
        <Table<Employer>
          rowKey="id"
          size="middle"
          data-testid="employers-table"
          columns={columns}
          dataSource={data.items}
          loading={loading}
          scroll={{ x: 1300 }}
          onChange={onTableChange}
          onRow={(e) => ({ 'data-testid': `employer-row-${e.id}` }) as HTMLAttributes<HTMLElement>}
          pagination={{
            current: page,
            pageSize,
            total: data.total,
            showSizeChanger: true,
            pageSizeOptions: PAGE_SIZES,
            showTotal: (t) => `共 ${t} 家`,
          }}
          locale={{
            emptyText: loading
              ? ' '
              : hasFilters
                ? '暂无符合条件的用人单位'
                : isEmployer
                  ? '本账号尚未关联用人单位，请联系当地人社部门'
                  : '尚未登记用人单位',
          }}
        />
      </Card>
    </>
  );
}
