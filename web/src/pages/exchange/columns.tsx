import { Button, Popconfirm, Tag, Typography } from 'antd';
import { EXCHANGE_CLIENT_COLUMNS } from '../../../../contracts/columns/exchange.ts';
import { EXCHANGE_KIND, type ExchangeClient, type ExchangeKind } from '../../api/exchange.ts';
import { columnsOf, type ScreenColumn } from '../../components/list/index.ts';
import { dateTime } from '../../app/format.ts';

const time = (iso: string | null) => (iso ? dateTime(iso) : '—');

const col = columnsOf<ExchangeClient, typeof EXCHANGE_CLIENT_COLUMNS>(EXCHANGE_CLIENT_COLUMNS);

/** The client systems' table (titles from contracts/columns/exchange.ts); 吊销 for the province admin. */
export const exchangeClientColumns = (province: boolean, revoke: (client: ExchangeClient) => void): ScreenColumn<ExchangeClient>[] => [
  col('name'),
  col('keyId', { render: (v: string) => <Typography.Text code>{v}</Typography.Text> }),
  col('regionName'),
  col('kinds', {
    render: (kinds: ExchangeKind[]) => kinds.map((k) => <Tag key={k}>{EXCHANGE_KIND.labels[k]}</Tag>),
  }),
  col('createdBy'),
  col('createdAt', { render: time }),
  col('lastReadAt', {
    render: (v: string | null, r) => (v ? `${time(v)}（游标 ${r.lastCursor}）` : '尚未读取'),
  }),
  col('revokedAt', {
    render: (v: string | null) => (v ? <Tag color="red">已吊销 {time(v)}</Tag> : <Tag color="green">有效</Tag>),
  }),
  ...(province
    ? [
        col('actions', {
          render: (_, r) =>
            r.revokedAt ? null : (
              <Popconfirm
                title={`吊销「${r.name}」的密钥？`}
                description="吊销后该系统立即无法读取数据，且不能恢复；如需继续接入，请重新登记。"
                okText="吊销"
                okButtonProps={{ danger: true, 'data-testid': 'exchange-revoke-confirm' }}
                cancelText="取消"
                onConfirm={() => revoke(r)}
              >
                <Button size="small" danger data-testid={`exchange-revoke-${r.id}`}>
                  吊销密钥
                </Button>
              </Popconfirm>
            ),
        }),
      ]
    : []),
];
