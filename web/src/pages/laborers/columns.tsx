import { CheckOutlined, CloseOutlined } from '@ant-design/icons';
import { Button, Space, Tag, Typography } from 'antd';
import HoverTooltip from '../../components/HoverTooltip.tsx';
import dayjs from 'dayjs';
import { Link } from 'react-router-dom';
import { REGISTER_COLUMNS } from '../../../../contracts/columns/laborers.ts';
import { TRANSFER_COLUMNS } from '../../../../contracts/columns/transfers.ts';
import {
  EDUCATION,
  EMPLOYMENT_COLORS,
  EMPLOYMENT_STATUS,
  FLAG_COLORS,
  FLAGS,
  POVERTY_STATUS,
  SEX,
  TRANSFER_STATUS,
  TRANSFER_STATUS_COLORS,
  WILLINGNESS,
  confirmedThisQuarter,
  labelOf,
  optionsOf,
  type Laborer,
  type TransferRequest,
} from '../../api/laborers.ts';
import type { RegionRef } from '../../api/types.ts';
import { columnsOf, type FilterField, param, type ScreenColumn } from '../../components/list/index.ts';
import PlaceName from '../../components/PlaceName.tsx';
import { chinaNow } from '../../app/format.ts';

/** The register's filters as the URL keeps them (a reload or the back button keeps them). */
export const REGISTER_FILTERS = {
  region: param.regionCode,
  q: param.text(30),
  povertyStatus: param.oneOf(POVERTY_STATUS.codes),
  employmentStatus: param.oneOf(EMPLOYMENT_STATUS.codes),
  willingness: param.oneOf(WILLINGNESS.codes),
  education: param.oneOf(EDUCATION.codes),
  flag: param.oneOf(FLAGS.codes),
  ageMin: param.int(0, 120),
  ageMax: param.int(0, 120),
  confirmed: param.yesNo,
  asOf: param.day,
};
export const REGISTER_SORTS = ['name', 'age', 'updatedAt', 'village'] as const;

/** The register's filter bar; the region only above a village. */
export const registerFilterFields = (viewer: RegionRef): (FilterField | false)[] => [
  viewer.level !== 'village' && { kind: 'region', name: 'region', rootCode: viewer.code, testId: 'laborer-filter-region' },
  {
    kind: 'search',
    name: 'q',
    placeholder: '姓名/拼音/首字母/身份证后4位/手机号',
    width: 270,
    testId: 'laborer-search',
    submitTestId: 'laborer-search-submit',
  },
  { kind: 'select', name: 'povertyStatus', label: '户类型', options: optionsOf(POVERTY_STATUS), testId: 'laborer-filter-poverty' },
  {
    kind: 'select',
    name: 'employmentStatus',
    label: '就业状态',
    width: 140,
    options: optionsOf(EMPLOYMENT_STATUS),
    testId: 'laborer-filter-employment',
  },
  { kind: 'select', name: 'willingness', label: '就业意愿', options: optionsOf(WILLINGNESS), testId: 'laborer-filter-willingness' },
  { kind: 'select', name: 'education', label: '文化程度', width: 130, options: optionsOf(EDUCATION), testId: 'laborer-filter-education' },
  { kind: 'select', name: 'flag', label: '特殊标识', options: optionsOf(FLAGS), testId: 'laborer-filter-flag' },
  {
    kind: 'range',
    names: ['ageMin', 'ageMax'],
    label: '年龄',
    min: 0,
    max: 120,
    testIds: ['laborer-filter-age-min', 'laborer-filter-age-max'],
  },
  {
    kind: 'select',
    name: 'confirmed',
    label: '本季度核实',
    width: 90,
    options: [
      { value: 'true', label: '是' },
      { value: 'false', label: '否' },
    ],
    testId: 'laborer-filter-confirmed',
  },
  {
    kind: 'day',
    name: 'asOf',
    label: '查看历史',
    disabledDate: (d) => d.isAfter(chinaNow(), 'day'),
    testId: 'laborer-asof',
  },
];

const col = columnsOf<Laborer, typeof REGISTER_COLUMNS>(REGISTER_COLUMNS);
const detailLink = (l: Laborer) => `/laborers/${l.id}`;

/** The register's table: the titles are the export's (contracts/columns/laborers.ts). */
export const registerColumns = (viewer: RegionRef): ScreenColumn<Laborer>[] => [
  col('name', {
    width: 100,
    fixed: 'left',
    sorter: true,
    render: (v: string, l) => (
      <Link to={detailLink(l)} data-testid="laborer-name">
        {v}
      </Link>
    ),
  }),
  col('idNumberMasked', { width: 172, render: (v: string) => <span className="lw-mono">{v}</span> }),
  col('sex', { width: 60, render: (v: string) => labelOf(SEX, v) }),
  col('age', { width: 76, sorter: true }),
  col('village', {
    dataIndex: ['homeVillage', 'fullName'],
    width: 150,
    sorter: true,
    render: (_: unknown, l) => <PlaceName fullName={l.homeVillage.fullName} code={l.homeVillage.code} viewer={viewer} />,
  }),
  col('povertyStatus', { width: 96, render: (v: string) => labelOf(POVERTY_STATUS, v) }),
  col('education', { width: 96, render: (v: string) => labelOf(EDUCATION, v) }),
  col('willingness', { width: 96, render: (v: string) => labelOf(WILLINGNESS, v) }),
  col('employmentStatus', {
    width: 112,
    render: (v: string) => (
      <Tag color={EMPLOYMENT_COLORS[v] ?? 'default'} style={{ marginInlineEnd: 0 }}>
        {labelOf(EMPLOYMENT_STATUS, v)}
      </Tag>
    ),
  }),
  col('flags', {
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
  }),
  col('lastConfirmedAt', {
    width: 104,
    render: (v: string | null) =>
      v ? (
        <HoverTooltip title={confirmedThisQuarter(v) ? '本季度已核实' : '本季度尚未核实'}>
          <Typography.Text type={confirmedThisQuarter(v) ? 'success' : undefined}>{dayjs(v).format('YYYY-MM-DD')}</Typography.Text>
        </HoverTooltip>
      ) : (
        <Typography.Text type="secondary">未核实</Typography.Text>
      ),
  }),
  col('updatedAt', { width: 116, sorter: true, render: (v: string) => dayjs(v).format('YYYY-MM-DD') }),
  col('actions', {
    width: 70,
    fixed: 'right',
    render: (_: unknown, l) => (
      <Link to={detailLink(l)} data-testid="laborer-view">
        查看
      </Link>
    ),
  }),
];

