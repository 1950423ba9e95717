import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Card, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { api } from '../../api/client.ts';
import { MY_LABORERS_PATH, type BrokerLaborer, type MyLaborers } from '../../api/brokers.ts';
import { conditionFailure } from '../../api/referrals.ts';
import { EMPLOYMENT_STATUS, labelOf, optionsOf, SEX, WILLINGNESS } from '../../api/laborers.ts';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import PageHeader from '../../components/PageHeader.tsx';

interface PostingOption {
  id: string;
  title: string;
  wageMin: number;
  wageMax: number;
  employer: { name: string };
  workRegion: { name: string };
}

/** 我的村: a broker's job seekers — the villages of their contracts valid today — and 推荐 to an open posting. */
export default function MyVillagesPage() {
  const [filters, setFilters] = useState<{ name?: string; willingness?: string; village?: string }>({});
  const [page, setPage] = useState(1);
  const [data, setData] = useState<MyLaborers | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [referring, setReferring] = useState<BrokerLaborer | null>(null);

  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      setData(await api.get<MyLaborers>(MY_LABORERS_PATH, { ...filters, page, pageSize: 20 }));
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, [filters, page]);
  useEffect(() => {
    load();
  }, [load]);

  const columns: TableColumnsType<BrokerLaborer> = [
    { title: '姓名', dataIndex: 'name' },
    { title: '性别', dataIndex: 'sex', render: (v) => labelOf(SEX, v) },
    { title: '年龄', dataIndex: 'age' },
    { title: '身份证号', dataIndex: 'idNumberMasked' },
    { title: '手机号', dataIndex: 'phoneMasked' },
    { title: '所在村', dataIndex: 'villageName' },
    { title: '就业意愿', dataIndex: 'willingness', render: (v) => labelOf(WILLINGNESS, v) },
    { title: '意向工种', dataIndex: 'wantedJobTypes', render: (v: string[]) => v.map((j) => <Tag key={j}>{j}</Tag>) },
    { title: '期望月薪', dataIndex: 'expectedWage', render: (v) => (v ? `${v}元` : '') },
    { title: '就业状态', dataIndex: 'employmentStatus', render: (v) => labelOf(EMPLOYMENT_STATUS, v) },
    {
      title: '操作',
      render: (_, l) => (
        <Button size="small" type="primary" data-testid={`refer-${l.id}`} onClick={() => setReferring(l)}>
          推荐
        </Button>
      ),
    },
  ];

  return (
    <>
      <PageHeader title="我的村" description="劳务经纪协议（今日有效）所覆盖村的求职劳动力；推荐到在招岗位，录用后计入本人的推荐成绩" />
      {data && (
        <Typography.Paragraph data-testid="my-villages">
          协议村：
          {data.villages.length
            ? data.villages.map((v) => `${v.name}（至${v.validTo}）`).join('、')
            : '暂无有效协议，请联系乡镇劳动保障服务站'}
        </Typography.Paragraph>
      )}
      <Card size="small">
        <Form
          layout="inline"
          onFinish={(v) => {
            setFilters({ name: v.name || undefined, willingness: v.willingness, village: v.village });
            setPage(1);
          }}
          style={{ marginBottom: 12 }}
        >
          <Form.Item name="name">
            <Input placeholder="姓名或拼音" allowClear data-testid="my-laborers-name" />
          </Form.Item>
          <Form.Item name="willingness">
            <Select placeholder="就业意愿" allowClear options={optionsOf(WILLINGNESS)} style={{ width: 140 }} />
          </Form.Item>
          <Form.Item name="village">
            <Select
              placeholder="村"
              allowClear
              options={(data?.villages ?? []).map((v) => ({ value: v.code, label: v.name }))}
              style={{ width: 160 }}
            />
          </Form.Item>
          <Button htmlType="submit" data-testid="my-laborers-search">
            查询
          </Button>
        </Form>
        {error ? <ErrorAlert error={error} testId="my-laborers-error" /> : null}
        <Table
          rowKey="id"
          size="small"
          loading={loading}
          columns={columns}
          dataSource={data?.items ?? []}
          data-testid="my-laborers"
          pagination={{ current: page, pageSize: 20, total: data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
        />
      </Card>
      {referring && <ReferForm laborer={referring} onClose={() => setReferring(null)} />}
    </>
  );
}

function ReferForm({ laborer, onClose }: { laborer: BrokerLaborer; onClose: () => void }) {
  const { message } = App.useApp();
  const [postings, setPostings] = useState<PostingOption[]>([]);
  const [postingId, setPostingId] = useState<string | undefined>();
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  // The pair fails a hard condition of the matching: going ahead needs a stated reason, kept on the referral.
  const [failed, setFailed] = useState<ReturnType<typeof conditionFailure>>(null);
  const [overrideReason, setOverrideReason] = useState('');
  const search = useCallback(async (q?: string) => {
    try {
      const r = await api.get<{ items: PostingOption[] }>('/api/v1/postings', { openOnly: true, q: q || undefined, pageSize: 50 });
      setPostings(r.items);
    } catch (e) {
      setError(e);
    }
  }, []);
  useEffect(() => {
    search();
  }, [search]);
  const submit = async () => {
    if (!postingId) return setError(new Error('请选择岗位'));
    if (failed && [...overrideReason.trim()].length < 4) return setError(new Error('请填写仍要推荐的理由（至少4个字）'));
    setSaving(true);
    setError(null);
    try {
      await api.post('/api/v1/referrals', {
        laborerId: laborer.id,
        postingId,
        channel: 'broker',
        ...(note ? { note } : {}),
        ...(failed ? { overrideReason: overrideReason.trim() } : {}),
      });
      message.success(`已推荐${laborer.name}`);
      onClose();
    } catch (e) {
      const refusal = conditionFailure(e);
      if (refusal) setFailed(refusal);
      else setError(e);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open
      title={`推荐 ${laborer.name}（${laborer.villageName}）`}
      onCancel={onClose}
      onOk={submit}
      confirmLoading={saving}
      okText={failed ? '仍然推荐' : '推荐'}
      okButtonProps={{ 'data-testid': 'refer-submit' } as Record<string, string>}
    >
      {error ? <ErrorAlert error={error} testId="refer-error" /> : null}
      {failed ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 8 }}
          data-testid="refer-condition"
          message={`不符合岗位硬性条件：${failed.label}`}
          description={
            <Space direction="vertical" style={{ width: '100%' }}>
              <span>{failed.detail}。与工作人员匹配页面的规则相同；如确需推荐，请写明理由，理由随推荐记录保存并向工作人员显示。</span>
              <Input.TextArea
                placeholder="仍要推荐的理由（至少4个字）"
                maxLength={200}
                rows={2}
                value={overrideReason}
                onChange={(e) => setOverrideReason(e.target.value)}
                data-testid="refer-override-reason"
              />
            </Space>
          }
        />
      ) : null}
      <Space direction="vertical" style={{ width: '100%' }}>
        <Select
          showSearch
          filterOption={false}
          onSearch={search}
          value={postingId}
          onChange={(v) => {
            setPostingId(v);
            setFailed(null);
            setOverrideReason('');
          }}
          placeholder="搜索在招岗位"
          style={{ width: '100%' }}
          data-testid="refer-posting"
          options={postings.map((p) => ({
            value: p.id,
            label: `${p.title} · ${p.employer.name} · ${p.workRegion.name} · ${p.wageMin}–${p.wageMax}元`,
          }))}
        />
        <Input.TextArea placeholder="推荐说明（选填）" maxLength={500} rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
      </Space>
    </Modal>
  );
}
