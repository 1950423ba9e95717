import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import {
  App,
  Button,
  Card,
  Checkbox,
  Col,
  DatePicker,
  Descriptions,
  Drawer,
  Empty,
  Form,
  Input,
  List,
  Modal,
  Radio,
  Row,
  Segmented,
  Select,
  Space,
  Statistic,
  Tabs,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import ExportButton from '../../components/ExportButton.tsx';
import { api } from '../../api/client.ts';
import ReturneesTab from './ReturneesTab.tsx';
import ListsPrint from './ListsPrint.tsx';
import {
  CASE_CLOSE_REASON,
  CASE_STATUS,
  CASES_PATH,
  END_REASON,
  FOLLOW_UP_METHOD,
  FOLLOW_UP_RECORDS_PATH,
  FOLLOW_UPS_PATH,
  EMPLOYMENTS_PATH,
  OVERDUE_PATH,
  RATE_PATH,
  RESPONSIBLE_KIND,
  RETENTION_STAFF_ROLES,
  RISKS_PATH,
  RISK_SIGN,
  UNEMPLOYMENT_BENEFIT,
  casePath,
  followUpPath,
  listPath,
  type FollowUp,
  type FollowUpBatch,
  type OverdueSummary,
  type ReemploymentCase,
  type Responsibility,
  type RetentionList,
  type RetentionRate,
  type TaskList,
} from '../../api/employment.ts';
import { recommendationsPath, type Recommendations } from '../../api/matching.ts';
import { useMe } from '../../app/auth.tsx';
import Chart, { type ChartOption } from '../../components/Chart.tsx';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import { useApiData } from '../../components/useApiData.ts';
import PageHeader from '../../components/PageHeader.tsx';
import BulkImportButton from '../../components/BulkImportButton.tsx';
import RegionCascader from '../../components/RegionCascader.tsx';
import { applyServerErrors } from '../../components/formErrors.ts';
import { ListTable, useListQuery, useUrlFilters } from '../../components/list/index.ts';
import {
  CASE_FILTERS,
  caseColumns,
  FOLLOW_UP_FILTERS,
  followUpColumns,
  LISTS_FILTERS,
  label,
  REGION_FILTER,
  type ResponsibilityRow,
  type RetentionRow,
  RISK_FILTERS,
  type RiskRow,
  responsibilityColumns,
  retentionColumns,
  riskColumns,
  type TaskRow,
  taskColumns,
} from './columns.tsx';
import ScrollTable from '../../components/ScrollTable.tsx';
import { chinaNow } from '../../app/format.ts';

const DAY = 'YYYY-MM-DD';
const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);

/**
 * 稳岗服务 at /retention: the follow-ups due (回访任务) on the caller's list, re-employment cases
 * (转岗服务) with new postings from the matching engine, the three lists (三个清单) with their
 * exports, and the retention rate (稳岗率) with the risk list.
 */
export default function RetentionPage() {
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const staff = RETENTION_STAFF_ROLES.includes(me.role);
  const tab = params.get('tab') ?? 'follow-ups';
  const [version, setVersion] = useState(0);
  const changed = () => setVersion((v) => v + 1);
  const items = [
    { key: 'follow-ups', label: '回访任务', children: <FollowUpsTab version={version} onChanged={changed} staff={staff} /> },
    ...(staff
      ? [
          { key: 'cases', label: '转岗服务', children: <CasesTab version={version} onChanged={changed} /> },
          { key: 'lists', label: '三个清单', children: <ListsTab /> },
          { key: 'returnees', label: '本月返乡', children: <ReturneesTab /> },
          { key: 'rate', label: '稳岗率与风险', children: <RateTab /> },
        ]
      : []),
  ];
  return (
    <>
      <PageHeader
        title="稳岗服务"
        description="入职后 1、3、6、12 个月回访；离职即开启转岗服务并重新推荐岗位；任务、责任、稳岗三个清单；稳岗率和离岗风险"
        extra={
          staff && (
            <BulkImportButton
              base={EMPLOYMENTS_PATH}
              label="就业记录"
              rules="本辖区劳动力的就业情况按模板填写，一行一条就业记录，逐行按登记就业的规则校验：信息卡须在您的辖区、姓名与信息卡一致、入职日期不晚于今天、与已有就业记录不重叠；同一证件号码、同一单位、同一入职日期只导入一次。导入的记录为“工作人员录入”，不算核实。"
              onImported={changed}
              testId="employment-import"
            />
          )
        }
      />
      <Tabs
        activeKey={tab}
        data-testid="retention-tabs"
        onChange={(key) => setParams(key === 'follow-ups' ? {} : { tab: key })}
        items={items}
      />
    </>
  );
}

