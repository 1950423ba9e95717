import { useCallback, useEffect, useMemo, useState, type HTMLAttributes } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { TableColumnsType, TableProps } from 'antd';
import { CheckSquareOutlined, CloudUploadOutlined, HistoryOutlined, PlusOutlined, ReloadOutlined, SearchOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { api, buildQuery, type Query } from '../../api/client.ts';
import ExportButton from '../../components/ExportButton.tsx';
import {
  CONFIRM_ROLES,
  EDUCATION,
  EMPLOYMENT_COLORS,
  EMPLOYMENT_STATUS,
  FLAG_COLORS,
  FLAGS,
  LABORERS_PATH,
  POVERTY_STATUS,
  SEX,
  WILLINGNESS,
  confirmedThisQuarter,
  labelOf,
  optionsOf,
  registerTitle,
  rememberListSearch,
  type Laborer,
} from '../../api/laborers.ts';
import type { Paged } from '../../api/types.ts';
import { useMe } from '../../app/auth.tsx';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import PageHeader from '../../components/PageHeader.tsx';
import RegisterPrint from './RegisterPrint.tsx';
import RegionCascader from '../../components/RegionCascader.tsx';
import PlaceName from '../../components/PlaceName.tsx';

/** Filters kept in the URL query string (a reload or the back button keeps them). */
const FILTER_KEYS = [
  'region',
  'q',
  'povertyStatus',
  'employmentStatus',
  'willingness',
  'education',
  'flag',
  'ageMin',
  'ageMax',
  'confirmed',
  'asOf',
] as const;
type FilterKey = (typeof FILTER_KEYS)[number];
type SortKey = 'name' | 'age' | 'updatedAt' | 'village';
const SORT_KEYS: SortKey[] = ['name', 'age', 'updatedAt', 'village'];
const PAGE_SIZES = [10, 20, 50, 100];

const intParam = (v: string | null, min: number, max: number): number | undefined => {
  if (v === null || !/^\d+$/.test(v)) return undefined;
  const n = Number(v);
  return n >= min && n <= max ? n : undefined;
};
const codeParam = (v: string | null, codes: readonly string[]) => (v !== null && codes.includes(v) ? v : undefined);

/** The list query as the URL says it, cleaned of anything the server would refuse. */
function readQuery(params: URLSearchParams) {
  const asOf = params.get('asOf');
  const region = params.get('region');
  const confirmed = params.get('confirmed');
  const sort = params.get('sort') as SortKey | null;
  const q = params.get('q')?.trim();
  return {
    filters: {
      region: region && /^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/.test(region) ? region : undefined,
      q: q ? q.slice(0, 30) : undefined,
      povertyStatus: codeParam(params.get('povertyStatus'), POVERTY_STATUS.codes),
      employmentStatus: codeParam(params.get('employmentStatus'), EMPLOYMENT_STATUS.codes),
      willingness: codeParam(params.get('willingness'), WILLINGNESS.codes),
      education: codeParam(params.get('education'), EDUCATION.codes),
      flag: codeParam(params.get('flag'), FLAGS.codes),
      ageMin: intParam(params.get('ageMin'), 0, 120),
      ageMax: intParam(params.get('ageMax'), 0, 120),
      confirmed: confirmed === 'true' || confirmed === 'false' ? confirmed : undefined,
      asOf: asOf && /^\d{4}-\d{2}-\d{2}$/.test(asOf) && dayjs(asOf).isValid() ? asOf : undefined,
    } satisfies Record<FilterKey, string | number | undefined>,
    sort: sort && SORT_KEYS.includes(sort) ? sort : undefined,
    order: params.get('order') === 'desc' ? ('desc' as const) : params.get('order') === 'asc' ? ('asc' as const) : undefined,
    page: intParam(params.get('page'), 1, 100000) ?? 1,
    pageSize: PAGE_SIZES.includes(Number(params.get('pageSize'))) ? Number(params.get('pageSize')) : 20,
  };
}

export default function LaborersPage() {
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const query = useMemo(() => readQuery(params), [params]);
  const { filters, sort, order, page, pageSize } = query;
  const canBatchConfirm = CONFIRM_ROLES.includes(me.role) && !filters.asOf;
  const [data, setData] = useState<Paged<Laborer>>({ items: [], total: 0 });
  // Quarterly confirmation in one batch (village officers, current state only): the cards ticked on this page.
  const { message } = App.useApp();
  const [selected, setSelected] = useState<string[]>([]);
  const [batchOpen, setBatchOpen] = useState(false);
  const [batchReason, setBatchReason] = useState('入户核实，无变化');
  const [batchSaving, setBatchSaving] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // Typed text is applied on Enter / search / blur; until then it is local.
  const [qText, setQText] = useState(filters.q ?? '');
  const [ageMin, setAgeMin] = useState<number | null>(filters.ageMin ?? null);
  const [ageMax, setAgeMax] = useState<number | null>(filters.ageMax ?? null);
  useEffect(() => setQText(filters.q ?? ''), [filters.q]);
  useEffect(() => setAgeMin(filters.ageMin ?? null), [filters.ageMin]);
  useEffect(() => setAgeMax(filters.ageMax ?? null), [filters.ageMax]);

  const apiQuery: Query = useMemo(() => ({ ...filters, sort, order, page, pageSize }), [filters, sort, order, page, pageSize]);
  const queryKey = buildQuery(apiQuery);
  useEffect(() => rememberListSearch(params.toString() ? `?${params.toString()}` : ''), [params]);

  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      setData(await api.get<Paged<Laborer>>(LABORERS_PATH, apiQuery));
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, [queryKey]);

  useEffect(() => {
    load();
  }, [load]);

  /** Change URL parameters; any filter change goes back to page 1. */
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
  const title = registerTitle(me.region.level);

  const sortOrderOf = (key: SortKey) => (sort === key ? (order === 'desc' ? 'descend' : 'ascend') : null);
  const detailLink = (l: Laborer) => `/laborers/${l.id}`;

  const columns: TableColumnsType<Laborer> = [
    {
      title: '姓名',
      key: 'name',
      dataIndex: 'name',
      width: 100,
      fixed: 'left',
      sorter: true,
      sortOrder: sortOrderOf('name'),
      render: (v: string, l) => (
        <Link to={detailLink(l)} data-testid="laborer-name">
          {v}
        </Link>
      ),
    },
    {
      title: '身份证号',
      dataIndex: 'idNumberMasked',
      width: 172,
      render: (v: string) => <span className="lw-mono">{v}</span>,
    },
    { title: '性别', dataIndex: 'sex', width: 60, render: (v: string) => labelOf(SEX, v) },
    { title: '年龄', key: 'age', dataIndex: 'age', width: 76, sorter: true, sortOrder: sortOrderOf('age') },
    {
      title: '户籍村',
      key: 'village',
      dataIndex: ['homeVillage', 'fullName'],
      width: 150,
      sorter: true,
      sortOrder: sortOrderOf('village'),
      render: (_: unknown, l) => <PlaceName fullName={l.homeVillage.fullName} code={l.homeVillage.code} viewer={me.region} />,
    },
    { title: '户类型', dataIndex: 'povertyStatus', width: 96, render: (v: string) => labelOf(POVERTY_STATUS, v) },
    { title: '文化程度', dataIndex: 'education', width: 96, render: (v: string) => labelOf(EDUCATION, v) },
    { title: '就业意愿', dataIndex: 'willingness', width: 96, render: (v: string) => labelOf(WILLINGNESS, v) },
    {
      title: '就业状态',
      dataIndex: 'employmentStatus',
      width: 112,
      render: (v: string) => (
        <Tag color={EMPLOYMENT_COLORS[v] ?? 'default'} style={{ marginInlineEnd: 0 }}>
          {labelOf(EMPLOYMENT_STATUS, v)}
        </Tag>
      ),
    },
    {
      title: '特殊标识',
      dataIndex: 'flags',
      width: 140,
      render: (flags: string[]) =>
        flags.length ? (
          <Space size={[0, 4]} wrap>
            {flags.map((f) => (
              <Tag key={f} color={FLAG_COLORS[f] ?? 'default'}>
                {labelOf(FLAGS, f)}
              </Tag>
            ))}
          </Space>
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        ),
    },
    {
      title: '最近核实',
      dataIndex: 'lastConfirmedAt',
      width: 104,
      render: (v: string | null) =>
        v ? (
          <Tooltip title={confirmedThisQuarter(v) ? '本季度已核实' : '本季度尚未核实'}>
            <Typography.Text type={confirmedThisQuarter(v) ? 'success' : undefined}>{dayjs(v).format('YYYY-MM-DD')}</Typography.Text>
          </Tooltip>
        ) : (
          <Typography.Text type="secondary">未核实</Typography.Text>
        ),
    },
    {
      title: '更新时间',
      key: 'updatedAt',
      dataIndex: 'updatedAt',
      width: 116,
      sorter: true,
      sortOrder: sortOrderOf('updatedAt'),
      render: (v: string) => dayjs(v).format('YYYY-MM-DD'),
    },
    {
      title: '操作',
      key: 'actions',
      width: 70,
      fixed: 'right',
      render: (_: unknown, l) => (
        <Link to={detailLink(l)} data-testid="laborer-view">
          查看
        </Link>
      ),
    },
  ];

  const onTableChange: TableProps<Laborer>['onChange'] = (pagination, _filters, sorter, extra) => {
    if (extra.action === 'sort') {
      const s = Array.isArray(sorter) ? sorter[0] : sorter;
      const key = s?.order ? (s.columnKey as SortKey) : undefined;
      update({ sort: key, order: key ? (s.order === 'descend' ? 'desc' : 'asc') : undefined });
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

  const applyAge = () => {
    if (ageMin === (filters.ageMin ?? null) && ageMax === (filters.ageMax ?? null)) return;
    update({ ageMin: ageMin ?? undefined, ageMax: ageMax ?? undefined });
  };

  return (
    <>
      <PageHeader
        title={<span data-testid="laborers-title">{`${title} · ${me.region.name}劳动力名册`}</span>}
        description={`${me.region.fullName}的劳动力信息卡（一人一卡），证件号、手机号均已脱敏显示`}
        extra={
          <>
            {canBatchConfirm && (
              <Button
                icon={<CheckSquareOutlined />}
                disabled={!selected.length}
                onClick={() => setBatchOpen(true)}
                data-testid="laborer-batch-confirm"
              >
                批量核实{selected.length ? `（${selected.length}）` : ''}
              </Button>
            )}
            <Link to="/laborers/new">
              <Button type="primary" icon={<PlusOutlined />} data-testid="laborer-create">
                新建信息卡
              </Button>
            </Link>
            <ExportButton path={`${LABORERS_PATH}/export`} query={{ ...filters, sort, order }} testId="laborer-export" />
            <RegisterPrint
              query={{ ...filters, sort, order }}
              regionName={me.region.fullName}
              printedBy={`${me.displayName}（${me.username}）`}
            />
            <Link to="/laborers/import">
              <Button icon={<CloudUploadOutlined />} data-testid="laborer-import">
                批量导入
              </Button>
            </Link>
          </>
        }
      />
      <Card variant="borderless">
        <Form name="laborer-filter" layout="inline" style={{ rowGap: 12, marginBottom: 16 }} onSubmitCapture={(e) => e.preventDefault()}>
          {me.region.level !== 'village' && (
            <Form.Item label="区划">
              <RegionCascader
                rootCode={me.region.code}
                changeOnSelect
                value={filters.region}
                placeholder="全部（本辖区）"
                style={{ width: 250 }}
                onChange={(code) => update({ region: code === me.region.code ? undefined : code })}
                data-testid="laborer-filter-region"
              />
            </Form.Item>
          )}
          <Form.Item>
            <Space.Compact>
              <Input
                allowClear
                placeholder="姓名/拼音/首字母/身份证后4位/手机号"
                maxLength={30}
                style={{ width: 270 }}
                value={qText}
                onChange={(e) => {
                  setQText(e.target.value);
                  if (!e.target.value && filters.q) update({ q: undefined });
                }}
                onPressEnter={() => update({ q: qText.trim() || undefined })}
                data-testid="laborer-search"
              />
              <Button
                type="primary"
                icon={<SearchOutlined />}
                aria-label="搜索"
                onClick={() => update({ q: qText.trim() || undefined })}
                data-testid="laborer-search-submit"
              />
            </Space.Compact>
          </Form.Item>
          <Form.Item label="户类型">
            <Select
              allowClear
              placeholder="全部"
              style={{ width: 120 }}
              value={filters.povertyStatus}
              options={optionsOf(POVERTY_STATUS)}
              onChange={(v) => update({ povertyStatus: v })}
              data-testid="laborer-filter-poverty"
            />
          </Form.Item>
          <Form.Item label="就业状态">
            <Select
              allowClear
              placeholder="全部"
              style={{ width: 140 }}
              value={filters.employmentStatus}
              options={optionsOf(EMPLOYMENT_STATUS)}
              onChange={(v) => update({ employmentStatus: v })}
              data-testid="laborer-filter-employment"
            />
          </Form.Item>
          <Form.Item label="就业意愿">
            <Select
              allowClear
              placeholder="全部"
              style={{ width: 120 }}
              value={filters.willingness}
              options={optionsOf(WILLINGNESS)}
              onChange={(v) => update({ willingness: v })}
              data-testid="laborer-filter-willingness"
            />
          </Form.Item>
          <Form.Item label="文化程度">
            <Select
              allowClear
              placeholder="全部"
              style={{ width: 130 }}
              value={filters.education}
              options={optionsOf(EDUCATION)}
              onChange={(v) => update({ education: v })}
              data-testid="laborer-filter-education"
            />
          </Form.Item>
          <Form.Item label="特殊标识">
            <Select
              allowClear
              placeholder="全部"
              style={{ width: 120 }}
              value={filters.flag}
              options={optionsOf(FLAGS)}
              onChange={(v) => update({ flag: v })}
              data-testid="laborer-filter-flag"
            />
          </Form.Item>
          <Form.Item label="年龄">
            <Space.Compact>
              <InputNumber
                min={0}
                max={120}
                precision={0}
                placeholder="最小"
                style={{ width: 72 }}
                value={ageMin}
                onChange={(v) => setAgeMin(typeof v === 'number' ? v : null)}
                onBlur={applyAge}
                onPressEnter={applyAge}
                data-testid="laborer-filter-age-min"
              />
              <Input disabled placeholder="~" style={{ width: 32, textAlign: 'center', pointerEvents: 'none' }} />
              <InputNumber
                min={0}
                max={120}
                precision={0}
                placeholder="最大"
                style={{ width: 72 }}
                value={ageMax}
                onChange={(v) => setAgeMax(typeof v === 'number' ? v : null)}
                onBlur={applyAge}
                onPressEnter={applyAge}
                data-testid="laborer-filter-age-max"
              />
            </Space.Compact>
          </Form.Item>
          <Form.Item label="本季度核实">
            <Select
              allowClear
              placeholder="全部"
              style={{ width: 90 }}
              value={filters.confirmed}
              options={[
                { value: 'true', label: '是' },
                { value: 'false', label: '否' },
              ]}
              onChange={(v) => update({ confirmed: v })}
              data-testid="laborer-filter-confirmed"
            />
          </Form.Item>
          <Form.Item label="查看历史">
            <DatePicker
              allowClear
              placeholder="选择日期"
              style={{ width: 140 }}
              value={filters.asOf ? dayjs(filters.asOf) : null}
              disabledDate={(d) => d.isAfter(dayjs(), 'day')}
              onChange={(d) => update({ asOf: d ? d.format('YYYY-MM-DD') : undefined })}
              data-testid="laborer-asof"
            />
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
        {filters.asOf && (
          <Alert
            type="info"
            showIcon
            icon={<HistoryOutlined />}
            style={{ marginBottom: 16 }}
            data-testid="laborer-asof-alert"
            title={`显示 ${filters.asOf} 当日结束时的状态`}
            description="名册中的信息卡内容为该日结束时的版本；年龄按该日计算。清除“查看历史”日期即回到当前状态。"
            closable={{ onClose: () => update({ asOf: undefined }) }}
          />
        )}
        <ErrorAlert error={error} testId="laborers-error" />
        <Table<Laborer>
          rowKey="id"
          size="middle"
          data-testid="laborers-table"
          columns={columns}
          dataSource={data.items}
          loading={loading}
          scroll={{ x: 1420 }}
          onChange={onTableChange}
          onRow={(l) => ({ 'data-testid': `laborer-row-${l.id}` }) as HTMLAttributes<HTMLElement>}
          rowSelection={
            canBatchConfirm
              ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys.map(String)), preserveSelectedRowKeys: true }
              : undefined
          }
          pagination={{
            current: page,
            pageSize,
            total: data.total,
            showSizeChanger: true,
            pageSizeOptions: PAGE_SIZES,
            showTotal: (t) => `共 ${t} 人`,
          }}
          locale={{ emptyText: loading ? ' ' : hasFilters ? '暂无符合条件的劳动力' : '尚未登记劳动力信息，可新建信息卡或批量导入' }}
        />
      </Card>
      <Modal
        open={batchOpen}
        title={`本季度核实 ${selected.length} 张信息卡`}
        okText="确认核实"
        confirmLoading={batchSaving}
        okButtonProps={{ disabled: batchReason.trim().length < 2, 'data-testid': 'batch-confirm-submit' } as never}
        onCancel={() => setBatchOpen(false)}
        onOk={async () => {
          setBatchSaving(true);
          try {
            const r = await api.post<{ confirmed: number; alreadyConfirmed: number }>(`${LABORERS_PATH}/confirmations`, {
              ids: selected,
              reason: batchReason.trim(),
            });
            message.success(`已核实 ${r.confirmed} 张${r.alreadyConfirmed ? `，${r.alreadyConfirmed} 张本季度此前已核实` : ''}`);
            setSelected([]);
            setBatchOpen(false);
            load();
          } catch (e) {
            message.error(e instanceof Error ? e.message : '批量核实失败');
          } finally {
            setBatchSaving(false);
          }
        }}
      >
        <Typography.Paragraph>所选信息卡将记为本季度已核实（有无变化均可），每张卡各记一条审计记录。</Typography.Paragraph>
        <Input.TextArea
          value={batchReason}
          maxLength={200}
          onChange={(e) => setBatchReason(e.target.value)}
          placeholder="核实说明"
          data-testid="batch-confirm-reason"
        />
      </Modal>
    </>
  );
}
