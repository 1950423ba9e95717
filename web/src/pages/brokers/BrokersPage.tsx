import { useEffect, useMemo, useState } from 'react';
import { App, Button, Card, DatePicker, Form, Input, InputNumber, Select, Space, Table, Tabs, Typography } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { api } from '../../api/client.ts';
import {
  BROKER_TABLE_PATH,
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
import { ListTable, ModalForm, useListQuery, useUrlFilters } from '../../components/list/index.ts';
import { useApiData } from '../../components/useApiData.ts';
import { BROKER_FILTERS, brokerTableColumns, contractColumns } from './columns.tsx';
import PageHeader from '../../components/PageHeader.tsx';
import BrokerPayDrawer from './BrokerPayDrawer.tsx';
import RegionCascader from '../../components/RegionCascader.tsx';
import { chinaNow } from '../../app/format.ts';

const DAY = 'YYYY-MM-DD';

/** 劳务经纪人: the broker table as of a date, and the contracts the township / county manage. */
export default function BrokersPage() {
  const me = useMe();
  // The region and the date are in the URL; the contracts' page too.
  const view = useUrlFilters(BROKER_FILTERS);
  const region = view.filters.region ?? me.region.code;
  const asOf = view.filters.asOf ?? chinaNow().format(DAY);
  const broker = useApiData<BrokerTable>(BROKER_TABLE_PATH, { region, asOf });
  const table = broker.data;
  const contracts = useListQuery<BrokerContract, Record<string, never>, never, BrokerContractList>(CONTRACTS_PATH, {
    filters: {},
    fixed: { region },
    prefix: 'contracts.',
    pageSize: 20,
  });
  const [creating, setCreating] = useState(false);
  const [ending, setEnding] = useState<BrokerContract | null>(null);
  const [paying, setPaying] = useState<BrokerContract | null>(null);
  const load = () => {
    broker.reload();
    contracts.reload();
  };

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
          onChange={(code) => view.setFilters({ region: code === me.region.code ? null : code })}
          rootCode={me.region.code}
          maxLevel="township"
          changeOnSelect
          allowClear={false}
          style={{ width: 280 }}
          data-testid="broker-region"
        />
        <span>截至</span>
        <DatePicker
          value={dayjs(asOf)}
          onChange={(d) => d && view.setFilters({ asOf: d.format(DAY) })}
          allowClear={false}
          data-testid="broker-asof"
        />
        <ExportButton path={BROKER_TABLE_EXPORT_PATH} query={{ region, asOf }} label="导出台账" testId="broker-table-export" />
      </Space>
      <ErrorAlert error={broker.error ?? contracts.error} testId="brokers-error" />
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
                  loading={broker.loading}
                  columns={brokerTableColumns}
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
                <ListTable<BrokerContract>
                  rowKey="id"
                  size="small"
                  list={contracts}
                  columns={contractColumns(setEnding, setPaying)}
                  sizeChanger={false}
                  data-testid="contract-table"
                />
              </Card>
            ),
          },
        ]}
      />
      <ContractForm
        open={creating}
        brokers={table?.rows ?? []}
        rootCode={me.region.code}
        onClose={(saved) => {
          setCreating(false);
          if (saved) load();
        }}
      />
      <BrokerPayDrawer
        contract={paying}
        onClose={(changed) => {
          setPaying(null);
          if (changed) contracts.reload();
        }}
      />
      <EndForm
        contract={ending}
        onClose={(saved) => {
          setEnding(null);
          if (saved) load();
        }}
      />
    </>
  );
}

function ContractForm({
  open,
  brokers,
  rootCode,
  onClose,
}: {
  open: boolean;
  brokers: BrokerTableRow[];
  rootCode: string;
  onClose: (saved: boolean) => void;
}) {
  const { message } = App.useApp();
  return (
    <ModalForm<ContractValues>
      open={open}
      title="签订劳务经纪人协议"
      okText="签订"
      okTestId="contract-submit"
      errorTestId="contract-error"
      onClose={onClose}
      onSubmit={async (values) => {
        await api.post(CONTRACTS_PATH, {
          brokerId: values.brokerId,
          villageCodes: values.villageCodes,
          validFrom: values.period[0].format(DAY),
          validTo: values.period[1].format(DAY),
          ...(values.note ? { note: values.note } : {}),
          ...(values.ratePerPlacement ? { ratePerPlacement: values.ratePerPlacement, keptMonths: values.keptMonths } : {}),
        });
        message.success('协议已签订');
      }}
    >
      <ContractFields brokers={brokers} rootCode={rootCode} />
    </ModalForm>
  );
}

interface ContractValues {
  brokerId: string;
  villageCodes: string[];
  period: [Dayjs, Dayjs];
  note?: string;
  /** 购买服务: yuan per placement kept `keptMonths` months (both or neither). */
  ratePerPlacement?: number;
  keptMonths?: number;
}

function ContractFields({ brokers, rootCode }: { brokers: BrokerTableRow[]; rootCode: string }) {
  const form = Form.useFormInstance<ContractValues>();
  const [township, setTownship] = useState<string | undefined>(rootCode.length === 9 ? rootCode : undefined);
  const [villages, setVillages] = useState<{ code: string; name: string }[]>([]);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (township?.length !== 9) return setVillages([]);
    api
      .get<{ items: { code: string; name: string }[] }>(`/api/v1/regions/${township}/children`)
      .then((r) => setVillages(r.items), setError);
  }, [township]);
  const brokerOptions = useMemo(() => brokers.map((b) => ({ value: b.brokerId, label: `${b.displayName}（${b.regionName}）` })), [brokers]);
  return (
    <>
      <ErrorAlert error={error} />
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
      <Space align="start">
        <Form.Item name="ratePerPlacement" label="购买服务：每名稳定就业人员服务费（元）">
          <InputNumber min={0.01} max={100000} precision={2} data-testid="contract-rate" />
        </Form.Item>
        <Form.Item
          name="keptMonths"
          label="须在岗满（月）"
          dependencies={['ratePerPlacement']}
          rules={[
            ({ getFieldValue }) => ({
              validator: (_, v) =>
                !getFieldValue('ratePerPlacement') === !v ? Promise.resolve() : Promise.reject(new Error('服务费和月数须同时填写')),
            }),
          ]}
        >
          <InputNumber min={1} max={12} precision={0} data-testid="contract-months" />
        </Form.Item>
      </Space>
      <Form.Item name="note" label="备注">
        <Input.TextArea maxLength={500} rows={2} />
      </Form.Item>
    </>
  );
}

function EndForm({ contract, onClose }: { contract: BrokerContract | null; onClose: (saved: boolean) => void }) {
  const { message } = App.useApp();
  return (
    <ModalForm<{ endedOn?: Dayjs; reason: string }>
      open={contract !== null}
      title={`终止协议：${contract?.broker.displayName ?? ''}`}
      okText="终止"
      okTestId="contract-end-submit"
      initialValues={{ endedOn: chinaNow() }}
      onClose={onClose}
      onSubmit={async (values) => {
        if (!contract) return;
        await api.post(contractEndPath(contract.id), {
          reason: values.reason,
          ...(values.endedOn ? { endedOn: values.endedOn.format(DAY) } : {}),
        });
        message.success('协议已终止');
      }}
    >
      <Form.Item name="endedOn" label="终止日期（自该日起不再覆盖协议村）">
        <DatePicker />
      </Form.Item>
      <Form.Item name="reason" label="终止原因" rules={[{ required: true, message: '请填写终止原因' }]}>
        <Input maxLength={200} data-testid="contract-end-reason" />
      </Form.Item>
    </ModalForm>
  );
}
