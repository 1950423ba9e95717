import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import {
  App,
  Button,
  Card,
  Checkbox,
  Col,
  DatePicker,
  Flex,
  Form,
  Input,
  InputNumber,
  Result,
  Row,
  Select,
  Skeleton,
  Space,
  Switch,
  Typography,
} from 'antd';
import { ArrowLeftOutlined, SaveOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { api, ApiError } from '../../api/client.ts';
import { EMPLOYERS_PATH, employerPath, type Employer } from '../../api/employers.ts';
import { EDUCATION } from '../../api/laborers.ts';
import { POSTINGS_PATH, postingPath, type CreatePostingInput, type Posting, type UpdatePostingInput } from '../../api/postings.ts';
import type { Paged } from '../../api/types.ts';
import { useMe } from '../../app/auth.tsx';
import { OccupationCascader } from '../../components/CodeCascader.tsx';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import { applyServerErrors } from '../../components/formErrors.ts';
import PageHeader from '../../components/PageHeader.tsx';
import RegionCascader from '../../components/RegionCascader.tsx';
import { chinaNow } from '../../app/format.ts';

interface FormValues {
  employerId?: string;
  title: string;
  occupationCode?: string;
  workRegionCode?: string;
  headcount?: number | null;
  filled?: number | null;
  wageMin?: number | null;
  wageMax?: number | null;
  food: boolean;
  housing: boolean;
  ageMin?: number | null;
  ageMax?: number | null;
  minEducation?: string;
  skills: string[];
  certificates: string[];
  reservedForPoor: boolean;
  validity?: [Dayjs | null, Dayjs | null];
  description?: string;
}

const FIELDS = [
  'employerId',
  'title',
  'occupationCode',
  'workRegionCode',
  'headcount',
  'filled',
  'wageMin',
  'wageMax',
  'ageMin',
  'ageMax',
  'minEducation',
  'skills',
  'certificates',
  'description',
];
/** Error codes that concern one field: the message goes next to it. */
const ERROR_FIELDS: Record<string, string> = {
  POSTING_WAGE_RANGE: 'wageMin',
  POSTING_HEADCOUNT: 'headcount',
  POSTING_FILLED: 'filled',
  POSTING_AGE_RANGE: 'ageMin',
  POSTING_VALIDITY: 'validity',
  POSTING_EXPIRED: 'validity',
  POSTING_LOCATION_NOT_COUNTY: 'workRegionCode',
  POSTING_ABROAD_UNLICENSED: 'workRegionCode',
  POSTING_ABROAD_AGE: 'ageMin',
  POSTING_OCCUPATION_UNKNOWN: 'occupationCode',
  REGION_OUT_OF_SCOPE: 'workRegionCode',
  EMPLOYER_NOT_LINKED: 'employerId',
};
const SEPARATORS = ['、', '，', ',', '；', ';'];
/** A minimum education of 文盲或半文盲 is no minimum: the choice is left out. */
const EDUCATION_OPTIONS = EDUCATION.codes.filter((c) => c !== '99').map((value) => ({ value, label: EDUCATION.labels[value] }));

const trimmed = (s: string | undefined | null) => (typeof s === 'string' ? s.trim() : '');
const cleanList = (list: string[] | undefined) => [...new Set((list ?? []).map((s) => s.trim()).filter(Boolean))];

function toFormValues(p: Posting): FormValues {
  return {
    employerId: p.employer.id,
    title: p.title,
    occupationCode: p.occupation.code,
    workRegionCode: p.workRegion.code,
    headcount: p.headcount,
    filled: p.filled,
    wageMin: p.wageMin,
    wageMax: p.wageMax,
    food: p.food,
    housing: p.housing,
    ageMin: p.ageMin,
    ageMax: p.ageMax,
    minEducation: p.minEducation ?? undefined,
    skills: p.skills,
    certificates: p.certificates,
    reservedForPoor: p.reservedForPoor,
    validity: [dayjs(p.validFrom), dayjs(p.validTo)],
    description: p.description ?? undefined,
  };
}

/** The fields the create and update bodies share, from the form. */
function postingFields(v: FormValues) {
  return {
    title: trimmed(v.title),
    occupationCode: v.occupationCode!,
    workRegionCode: v.workRegionCode!,
    headcount: v.headcount!,
    wageMin: v.wageMin!,
    wageMax: v.wageMax!,
    food: v.food,
    housing: v.housing,
    ageMin: v.ageMin ?? 16,
    ageMax: v.ageMax ?? 60,
    minEducation: (v.minEducation ?? null) as CreatePostingInput['minEducation'],
    skills: cleanList(v.skills),
    certificates: cleanList(v.certificates),
    reservedForPoor: v.reservedForPoor,
    validFrom: v.validity?.[0]?.format('YYYY-MM-DD'),
    validTo: v.validity?.[1]?.format('YYYY-MM-DD') as string,
    description: trimmed(v.description) || null,
  };
}

/** The employer picker: search by name or credit code among the employers the account may read. */
function EmployerSelect({
  value,
  onChange,
  initial,
  disabled,
  id,
}: {
  value?: string;
  onChange?: (v: string) => void;
  initial: Employer | null;
  disabled?: boolean;
  id?: string;
}) {
  const [options, setOptions] = useState<{ value: string; label: string }[]>([]);
  const [searching, setSearching] = useState(false);
  const seq = useRef(0);
  const search = async (q: string) => {
    const mine = ++seq.current;
    setSearching(true);
    try {
      const page = await api.get<Paged<Employer>>(EMPLOYERS_PATH, { q: q.trim() || undefined, pageSize: 20 });
      if (mine === seq.current) setOptions(page.items.map((e) => ({ value: e.id, label: `${e.name}（${e.region.fullName}）` })));
    } catch {
      /* keep the previous options */
    } finally {
      if (mine === seq.current) setSearching(false);
    }
  };
  useEffect(() => {
    search('');
  }, []);
  const merged =
    initial && !options.some((o) => o.value === initial.id)
      ? [{ value: initial.id, label: `${initial.name}（${initial.region.fullName}）` }, ...options]
      : options;
  return (
    <Select
      id={id}
      value={value}
      onChange={onChange}
      disabled={disabled}
      options={merged}
      loading={searching}
      placeholder="输入单位名称或统一社会信用代码搜索"
      showSearch={{ filterOption: false, onSearch: search }}
      notFoundContent={searching ? '搜索中…' : '没有找到用人单位，请先登记'}
      data-testid="posting-field-employerId"
    />
  );
}

/** 发布 / 修改岗位. */
export default function PostingFormPage() {
  const { id } = useParams<{ id: string }>();
  const editing = id !== undefined;
  const [params] = useSearchParams();
  const me = useMe();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const [posting, setPosting] = useState<Posting | null>(null);
  const [employer, setEmployer] = useState<Employer | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const initial = useMemo(() => (posting ? toFormValues(posting) : null), [posting]);
  const isEmployer = me.role === 'employer';
  const presetEmployer = params.get('employerId');

  useEffect(() => {
    window.scrollTo(0, 0);
    let cancelled = false;
    if (editing) {
      api.get<Posting>(postingPath(id)).then(
        (p) => !cancelled && setPosting(p),
        (e) => !cancelled && setLoadError(e),
      );
    } else if (isEmployer) {
      // An employer account publishes for its own employer.
      api.get<Paged<Employer>>(EMPLOYERS_PATH).then(
        (page) => !cancelled && setEmployer(page.items[0] ?? null),
        () => undefined,
      );
    } else if (presetEmployer && /^[1-9]\d{0,17}$/.test(presetEmployer)) {
      api.get<Employer>(employerPath(presetEmployer)).then(
        (e) => {
          if (cancelled) return;
          setEmployer(e);
          form.setFieldValue('employerId', e.id);
        },
        () => undefined,
      );
    }
    return () => {
      cancelled = true;
    };
  }, [editing, id, isEmployer, presetEmployer, form]);

  useEffect(() => {
    if (initial) form.setFieldsValue(initial);
  }, [initial, form]);

  const submit = async (values: FormValues) => {
    setError(null);
    setSubmitting(true);
    try {
      let saved: Posting;
      if (editing && initial) {
        const now: Record<string, unknown> = { ...postingFields(values), filled: values.filled ?? 0 };
        const before: Record<string, unknown> = { ...postingFields(initial), filled: initial.filled ?? 0 };
        const patch: Record<string, unknown> = {};
        for (const key of Object.keys(now))
          if (JSON.stringify(now[key] ?? null) !== JSON.stringify(before[key] ?? null)) patch[key] = now[key];
        if (!Object.keys(patch).length) {
          message.info('没有修改任何内容');
          return;
        }
        saved = await api.patch<Posting>(postingPath(id!), patch as UpdatePostingInput);
        message.success(`已保存：${saved.title}`);
      } else {
        const body: CreatePostingInput = { ...postingFields(values), ...(isEmployer ? {} : { employerId: values.employerId }) };
        saved = await api.post<Posting>(POSTINGS_PATH, body);
        message.success(`已发布：${saved.title}`);
      }
      navigate(`/postings/${saved.id}`, { replace: editing });
    } catch (e) {
      setError(e);
      applyServerErrors(form, e, ERROR_FIELDS, FIELDS);
      window.scrollTo({ top: 0, behavior: 'smooth' });
    } finally {
      setSubmitting(false);
    }
  };

  if (editing && loadError) {
    const missing = loadError instanceof ApiError && loadError.status === 404;
    return (
      <Result
        status={missing ? '404' : 'error'}
        title={missing ? '岗位不存在或无权修改' : '加载失败'}
        subTitle={loadError instanceof Error ? loadError.message : undefined}
        extra={
          <Link to="/postings">
            <Button type="primary">返回岗位列表</Button>
          </Link>
        }
      />
    );
  }
  if (editing && !posting) {
    return (
      <Card variant="borderless">
        <Skeleton active paragraph={{ rows: 10 }} />
      </Card>
    );
  }
  if (editing && posting && !posting.editable) {
    return (
      <Result
        status="403"
        title="无权修改该岗位"
        subTitle="岗位由用人单位、其所在地或工作地的人社部门，以及工作地的驻外劳务对接服务中心维护。"
        extra={
          <Link to={`/postings/${posting.id}`}>
            <Button type="primary">返回岗位详情</Button>
          </Link>
        }
      />
    );
  }

  const col = { xs: 24, md: 12, xl: 8 };
  const back = () => navigate(editing ? `/postings/${id}` : presetEmployer ? `/employers/${presetEmployer}` : '/postings');
  const liaisonCity = me.role === 'liaison_office' ? me.hostRegion : null;
  return (
    <>
      <PageHeader
        title={editing ? `修改岗位：${posting!.title}` : '发布岗位'}
        description={
          liaisonCity
            ? `驻外劳务对接服务中心发布${liaisonCity.name}的岗位：工作地点须在${liaisonCity.fullName}内`
            : '工种按《中华人民共和国职业分类大典》（2022 年版）选择；工作地点须为县级或县级以下行政区划，可在全国任何地方'
        }
        extra={
          <Button icon={<ArrowLeftOutlined />} onClick={back}>
            返回
          </Button>
        }
      />
      <ErrorAlert error={error} testId="posting-form-error" onClose={() => setError(null)} />
      <Form<FormValues>
        form={form}
        layout="vertical"
        scrollToFirstError={{ block: 'center' }}
        initialValues={{
          food: false,
          housing: false,
          reservedForPoor: false,
          skills: [],
          certificates: [],
          ageMin: 16,
          ageMax: 60,
          validity: [chinaNow(), chinaNow().add(90, 'day')],
        }}
        onFinish={submit}
        disabled={submitting}
        data-testid="posting-form"
      >
        <Card title="岗位信息" variant="borderless" style={{ marginBottom: 16 }}>
          <Row gutter={24}>
            <Col xs={24} xl={16}>
              {editing || isEmployer ? (
                <Form.Item label="用人单位">
                  <Input
                    value={editing ? posting!.employer.name : (employer?.name ?? '本单位')}
                    disabled
                    data-testid="posting-employer-name"
                  />
                </Form.Item>
              ) : (
                <Form.Item name="employerId" label="用人单位" rules={[{ required: true, message: '请选择用人单位' }]}>
                  <EmployerSelect initial={employer} />
                </Form.Item>
              )}
            </Col>
            <Col {...col}>
              <Form.Item
                name="title"
                label="岗位名称"
                rules={[
                  { required: true, whitespace: true, message: '请填写岗位名称' },
                  { min: 2, max: 60, message: '岗位名称为 2 到 60 个字' },
                ]}
              >
                <Input maxLength={60} placeholder="如 箱包缝纫工" autoComplete="off" data-testid="posting-field-title" />
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item
                name="occupationCode"
                label="工种"
                rules={[{ required: true, message: '请选择工种' }]}
                tooltip="可选到职业，也可只选到小类、中类（如“普工”选“生产制造及有关人员”）"
              >
                <OccupationCascader changeOnSelect style={{ width: '100%' }} data-testid="posting-field-occupationCode" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} xl={16}>
              <Form.Item
                name="workRegionCode"
                label="工作地点"
                rules={[
                  { required: true, message: '请选择工作地点' },
                  {
                    validator: (_, v?: string) =>
                      !v || v.length >= 6 ? Promise.resolve() : Promise.reject(new Error('请选择到县（市、区）或以下')),
                  },
                ]}
              >
                <RegionCascader
                  rootCode={liaisonCity?.code}
                  changeOnSelect
                  placeholder="选择到县（市、区）、乡镇或村"
                  style={{ width: '100%' }}
                  data-testid="posting-field-workRegionCode"
                />
              </Form.Item>
            </Col>
            <Col xs={12} md={6} xl={4}>
              <Form.Item
                name="headcount"
                label="招聘人数"
                rules={[
                  { required: true, message: '请填写招聘人数' },
                  { type: 'number', min: 1, message: '至少 1 人' },
                ]}
              >
                <InputNumber
                  min={1}
                  max={100000}
                  precision={0}
                  suffix="人"
                  style={{ width: '100%' }}
                  data-testid="posting-field-headcount"
                />
              </Form.Item>
            </Col>
            {editing && (
              <Col xs={12} md={6} xl={4}>
                <Form.Item
                  name="filled"
                  label="已招人数"
                  dependencies={['headcount']}
                  rules={[
                    ({ getFieldValue }) => ({
                      validator: (_, v?: number | null) =>
                        v == null || v <= (getFieldValue('headcount') ?? 0)
                          ? Promise.resolve()
                          : Promise.reject(new Error('不能超过招聘人数')),
                    }),
                  ]}
                >
                  <InputNumber
                    min={0}
                    max={100000}
                    precision={0}
                    suffix="人"
                    style={{ width: '100%' }}
                    data-testid="posting-field-filled"
                  />
                </Form.Item>
              </Col>
            )}
          </Row>
        </Card>

        <Card title="待遇与要求" variant="borderless" style={{ marginBottom: 16 }}>
          <Row gutter={24}>
            <Col {...col}>
              <Form.Item label="月薪（元）" required style={{ marginBottom: 0 }}>
                <Space.Compact style={{ width: '100%' }}>
                  <Form.Item name="wageMin" noStyle rules={[{ required: true, message: '请填写月薪下限' }]}>
                    <InputNumber
                      min={1}
                      max={1000000}
                      step={500}
                      precision={0}
                      placeholder="下限"
                      style={{ width: '45%' }}
                      data-testid="posting-field-wageMin"
                    />
                  </Form.Item>
                  <Input disabled placeholder="~" style={{ width: '10%', textAlign: 'center', pointerEvents: 'none' }} />
                  <Form.Item
                    name="wageMax"
                    noStyle
                    dependencies={['wageMin']}
                    rules={[
                      { required: true, message: '请填写月薪上限' },
                      ({ getFieldValue }) => ({
                        validator: (_, v?: number | null) =>
                          v == null || getFieldValue('wageMin') == null || v >= getFieldValue('wageMin')
                            ? Promise.resolve()
                            : Promise.reject(new Error('月薪上限不能低于下限')),
                      }),
                    ]}
                  >
                    <InputNumber
                      min={1}
                      max={1000000}
                      step={500}
                      precision={0}
                      placeholder="上限"
                      style={{ width: '45%' }}
                      data-testid="posting-field-wageMax"
                    />
                  </Form.Item>
                </Space.Compact>
              </Form.Item>
              <Form.Item shouldUpdate noStyle>
                {() => {
                  const errors = [...form.getFieldError('wageMin'), ...form.getFieldError('wageMax')];
                  return <div style={{ color: '#ff4d4f', minHeight: 24 }}>{errors[0]}</div>;
                }}
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item label="食宿">
                <Space size={16}>
                  <Form.Item name="food" valuePropName="checked" noStyle>
                    <Checkbox data-testid="posting-field-food">包吃</Checkbox>
                  </Form.Item>
                  <Form.Item name="housing" valuePropName="checked" noStyle>
                    <Checkbox data-testid="posting-field-housing">包住</Checkbox>
                  </Form.Item>
                </Space>
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item name="reservedForPoor" label="就业扶贫专岗" valuePropName="checked" tooltip="仅面向建档立卡贫困劳动力的岗位">
                <Switch checkedChildren="是" unCheckedChildren="否" data-testid="posting-field-reservedForPoor" />
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item label="年龄（岁）" style={{ marginBottom: 0 }}>
                <Space.Compact style={{ width: '100%' }}>
                  <Form.Item name="ageMin" noStyle>
                    <InputNumber
                      min={16}
                      max={70}
                      precision={0}
                      placeholder="16"
                      style={{ width: '45%' }}
                      data-testid="posting-field-ageMin"
                    />
                  </Form.Item>
                  <Input disabled placeholder="~" style={{ width: '10%', textAlign: 'center', pointerEvents: 'none' }} />
                  <Form.Item
                    name="ageMax"
                    noStyle
                    dependencies={['ageMin']}
                    rules={[
                      ({ getFieldValue }) => ({
                        validator: (_, v?: number | null) =>
                          v == null || getFieldValue('ageMin') == null || v >= getFieldValue('ageMin')
                            ? Promise.resolve()
                            : Promise.reject(new Error('年龄上限不能低于下限')),
                      }),
                    ]}
                  >
                    <InputNumber
                      min={16}
                      max={70}
                      precision={0}
                      placeholder="60"
                      style={{ width: '45%' }}
                      data-testid="posting-field-ageMax"
                    />
                  </Form.Item>
                </Space.Compact>
              </Form.Item>
              <Form.Item shouldUpdate noStyle>
                {() => {
                  const errors = [...form.getFieldError('ageMin'), ...form.getFieldError('ageMax')];
                  return <div style={{ color: '#ff4d4f', minHeight: 24 }}>{errors[0]}</div>;
                }}
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item name="minEducation" label="最低学历">
                <Select allowClear placeholder="不限" options={EDUCATION_OPTIONS} data-testid="posting-field-minEducation" />
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item name="skills" label="技能要求">
                <Select
                  mode="tags"
                  tokenSeparators={SEPARATORS}
                  placeholder="输入后回车，可填多项"
                  open={false}
                  suffixIcon={null}
                  data-testid="posting-field-skills"
                />
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item name="certificates" label="证书要求">
                <Select
                  mode="tags"
                  tokenSeparators={SEPARATORS}
                  placeholder="如 电工证，可填多项"
                  open={false}
                  suffixIcon={null}
                  data-testid="posting-field-certificates"
                />
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item
                name="validity"
                label="有效期"
                rules={[
                  {
                    validator: (_, v?: [Dayjs | null, Dayjs | null]) =>
                      v?.[1] ? Promise.resolve() : Promise.reject(new Error('请选择有效期')),
                  },
                  {
                    validator: (_, v?: [Dayjs | null, Dayjs | null]) =>
                      !v?.[1]?.isBefore(chinaNow(), 'day') || (editing && posting?.validTo === v[1].format('YYYY-MM-DD'))
                        ? Promise.resolve()
                        : Promise.reject(new Error('截止日期已过')),
                  },
                ]}
              >
                <DatePicker.RangePicker style={{ width: '100%' }} allowEmpty={[true, false]} data-testid="posting-field-validity" />
              </Form.Item>
            </Col>
            <Col xs={24}>
              <Form.Item name="description" label="岗位说明">
                <Input.TextArea
                  maxLength={2000}
                  showCount
                  autoSize={{ minRows: 3, maxRows: 8 }}
                  placeholder="工作内容、班次、社保等"
                  data-testid="posting-field-description"
                />
              </Form.Item>
            </Col>
          </Row>
          <Typography.Text type="secondary">带 * 的为必填项。月薪下限不能高于上限；有效期截止日期不能早于今天。</Typography.Text>
        </Card>

        <Card variant="borderless">
          <Flex gap={8}>
            <Button type="primary" htmlType="submit" icon={<SaveOutlined />} loading={submitting} data-testid="posting-submit">
              {editing ? '保存修改' : '发布岗位'}
            </Button>
            <Button onClick={back} disabled={false}>
              取消
            </Button>
          </Flex>
        </Card>
      </Form>
    </>
  );
}
