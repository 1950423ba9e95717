import { useCallback, useEffect, useState } from 'react';
import { Button, DatePicker, Form, Input, Radio, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { api } from '../../api/client.ts';
import { VISIT_RESULT, type Visit, type VisitList, type VisitRoster, WORKSHOPS_PATH } from '../../api/workshops.ts';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import { ModalForm } from '../../components/list/index.ts';
import ScrollTable from '../../components/ScrollTable.tsx';
import { chinaNow } from '../../app/format.ts';

const DAY = 'YYYY-MM-DD';
type Result = keyof typeof VISIT_RESULT.labels;
const resultColor: Record<Result, string> = { at_work: 'green', not_found: 'orange', left: 'red' };

/**
 * 巡诊 of a 就业扶贫基地 (湘潭's practice, issue 20 item 8): the visits with what was found, and for
 * the visitors a new visit — the poor laborers employed there on the visit's day (from the
 * employment records) ticked one by one: 在岗, 未见到 or 已离职, with a note.
 */
export default function VisitsTab({ id, visitor }: { id: string; visitor: boolean }) {
  const [visits, setVisits] = useState<VisitList | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [open, setOpen] = useState(false);
  const [roster, setRoster] = useState<VisitRoster | null>(null);
  const [checks, setChecks] = useState<Record<string, { result: Result; note: string }>>({});
  const load = useCallback(() => api.get<VisitList>(`${WORKSHOPS_PATH}/${id}/visits`).then(setVisits, setError), [id]);
  useEffect(() => {
    void load();
  }, [load]);
  const loadRoster = (on: Dayjs) =>
    api.get<VisitRoster>(`${WORKSHOPS_PATH}/${id}/visits/roster`, { on: on.format(DAY) }).then((r) => {
      setRoster(r);
      setChecks(Object.fromEntries(r.items.map((i) => [i.laborerId, { result: 'at_work' as Result, note: '' }])));
    }, setError);
  const start = () => {
    setRoster(null);
    setOpen(true);
    void loadRoster(chinaNow());
  };
  const check = (laborerId: string, change: Partial<{ result: Result; note: string }>) =>
    setChecks((c) => ({ ...c, [laborerId]: { ...c[laborerId]!, ...change } }));

  return (
    <>
      <ErrorAlert error={error} testId="visits-error" />
      {visitor && (
        <Button type="primary" onClick={start} style={{ marginBottom: 12 }} data-testid="visit-new">
          登记巡诊
        </Button>
      )}
      <Table<Visit>
        rowKey="id"
        size="small"
        dataSource={visits?.items ?? []}
        pagination={{ pageSize: 10 }}
        data-testid="visit-table"
        locale={{ emptyText: '暂无巡诊记录' }}
        expandable={{
          expandedRowRender: (v) => (
            <Space direction="vertical" size={2}>
              {v.checks.map((c) => (
                <span key={c.laborerId}>
                  {c.name}（{c.idNumberMasked}）<Tag color={resultColor[c.result]}>{VISIT_RESULT.labels[c.result]}</Tag>
                  {c.note}
                </span>
              ))}
            </Space>
          ),
        }}
        columns={[
          { title: '巡诊日期', dataIndex: 'visitedOn', width: 110 },
          { title: '巡诊人', dataIndex: 'visitor', width: 90, render: (v: string | null) => v ?? '—' },
          { title: '情况', dataIndex: 'findings' },
          {
            title: '核查结果',
            width: 220,
            render: (_, v) => `在岗 ${v.counts.at_work} 人，未见到 ${v.counts.not_found} 人，已离职 ${v.counts.left} 人`,
          },
        ]}
      />
      <ModalForm<{ visitedOn: Dayjs; findings: string }>
        open={open}
        title="登记巡诊"
        okText="保存巡诊记录"
        okTestId="visit-ok"
        errorTestId="visit-error"
        name="visit"
        width={820}
        initialValues={{ visitedOn: chinaNow() }}
        formProps={{
          onValuesChange: (changed: { visitedOn?: Dayjs }) => {
            if (changed.visitedOn) void loadRoster(changed.visitedOn);
          },
        }}
        onSubmit={(v) =>
          api.post<Visit>(`${WORKSHOPS_PATH}/${id}/visits`, {
            visitedOn: v.visitedOn.format(DAY),
            findings: v.findings.trim(),
            checks: (roster?.items ?? []).map((i) => ({
              laborerId: i.laborerId,
              result: checks[i.laborerId]?.result ?? 'at_work',
              ...(checks[i.laborerId]?.note.trim() ? { note: checks[i.laborerId]!.note.trim() } : {}),
            })),
          })
        }
        onClose={(saved) => {
          setOpen(false);
          if (saved) void load();
        }}
      >
        <Form.Item name="visitedOn" label="巡诊日期" rules={[{ required: true }]}>
          <DatePicker allowClear={false} disabledDate={(d) => d.isAfter(chinaNow(), 'day')} data-testid="visit-on" />
        </Form.Item>
        <Form.Item name="findings" label="巡诊情况" rules={[{ required: true, min: 2, message: '请填写巡诊情况' }]}>
          <Input.TextArea rows={2} maxLength={2000} data-testid="visit-findings" />
        </Form.Item>
        <Typography.Paragraph type="secondary">
          巡诊当日按就业记录在该基地就业的贫困劳动力 {roster?.items.length ?? 0} 人，须逐一核查。
        </Typography.Paragraph>
        <ScrollTable
          rowKey="laborerId"
          size="small"
          dataSource={roster?.items ?? []}
          loading={!roster}
          pagination={false}
          scroll={{ y: 360 }}
          data-testid="visit-roster"
          onRow={(r) => ({ 'data-testid': `visit-check-${r.laborerId}` }) as never}
          columns={[
            { title: '姓名', dataIndex: 'name', width: 90 },
            { title: '身份证号', dataIndex: 'idNumberMasked', width: 170 },
            { title: '入职日期', dataIndex: 'startedOn', width: 100 },
            {
              title: '核查',
              width: 230,
              render: (_, r) => (
                <Radio.Group
                  size="small"
                  value={checks[r.laborerId]?.result}
                  onChange={(e) => check(r.laborerId, { result: e.target.value as Result })}
                  options={Object.entries(VISIT_RESULT.labels).map(([value, label]) => ({ value, label }))}
                />
              ),
            },
            {
              title: '备注',
              render: (_, r) => (
                <Input
                  size="small"
                  maxLength={200}
                  value={checks[r.laborerId]?.note}
                  onChange={(e) => check(r.laborerId, { note: e.target.value })}
                />
              ),
            },
          ]}
        />
      </ModalForm>
    </>
  );
}
