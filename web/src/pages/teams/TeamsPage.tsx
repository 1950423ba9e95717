import { useEffect, useState } from 'react';
import { App, Button, Card, DatePicker, Form, Input, Select, Space, Table, Tabs, Typography } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { api } from '../../api/client.ts';
import { TEAM_RESULTS_PATH, TEAMS_PATH, type Team, type TeamList, type TeamResults } from '../../api/teams.ts';
import { useMe } from '../../app/auth.tsx';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import { ListTable, ModalForm, useListQuery, useUrlFilters } from '../../components/list/index.ts';
import { useApiData } from '../../components/useApiData.ts';
import { TEAM_FILTERS, teamColumns, teamResultColumns } from './columns.tsx';
import PageHeader from '../../components/PageHeader.tsx';
import RegionCascader from '../../components/RegionCascader.tsx';

const DAY = 'YYYY-MM-DD';

/** 招工小分队: the results table (teams, villages visited, referrals, hires) and the teams of the region. */
export default function TeamsPage() {
  const me = useMe();
  // The region and the period are in the URL, the teams' page too.
  const view = useUrlFilters(TEAM_FILTERS);
  const region = view.filters.region ?? me.region.code;
  const { from, to } = view.filters;
  const results = useApiData<TeamResults>(TEAM_RESULTS_PATH, { region, from, to });
  const teams = useListQuery<Team, Record<string, never>, never, TeamList>(TEAMS_PATH, {
    filters: {},
    fixed: { region, from, to },
    prefix: 'teams.',
  });
  const [creating, setCreating] = useState(false);
  const load = () => {
    results.reload();
    teams.reload();
  };

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
          onChange={(code) => view.setFilters({ region: code === me.region.code ? null : code })}
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
          value={from || to ? [from ? dayjs(from) : null, to ? dayjs(to) : null] : null}
          onChange={(v) => view.setFilters({ from: v?.[0]?.format(DAY) ?? null, to: v?.[1]?.format(DAY) ?? null })}
          data-testid="team-period"
        />
      </Space>
      <ErrorAlert error={results.error ?? teams.error} testId="teams-error" />
      <Tabs
        items={[
          {
            key: 'results',
            label: '小分队成效',
            children: (
              <Card size="small">
                {results.data && (
                  <Typography.Paragraph data-testid="team-totals">
                    共组建 {results.data.totals.teams} 支招工小分队，走访 {results.data.totals.villages} 个村次，推荐{' '}
                    {results.data.totals.referrals} 人，为企业新招聘员工 {results.data.totals.hires} 人
                  </Typography.Paragraph>
                )}
                <Table
                  rowKey="teamId"
                  size="small"
                  loading={results.loading}
                  columns={teamResultColumns}
                  dataSource={results.data?.rows ?? []}
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
                <ListTable<Team> rowKey="id" size="small" list={teams} columns={teamColumns} sizeChanger={false} data-testid="team-table" />
              </Card>
            ),
          },
        ]}
      />
      <TeamForm
        open={creating}
        rootCode={me.region.code}
        onClose={(saved) => {
          setCreating(false);
          if (saved) load();
        }}
      />
    </>
  );
}

type Option = { value: string; label: string };

/** 组建招工小分队: a new form on each opening. */
function TeamForm({ open, rootCode, onClose }: { open: boolean; rootCode: string; onClose: (saved: boolean) => void }) {
  const { message } = App.useApp();
  return (
    <ModalForm<TeamValues>
      open={open}
      title="组建招工小分队"
      okText="组建"
      okTestId="team-submit"
      errorTestId="team-error"
      initialValues={{ regionCode: rootCode.length === 6 || rootCode.length === 9 ? rootCode : undefined }}
      onClose={onClose}
      onSubmit={async (values) => {
        await api.post(TEAMS_PATH, {
          name: values.name,
          employerId: values.employerId,
          regionCode: values.regionCode,
          memberIds: values.memberIds,
          villageCodes: values.villageCodes,
          periodFrom: values.period[0].format(DAY),
          periodTo: values.period[1].format(DAY),
          ...(values.note ? { note: values.note } : {}),
        });
        message.success('招工小分队已组建');
      }}
    >
      <TeamFields rootCode={rootCode} />
    </ModalForm>
  );
}

interface TeamValues {
  name: string;
  employerId: string;
  regionCode: string;
  memberIds: string[];
  villageCodes: string[];
  period: [Dayjs, Dayjs];
  note?: string;
}

function TeamFields({ rootCode }: { rootCode: string }) {
  const form = Form.useFormInstance<TeamValues>();
  const organiser = Form.useWatch('regionCode', form);
  const [villages, setVillages] = useState<Option[]>([]);
  const [members, setMembers] = useState<Option[]>([]);
  const [employers, setEmployers] = useState<Option[]>([]);
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

  return (
    <>
      <ErrorAlert error={error} />
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
      <Form.Item
        name="regionCode"
        label="组建单位（县或乡镇）"
        rules={[{ required: true, message: '请选择组建单位（县或乡镇）' }]}
        getValueFromEvent={(code: string | undefined) => {
          form.setFieldValue('villageCodes', []);
          return code;
        }}
      >
        <RegionCascader rootCode={rootCode} maxLevel="township" changeOnSelect data-testid="team-organiser" />
      </Form.Item>
      <Form.Item name="memberIds" label="成员" rules={[{ required: true, message: '请选择小分队成员' }]}>
        <Select mode="multiple" optionFilterProp="label" options={members} data-testid="team-members" placeholder="本辖区工作人员" />
      </Form.Item>
      <Form.Item name="villageCodes" label="走访村" rules={[{ required: true, message: '请选择走访村' }]}>
        <Select mode="multiple" optionFilterProp="label" options={villages} data-testid="team-villages" placeholder="组建单位辖区内的村" />
      </Form.Item>
      <Form.Item name="period" label="工作期" rules={[{ required: true, message: '请选择工作期' }]}>
        <DatePicker.RangePicker data-testid="team-form-period" />
      </Form.Item>
      <Form.Item name="note" label="备注">
        <Input.TextArea maxLength={500} rows={2} />
      </Form.Item>
    </>
  );
}
