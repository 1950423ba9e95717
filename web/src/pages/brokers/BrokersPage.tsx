import { useCallback, useEffect, useMemo, useState } from 'react';
import { App, Button, Card, DatePicker, Form, Input, Modal, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { api } from '../../api/client.ts';
import {
  BROKER_TABLE_PATH,
  CONTRACT_STATE,
  CONTRACT_STATE_COLORS,
  CONTRACTS_PATH,
  contractEndPath,
  type BrokerContract,
  type BrokerContractList,
  type BrokerTable,
  type BrokerTableRow,
} from '../../api/brokers.ts';
import { useMe } from '../../app/auth.tsx';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import ExportButton from '../../components/ExportButton.tsx';
import { BROKER_TABLE_EXPORT_PATH } from '../../../../contracts/paths.ts';
import { applyServerErrors } from '../../components/formErrors.ts';
import PageHeader from '../../components/PageHeader.tsx';
import RegionCascader from '../../components/RegionCascader.tsx';

const DAY = 'YYYY-MM-DD';

/** 劳务经纪人: the broker table as of a date, and the contracts the township / county manage. */
export default function BrokersPage() {
  const me = useMe();
  const [region, setRegion] = useState<string>(me.region.code);
  const [asOf, setAsOf] = useState<Dayjs>(dayjs());
  const [table, setTable] = useState<BrokerTable | null>(null);
  const [contracts, setContracts] = useState<BrokerContractList>({ items: [], total: 0 });
  const [page, setPage] = useState(1);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [creating, setCreating] = useState(false);
  const [ending, setEnding] = useState<BrokerContract | null>(null);

  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      const [t, c] = await Promise.all([
        api.get<BrokerTable>(BROKER_TABLE_PATH, { region, asOf: asOf.format(DAY) }),
        api.get<BrokerContractList>(CONTRACTS_PATH, { region, page, pageSize: 20 }),
      ]);
      setTable(t);
      setContracts(c);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, [region, asOf, page]);
  useEffect(() => {
    load();
  }, [load]);

  const tableColumns: TableColumnsType<BrokerTableRow> = [
    {
      title: '劳务经纪人',
      dataIndex: 'displayName',
      render: (v, r) => (
        <span data-testid={`broker-row-${r.username}`}>
          {v}
          <Typography.Text type="secondary"> {r.username}</Typography.Text>
        </span>
      ),
    },
    { title: '所在乡镇', dataIndex: 'regionName' },
    { title: '协议村数', dataIndex: 'villages', align: 'right' },
    { title: '推荐人数', dataIndex: 'referrals', align: 'right', sorter: (a, b) => a.referrals - b.referrals },
    { title: '录用人数', dataIndex: 'hires', align: 'right', sorter: (a, b) => a.hires - b.hires },
    { title: '在岗满3个月', dataIndex: 'retained3', align: 'right' },
    { title: '在岗满6个月', dataIndex: 'retained6', align: 'right' },
  ];
  const contractColumns: TableColumnsType<BrokerContract> = [
    { title: '劳务经纪人', render: (_, c) => c.broker.displayName },
    { title: '协议村', render: (_, c) => c.villages.map((v) => v.name).join('、') },
    { title: '管理乡镇 / 县人社', render: (_, c) => `${c.township.name} / ${c.county.name}` },
    { title: '协议期', render: (_, c) => `${c.validFrom} 至 ${c.validTo}` },
    {
      title: '状态',
      render: (_, c) => (
        <Tag color={CONTRACT_STATE_COLORS[c.state]}>
          {CONTRACT_STATE.labels[c.state]}
          {c.endedOn ? `（${c.endedOn}）` : ''}
        </Tag>
      ),
    },
    {
      title: '操作',
      render: (_, c) =>
        c.endedOn ? null : (
          <Button size="small" danger data-testid={`contract-end-${c.id}`} onClick={() => setEnding(c)}>
            终止
          </Button>
        ),
    },
  ];

  return (
    <>
      <PageHeader
        title="劳务经纪人"
        description="乡镇、人社部门双线管理：协议村与协议期，以及经纪人推荐、录用和稳岗情况"
        extra={
          <Button icon={<ReloadOutlined />} onClick={load}>
            刷新
          </Button>
        }
      />
      <Space wrap style={{ marginBottom: 16 }}>
        <RegionCascader
          value={region}
          onChange={(code) => {
            setRegion(code ?? me.region.code);
            setPage(1);
          }}
          rootCode={me.region.code}
          maxLevel="township"
          changeOnSelect
          allowClear={false}
          style={{ width: 280 }}
          data-testid="broker-region"
        />
        <span>截至</span>
        <DatePicker value={asOf} onChange={(d) => d && setAsOf(d)} allowClear={false} data-testid="broker-asof" />
        <ExportButton
          path={BROKER_TABLE_EXPORT_PATH}
          query={{ region, asOf: asOf.format(DAY) }}
          label="导出台账"
          testId="broker-table-export"
        />
      </Space>
      {error ? <ErrorAlert error={error} testId="brokers-error" /> : null}
      <Tabs
        items={[
          {
            key: 'table',
            label: '经纪人台账',
            children: (
              <Card size="small">
                {table && (
                  <Typography.Paragraph data-testid="broker-totals">
                    共 {table.totals.brokers} 名劳务经纪人，覆盖 {table.totals.villages} 个村；截至 {table.asOf} 推荐{' '}
                    {table.totals.referrals} 人，录用 {table.totals.hires} 人，在岗满3个月 {table.totals.retained3} 人，满6个月{' '}
                    {table.totals.retained6} 人
                  </Typography.Paragraph>
                )}
                <Table
                  rowKey="brokerId"
                  size="small"
                  loading={loading}
                  columns={tableColumns}
                  dataSource={table?.rows ?? []}
                  pagination={{ pageSize: 50, showSizeChanger: false }}
                  data-testid="broker-table"
                />
              </Card>
            ),
          },
          {
            key: 'contracts',
            label: '经纪人协议',
            children: (
              <Card
                size="small"
                extra={
                  <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="contract-new">
                    签订协议
                  </Button>
                }
              >
                <Table
                  rowKey="id"
                  size="small"
                  loading={loading}
                  columns={contractColumns}
                  dataSource={contracts.items}
                  data-testid="contract-table"
                  pagination={{ current: page, pageSize: 20, total: contracts.total, onChange: setPage, showSizeChanger: false }}
                />
              </Card>
            ),
          },
        ]}
      />
      {creating && (
        <ContractForm
          brokers={table?.rows ?? []}
          rootCode={me.region.code}
          onClose={(saved) => {
            setCreating(false);
            if (saved) load();
          }}
        />
      )}
      {ending && (
        <EndForm
          contract={ending}
          onClose={(saved) => {
            setEnding(null);
            if (saved) load();
          }}
        />
      )}
    </>
  );
}

