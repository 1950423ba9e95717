import { useState } from 'react';
import { App, Button, DatePicker, Drawer, Form, InputNumber, Space, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { BROKER_PLACEMENT_COLUMNS } from '../../../../contracts/columns/brokers.ts';
import { api } from '../../api/client.ts';
import {
  type BrokerContract,
  type BrokerPay,
  type BrokerPayDraft,
  brokerPayPath,
  contractPayTermsPath,
  PLACEMENT_PAY_STATE,
  PLACEMENT_PAY_STATE_COLORS,
} from '../../api/brokers.ts';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import { columnsOf, type ScreenColumn } from '../../components/list/index.ts';
import { useApiData } from '../../components/useApiData.ts';
import { chinaNow } from '../../app/format.ts';

const DAY = 'YYYY-MM-DD';
type Placement = BrokerPay['placements'][number];
const col = columnsOf<Placement, typeof BROKER_PLACEMENT_COLUMNS>(BROKER_PLACEMENT_COLUMNS);
const placementColumns: ScreenColumn<Placement>[] = [
  col('laborer', {
    render: (_, p) => (
      <span>
        {p.laborer.name}
        <Typography.Text type="secondary"> {p.laborer.idNumberMasked}</Typography.Text>
      </span>
    ),
  }),
  col('village', { render: (_, p) => p.laborer.villageName }),
  col('employerName', { render: (v) => v ?? '—' }),
  col('startedOn'),
  col('endedOn', { render: (v) => v ?? '—' }),
  col('checkDay'),
  col('state', {
    render: (_, p) => (
      <Tag color={PLACEMENT_PAY_STATE_COLORS[p.state]} data-testid={`placement-state-${p.employmentId}`}>
        {PLACEMENT_PAY_STATE.labels[p.state]}
        {p.subsidy ? `（${p.subsidy.amount} 元）` : ''}
      </Tag>
    ),
  }),
];

/**
 * 购买服务结算 of one contract: its pay terms, and for a period the placements (hires from the
 * broker's referrals started in it) with what each is owed today; the due ones drafted into the
 * subsidy ledger with one button — a placement already drafted is never drafted again.
 */
export default function BrokerPayDrawer({ contract, onClose }: { contract: BrokerContract | null; onClose: (changed: boolean) => void }) {
  return contract ? <PayBody contract={contract} onClose={onClose} /> : null;
}

function PayBody({ contract: initial, onClose }: { contract: BrokerContract; onClose: (changed: boolean) => void }) {
  const { message } = App.useApp();
  const [contract, setContract] = useState(initial);
  const [changed, setChanged] = useState(false);
  const [editing, setEditing] = useState(initial.pay === null);
  // Default: the contract so far — every placement under it, those paid before marked so.
  const [period, setPeriod] = useState<[Dayjs, Dayjs]>(() => {
    const start = dayjs(initial.validFrom);
    return start.isAfter(chinaNow()) ? [start, start] : [start, chinaNow()];
  });
  const [error, setError] = useState<unknown>(null);
  const [drafting, setDrafting] = useState(false);
  const query = { from: period[0].format(DAY), to: period[1].format(DAY) };
  const pay = useApiData<BrokerPay>(contract.pay ? brokerPayPath(contract.id) : null, query);
  const t = pay.data?.totals;

  const saveTerms = async (values: { ratePerPlacement: number; keptMonths: number }) => {
    try {
      setContract(await api.put<BrokerContract>(contractPayTermsPath(contract.id), values));
      setEditing(false);
      setChanged(true);
      setError(null);
      message.success('购买服务条款已保存');
    } catch (e) {
      setError(e);
    }
  };
  const draft = async () => {
    setDrafting(true);
    try {
      const result = await api.post<BrokerPayDraft>(`${brokerPayPath(contract.id)}/draft`, query);
      message.success(
        result.created > 0 ? `已列入补贴台账 ${result.created} 人，共 ${result.amount} 元（待审批）` : '没有新的应付人员，未重复列入',
      );
      setChanged(true);
      setError(null);
      await pay.reload();
    } catch (e) {
      setError(e);
    } finally {
      setDrafting(false);
    }
  };

  return (
    <Drawer
      open
      width={960}
      title={`购买服务结算：${contract.broker.displayName}`}
      onClose={() => onClose(changed)}
      data-testid="broker-pay"
    >
      <ErrorAlert error={error ?? pay.error} testId="broker-pay-error" />
      <Typography.Paragraph>
        协议村 {contract.villages.map((v) => v.name).join('、')}；协议期 {contract.validFrom} 至 {contract.validTo}
      </Typography.Paragraph>
      {editing ? (
        <Form
          layout="inline"
          initialValues={contract.pay ?? { keptMonths: 3 }}
          onFinish={saveTerms}
          style={{ marginBottom: 16 }}
          data-testid="broker-pay-terms"
        >
          <Form.Item name="ratePerPlacement" label="每名稳定就业人员服务费（元）" rules={[{ required: true, message: '请填写服务费' }]}>
            <InputNumber min={0.01} max={100000} precision={2} data-testid="broker-pay-rate" />
          </Form.Item>
          <Form.Item name="keptMonths" label="须在岗满（月）" rules={[{ required: true, message: '请填写月数' }]}>
            <InputNumber min={1} max={12} precision={0} data-testid="broker-pay-months" />
          </Form.Item>
          <Button type="primary" htmlType="submit" data-testid="broker-pay-terms-save">
            保存条款
          </Button>
        </Form>
      ) : (
        <Typography.Paragraph data-testid="broker-pay-terms-text">
          每名经介绍录用、在岗满 {contract.pay?.keptMonths} 个月的人员支付 {contract.pay?.ratePerPlacement} 元{' '}
          <Button size="small" type="link" onClick={() => setEditing(true)}>
            修改条款
          </Button>
        </Typography.Paragraph>
      )}
      {contract.pay && (
        <>
          <Space wrap style={{ marginBottom: 12 }}>
            <span>入职期间</span>
            <DatePicker.RangePicker
              value={period}
              allowClear={false}
              onChange={(v) => v?.[0] && v[1] && setPeriod([v[0], v[1]])}
              data-testid="broker-pay-period"
            />
            <Button type="primary" loading={drafting} disabled={!t || t.due === 0} onClick={draft} data-testid="broker-pay-draft">
              列入补贴台账{t && t.due > 0 ? `（${t.due} 人，${t.dueAmount} 元）` : ''}
            </Button>
          </Space>
          {t && (
            <Typography.Paragraph data-testid="broker-pay-totals">
              截至 {pay.data?.asOf}：期间内介绍录用 {t.placements} 人；应付 {t.due} 人 {t.dueAmount} 元；已列入补贴台账 {t.drafted} 人{' '}
              {t.draftedAmount} 元；未满 {contract.pay.keptMonths} 个月离岗 {t.left} 人（不付）；尚未满期 {t.waiting} 人
            </Typography.Paragraph>
          )}
          <Table
            rowKey="employmentId"
            size="small"
            loading={pay.loading}
            columns={placementColumns}
            dataSource={pay.data?.placements ?? []}
            pagination={{ pageSize: 50, showSizeChanger: false }}
            data-testid="broker-pay-table"
          />
        </>
      )}
    </Drawer>
  );
}
