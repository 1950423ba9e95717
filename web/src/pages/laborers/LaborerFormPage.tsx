import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import {
  Alert,
  App,
  AutoComplete,
  Button,
  Card,
  Checkbox,
  Col,
  Flex,
  Form,
  Input,
  InputNumber,
  Result,
  Row,
  Select,
  Skeleton,
  Space,
  Typography,
} from 'antd';
import type { FormInstance } from 'antd';
import { ArrowLeftOutlined, SaveOutlined } from '@ant-design/icons';
import { api, ApiError } from '../../api/client.ts';
import {
  CARING,
  EDUCATION,
  EMPLOYMENT_STATUS,
  ETHNICITY,
  FLAGS,
  HEALTH,
  LABOR_CAPACITY,
  LABORERS_PATH,
  POVERTY_STATUS,
  WILLINGNESS,
  laborerPath,
  optionsOf,
  registerListPath,
  type CreateLaborerInput,
  type Laborer,
  type UpdateLaborerInput,
} from '../../api/laborers.ts';
import { useMe } from '../../app/auth.tsx';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import PageHeader from '../../components/PageHeader.tsx';
import RegionCascader from '../../components/RegionCascader.tsx';
import TransferRequestModal from './TransferRequestModal.tsx';

interface FormValues {
  name: string;
  idNumber?: string;
  phone?: string;
  clearPhone?: boolean;
  ethnicity?: string;
  homeVillageCode?: string;
  householdCode?: string;
  relationToHead?: string;
  householdSize?: number | null;
  povertyStatus?: string;
  education?: string;
  laborCapacity?: string;
  health?: string;
  caring?: string;
  skills: string[];
  certificates: string[];
  willingness?: string;
  wantedJobTypes: string[];
  expectedWage?: number | null;
  flags: string[];
  employmentStatus?: string;
  trainingHistory?: string;
  remark?: string;
  reason?: string;
}

/** Form field → label, for the error summary (server details name the API field: body.idNumber). */
const FIELD_LABELS: Record<string, string> = {
  name: '姓名',
  idNumber: '身份证号',
  birthDate: '出生日期',
  sex: '性别',
  phone: '手机号',
  ethnicity: '民族',
  homeVillageCode: '户籍所在村',
  householdCode: '户编号',
  relationToHead: '与户主关系',
  householdSize: '家庭人口',
  povertyStatus: '户类型',
  education: '文化程度',
  laborCapacity: '劳动能力',
  health: '健康状况',
  caring: '照料负担',
  skills: '技能特长',
  certificates: '职业资格证书',
  willingness: '就业意愿',
  wantedJobTypes: '意向工种',
  expectedWage: '期望月薪',
  flags: '特殊标识',
  employmentStatus: '就业状态',
  trainingHistory: '培训经历',
  remark: '备注',
  reason: '变更原因',
};

const RELATIONS = ['户主', '配偶', '之子', '之女', '儿媳', '女婿', '孙子', '孙女', '父亲', '母亲', '兄弟姐妹', '其他'];
const SEPARATORS = ['、', '，', ',', '；', ';'];

const trimmed = (s: string | undefined | null) => (typeof s === 'string' ? s.trim() : '');
const cleanList = (list: string[] | undefined) => [...new Set((list ?? []).map((s) => s.trim()).filter(Boolean))];

function toFormValues(card: Laborer): FormValues {
  return {
    name: card.name,
    phone: undefined,
    clearPhone: false,
    ethnicity: card.ethnicity ?? undefined,
    homeVillageCode: card.homeVillage.code,
    householdCode: card.householdCode ?? undefined,
    relationToHead: card.relationToHead ?? undefined,
    householdSize: card.householdSize,
    povertyStatus: card.povertyStatus,
    education: card.education,
    laborCapacity: card.laborCapacity,
    health: card.health,
    caring: card.caring,
    skills: card.skills,
    certificates: card.certificates,
    willingness: card.willingness,
    wantedJobTypes: card.wantedJobTypes,
    expectedWage: card.expectedWage,
    flags: card.flags,
    employmentStatus: card.employmentStatus,
    trainingHistory: card.trainingHistory ?? undefined,
    remark: card.remark ?? undefined,
    reason: undefined,
  };
}