function FollowUpsTab({ version, onChanged, staff }: { version: number; onChanged: () => void; staff: boolean }) {
  // The workbench links here with ?status=overdue (and mine=true for a broker's or an office's own
  // list); 待回访 and, for staff, everyone's are the defaults the URL does not name.
  const list = useListQuery<FollowUp, typeof FOLLOW_UP_FILTERS>(FOLLOW_UPS_PATH, {
    filters: FOLLOW_UP_FILTERS,
    fixed: { status: 'due', mine: staff ? undefined : true },
  });
  const status = list.filters.status ?? 'due';
  const mine = (list.filters.mine ?? (staff ? 'false' : 'true')) === 'true';
  const { reload } = list;
  // The follow-ups the form records: one (its row's button) or the ticked ones (批量记录回访).
  const [recording, setRecording] = useState<FollowUp[] | null>(null);
  const [selected, setSelected] = useState<FollowUp[]>([]);
  useEffect(() => {
    if (version > 0) reload();
  }, [version, reload]);
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      {staff && <OverdueCard version={version} />}
      <Card>
        <Space wrap style={{ marginBottom: 12 }}>
          <Segmented
            value={status}
            data-testid="follow-up-status"
            onChange={(v) => {
              list.setFilters({ status: v === 'due' ? null : (v as 'overdue' | 'done') });
              setSelected([]);
            }}
            options={[
              { label: '待回访', value: 'due' },
              { label: '已逾期', value: 'overdue' },
              { label: '已回访', value: 'done' },
            ]}
          />
          <Checkbox
            checked={mine}
            onChange={(e) => list.setFilters({ mine: e.target.checked === !staff ? null : e.target.checked ? 'true' : 'false' })}
            data-testid="follow-up-mine"
          >
            只看我负责的
          </Checkbox>
          {status !== 'done' && (
            <Button type="primary" disabled={!selected.length} onClick={() => setRecording(selected)} data-testid="follow-up-batch-record">
              批量记录回访{selected.length ? `（${selected.length}）` : ''}
            </Button>
          )}
        </Space>
        <ErrorAlert error={list.error} />
        <ListTable<FollowUp>
          rowKey="id"
          list={list}
          columns={followUpColumns(status === 'done', (f) => setRecording([f]))}
          sizeChanger={false}
          scroll={{ x: 1200 }}
          data-testid="follow-up-table"
          rowTestId={(f) => `follow-up-row-${f.id}`}
          rowSelection={
            status === 'done'
              ? undefined
              : {
                  selectedRowKeys: selected.map((f) => f.id),
                  preserveSelectedRowKeys: true,
                  onChange: (_, rows) => setSelected(rows.filter(Boolean)),
                }
          }
        />
      </Card>
      <RecordFollowUpModal
        followUps={recording}
        onClose={() => setRecording(null)}
        onDone={() => {
          setRecording(null);
          setSelected([]);
          onChanged();
        }}
      />
    </Space>
  );
}

/** A region's name without the province, city and county before it, when something is left after them. */
const shortRegionName = (name: string) =>
  name
    .replace(/^.*?(省|自治区)(?=.)/, '')
    .replace(/^.*?(市|自治州|州|盟)(?=.)/, '')
    .replace(/^.*?(县|区|旗)(?=.)/, '');

