import { useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Form,
  Input,
  InputNumber,
  List,
  Row,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import { api } from '../../api/client.ts';
import {
  CAMPAIGNS_PATH,
  DEFAULT_TEMPLATE,
  FIELDS_PATH,
  PREVIEW_PATH,
  type Campaign,
  type CampaignFilters,
  type Preview,
} from '../../api/sms.ts';
import { EDUCATION, EMPLOYMENT_STATUS, FLAGS, POVERTY_STATUS, WILLINGNESS } from '../../../../contracts/laborers.ts';
import { useMe } from '../../app/auth.tsx';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import PageHeader from '../../components/PageHeader.tsx';
import RegionCascader from '../../components/RegionCascader.tsx';

const options = (d: { labels: Record<string, string> }) => Object.entries(d.labels).map(([value, label]) => ({ value, label }));

/** 新建短信活动: filters of the registry, a template with fields, a live preview for real recipients, then submit for approval. */
export default function SmsComposePage() {
  const me = useMe();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [fields, setFields] = useState<{ name: string; label: string }[]>([]);
  const [signature, setSignature] = useState('');
  const [preview, setPreview] = useState<Preview | null>(null);
  const [previewError, setPreviewError] = useState<unknown>(null);
  const [previewing, setPreviewing] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const values = Form.useWatch([], form);
  const templateRef = useRef<{ resizableTextArea?: { textArea: HTMLTextAreaElement } } | null>(null);

  useEffect(() => {
    api.get<{ fields: { name: string; label: string }[]; signature: string }>(FIELDS_PATH).then((r) => {
      setFields(r.fields);
      setSignature(r.signature);
    }, setError);
  }, []);

  const input = useMemo(() => {
    if (!values?.region || !values?.template) return null;
    const filters: CampaignFilters = { region: values.region };
    for (const k of [
      'povertyStatus',
      'employmentStatus',
      'willingness',
      'education',
      'flag',
      'jobType',
      'skill',
      'ageMin',
      'ageMax',
    ] as const) {
      const v = values[k];
      if (v !== undefined && v !== null && v !== '') (filters as Record<string, unknown>)[k] = v;
    }
    return { filters, template: values.template as string, ...(values.signature ? { signature: values.signature as string } : {}) };
  }, [values]);

  // The preview follows the form as it is typed (debounced): real recipients, their own postings, the segments.
  useEffect(() => {
    if (!input) return;
    const timer = setTimeout(() => {
      setPreviewing(true);
      api
        .post<Preview>(PREVIEW_PATH, input)
        .then(
          (p) => {
            setPreview(p);
            setPreviewError(null);
          },
          (e) => {
            setPreviewError(e);
            setPreview(null);
          },
        )
        .finally(() => setPreviewing(false));
    }, 500);
    return () => clearTimeout(timer);
  }, [JSON.stringify(input)]);

  const insertField = (name: string) => {
    const current: string = form.getFieldValue('template') ?? '';
    const el = templateRef.current?.resizableTextArea?.textArea;
    const at = el ? el.selectionStart : current.length;
    form.setFieldValue('template', `${current.slice(0, at)}{${name}}${current.slice(at)}`);
  };

  const submit = async () => {
    const v = await form.validateFields();
    if (!input) return;
    setSaving(true);
    setError(null);
    try {
      const created = await api.post<Campaign>(CAMPAIGNS_PATH, { name: v.name, ...input });
      await api.post<Campaign>(`${CAMPAIGNS_PATH}/${created.id}/submit`);
      message.success('已提交审批，正在生成短信');
      navigate(`/sms/${created.id}`);
    } catch (e) {
      setError(e);
    } finally {
      setSaving(false);
    }
  };

  return (
    <>
      <PageHeader
        title="新建短信活动"
        description="按劳动力名册的条件选取本辖区劳动力，为每人填入其最匹配的岗位，预览后提交另一名工作人员审批"
      />
      {error ? <ErrorAlert error={error} testId="sms-compose-error" /> : null}
      <Row gutter={16}>
        <Col xs={24} lg={12}>
          <Card size="small" title="活动与接收人">
            <Form
              form={form}
              layout="vertical"
              initialValues={{ region: me.region.code, employmentStatus: 'unemployed', template: DEFAULT_TEMPLATE }}
            >
              <Form.Item name="name" label="活动名称" rules={[{ required: true, message: '请填写活动名称' }, { max: 60 }]}>
                <Input placeholder="如：春节后返岗岗位推送" data-testid="sms-name" />
              </Form.Item>
              <Form.Item name="region" label="区划" rules={[{ required: true }]}>
                <RegionCascader rootCode={me.region.code} changeOnSelect allowClear={false} data-testid="sms-region" />
              </Form.Item>
              <Row gutter={8}>
                <Col span={12}>
                  <Form.Item name="employmentStatus" label="就业状态">
                    <Select allowClear options={options(EMPLOYMENT_STATUS)} />
                  </Form.Item>
                </Col>
                <Col span={12}>
                  <Form.Item name="povertyStatus" label="户类型">
                    <Select allowClear options={options(POVERTY_STATUS)} />
                  </Form.Item>
                </Col>
                <Col span={12}>
                  <Form.Item name="willingness" label="就业意愿">
                    <Select allowClear options={options(WILLINGNESS)} />
                  </Form.Item>
                </Col>
                <Col span={12}>
                  <Form.Item name="education" label="文化程度">
                    <Select allowClear options={options(EDUCATION)} />
                  </Form.Item>
                </Col>
                <Col span={12}>
                  <Form.Item name="flag" label="特殊标识">
                    <Select allowClear options={options(FLAGS)} />
                  </Form.Item>
                </Col>
                <Col span={12}>
                  <Form.Item name="jobType" label="意向工种">
                    <Input allowClear />
                  </Form.Item>
                </Col>
                <Col span={12}>
                  <Form.Item name="ageMin" label="年龄下限">
                    <InputNumber min={16} max={80} style={{ width: '100%' }} />
                  </Form.Item>
                </Col>
                <Col span={12}>
                  <Form.Item name="ageMax" label="年龄上限">
                    <InputNumber min={16} max={80} style={{ width: '100%' }} />
                  </Form.Item>
                </Col>
              </Row>
              <Form.Item name="signature" label="短信签名" extra={`不填则用默认签名【${signature}】`}>
                <Input placeholder={signature} maxLength={12} />
              </Form.Item>
              <Form.Item
                name="template"
                label="短信模板"
                rules={[{ required: true, message: '请填写短信模板' }]}
                extra="70 个字以内为 1 条，超过按每 67 个字 1 条计费；签名计入字数"
              >
                <Input.TextArea ref={templateRef as never} rows={4} maxLength={500} showCount data-testid="sms-template" />
              </Form.Item>
              <Space wrap size={[4, 4]} style={{ marginBottom: 12 }}>
                {fields.map((f) => (
                  <Tag
                    key={f.name}
                    color="blue"
                    style={{ cursor: 'pointer' }}
                    title={f.label}
                    onClick={() => insertField(f.name)}
                  >{`{${f.name}}`}</Tag>
                ))}
              </Space>
              <Button
                type="primary"
                block
                loading={saving}
                onClick={submit}
                disabled={!preview || preview.recipients === 0}
                data-testid="sms-submit"
              >
                保存并提交审批
              </Button>
            </Form>
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title="预览（真实接收人）" loading={previewing && !preview} data-testid="sms-preview">
            {previewError ? <ErrorAlert error={previewError} testId="sms-preview-error" /> : null}
            {preview ? (
              <>
                <Descriptions size="small" column={2} bordered>
                  <Descriptions.Item label="符合条件">{preview.matched} 人</Descriptions.Item>
                  <Descriptions.Item label="将发送">
                    <span data-testid="sms-preview-count">{preview.recipients}</span> 人
                  </Descriptions.Item>
                  <Descriptions.Item label="没有匹配岗位（不发送）">
                    <span data-testid="sms-preview-no-posting">{preview.noPosting}</span> 人
                  </Descriptions.Item>
                  <Descriptions.Item label="计费短信合计">
                    <span data-testid="sms-preview-billed">{preview.segments}</span> 条
                  </Descriptions.Item>
                  <Descriptions.Item label="每条短信" span={2}>
                    最多 <span data-testid="sms-preview-segments">{preview.maxSegments}</span> 条计费短信（70 字以内按 1 条计费，含签名）
                  </Descriptions.Item>
                </Descriptions>
                {preview.skipped.length ? (
                  <Alert
                    type="info"
                    showIcon
                    style={{ marginTop: 8 }}
                    data-testid="sms-preview-skipped"
                    message={`不发送：${preview.skipped.map((s) => `${s.label} ${s.count} 人`).join('，')}`}
                  />
                ) : null}
                {preview.cappedToday ? (
                  <Alert
                    type="warning"
                    showIcon
                    style={{ marginTop: 8 }}
                    message={`其中 ${preview.cappedToday} 人的号码今日已收满通知上限，发送时如仍满额将跳过`}
                  />
                ) : null}
                <List
                  style={{ marginTop: 8 }}
                  dataSource={preview.samples}
                  renderItem={(s) => (
                    <List.Item>
                      <List.Item.Meta
                        title={
                          <Space>
                            {s.laborer.name}
                            <Typography.Text type="secondary">
                              {s.laborer.phoneMasked ?? '无手机号'} · {s.laborer.villageName}
                            </Typography.Text>
                          </Space>
                        }
                        description={
                          s.skip ? (
                            <Tag>{s.skip}</Tag>
                          ) : (
                            <>
                              <div className="sms-bubble" data-testid="sms-sample">
                                {s.text}
                              </div>
                              <Typography.Text type="secondary">
                                {s.chars} 字 · {s.segments} 条
                              </Typography.Text>
                            </>
                          )
                        }
                      />
                    </List.Item>
                  )}
                />
              </>
            ) : !previewError ? (
              <Empty description="填写条件和模板后显示预览" />
            ) : null}
          </Card>
        </Col>
      </Row>
    </>
  );
}
