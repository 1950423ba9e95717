import { useCallback, useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import {
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Drawer,
  Empty,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Progress,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { MinusCircleOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { api } from '../../api/client.ts';
import {
  AGREEMENT_STATE,
  AGREEMENT_STATE_COLORS,
  AGREEMENT_WRITER_ROLES,
  AGREEMENTS_PATH,
  agreementPath,
  COMMITMENT_KIND,
  COMMITMENT_UNIT,
  commitmentPercent,
  type Agreement,
  type Commitment,
  type CreateAgreementInput,
} from '../../api/agreements.ts';
import { labelOf, optionsOf } from '../../api/laborers.ts';
import { useMe } from '../../app/auth.tsx';
import Chart, { type ChartOption } from '../../components/Chart.tsx';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import { applyServerErrors } from '../../components/formErrors.ts';
import PageHeader from '../../components/PageHeader.tsx';
import RegionCascader from '../../components/RegionCascader.tsx';
import ScrollTable from '../../components/ScrollTable.tsx';
import { chinaNow } from '../../app/format.ts';

const NOT_RECORDED = '暂无记录来源';
const today = () => chinaNow().format('YYYY-MM-DD');

/** 劳务协作协议: the agreements touching the caller's region, their commitments and progress computed from the records. */
export default function AgreementsPage() {
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const region = params.get('region') ?? undefined;
  const activeOnly = params.get('active') === '1';
  const [items, setItems] = useState<Agreement[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [selected, setSelected] = useState<Agreement | null>(null);
  const [editing, setEditing] = useState<Agreement | 'new' | null>(null);

  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      const data = await api.get<{ items: Agreement[] }>(AGREEMENTS_PATH, { region, activeOn: activeOnly ? today() : undefined });
      setItems(data.items);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, [region, activeOnly]);
  useEffect(() => {
    load();
  }, [load]);

  const openDetail = useCallback(async (id: string) => {
    try {
      setSelected(await api.get<Agreement>(agreementPath(id)));
    } catch (e) {
      setError(e);
    }
  }, []);

  const setParam = (key: string, value: string | undefined) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );

  const canCreate = AGREEMENT_WRITER_ROLES.includes(me.role);

  const columns: TableColumnsType<Agreement> = [
    {
      title: '协议名称',
      dataIndex: 'title',
      width: 280,
      render: (v: string, a) => (
        <Typography.Link onClick={() => openDetail(a.id)} data-testid="agreement-title">
          {v}
        </Typography.Link>
      ),
    },
    {
      title: '输出地',
      dataIndex: ['outputRegion', 'fullName'],
      width: 170,
      render: (v: string, a) => <Tooltip title={a.outputRegion.code}>{v}</Tooltip>,
    },
    {
      title: '输入地',
      dataIndex: ['inputRegion', 'fullName'],
      width: 170,
      render: (v: string, a) => <Tooltip title={a.inputRegion.code}>{v}</Tooltip>,
    },
    {
      title: '协议期',
      key: 'period',
      width: 200,
      render: (_: unknown, a) => <span className="lw-mono">{`${a.validFrom} 至 ${a.validTo}`}</span>,
    },
    {
      title: '状态',
      dataIndex: 'state',
      width: 90,
      render: (v: string) => <Tag color={AGREEMENT_STATE_COLORS[v]}>{labelOf(AGREEMENT_STATE, v)}</Tag>,
    },
    {
      title: '承诺事项',
      key: 'commitments',
      render: (_: unknown, a) => (
        <Space size={[4, 4]} wrap>
          {a.commitments.map((c) => (
            <Tag key={c.kind} data-testid="agreement-commitment-tag">
              {labelOf(COMMITMENT_KIND, c.kind)} {c.target ?? '—'}
              {c.source === 'computed' && c.target !== null ? `（${commitmentPercent(c)}%）` : ''}
            </Tag>
          ))}
        </Space>
      ),
    },
    {
      title: '操作',
      key: 'actions',
      width: 110,
      render: (_: unknown, a) => (
        <Space size={12}>
          <Typography.Link onClick={() => openDetail(a.id)} data-testid="agreement-view">
            查看
          </Typography.Link>
          {a.editable && (
            <Typography.Link onClick={() => setEditing(a)} data-testid="agreement-edit">
              编辑
            </Typography.Link>
          )}
        </Space>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={<span data-testid="agreements-title">劳务协作协议</span>}
        description="输出地与输入地签订的劳务协作协议及其承诺事项；完成进度按平台的岗位、推荐录用记录自动计算，不可手工填报"
        extra={
          canCreate && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="agreement-create">
              登记协议
            </Button>
          )
        }
      />
      <Card variant="borderless">
        <Flex gap={12} wrap align="center" style={{ marginBottom: 16 }}>
          <RegionCascader
            value={region}
            onChange={(code) => setParam('region', code)}
            changeOnSelect
            maxLevel="county"
            allowClear
            placeholder="输出地或输入地"
            style={{ width: 280 }}
            data-testid="agreement-filter-region"
          />
          <Space>
            <Switch checked={activeOnly} onChange={(v) => setParam('active', v ? '1' : undefined)} data-testid="agreement-filter-active" />
            <span>只看执行中</span>
          </Space>
          <Button icon={<ReloadOutlined />} onClick={load}>
            刷新
          </Button>
        </Flex>
        <ErrorAlert error={error} testId="agreements-error" />
        <ScrollTable<Agreement>
          rowKey="id"
          columns={columns}
          dataSource={items}
          loading={loading}
          pagination={false}
          scroll={{ x: 1100 }}
          locale={{ emptyText: <Empty description="没有与本辖区相关的劳务协作协议" /> }}
          data-testid="agreements-table"
        />
      </Card>
      <AgreementDrawer agreement={selected} onClose={() => setSelected(null)} onEdit={(a) => setEditing(a)} />
      {editing && (
        <AgreementForm
          agreement={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={(a) => {
            setEditing(null);
            load();
            setSelected((s) => (s && s.id === a.id ? a : s));
          }}
        />
      )}
    </>
  );
}

function CommitmentProgress({ c }: { c: Commitment }) {
  const unit = COMMITMENT_UNIT[c.kind];
  if (c.source === 'not_recorded') {
    return (
      <Typography.Text type="secondary" data-testid="commitment-not-recorded">
        {NOT_RECORDED}
      </Typography.Text>
    );
  }
  const percent = commitmentPercent(c);
  return (
    <div data-testid="commitment-progress">
      {percent === null ? (
        <Typography.Text>
          已完成 {c.achieved}
          {unit}（未定数量）
        </Typography.Text>
      ) : (
        <>
          <Progress percent={Math.min(100, percent)} format={() => `${percent}%`} status={percent >= 100 ? 'success' : 'active'} />
          <Typography.Text type="secondary">
            已完成 {c.achieved} / 目标 {c.target}
            {unit}
          </Typography.Text>
        </>
      )}
    </div>
  );
}

function AgreementDrawer({
  agreement,
  onClose,
  onEdit,
}: {
  agreement: Agreement | null;
  onClose: () => void;
  onEdit: (a: Agreement) => void;
}) {
  const option = useMemo<ChartOption | null>(() => {
    if (!agreement) return null;
    const shown = agreement.commitments;
    return {
      tooltip: { trigger: 'axis' },
      legend: { data: ['目标', '已完成'], top: 0 },
      grid: { left: 48, right: 16, top: 40, bottom: 28 },
      xAxis: { type: 'category', data: shown.map((c) => labelOf(COMMITMENT_KIND, c.kind)) },
      yAxis: { type: 'value' },
      series: [
        { name: '目标', type: 'bar', data: shown.map((c) => c.target ?? '-') },
        { name: '已完成', type: 'bar', data: shown.map((c) => (c.source === 'computed' ? c.achieved : '-')) },
      ],
    } as ChartOption;
  }, [agreement]);

  return (
    <Drawer
      open={Boolean(agreement)}
      onClose={onClose}
      size={720}
      title={agreement?.title}
      extra={
        agreement?.editable && (
          <Button onClick={() => onEdit(agreement)} data-testid="agreement-drawer-edit">
            编辑
          </Button>
        )
      }
      data-testid="agreement-drawer"
    >
      {agreement && (
        <>
          <Descriptions column={2} size="small" bordered style={{ marginBottom: 16 }}>
            <Descriptions.Item label="输出地">{agreement.outputRegion.fullName}</Descriptions.Item>
            <Descriptions.Item label="输入地">{agreement.inputRegion.fullName}</Descriptions.Item>
            <Descriptions.Item label="协议期">{`${agreement.validFrom} 至 ${agreement.validTo}`}</Descriptions.Item>
            <Descriptions.Item label="签订日期">{agreement.signedOn ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="状态">
              <Tag color={AGREEMENT_STATE_COLORS[agreement.state]}>{labelOf(AGREEMENT_STATE, agreement.state)}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label="备注" span={2}>
              {agreement.notes ?? '—'}
            </Descriptions.Item>
          </Descriptions>
          <Typography.Title level={5}>承诺事项与完成进度</Typography.Title>
          <Table<Commitment>
            rowKey="kind"
            size="small"
            pagination={false}
            dataSource={agreement.commitments}
            data-testid="agreement-commitments"
            columns={[
              { title: '承诺事项', dataIndex: 'kind', width: 140, render: (v: string) => labelOf(COMMITMENT_KIND, v) },
              {
                title: '目标',
                dataIndex: 'target',
                width: 90,
                align: 'right',
                render: (v: number | null, c) => (v === null ? '未定数量' : `${v}${COMMITMENT_UNIT[c.kind]}`),
              },
              {
                title: '完成进度',
                key: 'progress',
                render: (_: unknown, c) => (
                  <Tooltip title={c.basis}>
                    <div>
                      <CommitmentProgress c={c} />
                    </div>
                  </Tooltip>
                ),
              },
            ]}
          />
          {option && <Chart option={option} height={260} style={{ marginTop: 16 }} data-testid="agreement-chart" />}
          <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
            提供岗位：协议期内发布、工作地点在输入地的岗位招聘人数合计；转移就业：协议期内经推荐录用到输入地岗位的输出地户籍劳动力人数。招收学生、招聘会、培训等尚无平台记录，显示「
            {NOT_RECORDED}」。
          </Typography.Paragraph>
        </>
      )}
    </Drawer>
  );
}

interface FormValues {
  title: string;
  outputRegionCode: string;
  inputRegionCode: string;
  signedOn?: Dayjs | null;
  period: [Dayjs, Dayjs];
  notes?: string;
  commitments: { kind?: string; target?: number | null }[];
}

const FIELDS = ['title', 'outputRegionCode', 'inputRegionCode', 'signedOn', 'validFrom', 'validTo', 'notes', 'commitments'];
const ERROR_FIELDS: Record<string, string> = {
  AGREEMENT_PERIOD: 'period',
  AGREEMENT_SAME_REGION: 'inputRegionCode',
  AGREEMENT_COMMITMENTS: 'commitments',
};

function AgreementForm({
  agreement,
  onClose,
  onSaved,
}: {
  agreement: Agreement | null;
  onClose: () => void;
  onSaved: (a: Agreement) => void;
}) {
  const me = useMe();
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const initial: Partial<FormValues> = agreement
    ? {
        title: agreement.title,
        outputRegionCode: agreement.outputRegion.code,
        inputRegionCode: agreement.inputRegion.code,
        signedOn: agreement.signedOn ? dayjs(agreement.signedOn) : null,
        period: [dayjs(agreement.validFrom), dayjs(agreement.validTo)],
        notes: agreement.notes ?? undefined,
        commitments: agreement.commitments.map((c) => ({ kind: c.kind, target: c.target })),
      }
    : { commitments: [{ kind: 'posts' }] };

  const submit = async (v: FormValues) => {
    setSaving(true);
    setError(null);
    const body: CreateAgreementInput = {
      title: v.title,
      outputRegionCode: v.outputRegionCode,
      inputRegionCode: v.inputRegionCode,
      signedOn: v.signedOn ? v.signedOn.format('YYYY-MM-DD') : null,
      validFrom: v.period[0].format('YYYY-MM-DD'),
      validTo: v.period[1].format('YYYY-MM-DD'),
      notes: v.notes?.trim() ? v.notes.trim() : null,
      commitments: v.commitments
        .filter((c) => c.kind)
        .map((c) =>
          c.target === null || c.target === undefined
            ? { kind: c.kind as Commitment['kind'] }
            : { kind: c.kind as Commitment['kind'], target: c.target },
        ),
    };
    try {
      const saved = agreement
        ? await api.patch<Agreement>(agreementPath(agreement.id), body)
        : await api.post<Agreement>(AGREEMENTS_PATH, body);
      message.success(agreement ? '协议已修改' : '协议已登记');
      onSaved(saved);
    } catch (e) {
      setError(e);
      applyServerErrors(form, e, ERROR_FIELDS, FIELDS);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open
      width={720}
      title={agreement ? '修改劳务协作协议' : '登记劳务协作协议'}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText="保存"
      confirmLoading={saving}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'agreement-form-submit' }}
    >
      <ErrorAlert error={error} testId="agreement-form-error" />
      <Typography.Paragraph type="secondary">
        输出地或输入地须在本辖区（{me.region.fullName}）内。完成进度由平台按记录计算，无需填写。
      </Typography.Paragraph>
      <Form<FormValues> form={form} layout="vertical" initialValues={initial} onFinish={submit} data-testid="agreement-form">
        <Form.Item
          name="title"
          label="协议名称"
          rules={[
            { required: true, message: '请填写协议名称' },
            { min: 2, max: 100 },
          ]}
        >
          <Input placeholder="如：济南市—湘西州劳务协作脱贫协议（2017—2020年）" data-testid="agreement-field-title" />
        </Form.Item>
        <Flex gap={16}>
          <Form.Item name="outputRegionCode" label="输出地" style={{ flex: 1 }} rules={[{ required: true, message: '请选择输出地' }]}>
            <RegionCascader changeOnSelect maxLevel="county" placeholder="劳动力输出的市、县" data-testid="agreement-field-output" />
          </Form.Item>
          <Form.Item
            name="inputRegionCode"
            label="输入地"
            style={{ flex: 1 }}
            dependencies={['outputRegionCode']}
            rules={[
              { required: true, message: '请选择输入地' },
              ({ getFieldValue }) => ({
                validator: (_, v?: string) => {
                  const o: string | undefined = getFieldValue('outputRegionCode');
                  return v && o && (v.startsWith(o) || o.startsWith(v))
                    ? Promise.reject(new Error('输出地与输入地不能相同，也不能相互包含'))
                    : Promise.resolve();
                },
              }),
            ]}
          >
            <RegionCascader changeOnSelect maxLevel="county" placeholder="岗位所在的市、县" data-testid="agreement-field-input" />
          </Form.Item>
        </Flex>
        <Flex gap={16}>
          <Form.Item name="period" label="协议期" style={{ flex: 2 }} rules={[{ required: true, message: '请选择协议期' }]}>
            <DatePicker.RangePicker style={{ width: '100%' }} data-testid="agreement-field-period" />
          </Form.Item>
          <Form.Item name="signedOn" label="签订日期" style={{ flex: 1 }}>
            <DatePicker style={{ width: '100%' }} data-testid="agreement-field-signed" />
          </Form.Item>
        </Flex>
        <Form.Item label="承诺事项" required>
          <Form.List
            name="commitments"
            rules={[
              {
                validator: async (_, list?: { kind?: string }[]) => {
                  const kinds = (list ?? []).map((c) => c?.kind).filter(Boolean);
                  if (!kinds.length) throw new Error('请至少填写一项承诺事项');
                  if (new Set(kinds).size !== kinds.length) throw new Error('每类承诺至多一项');
                },
              },
            ]}
          >
            {(fields, { add, remove }, { errors }) => (
              <>
                {fields.map((field) => (
                  <Flex key={field.key} gap={8} align="baseline">
                    <Form.Item name={[field.name, 'kind']} rules={[{ required: true, message: '请选择' }]} style={{ width: 200 }}>
                      <Select options={optionsOf(COMMITMENT_KIND)} placeholder="承诺事项" data-testid="agreement-field-kind" />
                    </Form.Item>
                    <Form.Item
                      name={[field.name, 'target']}
                      rules={[{ type: 'number', min: 1, message: '须大于 0' }]}
                      style={{ width: 200 }}
                    >
                      <InputNumber
                        min={1}
                        precision={0}
                        style={{ width: '100%' }}
                        placeholder="数量（无具体数量可不填）"
                        data-testid="agreement-field-target"
                      />
                    </Form.Item>
                    <MinusCircleOutlined onClick={() => remove(field.name)} aria-label="删除该项" />
                  </Flex>
                ))}
                <Button
                  type="dashed"
                  onClick={() => add()}
                  icon={<PlusOutlined />}
                  disabled={fields.length >= 5}
                  data-testid="agreement-add-commitment"
                >
                  添加承诺事项
                </Button>
                <Form.ErrorList errors={errors} />
              </>
            )}
          </Form.List>
        </Form.Item>
        <Form.Item name="notes" label="备注">
          <Input.TextArea rows={3} maxLength={2000} data-testid="agreement-field-notes" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