function OverdueCard({ version }: { version: number }) {
  const { data, reload } = useApiData<OverdueSummary>(OVERDUE_PATH, {});
  useEffect(() => {
    if (version > 0) reload();
  }, [version, reload]);
  const option = useMemo<ChartOption>(() => {
    const rows = (data?.byRegion ?? []).slice(0, 15);
    return {
      tooltip: { trigger: 'axis' },
      legend: { data: ['逾期', '30 天内到期（含逾期）'], top: 0 },
      grid: { left: 8, right: 8, bottom: 8, top: 36, containLabel: true },
      xAxis: {
        type: 'category',
        // The region's own name (坪上镇, not 邵阳市新邵县坪上镇): the bars are the caller's children.
        data: rows.map((r) => shortRegionName(r.regionName)),
        axisLabel: { interval: 0, rotate: rows.length > 6 ? 30 : 0 },
      },
      yAxis: { type: 'value' },
      series: [
        { name: '逾期', type: 'bar', data: rows.map((r) => r.overdue), itemStyle: { color: '#cf1322' } },
        { name: '30 天内到期（含逾期）', type: 'bar', data: rows.map((r) => r.due), itemStyle: { color: '#faad14' } },
      ],
    };
  }, [data]);
  if (!data) return null;
  return (
    <Card title={`逾期回访 ${data.total} 次（截至 ${data.asOf}）`} size="small" data-testid="overdue-card">
      <Row gutter={16}>
        <Col xs={24} lg={14}>
          {data.byRegion.length ? (
            <Chart option={option} height={220} data-testid="overdue-chart" />
          ) : (
            <Empty description="没有待回访任务" />
          )}
        </Col>
        <Col xs={24} lg={10}>
          <ScrollTable
            size="small"
            rowKey={(r) => `${r.kind}-${r.account?.id ?? r.regionName}`}
            pagination={false}
            scroll={{ y: 220 }}
            dataSource={data.byResponsible}
            columns={[
              {
                title: '责任人',
                key: 'who',
                render: (_, r) => `${label(RESPONSIBLE_KIND, r.kind)}·${r.account?.displayName ?? `${r.regionName}（无村信息员）`}`,
              },
              { title: '逾期', dataIndex: 'overdue', width: 60 },
              { title: '最早应回访', dataIndex: 'oldestDueOn', width: 110 },
            ]}
          />
        </Col>
      </Row>
    </Card>
  );
}

/**
 * The follow-up form, for one follow-up or for several people at once (issue 18 item 4): several
 * are recorded by one request that records each as a single one would be, or none of them (the
 * refusal names who and why, shown in the form).
 */
