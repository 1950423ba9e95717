import { useCallback, useEffect, useMemo, useState, type HTMLAttributes } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { Button, Card, Checkbox, Form, Input, InputNumber, Select, Space, Table, Tag } from 'antd';
import type { TableColumnsType, TableProps } from 'antd';
import { PlusOutlined, ReloadOutlined, SearchOutlined } from '@ant-design/icons';
import { api, buildQuery, type Query } from '../../api/client.ts';
import { employerPath, type Employer } from '../../api/employers.ts';
import { optionsOf } from '../../api/laborers.ts';
import { POSTING_STATUS, POSTING_WRITER_ROLES, POSTINGS_PATH, type Posting } from '../../api/postings.ts';
import type { Paged } from '../../api/types.ts';
import { useMe } from '../../app/auth.tsx';
import { OccupationCascader } from '../../components/CodeCascader.tsx';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import PageHeader from '../../components/PageHeader.tsx';
import RegionCascader from '../../components/RegionCascader.tsx';
import { postingColumns, type PostingSortKey } from './postingColumns.tsx';

const PAGE_SIZES = [10, 20, 50, 100];
const FILTER_KEYS = ['region', 'employerId', 'occupation', 'status', 'openOnly', 'reservedForPoor', 'wageAtLeast', 'q'] as const;
const SORT_KEYS: PostingSortKey[] = ['updatedAt', 'wageMax', 'validTo'];

function readQuery(params: URLSearchParams) {
  const get = (k: string) => params.get(k) ?? undefined;
  const region = get('region');
  const employerId = get('employerId');
  const occupation = get('occupation');
  const status = get('status');
  const bool = (k: string) => (get(k) === 'true' ? 'true' : get(k) === 'false' ? 'false' : undefined);
  const wage = Number(get('wageAtLeast'));
  const q = get('q')?.trim();
  const sort = get('sort') as PostingSortKey | undefined;
  const page = Number(get('page'));
  return {
    filters: {
      region: region && /^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/.test(region) ? region : undefined,
      employerId: employerId && /^[1-9]\d{0,17}$/.test(employerId) ? employerId : undefined,
      occupation: occupation && /^[1-8](-\d{2}){0,3}$/.test(occupation) ? occupation : undefined,
      status: status && POSTING_STATUS.codes.includes(status as never) ? status : undefined,
      openOnly: get('openOnly') === 'true' ? 'true' : undefined,
      reservedForPoor: bool('reservedForPoor'),
      wageAtLeast: Number.isInteger(wage) && wage > 0 && wage <= 1000000 ? wage : undefined,
      q: q ? q.slice(0, 30) : undefined,
    },
    sort: sort && SORT_KEYS.includes(sort) ? sort : undefined,
    order: get('order') === 'asc' ? ('asc' as const) : get('order') === 'desc' ? ('desc' as const) : undefined,
    page: Number.isInteger(page) && page >= 1 ? page : 1,
    pageSize: PAGE_SIZES.includes(Number(get('pageSize'))) ? Number(get('pageSize')) : 20,
  };
}

