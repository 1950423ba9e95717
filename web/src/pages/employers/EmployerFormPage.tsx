import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { App, Button, Card, Col, DatePicker, Flex, Form, Input, Result, Row, Select, Skeleton } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { ArrowLeftOutlined, SaveOutlined } from '@ant-design/icons';
import { api, ApiError } from '../../api/client.ts';
import {
  EMPLOYER_KIND,
  EMPLOYERS_PATH,
  employerPath,
  type CreateEmployerInput,
  type Employer,
  type UpdateEmployerInput,
} from '../../api/employers.ts';
import { optionsOf } from '../../api/laborers.ts';
import { useMe } from '../../app/auth.tsx';
import { IndustryCascader } from '../../components/CodeCascader.tsx';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import { applyServerErrors } from '../../components/formErrors.ts';
import PageHeader from '../../components/PageHeader.tsx';
import RegionCascader from '../../components/RegionCascader.tsx';

interface FormValues {
  creditCode: string;
  name: string;
  regionCode?: string;
  industry?: string;
  kind?: string;
  relocationSite?: string;
  contactName?: string;
  contactPhone?: string;
  address?: string;
  overseasLicenseNo?: string;
  overseasLicenseValidUntil?: Dayjs | null;
}

const FIELDS = [
  'creditCode',
  'name',
  'regionCode',
  'industry',
  'kind',
  'relocationSite',
  'contactName',
  'contactPhone',
  'address',
  'overseasLicenseNo',
  'overseasLicenseValidUntil',
];
/** Error codes that concern one field: the message goes next to it. */
const ERROR_FIELDS: Record<string, string> = {
  CREDIT_CODE_CHECK: 'creditCode',
  CREDIT_CODE_FORMAT: 'creditCode',
  EMPLOYER_EXISTS: 'creditCode',
  EMPLOYER_REGION_NOT_COUNTY: 'regionCode',
  REGION_OUT_OF_SCOPE: 'regionCode',
};
/** What an employer account may not change itself (the server refuses it with EMPLOYER_FIELD_LOCKED). */
const LOCKED_FOR_EMPLOYER = new Set([
  'creditCode',
  'kind',
  'regionCode',
  'relocationSite',
  'overseasLicenseNo',
  'overseasLicenseValidUntil',
]);

const trimmed = (s: string | undefined | null) => (typeof s === 'string' ? s.trim() : '');

function toFormValues(e: Employer): FormValues {
  return {
    creditCode: e.creditCode,
    name: e.name,
    regionCode: e.region.code,
    industry: e.industry?.code,
    kind: e.kind,
    relocationSite: e.relocationSite ?? undefined,
    contactName: e.contactName ?? undefined,
    contactPhone: e.contactPhone ?? undefined,
    address: e.address ?? undefined,
    overseasLicenseNo: e.overseasLicenseNo ?? undefined,
    overseasLicenseValidUntil: e.overseasLicenseValidUntil ? dayjs(e.overseasLicenseValidUntil) : null,
  };
}

function toBody(v: FormValues) {
  return {
    creditCode: trimmed(v.creditCode),
    name: trimmed(v.name),
    regionCode: v.regionCode!,
    industry: v.industry ?? null,
    kind: v.kind as CreateEmployerInput['kind'],
    relocationSite: v.kind === 'workshop' ? trimmed(v.relocationSite) || null : null,
    contactName: trimmed(v.contactName) || null,
    contactPhone: trimmed(v.contactPhone) || null,
    address: trimmed(v.address) || null,
    overseasLicenseNo: trimmed(v.overseasLicenseNo) || null,
    overseasLicenseValidUntil: v.overseasLicenseValidUntil ? v.overseasLicenseValidUntil.format('YYYY-MM-DD') : null,
  };
}