function RecordFollowUpModal({ followUps, onClose, onDone }: { followUps: FollowUp[] | null; onClose: () => void; onDone: () => void }) {
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const followUp = followUps?.length === 1 ? followUps[0]! : null;
  const many = followUps && followUps.length > 1 ? followUps : null;
  // Each follow-up opened gets its own form, filled as it mounts (as the referral steps' modal):
  // defaults set on the shared form instance from an effect could be lost to a form not yet
  // mounted, and the save then failed its own validation without a word to the server.
  const initial = useMemo(
    () => (followUps?.length ? { doneOn: chinaNow(), method: 'phone', stillEmployed: true, returnee: false } : undefined),
    [followUps],
  );
  const submit = async () => {
    const v = await form.validateFields();
    setSaving(true);
    setError(null);
    try {
      const body = {
        doneOn: (v.doneOn as Dayjs).format(DAY),
        method: v.method,
        stillEmployed: v.stillEmployed,
        ...(v.problems ? { problems: v.problems } : {}),
        ...(v.helpGiven ? { helpGiven: v.helpGiven } : {}),
        ...(v.stillEmployed
          ? {}
          : { endedOn: v.endedOn ? (v.endedOn as Dayjs).format(DAY) : undefined, endReason: v.endReason, returnee: v.returnee }),
      };
      if (many) {
        const r = await api.post<FollowUpBatch>(FOLLOW_UP_RECORDS_PATH, { ids: many.map((f) => f.id), ...body });
        message.success(`已记录 ${r.count} 人的回访${r.ended ? `，其中 ${r.ended} 人已离岗：已登记离职并开启转岗服务` : ''}`);
      } else {
        await api.post(followUpPath(followUp!.id), body);
        message.success(v.stillEmployed ? '回访已记录' : '回访已记录，已登记离职并开启转岗服务');
      }
      onDone();
    } catch (e) {
      applyServerErrors(form, e);
      if (many) setError(e);
      else message.error((e as Error).message);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open={!!followUps?.length}
      title={many ? `批量记录回访：${many.length} 人` : followUp ? `记录回访：${followUp.laborer.name}（第 ${followUp.months} 个月）` : ''}
      onCancel={() => {
        setError(null);
        onClose();
      }}
      onOk={submit}
      confirmLoading={saving}
      okText="保存"
      destroyOnHidden
      data-testid="follow-up-modal"
    >
      {many && (
        <>
          <ErrorAlert error={error} testId="follow-up-batch-error" />
          <Typography.Paragraph type="secondary" data-testid="follow-up-batch-names">
            {many.map((f) => `${f.laborer.name}（第 ${f.months} 个月）`).join('、')}
            ：以下回访内容逐人记录，每人各记一条审计记录；其中任何一条不能记录，则全部不记录。
          </Typography.Paragraph>
        </>
      )}
      <Form form={form} layout="vertical" key={followUps?.map((f) => f.id).join(',')} initialValues={initial} preserve={false}>
        <Form.Item name="doneOn" label="回访日期" rules={[{ required: true }]}>
          <DatePicker disabledDate={(d) => d.isAfter(chinaNow(), 'day')} data-testid="follow-up-date" />
        </Form.Item>
        <Form.Item name="method" label="回访方式" rules={[{ required: true }]}>
          <Radio.Group options={FOLLOW_UP_METHOD.codes.map((c) => ({ value: c, label: FOLLOW_UP_METHOD.labels[c] }))} />
        </Form.Item>
        <Form.Item name="stillEmployed" label="是否仍在岗" rules={[{ required: true }]}>
          <Radio.Group
            data-testid="follow-up-still"
            options={[
              { value: true, label: '在岗' },
              { value: false, label: '已离岗' },
            ]}
          />
        </Form.Item>
        <Form.Item name="problems" label="反映的问题">
          <Input.TextArea rows={2} maxLength={500} data-testid="follow-up-problems" />
        </Form.Item>
        <Form.Item name="helpGiven" label="提供的帮助">
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        {/* Read from the form's own store as it changes: a watch from outside (Form.useWatch) could
            miss the change on a form just mounted for this follow-up, and the fields never came (CI). */}
        <Form.Item noStyle shouldUpdate={(a, b) => a.stillEmployed !== b.stillEmployed}>
          {({ getFieldValue }) =>
            getFieldValue('stillEmployed') === false && (
              <>
                <Form.Item name="endedOn" label="离职日期（不填则为回访日期）">
                  <DatePicker disabledDate={(d) => d.isAfter(chinaNow(), 'day')} data-testid="follow-up-ended-on" />
                </Form.Item>
                <Form.Item name="endReason" label="离职原因" rules={[{ required: true, message: '请选择离职原因' }]}>
                  <Select
                    data-testid="follow-up-end-reason"
                    options={END_REASON.codes.map((c) => ({ value: c, label: END_REASON.labels[c] }))}
                  />
                </Form.Item>
                <Form.Item name="returnee" valuePropName="checked">
                  <Checkbox>已返乡（回到求职需求清单）</Checkbox>
                </Form.Item>
              </>
            )
          }
        </Form.Item>
      </Form>
    </Modal>
  );
}

function CasesTab({ version, onChanged }: { version: number; onChanged: () => void }) {
  const list = useListQuery<ReemploymentCase, typeof CASE_FILTERS>(CASES_PATH, { filters: CASE_FILTERS, fixed: { status: 'open' } });
  const { reload } = list;
  const [open, setOpen] = useState<ReemploymentCase | null>(null);
  useEffect(() => {
    if (version > 0) reload();
  }, [version, reload]);
  return (
    <Card>
      <Segmented
        value={list.filters.status ?? 'open'}
        onChange={(v) => list.setFilters({ status: v === 'closed' ? 'closed' : null })}
        style={{ marginBottom: 12 }}
        data-testid="case-filter"
        options={[
          { label: '服务中', value: 'open' },
          { label: '已结案', value: 'closed' },
        ]}
      />
      <ErrorAlert error={list.error} />
      <ListTable<ReemploymentCase>
        rowKey="id"
        list={list}
        columns={caseColumns(setOpen)}
        sizeChanger={false}
        scroll={{ x: 1100 }}
        data-testid="case-table"
      />
      <CaseDrawer
        reCase={open}
        onClose={() => setOpen(null)}
        onChanged={() => {
          onChanged();
          setOpen(null);
        }}
      />
    </Card>
  );
}

function CaseDrawer({ reCase, onClose, onChanged }: { reCase: ReemploymentCase | null; onClose: () => void; onChanged: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [recs, setRecs] = useState<Recommendations | null>(null);
  const [recError, setRecError] = useState<unknown>(null);
  useEffect(() => {
    setRecs(null);
    setRecError(null);
    if (!reCase) return;
    form.setFieldsValue({
      unemploymentBenefit: reCase.unemploymentBenefit,
      retraining: reCase.retraining ?? undefined,
      note: reCase.note ?? undefined,
    });
    if (reCase.status === 'open') api.get<Recommendations>(recommendationsPath(reCase.laborer.id), { limit: 5 }).then(setRecs, setRecError);
  }, [reCase, form]);
  if (!reCase) return <Drawer open={false} onClose={onClose} />;
  const save = async () => {
    const v = form.getFieldsValue();
    try {
      await api.patch(casePath(reCase.id), {
        unemploymentBenefit: v.unemploymentBenefit,
        retraining: v.retraining?.trim() || null,
        note: v.note?.trim() || null,
      });
      message.success('已保存');
      onChanged();
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  const close = async (reason: 'not_seeking' | 'moved_away' | 'other') => {
    try {
      await api.post(`${casePath(reCase.id)}/close`, { reason });
      message.success('已结案');
      onChanged();
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  return (
    <Drawer open width={720} title={`转岗服务：${reCase.laborer.name}`} onClose={onClose} data-testid="case-drawer">
      <Descriptions
        size="small"
        column={2}
        bordered
        items={[
          { key: 'v', label: '户籍所在村', children: reCase.laborer.villageName },
          { key: 'p', label: '手机号', children: reCase.laborer.phoneMasked ?? '—' },
          { key: 'j', label: '原工作', children: `${reCase.endedEmployment.workplace ?? '—'}（${reCase.endedEmployment.workRegionName}）` },
          { key: 'e', label: '在岗期间', children: `${reCase.endedEmployment.startedOn} 至 ${reCase.endedEmployment.endedOn ?? '—'}` },
          { key: 'r', label: '离职原因', children: label(END_REASON, reCase.endedEmployment.endReason) },
          {
            key: 's',
            label: '状态',
            children: `${label(CASE_STATUS, reCase.status)}${reCase.closeReason ? `（${label(CASE_CLOSE_REASON, reCase.closeReason)}，${reCase.closedOn}）` : ''}`,
          },
        ]}
      />
      {reCase.status === 'open' && (
        <>
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            推荐的新岗位
          </Typography.Title>
          <ErrorAlert error={recError} />
          {recs &&
            (recs.refused ? (
              <Typography.Text type="secondary">{recs.refused}</Typography.Text>
            ) : (
              <List
                size="small"
                bordered
                dataSource={recs.items}
                data-testid="case-recommendations"
                renderItem={(r) => (
                  <List.Item>
                    <List.Item.Meta
                      title={`${r.posting.title} · ${r.posting.employerName}`}
                      description={`${r.posting.place}，${r.posting.wageMin}–${r.posting.wageMax} 元/月。${r.reasons.join('；')}`}
                    />
                  </List.Item>
                )}
              />
            ))}
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            服务记录
          </Typography.Title>
          <Form form={form} layout="vertical">
            <Form.Item name="unemploymentBenefit" label="失业保险金">
              <Select
                options={UNEMPLOYMENT_BENEFIT.codes.map((c) => ({ value: c, label: UNEMPLOYMENT_BENEFIT.labels[c] }))}
                data-testid="case-benefit"
              />
            </Form.Item>
            <Form.Item name="retraining" label="转岗培训">
              <Input maxLength={200} placeholder="如：电工培训（县就业服务中心）" />
            </Form.Item>
            <Form.Item name="note" label="其他服务">
              <Input.TextArea rows={2} maxLength={500} />
            </Form.Item>
          </Form>
          <Space>
            <Button type="primary" onClick={save} data-testid="case-save">
              保存服务记录
            </Button>
            <Select
              placeholder="结案（无新工作时）"
              style={{ width: 200 }}
              onChange={close}
              options={(['not_seeking', 'moved_away', 'other'] as const).map((c) => ({
                value: c,
                label: `结案：${CASE_CLOSE_REASON.labels[c]}`,
              }))}
            />
          </Space>
          <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
            经推荐录用或登记新的就业后，本转岗服务自动以“重新就业”结案。
          </Typography.Paragraph>
        </>
      )}
    </Drawer>
  );
}

type ListRows = TaskRow | ResponsibilityRow | RetentionRow;

function ListsTab() {
  const me = useMe();
  // The list shown, its region and the retention list's grouping and workplace are the page's
  // filters in the URL; each list's page is its useListQuery's.
  const { filters, setFilters } = useUrlFilters(LISTS_FILTERS);
  const kind = filters.list ?? 'tasks';
  const region = filters.region ?? me.region.code;
  const groupBy = filters.groupBy ?? 'city';
  const shown = kind === 'retention' ? { region, groupBy, workRegion: filters.workRegion } : { region };
  const list = useListQuery<ListRows, Record<string, never>, never, TaskList | Responsibility | RetentionList>(listPath(kind), {
    filters: {},
    fixed: shown,
  });
  const data = list.data;
  return (
    <Card>
      <Space wrap style={{ marginBottom: 12 }}>
        <Segmented
          value={kind}
          data-testid="list-kind"
          onChange={(v) => setFilters({ list: v === 'tasks' ? null : (v as 'responsibility' | 'retention'), workRegion: null })}
          options={[
            { label: '任务清单', value: 'tasks' },
            { label: '责任清单', value: 'responsibility' },
            { label: '稳岗清单', value: 'retention' },
          ]}
        />
        <RegionCascader
          value={region}
          onChange={(code) => setFilters({ region: code === me.region.code ? null : code })}
          rootCode={me.region.code}
          maxLevel="village"
          changeOnSelect
          allowClear={false}
          style={{ width: 280 }}
        />
        <ExportButton path={`${listPath(kind)}/export`} query={{ region }} testId="list-export" />
        <ListsPrint key={kind} list={kind} path={listPath(kind)} query={shown} printedBy={`${me.displayName}（${me.username}）`} />
      </Space>
      <ErrorAlert error={list.error} />
      {kind === 'tasks' && (
        <ListTable<TaskRow>
          rowKey={(r) => r.laborer.id}
          list={{ ...list, data: data as TaskList | null }}
          columns={taskColumns}
          sizeChanger={false}
          unit="人"
          scroll={{ x: 1100 }}
          data-testid="task-table"
        />
      )}
      {kind === 'responsibility' && (
        <>
          {data && <ResponsibilitySummary summary={(data as Responsibility).summary} />}
          <ListTable<ResponsibilityRow>
            rowKey={(r) => r.laborer.id}
            list={{ ...list, data: data as Responsibility | null }}
            sizeChanger={false}
            unit="人"
            columns={responsibilityColumns}
            scroll={{ x: 1100 }}
            data-testid="responsibility-table"
          />
        </>
      )}
      {kind === 'retention' && (
        <RetentionGroups
          data={data as RetentionList | null}
          groupBy={groupBy}
          setGroupBy={(g) => setFilters({ groupBy: g === 'city' ? null : g, workRegion: null })}
          workRegion={filters.workRegion}
          setWorkRegion={(w) => setFilters({ workRegion: w ?? null })}
        >
          <ListTable<RetentionRow>
            rowKey="employmentId"
            // The rows of the workplace picked: their count is itemsTotal (total is everyone's).
            list={{ ...list, data: data ? { items: (data as RetentionList).items, total: (data as RetentionList).itemsTotal } : null }}
            sizeChanger={false}
            unit="人"
            size="small"
            columns={retentionColumns}
            scroll={{ x: 900 }}
            data-testid="retention-table"
          />
        </RetentionGroups>
      )}
    </Card>
  );
}

function ResponsibilitySummary({ summary }: { summary: Responsibility['summary'] }) {
  return (
    <Row gutter={16} style={{ marginBottom: 12 }} data-testid="responsibility-summary">
      <Col span={5}>
        <Statistic title="未就业（户籍县负责）" value={summary.notEmployed} />
      </Col>
      <Col span={5}>
        <Statistic title="已就业（务工地共同负责）" value={summary.employed} />
      </Col>
      <Col span={5}>
        <Statistic title="驻外服务中心跟踪" value={summary.followedByLiaison} />
      </Col>
      <Col span={4}>
        <Statistic title="转岗服务中" value={summary.openCases} />
      </Col>
      <Col span={5}>
        <Statistic title="逾期回访" value={summary.overdueFollowUps} />
      </Col>
    </Row>
  );
}

/** The retention list: the workplaces grouped (a chart and a list to pick one), the people beside them. */
function RetentionGroups({
  data,
  groupBy,
  setGroupBy,
  workRegion,
  setWorkRegion,
  children,
}: {
  data: RetentionList | null;
  groupBy: 'province' | 'city' | 'county';
  setGroupBy: (g: 'province' | 'city' | 'county') => void;
  workRegion?: string;
  setWorkRegion: (w?: string) => void;
  children: ReactNode;
}) {
  const groups = data?.groups ?? [];
  const option = useMemo<ChartOption>(() => {
    const top = groups.slice(0, 20);
    return {
      tooltip: { trigger: 'axis' },
      grid: { left: 8, right: 16, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'value' },
      yAxis: { type: 'category', inverse: true, data: top.map((g) => g.regionName.replace(/^(.*?(省|自治区|市))(.+市)$/, '$3')) },
      series: [
        { type: 'bar', data: top.map((g) => g.laborers), itemStyle: { color: '#1677ff' }, label: { show: true, position: 'right' } },
      ],
    };
  }, [groups]);
  return (
    <Row gutter={16}>
      <Col xs={24} lg={9}>
        <Space style={{ marginBottom: 8 }}>
          <span>按务工地</span>
          <Segmented
            size="small"
            value={groupBy}
            onChange={(v) => setGroupBy(v as typeof groupBy)}
            options={[
              { label: '省', value: 'province' },
              { label: '市', value: 'city' },
              { label: '县', value: 'county' },
            ]}
          />
        </Space>
        {groups.length ? (
          <Chart option={option} height={Math.max(200, Math.min(groups.length, 20) * 26)} data-testid="retention-chart" />
        ) : (
          <Empty description="没有在岗人员" />
        )}
        <List
          size="small"
          dataSource={groups}
          style={{ maxHeight: 240, overflow: 'auto' }}
          data-testid="retention-groups"
          renderItem={(g) => (
            <List.Item
              onClick={() => setWorkRegion(workRegion === g.regionCode ? undefined : g.regionCode)}
              style={{ cursor: 'pointer', background: workRegion === g.regionCode ? '#e6f4ff' : undefined }}
            >
              <span>{g.regionName}</span>
              <Typography.Text strong>{g.laborers} 人</Typography.Text>
            </List.Item>
          )}
        />
      </Col>
      <Col xs={24} lg={15}>
        {children}
      </Col>
    </Row>
  );
}

function RateTab() {
  const me = useMe();
  // The region (of the rates and the risks) and the risk list's sign and page are in the URL.
  const { filters, setFilters } = useUrlFilters(REGION_FILTER);
  const region = filters.region ?? me.region.code;
  const [rates, setRates] = useState<RetentionRate[] | null>(null);
  const [rateError, setRateError] = useState<unknown>(null);
  useEffect(() => {
    setRates(null);
    Promise.all([1, 3, 6, 12].map((months) => api.get<RetentionRate>(RATE_PATH, { region, months, pageSize: 1 }))).then(
      setRates,
      setRateError,
    );
  }, [region]);
  const risks = useListQuery<RiskRow, typeof RISK_FILTERS>(RISKS_PATH, { filters: RISK_FILTERS, fixed: { region } });
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      grid: { left: 8, right: 8, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: ['1 个月', '3 个月', '6 个月', '12 个月'] },
      yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
      series: [
        {
          type: 'bar',
          data: (rates ?? []).map((r) => (r.rate === null ? 0 : Math.round(r.rate * 1000) / 10)),
          itemStyle: { color: '#52c41a' },
          label: { show: true, position: 'top', formatter: '{c}%' },
        },
      ],
    }),
    [rates],
  );
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card size="small">
        <Space wrap>
          <RegionCascader
            value={region}
            onChange={(code) => setFilters({ region: code === me.region.code ? null : code })}
            rootCode={me.region.code}
            maxLevel="village"
            changeOnSelect
            allowClear={false}
            style={{ width: 280 }}
          />
        </Space>
      </Card>
      <Row gutter={16}>
        <Col xs={24} lg={10}>
          <Card title="稳岗率（入职满 N 个月者中 N 个月后仍在岗的比例）" size="small" data-testid="rate-card">
            <ErrorAlert error={rateError} />
            {rates && (
              <>
                <Row gutter={8}>
                  {rates.map((r) => (
                    <Col span={6} key={r.months}>
                      <Statistic title={`${r.months} 个月`} value={pct(r.rate)} data-testid={`rate-${r.months}`} />
                      <Typography.Text type="secondary">
                        {r.retained}/{r.placed}
                      </Typography.Text>
                    </Col>
                  ))}
                </Row>
                <Chart option={option} height={200} data-testid="rate-chart" />
              </>
            )}
          </Card>
        </Col>
        <Col xs={24} lg={14}>
          <Card
            title="离岗风险"
            size="small"
            extra={
              <Select
                allowClear
                placeholder="按迹象筛选"
                style={{ width: 200 }}
                value={risks.filters.sign}
                onChange={(v) => risks.setFilters({ sign: v ?? null })}
                options={RISK_SIGN.codes.map((c) => ({ value: c, label: RISK_SIGN.labels[c] }))}
              />
            }
          >
            <ErrorAlert error={risks.error} />
            <ListTable<RiskRow>
              rowKey="employmentId"
              size="small"
              list={risks}
              columns={riskColumns}
              sizeChanger={false}
              unit="人"
              data-testid="risk-table"
            />
          </Card>
        </Col>
      </Row>
    </Space>
  );
}
