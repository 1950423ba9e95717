import { useCallback, useEffect, useState } from 'react';
import { App, Button, DatePicker, Drawer, Form, Input, InputNumber, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { api } from '../../api/client.ts';
import {
  CERTIFICATE_KIND,
  SUBSIDY_STATUS,
  TRAINING_ATTENDANCE_SHARE,
  TRAINING_CLASS_STATUS,
  TRAINING_CLASSES_PATH,
  TRAINING_RESULT,
  TRAINING_STATUS_COLORS,
  trainingClassPath,
  type FinishResult,
  type Roster,
  type Trainee,
  type TrainingClass,
  type TrainingClassList,
} from '../../api/training.ts';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import { OccupationCascader } from '../../components/CodeCascader.tsx';
import { ListTable, ModalForm, useListQuery } from '../../components/list/index.ts';
import PageHeader from '../../components/PageHeader.tsx';
import { trainingClassColumns } from './columns.tsx';

const DAY = 'YYYY-MM-DD';
const PERCENT = Math.round(TRAINING_ATTENDANCE_SHARE * 100);

/** 职业培训班: classes of the region, each with its roster (花名册), hours attended, 结业 and certificates. */
export default function TrainingPage() {
  const list = useListQuery<TrainingClass, Record<string, never>, never, TrainingClassList>(TRAINING_CLASSES_PATH, { filters: {} });
  const load = list.reload;
  const [creating, setCreating] = useState(false);
  const [open, setOpen] = useState<string | null>(null);

  return (
    <>
      <PageHeader
        title="培训班"
        description={`职业培训班：报名进花名册，登记出勤课时；结业时出勤达到总课时 ${PERCENT}% 的人员记入职业培训服务记录、生成培训补贴申请（每人每班一次），再登记证书`}
        extra={
          <Space>
            <Button type="primary" icon={<PlusOutlined />} data-testid="training-create" onClick={() => setCreating(true)}>
              开办培训班
            </Button>
            <Button icon={<ReloadOutlined />} onClick={load}>
              刷新
            </Button>
          </Space>
        }
      />
      <ErrorAlert error={list.error} />
      <ListTable<TrainingClass>
        rowKey="id"
        data-testid="training-table"
        list={list}
        columns={trainingClassColumns(setOpen)}
        sizeChanger={false}
        unit="个班"
      />
      <CreateClassModal
        open={creating}
        onClose={(saved) => {
          setCreating(false);
          if (saved) load();
        }}
      />
      {open && (
        <RosterDrawer
          classId={open}
          onClose={() => {
            setOpen(null);
            load();
          }}
        />
      )}
    </>
  );
}

interface ClassValues {
  institution: string;
  course: string;
  occupationCode: string;
  hours: number;
  startsOn: Dayjs;
  endsOn: Dayjs;
  subsidyPerPerson?: number;
  regionCode?: string;
}

/** 开办培训班: a new form on each opening; the organising region is the caller's unless a region below it is given. */
function CreateClassModal({ open, onClose }: { open: boolean; onClose: (saved: boolean) => void }) {
  const { message } = App.useApp();
  return (
    <ModalForm<ClassValues>
      open={open}
      title="开办职业培训班"
      okTestId="training-save"
      initialValues={{ hours: 40, subsidyPerPerson: 0 }}
      onClose={onClose}
      onSubmit={async (v) => {
        await api.post(TRAINING_CLASSES_PATH, {
          institution: v.institution,
          course: v.course,
          occupationCode: v.occupationCode,
          hours: v.hours,
          startsOn: v.startsOn.format(DAY),
          endsOn: v.endsOn.format(DAY),
          subsidyPerPerson: v.subsidyPerPerson ?? 0,
          regionCode: v.regionCode || undefined,
        });
        message.success('培训班已开办');
      }}
    >
      <Form.Item name="institution" label="培训机构" rules={[{ required: true, whitespace: true, message: '请输入培训机构' }]}>
        <Input data-testid="training-institution" maxLength={100} />
      </Form.Item>
      <Form.Item name="course" label="培训项目" rules={[{ required: true, whitespace: true, message: '请输入培训项目' }]}>
        <Input data-testid="training-course" maxLength={100} />
      </Form.Item>
      <Form.Item name="occupationCode" label="职业（工种）" rules={[{ required: true, message: '请选择职业' }]}>
        <OccupationCascader data-testid="training-occupation" />
      </Form.Item>
      <Form.Item name="hours" label="总课时" rules={[{ required: true, message: '请输入课时' }]}>
        <InputNumber data-testid="training-hours" min={0.5} max={2000} step={0.5} />
      </Form.Item>
      <Form.Item name="startsOn" label="开始日期" rules={[{ required: true, message: '请选择开始日期' }]}>
        <DatePicker data-testid="training-starts" />
      </Form.Item>
      <Form.Item
        name="endsOn"
        label="结束日期"
        dependencies={['startsOn']}
        rules={[
          { required: true, message: '请选择结束日期' },
          ({ getFieldValue }) => ({
            validator: (_, value: Dayjs | undefined) =>
              value && getFieldValue('startsOn') && value.isBefore(getFieldValue('startsOn'), 'day')
                ? Promise.reject(new Error('结束日期不能早于开始日期'))
                : Promise.resolve(),
          }),
        ]}
      >
        <DatePicker data-testid="training-ends" />
      </Form.Item>
      <Form.Item name="subsidyPerPerson" label="每人培训补贴（元，结业人员）">
        <InputNumber data-testid="training-subsidy" min={0} max={100000} />
      </Form.Item>
      <Form.Item
        name="regionCode"
        label="组织地区代码（默认本人所在地区）"
        rules={[{ pattern: /^(\d{6}|\d{9})$/, message: '请输入县或乡镇区划代码' }]}
      >
        <Input placeholder="如 430522107（龙溪铺镇）" />
      </Form.Item>
    </ModalForm>
  );
}

interface CertificateValues {
  kind: string;
  number: string;
}

function RosterDrawer({ classId, onClose }: { classId: string; onClose: () => void }) {
  const { message, modal } = App.useApp();
  const [roster, setRoster] = useState<Roster | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [found, setFound] = useState<{ value: string; label: string }[]>([]);
  const [picked, setPicked] = useState<string[]>([]);
  const [hours, setHours] = useState<Record<string, number | null>>({});
  const [certifying, setCertifying] = useState<Trainee | null>(null);

  const load = useCallback(async () => {
    try {
      setRoster(await api.get<Roster>(trainingClassPath(classId, '/roster')));
    } catch (e) {
      setError(e);
    }
  }, [classId]);
  useEffect(() => {
    load();
  }, [load]);

  const act = async (tail: string, body: object | undefined, done: string) => {
    try {
      setRoster(await api.post<Roster>(trainingClassPath(classId, tail), body));
      message.success(done);
      return true;
    } catch (e) {
      message.error((e as Error).message);
      return false;
    }
  };
  // The laborers of the class's region, searched by name or the last digits of the ID number.
  const search = async (q: string) => {
    if (!q.trim() || !roster) return;
    try {
      const r = await api.get<{ items: { id: string; name: string; idNumberMasked: string; homeVillage: { fullName: string } }[] }>(
        '/api/v1/laborers',
        { q: q.trim(), region: roster.trainingClass.region.code, pageSize: 20 },
      );
      setFound(r.items.map((l) => ({ value: l.id, label: `${l.name} ${l.idNumberMasked} ${l.homeVillage.fullName}` })));
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  const finish = () =>
    modal.confirm({
      title: '确认结业',
      content: `出勤达到 ${roster?.requiredHours ?? ''} 课时（总课时 ${PERCENT}%）的人员结业，记入职业培训服务记录${
        roster?.trainingClass.subsidyPerPerson ? `，并生成每人 ${roster.trainingClass.subsidyPerPerson} 元的培训补贴申请` : ''
      }。结业后花名册和课时不能再修改。`,
      okText: '结业',
      onOk: async () => {
        try {
          const r = await api.post<FinishResult>(trainingClassPath(classId, '/finish'));
          setRoster(r.roster);
          message.success(
            `结业 ${r.completed} 人、未结业 ${r.notCompleted} 人；记入培训服务记录 ${r.recordsCreated} 人；生成培训补贴申请 ${r.subsidiesCreated} 人，共 ${r.amount} 元${
              r.subsidiesSkipped ? `（${r.subsidiesSkipped} 人已有该期间的培训补贴，未重复生成）` : ''
            }`,
          );
        } catch (e) {
          message.error((e as Error).message);
        }
      },
    });

  const c = roster?.trainingClass;
  const open = c?.status === 'open';
  const changed = Object.entries(hours).filter(([, h]) => h !== null && h !== undefined) as [string, number][];
  const columns: TableColumnsType<Trainee> = [
    { title: '姓名', dataIndex: 'name' },
    { title: '身份证号', dataIndex: 'idNumberMasked' },
    { title: '手机号', render: (_, p) => p.phoneMasked ?? '—' },
    { title: '村', dataIndex: 'villageName' },
    {
      title: '出勤课时',
      render: (_, p) =>
        open ? (
          <InputNumber
            size="small"
            data-testid={`hours-${p.laborerId}`}
            min={0}
            max={c?.hours}
            step={0.5}
            value={hours[p.laborerId] ?? p.hoursAttended}
            onChange={(v) => setHours((h) => ({ ...h, [p.laborerId]: v }))}
          />
        ) : (
          p.hoursAttended
        ),
    },
    {
      title: '结业',
      render: (_, p) =>
        p.result ? (
          <Tag color={p.result === 'completed' ? 'green' : 'default'} data-testid={`result-${p.laborerId}`}>
            {TRAINING_RESULT.labels[p.result]}
          </Tag>
        ) : p.meetsAttendance ? (
          <Typography.Text type="success">出勤达标</Typography.Text>
        ) : (
          <Typography.Text type="secondary">未达 {roster?.requiredHours} 课时</Typography.Text>
        ),
    },
    {
      title: '证书',
      render: (_, p) =>
        p.certificateNo ? (
          <span data-testid={`certificate-${p.laborerId}`}>
            {CERTIFICATE_KIND.labels[p.certificateKind!]} {p.certificateNo}
          </span>
        ) : p.result === 'completed' ? (
          <Button size="small" type="link" data-testid={`certify-${p.laborerId}`} onClick={() => setCertifying(p)}>
            登记证书
          </Button>
        ) : (
          '—'
        ),
    },
    {
      title: '培训补贴',
      render: (_, p) =>
        p.subsidy ? (
          <span data-testid={`subsidy-${p.laborerId}`}>
            {p.subsidy.amount} 元 · {SUBSIDY_STATUS.labels[p.subsidy.status as keyof typeof SUBSIDY_STATUS.labels] ?? p.subsidy.status}
          </span>
        ) : (
          '—'
        ),
    },
  ];

  return (
    <Drawer open width={1000} title="培训班花名册" onClose={onClose} data-testid="roster-drawer">
      <ErrorAlert error={error} />
      {c && (
        <>
          <Typography.Paragraph data-testid="roster-summary">
            {c.course} · {c.institution} · {c.occupation.name} · {c.region.name} · {c.startsOn} 至 {c.endsOn} · 总课时 {c.hours}（结业须出勤{' '}
            {roster!.requiredHours} 课时） · <Tag color={TRAINING_STATUS_COLORS[c.status]}>{TRAINING_CLASS_STATUS.labels[c.status]}</Tag>{' '}
            报名 {c.enrolled} 人，结业 {c.completed} 人，证书 {c.certified} 本，培训补贴已入台账 {c.subsidyPersons} 人 {c.subsidyTotal} 元
          </Typography.Paragraph>
          {open && (
            <Space wrap style={{ marginBottom: 12 }}>
              <Select
                mode="multiple"
                showSearch
                filterOption={false}
                style={{ minWidth: 360 }}
                placeholder="输入姓名或身份证号后几位查找本地区劳动力"
                data-testid="roster-search"
                value={picked}
                onChange={setPicked}
                onSearch={search}
                options={found}
              />
              <Button
                disabled={!picked.length}
                data-testid="roster-add"
                onClick={async () => {
                  if (await act('/roster', { laborerIds: picked }, '已加入花名册')) setPicked([]);
                }}
              >
                加入花名册
              </Button>
              <Button
                disabled={!changed.length}
                data-testid="hours-save"
                onClick={async () => {
                  const entries = changed.map(([laborerId, h]) => ({ laborerId, hours: h }));
                  if (await act('/attendance', { entries }, '出勤课时已登记')) setHours({});
                }}
              >
                保存出勤课时
              </Button>
              <Button type="primary" data-testid="training-finish" disabled={!c.enrolled || !!changed.length} onClick={finish}>
                结业
              </Button>
            </Space>
          )}
          <Table
            rowKey="laborerId"
            size="small"
            data-testid="roster-table"
            columns={columns}
            dataSource={roster!.trainees}
            pagination={false}
          />
        </>
      )}
      <ModalForm<CertificateValues>
        open={certifying !== null}
        title={`登记${certifying?.name ?? ''}的证书`}
        okTestId="certificate-save"
        initialValues={{ kind: 'skill_level' }}
        onClose={() => setCertifying(null)}
        onSubmit={async (v) => {
          setRoster(
            await api.post<Roster>(trainingClassPath(classId, '/certificates'), {
              laborerId: certifying!.laborerId,
              kind: v.kind,
              number: v.number.trim(),
            }),
          );
          message.success('证书已登记');
        }}
      >
        <Form.Item name="kind" label="证书种类" rules={[{ required: true }]}>
          <Select
            data-testid="certificate-kind"
            options={CERTIFICATE_KIND.codes.map((k) => ({ value: k, label: CERTIFICATE_KIND.labels[k] }))}
          />
        </Form.Item>
        <Form.Item name="number" label="证书编号" rules={[{ required: true, whitespace: true, message: '请输入证书编号' }]}>
          <Input data-testid="certificate-number" maxLength={60} />
        </Form.Item>
      </ModalForm>
    </Drawer>
  );
}