/** 登记 / 修改用人单位. */
export default function EmployerFormPage() {
  const { id } = useParams<{ id: string }>();
  const editing = id !== undefined;
  const me = useMe();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const [employer, setEmployer] = useState<Employer | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const initial = useMemo(() => (employer ? toFormValues(employer) : null), [employer]);
  const kind = Form.useWatch('kind', form);
  const isEmployer = me.role === 'employer';
  const locked = (field: string) => editing && isEmployer && LOCKED_FOR_EMPLOYER.has(field);

  useEffect(() => {
    window.scrollTo(0, 0);
    if (!editing) return;
    let cancelled = false;
    api
      .get<Employer>(employerPath(id))
      .then((e) => !cancelled && setEmployer(e))
      .catch((e) => !cancelled && setLoadError(e));
    return () => {
      cancelled = true;
    };
  }, [editing, id]);

  useEffect(() => {
    if (initial) form.setFieldsValue(initial);
  }, [initial, form]);

  const submit = async (values: FormValues) => {
    setError(null);
    const body = toBody(values);
    setSubmitting(true);
    try {
      let saved: Employer;
      if (editing && initial) {
        const before = toBody(initial);
        const patch: Record<string, unknown> = {};
        for (const key of Object.keys(body) as (keyof typeof body)[]) {
          if (JSON.stringify(body[key] ?? null) !== JSON.stringify(before[key] ?? null)) patch[key] = body[key];
        }
        if (!Object.keys(patch).length) {
          message.info('没有修改任何内容');
          return;
        }
        saved = await api.patch<Employer>(employerPath(id!), patch as UpdateEmployerInput);
        message.success(`已保存：${saved.name}`);
      } else {
        saved = await api.post<Employer>(EMPLOYERS_PATH, body as CreateEmployerInput);
        message.success(`已登记：${saved.name}`);
      }
      navigate(`/employers/${saved.id}`, { replace: editing });
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
        title={missing ? '用人单位不存在或无权修改' : '加载失败'}
        subTitle={loadError instanceof Error ? loadError.message : undefined}
        extra={
          <Link to="/employers">
            <Button type="primary">返回用人单位列表</Button>
          </Link>
        }
      />
    );
  }
  if (editing && !employer) {
    return (
      <Card variant="borderless">
        <Skeleton active paragraph={{ rows: 8 }} />
      </Card>
    );
  }

  const col = { xs: 24, md: 12, xl: 8 };
  const back = () => navigate(editing ? `/employers/${id}` : '/employers');
  return (
    <>
      <PageHeader
        title={editing ? `修改用人单位：${employer!.name}` : '登记用人单位'}
        description={
          editing && isEmployer
            ? '统一社会信用代码、单位类型、所在地和安置点由人社部门维护，如需修改请联系当地人社部门'
            : '统一社会信用代码按 GB 32100 校验；所在地须为县级或县级以下行政区划，且在您的辖区内'
        }
        extra={
          <Button icon={<ArrowLeftOutlined />} onClick={back}>
            返回
          </Button>
        }
      />
      <ErrorAlert error={error} testId="employer-form-error" onClose={() => setError(null)} />
      <Form<FormValues>
        form={form}
        layout="vertical"
        scrollToFirstError={{ block: 'center' }}
        onFinish={submit}
        disabled={submitting}
        data-testid="employer-form"
      >
        <Card title="单位信息" variant="borderless" style={{ marginBottom: 16 }}>
          <Row gutter={24}>
            <Col {...col}>
              <Form.Item
                name="creditCode"
                label="统一社会信用代码"
                rules={[
                  { required: true, whitespace: true, message: '请填写统一社会信用代码' },
                  {
                    validator: (_, v?: string) =>
                      !v || /^[0-9A-HJ-NPQRTUWXY]{18}$/.test(v.replace(/[\s\u3000]/g, '').toUpperCase())
                        ? Promise.resolve()
                        : Promise.reject(new Error('应为 18 位数字或大写字母（不含 I、O、Z、S、V）')),
                  },
                ]}
                extra="营业执照上的 18 位代码，校验位由系统核对"
              >
                <Input
                  maxLength={40}
                  className="lw-mono"
                  placeholder="如 91430522MA4PGH7X5…"
                  autoComplete="off"
                  disabled={locked('creditCode')}
                  data-testid="employer-field-creditCode"
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} xl={16}>
              <Form.Item
                name="name"
                label="单位名称"
                rules={[
                  { required: true, whitespace: true, message: '请填写单位名称' },
                  { min: 2, max: 100, message: '单位名称为 2 到 100 个字' },
                ]}
              >
                <Input maxLength={100} placeholder="与营业执照一致" autoComplete="off" data-testid="employer-field-name" />
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item name="kind" label="单位类型" rules={[{ required: true, message: '请选择单位类型' }]}>
                <Select
                  placeholder="请选择"
                  options={optionsOf(EMPLOYER_KIND)}
                  disabled={locked('kind')}
                  data-testid="employer-field-kind"
                />
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item name="industry" label="所属行业" tooltip="GB/T 4754-2017 国民经济行业分类（大类）">
                <IndustryCascader style={{ width: '100%' }} data-testid="employer-field-industry" />
              </Form.Item>
            </Col>
            {kind === 'workshop' && (
              <Col {...col}>
                <Form.Item name="relocationSite" label="所在安置点" tooltip="设在易地扶贫搬迁安置点的扶贫车间，填写安置点名称">
                  <Input
                    maxLength={100}
                    placeholder="如 龙溪铺镇易地扶贫搬迁安置点（可不填）"
                    disabled={locked('relocationSite')}
                    data-testid="employer-field-relocationSite"
                  />
                </Form.Item>
              </Col>
            )}
            <Col xs={24} xl={16}>
              <Form.Item
                name="regionCode"
                label="所在地"
                rules={[
                  { required: true, message: '请选择所在地' },
                  {
                    validator: (_, v?: string) =>
                      !v || v.length >= 6 ? Promise.resolve() : Promise.reject(new Error('请选择到县（市、区）或以下')),
                  },
                ]}
              >
                <RegionCascader
                  rootCode={isEmployer ? undefined : me.region.code}
                  changeOnSelect
                  placeholder="选择到县（市、区）、乡镇或村"
                  style={{ width: '100%' }}
                  disabled={locked('regionCode')}
                  data-testid="employer-field-regionCode"
                />
              </Form.Item>
            </Col>
          </Row>
        </Card>
        <Card title="联系方式" variant="borderless" style={{ marginBottom: 16 }}>
          <Row gutter={24}>
            <Col {...col}>
              <Form.Item name="contactName" label="联系人">
                <Input maxLength={30} autoComplete="off" data-testid="employer-field-contactName" />
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item
                name="contactPhone"
                label="联系电话"
                rules={[{ pattern: /^\s*[0-9+\- ]{5,20}\s*$/, message: '请填写手机号或座机号码' }]}
              >
                <Input
                  maxLength={20}
                  className="lw-mono"
                  placeholder="手机或座机，如 0739-3612345"
                  autoComplete="off"
                  data-testid="employer-field-contactPhone"
                />
              </Form.Item>
            </Col>
            <Col xs={24} xl={16}>
              <Form.Item name="address" label="地址">
                <Input maxLength={200} autoComplete="off" data-testid="employer-field-address" />
              </Form.Item>
            </Col>
          </Row>
        </Card>
        <Card
          title="对外劳务合作"
          extra={<span style={{ color: 'rgba(0,0,0,0.45)' }}>持有效资格证书的单位方可发布境外岗位</span>}
          variant="borderless"
          style={{ marginBottom: 16 }}
        >
          <Row gutter={24}>
            <Col {...col}>
              <Form.Item
                name="overseasLicenseNo"
                label="对外劳务合作经营资格证书编号"
                rules={[{ pattern: /^\s*[0-9A-Za-z-]{4,40}\s*$/, message: '请填写证书编号（字母、数字或连字符）' }]}
              >
                <Input
                  maxLength={40}
                  className="lw-mono"
                  disabled={locked('overseasLicenseNo')}
                  data-testid="employer-field-overseasLicenseNo"
                />
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item name="overseasLicenseValidUntil" label="有效期至">
                <DatePicker
                  style={{ width: '100%' }}
                  disabled={locked('overseasLicenseValidUntil')}
                  data-testid="employer-field-overseasLicenseValidUntil"
                />
              </Form.Item>
            </Col>
          </Row>
        </Card>
        <Card variant="borderless">
          <Flex gap={8}>
            <Button type="primary" htmlType="submit" icon={<SaveOutlined />} loading={submitting} data-testid="employer-submit">
              {editing ? '保存修改' : '登记'}
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
