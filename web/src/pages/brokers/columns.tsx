import { Button, Space, Tag, Typography } from 'antd';
import { BROKER_CONTRACT_COLUMNS, BROKER_TABLE_COLUMNS } from '../../../../contracts/columns/brokers.ts';
import { CONTRACT_STATE, CONTRACT_STATE_COLORS, type BrokerContract, type BrokerTableRow } from '../../api/brokers.ts';
import { columnsOf, param, type ScreenColumn } from '../../components/list/index.ts';

/** The page's region and date as the URL keeps them. */
export const BROKER_FILTERS = { region: param.regionCode, asOf: param.day };

const tableCol = columnsOf<BrokerTableRow, typeof BROKER_TABLE_COLUMNS>(BROKER_TABLE_COLUMNS);

/** The broker table (titles from contracts/columns/brokers.ts, as its export's header row). */
export const brokerTableColumns: ScreenColumn<BrokerTableRow>[] = [
  tableCol('displayName', {
    render: (v, r) => (
      <span data-testid={`broker-row-${r.username}`}>
        {v}
        <Typography.Text type="secondary"> {r.username}</Typography.Text>
      </span>
    ),
  }),
  tableCol('regionName'),
  tableCol('villages', { align: 'right' }),
  tableCol('referrals', { align: 'right', sorter: (a, b) => a.referrals - b.referrals }),
  tableCol('hires', { align: 'right', sorter: (a, b) => a.hires - b.hires }),
  tableCol('retained3', { align: 'right' }),
  tableCol('retained6', { align: 'right' }),
];

const contractCol = columnsOf<BrokerContract, typeof BROKER_CONTRACT_COLUMNS>(BROKER_CONTRACT_COLUMNS);

export const contractColumns = (end: (c: BrokerContract) => void, pay: (c: BrokerContract) => void): ScreenColumn<BrokerContract>[] => [
  contractCol('broker', { render: (_, c) => c.broker.displayName }),
  contractCol('villages', { render: (_, c) => c.villages.map((v) => v.name).join('、') }),
  contractCol('managers', { render: (_, c) => `${c.township.name} / ${c.county.name}` }),
  contractCol('period', { render: (_, c) => `${c.validFrom} 至 ${c.validTo}` }),
  contractCol('state', {
    render: (_, c) => (
      <Tag color={CONTRACT_STATE_COLORS[c.state]}>
        {CONTRACT_STATE.labels[c.state]}
        {c.endedOn ? `（${c.endedOn}）` : ''}
      </Tag>
    ),
  }),
  contractCol('pay', {
    render: (_, c) =>
      c.pay ? `${c.pay.ratePerPlacement} 元 / 满${c.pay.keptMonths}个月` : <Typography.Text type="secondary">未约定</Typography.Text>,
  }),
  contractCol('actions', {
    render: (_, c) => (
      <Space size="small">
        <Button size="small" data-testid={`contract-pay-${c.id}`} onClick={() => pay(c)}>
          购买服务结算
        </Button>
        {!c.endedOn && (
          <Button size="small" danger data-testid={`contract-end-${c.id}`} onClick={() => end(c)}>
            终止
          </Button>
        )}
      </Space>
    ),
  }),
];
