import { Card, Col, Row, Statistic, Typography } from 'antd';
import type { MyBrokerRow as MyRow } from '../../../../contracts/brokers.ts';
import { MY_ROW_PATH } from '../../api/brokers.ts';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import { useApiData } from '../../components/useApiData.ts';

/** A broker's own row of the broker table (劳务经纪人工作台账), as of today: what their referrals came to. */
export default function MyBrokerRow() {
  const { data, error } = useApiData<MyRow>(MY_ROW_PATH);
  const row = data?.row;
  const items = [
    { key: 'villages', title: '协议村', value: row?.villages },
    { key: 'referrals', title: '推荐人数', value: row?.referrals },
    { key: 'hires', title: '录用人数', value: row?.hires },
    { key: 'retained3', title: '录用后在岗满3个月', value: row?.retained3 },
    { key: 'retained6', title: '录用后在岗满6个月', value: row?.retained6 },
  ];
  return (
    <Card
      style={{ marginBottom: 16 }}
      data-testid="my-broker-row"
      title="我的工作台账"
      extra={data && <Typography.Text type="secondary">截至 {data.asOf}</Typography.Text>}
    >
      <ErrorAlert error={error} />
      <Row gutter={16}>
        {items.map((i) => (
          <Col key={i.key} xs={12} sm={8} md={4}>
            <Statistic title={i.title} value={i.value ?? '—'} data-testid={`my-row-${i.key}`} />
          </Col>
        ))}
      </Row>
    </Card>
  );
}