/** 岗位: the job list; "只看在招" is the job supply list (岗位供给清单). Every staff role sees the jobs anywhere. */
export default function PostingsPage() {
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const { filters, sort, order, page, pageSize } = useMemo(() => readQuery(params), [params]);
  const [data, setData] = useState<Paged<Posting>>({ items: [], total: 0 });
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [qText, setQText] = useState(filters.q ?? '');
  const [wage, setWage] = useState<number | null>(filters.wageAtLeast ?? null);
  const [employerName, setEmployerName] = useState<string | null>(null);
  useEffect(() => setQText(filters.q ?? ''), [filters.q]);
  useEffect(() => setWage(filters.wageAtLeast ?? null), [filters.wageAtLeast]);
  useEffect(() => {
    setEmployerName(null);
    if (filters.employerId)
      api.get<Employer>(employerPath(filters.employerId)).then(
        (e) => setEmployerName(e.name),
        () => setEmployerName(null),
      );
  }, [filters.employerId]);

  const apiQuery: Query = useMemo(() => ({ ...filters, sort, order, page, pageSize }), [filters, sort, order, page, pageSize]);
  const queryKey = buildQuery(apiQuery);
  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      setData(await api.get<Paged<Posting>>(POSTINGS_PATH, apiQuery));
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

  const hasFilters = FILTER_KEYS.some((k) => filters[k] !== undefined);
  const canPublish = POSTING_WRITER_ROLES.includes(me.role);
  const sortOrderOf = (key: PostingSortKey) => (sort === key ? (order === 'asc' ? 'ascend' : 'descend') : null);

  const columns: TableColumnsType<Posting> = [
    ...postingColumns({ showEmployer: me.role !== 'employer', sortOrderOf }),
    {
      title: '操作',
      key: 'actions',
      width: 110,
      fixed: 'right',
      render: (_: unknown, p) => (
        <Space size={12}>
          <Link to={`/postings/${p.id}`} data-testid="posting-view">
            查看
          </Link>
          {p.editable && (
            <Link to={`/postings/${p.id}/edit`} data-testid="posting-edit-link">
              编辑
            </Link>
          )}
        </Space>
      ),
    },
  ];

  const onTableChange: TableProps<Posting>['onChange'] = (pagination, _filters, sorter, extra) => {
    if (extra.action === 'sort') {
      const s = Array.isArray(sorter) ? sorter[0] : sorter;
      const key = s?.order ? (s.columnKey as PostingSortKey) : undefined;
      update({ sort: key, order: key ? (s.order === 'ascend' ? 'asc' : 'desc') : undefined });
      return;
    }
    if (extra.action === 'paginate') {
      const size = pagination.pageSize ?? pageSize;
      update(
        { page: size !== pageSize || pagination.current === 1 ? undefined : pagination.current, pageSize: size === 20 ? undefined : size },
        true,
      );
    }
  };

  const applyWage = () => {
    if (wage === (filters.wageAtLeast ?? null)) return;
    update({ wageAtLeast: wage ?? undefined });
  };

  return (
    <>
      <PageHeader
        title={<span data-testid="postings-title">{me.role === 'employer' ? '本单位岗位' : '岗位'}</span>}
        description="勾选“只看在招”即岗位供给清单：招聘中、在有效期内、尚未招满的岗位"
        extra={
          canPublish && (
            <Link to={filters.employerId ? `/postings/new?employerId=${filters.employerId}` : '/postings/new'}>
              <Button type="primary" icon={<PlusOutlined />} data-testid="posting-create">
                发布岗位
              </Button>
            </Link>
          )
        }
      />
      <Card variant="borderless">
        <Form name="posting-filter" layout="inline" style={{ rowGap: 12, marginBottom: 16 }} onSubmitCapture={(e) => e.preventDefault()}>
          {filters.employerId && (
            <Form.Item label="单位">
              <Tag closable onClose={() => update({ employerId: undefined })} data-testid="posting-filter-employer">
                {employerName ?? `单位 ${filters.employerId}`}
              </Tag>
            </Form.Item>
          )}
          <Form.Item label="工作地点">
            <RegionCascader
              changeOnSelect
              value={filters.region}
              placeholder="全国"
              style={{ width: 250 }}
              onChange={(code) => update({ region: code })}
              data-testid="posting-filter-region"
            />
          </Form.Item>
          <Form.Item label="工种">
            <OccupationCascader
              changeOnSelect
              value={filters.occupation}
              placeholder="全部（可选大类、中类）"
              style={{ width: 240 }}
              onChange={(code) => update({ occupation: code })}
              data-testid="posting-filter-occupation"
            />
          </Form.Item>
          <Form.Item label="状态">
            <Select
              allowClear
              placeholder="全部"
              style={{ width: 110 }}
              value={filters.status}
              options={optionsOf(POSTING_STATUS)}
              onChange={(v) => update({ status: v })}
              data-testid="posting-filter-status"
            />
          </Form.Item>
          <Form.Item label="扶贫专岗">
            <Select
              allowClear
              placeholder="全部"
              style={{ width: 100 }}
              value={filters.reservedForPoor}
              options={[
                { value: 'true', label: '是' },
                { value: 'false', label: '否' },
              ]}
              onChange={(v) => update({ reservedForPoor: v })}
              data-testid="posting-filter-reserved"
            />
          </Form.Item>
          <Form.Item label="月薪可达">
            <InputNumber
              min={0}
              max={1000000}
              step={500}
              precision={0}
              suffix="元"
              placeholder="不限"
              style={{ width: 130 }}
              value={wage}
              onChange={(v) => setWage(typeof v === 'number' ? v : null)}
              onBlur={applyWage}
              onPressEnter={applyWage}
              data-testid="posting-filter-wage"
            />
          </Form.Item>
          <Form.Item>
            <Space.Compact>
              <Input
                allowClear
                placeholder="岗位名称"
                maxLength={30}
                style={{ width: 180 }}
                value={qText}
                onChange={(e) => {
                  setQText(e.target.value);
                  if (!e.target.value && filters.q) update({ q: undefined });
                }}
                onPressEnter={() => update({ q: qText.trim() || undefined })}
                data-testid="posting-search"
              />
              <Button
                type="primary"
                icon={<SearchOutlined />}
                aria-label="搜索"
                onClick={() => update({ q: qText.trim() || undefined })}
                data-testid="posting-search-submit"
              />
            </Space.Compact>
          </Form.Item>
          <Form.Item>
            <Checkbox
              checked={filters.openOnly === 'true'}
              onChange={(e) => update({ openOnly: e.target.checked ? 'true' : undefined })}
              data-testid="posting-filter-open-only"
            >
              只看在招
            </Checkbox>
          </Form.Item>
          <Form.Item style={{ marginInlineEnd: 0 }}>
            <Button
              icon={<ReloadOutlined />}
              disabled={!hasFilters && !sort}
              onClick={() => setParams(new URLSearchParams(), { replace: true })}
            >
              重置
            </Button>
          </Form.Item>
        </Form>
        <ErrorAlert error={error} testId="postings-error" />
        <Table<Posting>
          rowKey="id"
          size="middle"
          data-testid="postings-table"
          columns={columns}
          dataSource={data.items}
          loading={loading}
          scroll={{ x: 1480 }}
          onChange={onTableChange}
          onRow={(p) => ({ 'data-testid': `posting-row-${p.id}` }) as HTMLAttributes<HTMLElement>}
          pagination={{
            current: page,
            pageSize,
            total: data.total,
            showSizeChanger: true,
            pageSizeOptions: PAGE_SIZES,
            showTotal: (t) => `共 ${t} 个岗位`,
          }}
          locale={{ emptyText: loading ? ' ' : hasFilters ? '暂无符合条件的岗位' : '尚未发布岗位' }}
        />
      </Card>
    </>
  );
}