/** The fields both the create and the update bodies take, from the form. */
function cardFields(v: FormValues) {
  return {
    name: trimmed(v.name),
    ethnicity: v.ethnicity || undefined,
    homeVillageCode: v.homeVillageCode!,
    householdCode: trimmed(v.householdCode) || undefined,
    relationToHead: trimmed(v.relationToHead) || undefined,
    householdSize: v.householdSize ?? undefined,
    povertyStatus: v.povertyStatus!,
    education: v.education!,
    laborCapacity: v.laborCapacity!,
    health: v.health!,
    caring: v.caring!,
    skills: cleanList(v.skills),
    certificates: cleanList(v.certificates),
    willingness: v.willingness!,
    wantedJobTypes: cleanList(v.wantedJobTypes),
    expectedWage: v.expectedWage ?? undefined,
    flags: v.flags ?? [],
    employmentStatus: v.employmentStatus!,
    trainingHistory: trimmed(v.trainingHistory) || undefined,
    remark: trimmed(v.remark) || undefined,
  };
}

function createBody(v: FormValues): CreateLaborerInput {
  const body = { ...cardFields(v), idNumber: trimmed(v.idNumber), phone: trimmed(v.phone) || undefined };
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined)) as CreateLaborerInput;
}

/** Only what changed, plus the reason. Optional texts the user emptied are sent as '' (the API has no null for them). */
function updateBody(v: FormValues, initial: FormValues): UpdateLaborerInput {
  const now = cardFields(v);
  const before = cardFields(initial);
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(now) as (keyof typeof now)[]) {
    if (JSON.stringify(now[key] ?? null) === JSON.stringify(before[key] ?? null)) continue;
    if (now[key] === undefined) {
      if (key === 'expectedWage') patch[key] = null;
      else if (key === 'relationToHead' || key === 'trainingHistory' || key === 'remark') patch[key] = '';
      // ethnicity, householdCode, householdSize cannot be emptied (validated in the form).
      continue;
    }
    patch[key] = now[key];
  }
  if (v.clearPhone) patch.phone = null;
  else if (trimmed(v.phone)) patch.phone = trimmed(v.phone);
  if (Object.keys(patch).length && trimmed(v.reason)) patch.reason = trimmed(v.reason);
  return patch as UpdateLaborerInput;
}