/** The requests' direction and status as the URL keeps them (no direction: the incoming ones). */
export const TRANSFER_FILTERS = {
  direction: param.oneOf(['incoming', 'outgoing'] as const),
  status: param.oneOf(TRANSFER_STATUS.codes),
};

const transferCol = columnsOf<TransferRequest, typeof TRANSFER_COLUMNS>(TRANSFER_COLUMNS);

/** The requests' table (titles from contracts/columns/transfers.ts); `decide` for those who may approve incoming ones. */
export const transferColumns = (
  direction: 'incoming' | 'outgoing',
  decide: ((request: TransferRequest, approve: boolean) => void) | null,
): ScreenColumn<TransferRequest>[] => [
  transferCol('status', {
    width: 90,
    render: (v: string) => (
      <Tag color={TRANSFER_STATUS_COLORS[v] ?? 'default'} data-testid="transfer-status">
        {labelOf(TRANSFER_STATUS, v)}
      </Tag>
    ),
  }),
  transferCol('laborer', {
    width: 200,
    render: (_, r) =>
      r.laborer ? (
        <Space orientation="vertical" size={0}>
          <Link to={`/laborers/${r.laborer.id}`} data-testid="transfer-laborer">
            {r.laborer.name}
          </Link>
          <Typography.Text type="secondary" className="lw-mono">
            {r.idNumberMasked}
          </Typography.Text>
        </Space>
      ) : (
        <HoverTooltip title="信息卡不在本辖区，只显示申请时填写的身份证号（脱敏）">
          <Typography.Text className="lw-mono">{r.idNumberMasked}</Typography.Text>
        </HoverTooltip>
      ),
  }),
  direction === 'incoming'
    ? transferCol('from', { ellipsis: true, render: (_, r) => r.fromVillage?.fullName ?? r.holdingCounty.fullName })
    : transferCol('county', { ellipsis: true, render: (_, r) => r.holdingCounty.fullName }),
  transferCol('to', { render: (_, r) => <PlaceName fullName={r.toVillage.fullName} code={r.toVillage.code} /> }),
  transferCol('requested', {
    width: 220,
    render: (_, r) => (
      <Space orientation="vertical" size={0}>
        <span>{r.reason}</span>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {r.requestingRegion.fullName} · {r.requestedBy.displayName} · {dayjs(r.requestedAt).format('YYYY-MM-DD HH:mm')}
        </Typography.Text>
      </Space>
    ),
  }),
  transferCol('decided', {
    width: 200,
    render: (_, r) =>
      r.decidedAt ? (
        <Space orientation="vertical" size={0}>
          <span>{r.decisionReason ?? '—'}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {r.decidedBy?.displayName} · {dayjs(r.decidedAt).format('YYYY-MM-DD HH:mm')}
          </Typography.Text>
        </Space>
      ) : (
        <Typography.Text type="secondary">{direction === 'incoming' ? '待本辖区审批' : '待原登记县审批'}</Typography.Text>
      ),
  }),
  ...(direction === 'incoming' && decide
    ? [
        transferCol('actions', {
          width: 140,
          fixed: 'right',
          render: (_, r) =>
            r.canDecide ? (
              <Space>
                <Button size="small" type="primary" icon={<CheckOutlined />} onClick={() => decide(r, true)} data-testid="transfer-approve">
                  批准
                </Button>
                <Button size="small" danger icon={<CloseOutlined />} onClick={() => decide(r, false)} data-testid="transfer-reject">
                  驳回
                </Button>
              </Space>
            ) : null,
        }),
      ]
    : []),
];

/** The cards still due this quarter (核实进度): the register's columns and titles, the names linking to the card. */
export const dueCardColumns = (viewer: RegionRef): ScreenColumn<Laborer>[] => [
  col('name', {
    width: 100,
    render: (v: string, l) => (
      <Link to={detailLink(l)} data-testid="due-laborer-name">
        {v}
      </Link>
    ),
  }),
  col('idNumberMasked', { width: 172, render: (v: string) => <span className="lw-mono">{v}</span> }),
  col('village', {
    dataIndex: ['homeVillage', 'fullName'],
    render: (_: unknown, l) => <PlaceName fullName={l.homeVillage.fullName} code={l.homeVillage.code} viewer={viewer} />,
  }),
  col('employmentStatus', {
    width: 110,
    render: (v: string) => <Tag color={EMPLOYMENT_COLORS[v] ?? 'default'}>{labelOf(EMPLOYMENT_STATUS, v)}</Tag>,
  }),
  col('lastConfirmedAt', {
    width: 120,
    render: (v: string | null) => (v ? dayjs(v).format('YYYY-MM-DD') : <Typography.Text type="secondary">从未核实</Typography.Text>),
  }),
];
