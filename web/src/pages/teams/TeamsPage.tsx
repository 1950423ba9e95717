import { useCallback, useEffect, useState } from 'react';
import { App, Button, Card, DatePicker, Form, Input, Modal, Select, Space, Table, Tabs, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { api } from '../../api/client.ts';
import { TEAM_RESULTS_PATH, TEAMS_PATH, type Team, type TeamList, type TeamResultRow, type TeamResults } from '../../api/teams.ts';
import { useMe } from '../../app/auth.tsx';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import { applyServerErrors } from '../../components/formErrors.ts';
import PageHeader from '../../components/PageHeader.tsx';
import RegionCascader from '../../components/RegionCascader.tsx';

const DAY = 'YYYY-MM-DD';

/** 招工小分队: the results table (teams, villages visited, referrals, hires) and the teams of the region. */
export default function TeamsPage() {
  const me = useMe();
  const [region, setRegion] = useState<string>(me.region.code);
  const [period, setPeriod] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [results, setResults] = useState<TeamResults | null>(null);
  const [teams, setTeams] = useState<TeamList>({ items: [], total: 0 });
  const [page, setPage] = useState(1);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [creating, setCreating] = useState(false);

  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    const range = { ...(period?.[0] ? { from: period[0].format(DAY) } : {}), ...(period?.[1] ? { to: period[1].format(DAY) } : {}) };
    try {
      const [r, t] = await Promise.all([
        api.get<TeamResults>(TEAM_RESULTS_PATH, { region, ...range }),
        api.get<TeamList>(TEAMS_PATH, { region, ...range, page, pageSize: 20 }),
      ]);
      setResults(r);
      setTeams(t);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, [region, period, page]);
  useEffect(() => {
    load();
  }, [load]);

  const resultColumns: TableColumnsType<TeamResultRow> = [
    { title: '招工小分队', dataIndex: 'name', render: (v, r) => <span data-testid={`team-result-${r.teamId}`}>{v}</span> },
    { title: '服务企业', dataIndex: 'employerName' },
    { title: '组建单位', dataIndex: 'regionName' },
    { title: '工作期', render: (_, r) => `${r.periodFrom} 至 ${r.periodTo}` },
    { title: '走访村数', dataIndex: 'villages', align: 'right' },
    { title: '推荐人数', dataIndex: 'referrals', align: 'right', sorter: (a, b) => a.referrals - b.referrals },
    { title: '录用人数', dataIndex: 'hires', align: 'right', sorter: (a, b) => a.hires - b.hires },
  ];
  const teamColumns: TableColumnsType<Team> = [
    { title: '招工小分队', dataIndex: 'name' },
    { title: '服务企业', render: (_, t) => t.employer.name },
    { title: '组建单位', render: (_, t) => t.region.name },
    { title: '成员', render: (_, t) => t.members.map((m) => m.displayName).join('、') },
    { title: '走访村', render: (_, t) => t.villages.map((v) => v.name).join('、') },
    { title: '工作期', render: (_, t) => `${t.periodFrom} 至 ${t.periodTo}` },
    { title: '推荐 / 录用', render: (_, t) => `${t.referrals} / ${t.hires}` },
  ];

  return (
    <>
      <PageHeader
        title="招工小分队"
        description="县、乡镇组建招工小分队，为用人单位进村入户招工：走访村、推荐和录用成效"
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
          data-testid="team-region"
        />
        <span>期间</span>
        <DatePicker.RangePicker
          allowEmpty={[true, true]}
          value={period}
          onChange={(v) => {
            setPeriod(v as [Dayjs | null, Dayjs | null] | null);
            setPage(1);
          }}
          data-testid="team-period"
        />
      </Space>
      {error ? <ErrorAlert error={error} testId="teams-error" /> : null}
      <Tabs
        items={[
          {
            key: 'results',
            label: '小分队成效',
            children: (
              <Card size="small">
                {results && (
                  <Typography.Paragraph data-testid="team-totals">
                    共组建 {results.totals.teams} 支招工小分队，走访 {results.totals.villages} 个村次，推荐 {results.totals.referrals}{' '}
                    人，为企业新招聘员工 {results.totals.hires} 人
                  </Typography.Paragraph>
                )}
                <Table
                  rowKey="teamId"
                  size="small"
                  loading={loading}
                  columns={resultColumns}
                  dataSource={results?.rows ?? []}
                  pagination={{ pageSize: 50, showSizeChanger: false }}
                  data-testid="team-results"
                />
              </Card>
            ),
          },
          {
            key: 'teams',
            label: '小分队名单',
            children: (
              <Card
                size="small"
                extra={
                  <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="team-new">
                    组建小分队
                  </Button>
                }
              >
                <Table
                  rowKey="id"
                  size="small"
                  loading={loading}
                  columns={teamColumns}
                  dataSource={teams.items}
                  data-testid="team-table"
                  pagination={{ current: page, pageSize: 20, total: teams.total, onChange: setPage, showSizeChanger: false }}
                />
              </Card>
            ),
          },
        ]}
      />
      {creating && (
        <TeamForm
          rootCode={me.region.code}
          onClose={(saved) => {
            setCreating(false);
            if (saved) load();
          }}
        />
      )}
    </>
  );
}

type Option = { value: string; label: string };

function TeamForm({ rootCode, onClose }: { rootCode: string; onClose: (saved: boolean) => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [organiser, setOrganiser] = useState<string | undefined>(rootCode.length === 6 || rootCode.length === 9 ? rootCode : undefined);
  const [villages, setVillages] = useState<Option[]>([]);
  const [members, setMembers] = useState<Option[]>([]);
  const [employers, setEmployers] = useState<Option[]>([]);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    api
      .get<{ items: { id: string; displayName: string; role: string; status: string }[] }>('/api/v1/accounts', {
        region: rootCode,
        status: 'active',
        pageSize: 200,
      })
      .then(
        (r) =>
          setMembers(
            r.items
              .filter((a) => ['admin', 'township_operator', 'village_officer'].includes(a.role))
              .map((a) => ({ value: a.id, label: a.displayName })),
          ),
        setError,
      );
  }, [rootCode]);
  const searchEmployers = (q: string) => {
    api
      .get<{ items: { id: string; name: string }[] }>('/api/v1/employers', { ...(q ? { q } : {}), pageSize: 50 })
      .then((r) => setEmployers(r.items.map((e) => ({ value: e.id, label: e.name }))), setError);
  };
  useEffect(() => searchEmployers(''), []);
  // The villages of a township directly; of a county, through its townships.
  useEffect(() => {
    if (!organiser || (organiser.length !== 6 && organiser.length !== 9)) return setVillages([]);
    const children = (code: string) =>
      api.get<{ items: { code: string; name: string }[] }>(`/api/v1/regions/${code}/children`).then((r) => r.items);
    (async () => {
      if (organiser.length === 9) return (await children(organiser)).map((v) => ({ value: v.code, label: v.name }));
      const townships = await children(organiser);
      const lists = await Promise.all(
        townships.map(async (t) => (await children(t.code)).map((v) => ({ value: v.code, label: `${t.name}·${v.name}` }))),
      );
      return lists.flat();
    })().then(setVillages, setError);
  }, [organiser]);

  const submit = async () => {
    const values = await form.validateFields();
    if (!organiser) return setError(new Error('请选择组建单位（县或乡镇）'));
    setSaving(true);
    setError(null);
    try {
      await api.post(TEAMS_PATH, {
        name: values.name,
        employerId: values.employerId,
        regionCode: organiser,
        memberIds: values.memberIds,
        villageCodes: values.villageCodes,
        periodFrom: values.period[0].format(DAY),
        periodTo: values.period[1].format(DAY),
        ...(values.note ? { note: values.note } : {}),
      });
      message.success('招工小分队已组建');
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
      title="组建招工小分队"
      onCancel={() => onClose(false)}
      onOk={submit}
      confirmLoading={saving}
      okText="组建"
      okButtonProps={{ 'data-testid': 'team-submit' } as Record<string, string>}
    >
      {error ? <ErrorAlert error={error} testId="team-error" /> : null}
      <Form form={form} layout="vertical">
        <Form.Item name="name" label="小分队名称" rules={[{ required: true, message: '请填写小分队名称' }]}>
          <Input maxLength={60} data-testid="team-name" placeholder="如：龙溪铺镇国辉箱包招工小分队" />
        </Form.Item>
        <Form.Item name="employerId" label="服务企业" rules={[{ required: true, message: '请选择服务企业' }]}>
          <Select
            showSearch
            filterOption={false}
            onSearch={searchEmployers}
            options={employers}
            data-testid="team-employer"
            placeholder="输入单位名称查找"
          />
        </Form.Item>
        <Form.Item label="组建单位（县或乡镇）" required>
          <RegionCascader
            value={organiser}
            onChange={(code) => {
              setOrganiser(code);
              form.setFieldValue('villageCodes', []);
            }}
            rootCode={rootCode}
            maxLevel="township"
            changeOnSelect
            data-testid="team-organiser"
          />
        </Form.Item>
        <Form.Item name="memberIds" label="成员" rules={[{ required: true, message: '请选择小分队成员' }]}>
          <Select mode="multiple" optionFilterProp="label" options={members} data-testid="team-members" placeholder="本辖区工作人员" />
        </Form.Item>
        <Form.Item name="villageCodes" label="走访村" rules={[{ required: true, message: '请选择走访村' }]}>
          <Select
            mode="multiple"
            optionFilterProp="label"
            options={villages}
            data-testid="team-villages"
            placeholder="组建单位辖区内的村"
          />
        </Form.Item>
        <Form.Item name="period" label="工作期" rules={[{ required: true, message: '请选择工作期' }]}>
          <DatePicker.RangePicker data-testid="team-form-period" />
        </Form.Item>
        <Form.Item name="note" label="备注">
          <Input.TextArea maxLength={500} rows={2} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