/** Server field errors onto the form; returns the ones placed, with labels, for the summary. */
function placeServerErrors(form: FormInstance<FormValues>, error: unknown): { name: string; label: string; message: string }[] {
  if (!(error instanceof ApiError)) return [];
  const placed: { name: string; label: string; message: string }[] = [];
  for (const f of error.fieldErrors) {
    const name = f.field.replace(/^(body|querystring|params)\.?/, '').split(/[./[]/)[0] || '';
    if (!FIELD_LABELS[name]) continue;
    placed.push({ name, label: FIELD_LABELS[name], message: f.message });
  }
  const target = (n: string) => (n === 'birthDate' || n === 'sex' ? 'idNumber' : n);
  const byField = new Map<string, string[]>();
  for (const p of placed) byField.set(target(p.name), [...(byField.get(target(p.name)) ?? []), p.message]);
  form.setFields([...byField].map(([name, errors]) => ({ name: name as keyof FormValues, errors })));
  return placed;
}

interface ExistsDetails {
  county?: { code: string; fullName: string } | null;
  transferRequest?: boolean;
}

export default function LaborerFormPage() {
  const { id } = useParams<{ id: string }>();
  const editing = id !== undefined;
  const me = useMe();
  const navigate = useNavigate();
  const { message, modal } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  /** 已就业 only as the records give it (an edit of an employed card): shown, not chosen. */
  const employedByRecords = Form.useWatch('employmentStatus', form) === 'employed';
  const [card, setCard] = useState<Laborer | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [fieldProblems, setFieldProblems] = useState<{ name: string; label: string; message: string }[]>([]);
  const [transferOpen, setTransferOpen] = useState(false);
  const initial = useMemo(() => (card ? toFormValues(card) : null), [card]);
  const clearPhone = Form.useWatch('clearPhone', form);

  useEffect(() => {
    window.scrollTo(0, 0);
    if (!editing) return;
    let cancelled = false;
    setCard(null);
    setLoadError(null);
    api
      .get<Laborer>(laborerPath(id))
      .then((c) => {
        if (!cancelled) setCard(c);
      })
      .catch((e) => {
        if (!cancelled) setLoadError(e);
      });
    return () => {
      cancelled = true;
    };
  }, [editing, id]);

  useEffect(() => {
    if (initial) form.setFieldsValue(initial);
  }, [initial, form]);

  const submit = async (values: FormValues) => {
    setError(null);
    setFieldProblems([]);
    if (editing) {
      if (!initial || !card) return;
      const patch = updateBody(values, initial);
      const changed = Object.keys(patch).filter((k) => k !== 'reason');
      if (!changed.length) {
        message.info('没有修改任何内容');
        return;
      }
      if (!trimmed(values.reason)) {
        const go = await modal.confirm({
          title: '未填写变更原因',
          content: '变更原因将与修改内容一起记入动态管理台账，建议填写。仍要保存吗？',
          okText: '仍然保存',
          cancelText: '去填写',
        });
        if (!go) {
          form.scrollToField('reason');
          form.getFieldInstance('reason')?.focus?.();
          return;
        }
      }
      await send(() => api.patch<Laborer>(laborerPath(card.id), patch), '已保存修改');
    } else {
      await send(() => api.post<Laborer>(LABORERS_PATH, createBody(values)), '已建立信息卡');
    }
  };

  const send = async (call: () => Promise<Laborer>, done: string) => {
    setSubmitting(true);
    try {
      const saved = await call();
      message.success(`${done}：${saved.name}`);
      navigate(`/laborers/${saved.id}`, { replace: editing });
    } catch (e) {
      setError(e);
      if (e instanceof ApiError && e.code === 'LABORER_EXISTS') {
        form.setFields([{ name: 'idNumber', errors: ['该身份证号已登记'] }]);
      } else {
        const placed = placeServerErrors(form, e);
        setFieldProblems(placed);
        if (placed[0]) form.scrollToField(placed[0].name === 'birthDate' || placed[0].name === 'sex' ? 'idNumber' : placed[0].name);
      }
      window.scrollTo({ top: 0, behavior: 'smooth' });
    } finally {
      setSubmitting(false);
    }
  };

  if (editing && loadError) {
    return (
      <Result
        status={loadError instanceof ApiError && loadError.status === 404 ? '404' : 'error'}
        title={loadError instanceof ApiError && loadError.status === 404 ? '信息卡不存在或无权查看' : '加载失败'}
        subTitle={loadError instanceof Error ? loadError.message : undefined}
        extra={
          <Link to={registerListPath()}>
            <Button type="primary">返回名册</Button>
          </Link>
        }
      />
    );
  }
  if (editing && !card) {
    return (
      <Card variant="borderless">
        <Skeleton active paragraph={{ rows: 8 }} />
      </Card>
    );
  }

  const exists = error instanceof ApiError && error.code === 'LABORER_EXISTS' ? (error.details as ExistsDetails | undefined) : undefined;
  const notClearable = (label: string) => ({
    validator: (_: unknown, value: unknown) =>
      editing && initial && (value === undefined || value === null || value === '') && !isBlank(initialValue(label))
        ? Promise.reject(new Error(`已登记的${label}不能清空，可改为其他值`))
        : Promise.resolve(),
  });
  const initialValue = (label: string) => {
    if (!initial) return undefined;
    if (label === '民族') return initial.ethnicity;
    if (label === '户编号') return initial.householdCode;
    if (label === '家庭人口') return initial.householdSize;
    return undefined;
  };

  const col = { xs: 24, md: 12, xl: 8 };
  return (
    <>
      <PageHeader
        title={editing ? `修改信息卡：${card!.name}` : '新建劳动力信息卡'}
        description={
          editing
            ? '每一项修改都会形成新版本，记入该劳动力的动态管理台账'
            : '一人一卡：按劳动力资源信息采集表逐项填写，带 * 的为必填项；同一身份证号全平台只能登记一次'
        }
        extra={
          <Button icon={<ArrowLeftOutlined />} onClick={() => navigate(editing ? `/laborers/${id}` : registerListPath())}>
            返回
          </Button>
        }
      />
      {exists ? (
        <Alert
          type="warning"
          showIcon
          data-testid="laborer-form-error"
          style={{ marginBottom: 16 }}
          title={`该身份证号已在 ${exists.county?.fullName ?? '其他县'} 登记`}
          description="一人只有一张信息卡。如本人户籍或常住地已迁至本辖区，可向原登记县申请迁移信息卡，审批通过后信息卡即迁入本辖区。"
          action={
            exists.transferRequest !== false ? (
              <Button size="small" type="primary" onClick={() => setTransferOpen(true)} data-testid="laborer-transfer">
                申请迁移
              </Button>
            ) : undefined
          }
        />
      ) : fieldProblems.length ? (
        <Alert
          type="error"
          showIcon
          data-testid="laborer-form-error"
          style={{ marginBottom: 16 }}
          title={
            fieldProblems.every((p) => error instanceof ApiError && p.message === error.message)
              ? fieldProblems[0].message
              : '请检查标红的项目'
          }
          description={
            fieldProblems.every((p) => error instanceof ApiError && p.message === error.message) ? undefined : (
              <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                {fieldProblems.map((p) => (
                  <li key={`${p.name}:${p.message}`}>
                    {p.label}：{p.message}
                  </li>
                ))}
              </ul>
            )
          }
          closable={{ onClose: () => setError(null) }}
        />
      ) : (
        <ErrorAlert error={error} testId="laborer-form-error" onClose={() => setError(null)} />
      )}
      {!editing && (
        <TransferRequestModal
          open={transferOpen}
          onClose={() => setTransferOpen(false)}
          idNumber={transferOpen ? trimmed(form.getFieldValue('idNumber')) : undefined}
          toVillageCode={transferOpen ? form.getFieldValue('homeVillageCode') : undefined}
          holdingCounty={exists?.county?.fullName}
        />
      )}
      <Form<FormValues>
        form={form}
        layout="vertical"
        scrollToFirstError={{ block: 'center' }}
        initialValues={{
          skills: [],
          certificates: [],
          wantedJobTypes: [],
          flags: [],
          clearPhone: false,
          homeVillageCode: me.region.level === 'village' ? me.region.code : undefined,
        }}
        onFinish={submit}
        onValuesChange={(changed: Partial<FormValues>) => {
          if (exists && 'idNumber' in changed) setError(null);
        }}
        disabled={submitting}
      >
        <Card title="基本信息" variant="borderless" style={{ marginBottom: 16 }}>
          <Row gutter={24}>
            <Col {...col}>
              <Form.Item
                name="name"
                label="姓名"
                rules={[
                  { required: true, whitespace: true, message: '请填写姓名' },
                  { min: 2, max: 30, message: '姓名为 2 到 30 个字' },
                ]}
              >
                <Input maxLength={30} placeholder="与身份证一致" autoComplete="off" />
              </Form.Item>
            </Col>
            <Col {...col}>
              {editing ? (
                <Form.Item label="身份证号" extra="身份证号建卡后不能修改">
                  <Input value={card!.idNumberMasked} disabled className="lw-mono" />
                </Form.Item>
              ) : (
                <Form.Item
                  name="idNumber"
                  label="身份证号"
                  rules={[{ required: true, whitespace: true, message: '请填写身份证号' }]}
                  extra="18 位（末位可为 X），15 位旧号自动升级；性别和出生日期按证件号自动识别"
                >
                  <Input maxLength={40} className="lw-mono" placeholder="18 位居民身份证号码" autoComplete="off" />
                </Form.Item>
              )}
            </Col>
            <Col {...col}>
              <Form.Item
                name="phone"
                label="手机号"
                extra={editing && card!.phoneMasked ? `现为 ${card!.phoneMasked}，留空则不变` : undefined}
                rules={[{ pattern: /^\s*1\d{10}\s*$/, message: '请填写 11 位手机号码' }]}
              >
                <Input
                  maxLength={20}
                  className="lw-mono"
                  placeholder={editing && card!.phoneMasked ? '输入新号码以更换' : '本人 11 位手机号码（可不填）'}
                  disabled={!!clearPhone}
                  autoComplete="off"
                />
              </Form.Item>
              {editing && card!.phoneMasked && (
                <Form.Item name="clearPhone" valuePropName="checked" style={{ marginTop: -16 }}>
                  <Checkbox>删除已登记的手机号</Checkbox>
                </Form.Item>
              )}
            </Col>
            <Col {...col}>
              <Form.Item name="ethnicity" label="民族" rules={[notClearable('民族')]}>
                <Select allowClear showSearch={{ optionFilterProp: 'label' }} placeholder="可不填" options={optionsOf(ETHNICITY)} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} xl={16}>
              <Form.Item
                name="homeVillageCode"
                label="户籍所在村"
                rules={[
                  { required: true, message: '请选择户籍所在村' },
                  {
                    validator: (_, v?: string) =>
                      !v || /^\d{12}$/.test(v) ? Promise.resolve() : Promise.reject(new Error('请选择到村（社区）一级')),
                  },
                ]}
              >
                <RegionCascader rootCode={me.region.code} maxLevel="village" placeholder="选择到村（社区）" style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item name="householdCode" label="户编号" rules={[notClearable('户编号')]}>
                <Input maxLength={30} className="lw-mono" placeholder="同一户的成员填写相同编号" autoComplete="off" />
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item name="relationToHead" label="与户主关系">
                <AutoComplete
                  allowClear
                  options={RELATIONS.map((r) => ({ value: r }))}
                  placeholder="如 户主、配偶、之子"
                  maxLength={10}
                  showSearch={{ filterOption: (input, option) => String(option?.value ?? '').includes(input) }}
                />
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item name="householdSize" label="家庭人口" rules={[notClearable('家庭人口')]}>
                <InputNumber min={1} max={30} precision={0} suffix="人" style={{ width: '100%' }} placeholder="全户人口数" />
              </Form.Item>
            </Col>
          </Row>
        </Card>

        <Card title="家庭与健康" variant="borderless" style={{ marginBottom: 16 }}>
          <Row gutter={24}>
            <Col xs={24} md={12} xl={6}>
              <Form.Item name="povertyStatus" label="户类型" rules={[{ required: true, message: '请选择户类型' }]}>
                <Select placeholder="请选择" options={optionsOf(POVERTY_STATUS)} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} xl={6}>
              <Form.Item name="laborCapacity" label="劳动能力" rules={[{ required: true, message: '请选择劳动能力' }]}>
                <Select placeholder="请选择" options={optionsOf(LABOR_CAPACITY)} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} xl={6}>
              <Form.Item name="health" label="健康状况" rules={[{ required: true, message: '请选择健康状况' }]}>
                <Select placeholder="请选择" options={optionsOf(HEALTH)} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} xl={6}>
              <Form.Item
                name="caring"
                label="照料负担"
                rules={[{ required: true, message: '请选择照料负担' }]}
                tooltip="需要照顾老人或小孩的，只能在家附近就业"
              >
                <Select placeholder="请选择" options={optionsOf(CARING)} />
              </Form.Item>
            </Col>
          </Row>
        </Card>

        <Card title="技能与意愿" variant="borderless" style={{ marginBottom: 16 }}>
          <Row gutter={24}>
            <Col {...col}>
              <Form.Item name="education" label="文化程度" rules={[{ required: true, message: '请选择文化程度' }]}>
                <Select placeholder="请选择" options={optionsOf(EDUCATION)} />
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item name="willingness" label="就业意愿" rules={[{ required: true, message: '请选择就业意愿' }]}>
                <Select placeholder="希望在哪里务工" options={optionsOf(WILLINGNESS)} />
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item name="expectedWage" label="期望月薪">
                <InputNumber
                  min={0}
                  max={100000}
                  step={500}
                  precision={0}
                  suffix="元"
                  style={{ width: '100%' }}
                  placeholder="每月期望收入"
                />
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item name="skills" label="技能特长" rules={[listRule(20, 30)]}>
                <Select mode="tags" tokenSeparators={SEPARATORS} placeholder="输入后回车，可填多项" open={false} suffixIcon={null} />
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item name="certificates" label="职业资格证书" rules={[listRule(20, 40)]}>
                <Select mode="tags" tokenSeparators={SEPARATORS} placeholder="如 焊工（中级），可填多项" open={false} suffixIcon={null} />
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item name="wantedJobTypes" label="意向工种" rules={[listRule(10, 30)]}>
                <Select mode="tags" tokenSeparators={SEPARATORS} placeholder="如 普工、保洁，可填多项" open={false} suffixIcon={null} />
              </Form.Item>
            </Col>
          </Row>
        </Card>

        <Card title="特殊标识与就业" variant="borderless" style={{ marginBottom: 16 }}>
          <Row gutter={24}>
            <Col xs={24} xl={12}>
              <Form.Item name="flags" label="特殊标识">
                <Checkbox.Group options={optionsOf(FLAGS)} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} xl={8}>
              {/* 已就业 comes from the employment records (registered on the card), never typed here (issue 16). */}
              <Form.Item
                name="employmentStatus"
                label="就业状态"
                rules={[{ required: true, message: '请选择就业状态' }]}
                extra="已就业由就业记录生成：请在信息卡上登记就业或离职"
              >
                <Select
                  placeholder="请选择"
                  disabled={employedByRecords}
                  options={optionsOf(EMPLOYMENT_STATUS).filter((o) => o.value !== 'employed' || employedByRecords)}
                />
              </Form.Item>
            </Col>
            <Col xs={24} xl={12}>
              <Form.Item name="trainingHistory" label="培训经历">
                <Input.TextArea maxLength={500} showCount autoSize={{ minRows: 2, maxRows: 6 }} placeholder="参加过的技能培训" />
              </Form.Item>
            </Col>
            <Col xs={24} xl={12}>
              <Form.Item name="remark" label="备注">
                <Input.TextArea maxLength={500} showCount autoSize={{ minRows: 2, maxRows: 6 }} placeholder="其他需要说明的情况" />
              </Form.Item>
            </Col>
          </Row>
        </Card>

        {editing && (
          <Card title="变更原因" variant="borderless" style={{ marginBottom: 16 }}>
            <Form.Item
              name="reason"
              label={
                <Space size={4}>
                  <span>本次修改的原因</span>
                  <Typography.Text type="danger">*</Typography.Text>
                </Space>
              }
              extra="如“外出务工已就业”“季度走访核实更正”，与修改内容一起记入动态管理台账"
              style={{ marginBottom: 0 }}
            >
              <Input.TextArea maxLength={200} showCount autoSize={{ minRows: 2, maxRows: 4 }} placeholder="请填写变更原因" />
            </Form.Item>
          </Card>
        )}

        <Card variant="borderless">
          <Flex gap={8}>
            <Button type="primary" htmlType="submit" icon={<SaveOutlined />} loading={submitting} data-testid="laborer-submit">
              {editing ? '保存修改' : '保存信息卡'}
            </Button>
            <Button onClick={() => navigate(editing ? `/laborers/${id}` : registerListPath())} disabled={false}>
              取消
            </Button>
          </Flex>
        </Card>
      </Form>
    </>
  );
}

function isBlank(v: unknown) {
  return v === undefined || v === null || v === '';
}

/** At most `maxItems` entries of at most `maxLength` characters (the contract's limits). */
function listRule(maxItems: number, maxLength: number) {
  return {
    validator: (_: unknown, v?: string[]) => {
      const list = cleanList(v);
      if (list.length > maxItems) return Promise.reject(new Error(`最多填写 ${maxItems} 项`));
      const long = list.find((s) => s.length > maxLength);
      if (long) return Promise.reject(new Error(`“${long.slice(0, 10)}…”超过 ${maxLength} 个字`));
      return Promise.resolve();
    },
  };
}