function ContractForm({ brokers, rootCode, onClose }: { brokers: BrokerTableRow[]; rootCode: string; onClose: (saved: boolean) => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [township, setTownship] = useState<string | undefined>(rootCode.length === 9 ? rootCode : undefined);
  const [villages, setVillages] = useState<{ code: string; name: string }[]>([]);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (township?.length !== 9) return setVillages([]);
    api
      .get<{ items: { code: string; name: string }[] }>(`/api/v1/regions/${township}/children`)
      .then((r) => setVillages(r.items), setError);
  }, [township]);
  const brokerOptions = useMemo(() => brokers.map((b) => ({ value: b.brokerId, label: `${b.displayName}（${b.regionName}）` })), [brokers]);

  const submit = async () => {
    const values = await form.validateFields();
    setSaving(true);
    setError(null);
    try {
      await api.post(CONTRACTS_PATH, {
        brokerId: values.brokerId,
        villageCodes: values.villageCodes,
        validFrom: values.period[0].format(DAY),
        validTo: values.period[1].format(DAY),
        ...(values.note ? { note: values.note } : {}),
      });
      message.success('协议已签订');
      onClose(true);
    } catch (e) {
      if (!applyServerErrors(form, e)) setError(e);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open
      title="签订劳务经纪人协议"
      onCancel={() => onClose(false)}
      onOk={submit}
      confirmLoading={saving}
      okText="签订"
      okButtonProps={{ 'data-testid': 'contract-submit' } as Record<string, string>}
    >
      {error ? <ErrorAlert error={error} testId="contract-error" /> : null}
      <Form form={form} layout="vertical">
        <Form.Item name="brokerId" label="劳务经纪人" rules={[{ required: true, message: '请选择劳务经纪人' }]}>
          <Select
            showSearch
            optionFilterProp="label"
            options={brokerOptions}
            data-testid="contract-broker"
            placeholder="本辖区的劳务经纪人账号"
          />
        </Form.Item>
        <Form.Item label="管理乡镇" required>
          <RegionCascader
            value={township}
            onChange={(code) => {
              setTownship(code);
              form.setFieldValue('villageCodes', []);
            }}
            rootCode={rootCode}
            maxLevel="township"
            data-testid="contract-township"
          />
        </Form.Item>
        <Form.Item name="villageCodes" label="协议村" rules={[{ required: true, message: '请选择协议村' }]}>
          <Select
            mode="multiple"
            options={villages.map((v) => ({ value: v.code, label: v.name }))}
            data-testid="contract-villages"
            placeholder="同一乡镇的若干村"
          />
        </Form.Item>
        <Form.Item name="period" label="协议期" rules={[{ required: true, message: '请选择协议期' }]}>
          <DatePicker.RangePicker data-testid="contract-period" />
        </Form.Item>
        <Form.Item name="note" label="备注">
          <Input.TextArea maxLength={500} rows={2} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function EndForm({ contract, onClose }: { contract: BrokerContract; onClose: (saved: boolean) => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [error, setError] = useState<unknown>(null);
  const submit = async () => {
    const values = await form.validateFields();
    try {
      await api.post(contractEndPath(contract.id), {
        reason: values.reason,
        ...(values.endedOn ? { endedOn: values.endedOn.format(DAY) } : {}),
      });
      message.success('协议已终止');
      onClose(true);
    } catch (e) {
      if (!applyServerErrors(form, e)) setError(e);
    }
  };
  return (
    <Modal
      open
      title={`终止协议：${contract.broker.displayName}`}
      onCancel={() => onClose(false)}
      onOk={submit}
      okText="终止"
      okButtonProps={{ danger: true, ...({ 'data-testid': 'contract-end-submit' } as Record<string, string>) }}
    >
      {error ? <ErrorAlert error={error} /> : null}
      <Form form={form} layout="vertical" initialValues={{ endedOn: dayjs() }}>
        <Form.Item name="endedOn" label="终止日期（自该日起不再覆盖协议村）">
          <DatePicker />
        </Form.Item>
        <Form.Item name="reason" label="终止原因" rules={[{ required: true, message: '请填写终止原因' }]}>
          <Input maxLength={200} data-testid="contract-end-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
