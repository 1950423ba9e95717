import { useState } from 'react';
import { Button, Card, DatePicker, Form, Input, Select, Typography } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { SCHOOL_ENROLMENTS_PATH } from '../../../../contracts/paths.ts';
import { type Enrolment, type EnrolmentList, SCHOOL_KIND } from '../../../../contracts/schooling.ts';
import { api } from '../../api/client.ts';
import { useMe } from '../../app/auth.tsx';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import { ListTable, ModalForm, useListQuery } from '../../components/list/index.ts';
import PageHeader from '../../components/PageHeader.tsx';
import RegionCascader from '../../components/RegionCascader.tsx';
import LaborerSelect from '../service-records/LaborerSelect.tsx';

const DAY = 'YYYY-MM-DD';

/** 两后生就读: the region's school enrolments — school, programme, started, finished — and the job after finishing. */
export default function SchoolEnrolmentsPage() {
  const me = useMe();
  const list = useListQuery<Enrolment, Record<string, never>, never, EnrolmentList>(SCHOOL_ENROLMENTS_PATH, {
    filters: {},
    fixed: { region: me.region.code },
  });
  const [creating, setCreating] = useState(false);
  const [finishing, setFinishing] = useState<Enrolment | null>(null);
  const columns = [
    {
      key: 'laborer',
      title: '劳动力',
      render: (_: unknown, e: Enrolment) => (
        <span>
          {e.laborer.name} <Typography.Text type="secondary">{e.laborer.idNumberMasked}</Typography.Text>
        </span>
      ),
    },
    { key: 'village', title: '所在村', render: (_: unknown, e: Enrolment) => e.laborer.villageName },
    {
      key: 'school',
      title: '学校',
      render: (_: unknown, e: Enrolment) => `${e.schoolName}（${SCHOOL_KIND.labels[e.schoolKind]}，${e.schoolRegion.name}）`,
    },
    { key: 'programme', title: '专业', dataIndex: 'programme' },
    { key: 'startedOn', title: '入学日期', dataIndex: 'startedOn' },
    {
      key: 'finishedOn',
      title: '毕业日期',
      render: (_: unknown, e: Enrolment) =>
        e.finishedOn ?? (
          <Button size="small" onClick={() => setFinishing(e)} data-testid={`enrolment-finish-${e.id}`}>
            登记毕业
          </Button>
        ),
    },
    {
      key: 'job',
      title: '毕业后就业',
      render: (_: unknown, e: Enrolment) =>
        e.job ? `${e.job.employer ?? '—'}（${e.job.startedOn} 起${e.job.endedOn ? `，${e.job.endedOn} 离职` : ''}）` : '—',
    },
  ];
  return (
    <>
      <PageHeader
        title="两后生就读"
        description="贫困家庭两后生入读技工学校、技师学院的登记：毕业后的就业取自就业记录；劳务协作协议的“招收贫困家庭学生”按此计算"
        extra={
          <>
            <Button icon={<ReloadOutlined />} onClick={list.reload}>
              刷新
            </Button>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="enrolment-new">
              登记就读
            </Button>
          </>
        }
      />
      <ErrorAlert error={list.error} testId="enrolment-error" />
      <Card size="small">
        <ListTable<Enrolment> rowKey="id" size="small" list={list} columns={columns} data-testid="enrolment-table" />
      </Card>
      <ModalForm<{
        laborerId: string;
        schoolName: string;
        schoolKind: string;
        schoolRegionCode: string;
        programme: string;
        startedOn: Dayjs;
        finishedOn?: Dayjs;
      }>
        open={creating}
        title="登记两后生就读"
        okText="登记"
        okTestId="enrolment-submit"
        initialValues={{ schoolKind: 'technical_school' }}
        onClose={(saved) => {
          setCreating(false);
          if (saved) list.reload();
        }}
        onSubmit={async (v) => {
          await api.post(SCHOOL_ENROLMENTS_PATH, {
            laborerId: v.laborerId,
            schoolName: v.schoolName,
            schoolKind: v.schoolKind,
            schoolRegionCode: v.schoolRegionCode,
            programme: v.programme,
            startedOn: v.startedOn.format(DAY),
            ...(v.finishedOn ? { finishedOn: v.finishedOn.format(DAY) } : {}),
          });
        }}
      >
        <Form.Item name="laborerId" label="劳动力" rules={[{ required: true, message: '请选择劳动力' }]}>
          <LaborerSelect data-testid="enrolment-laborer" />
        </Form.Item>
        <Form.Item name="schoolName" label="学校名称" rules={[{ required: true, message: '请填写学校名称' }]}>
          <Input maxLength={100} data-testid="enrolment-school" />
        </Form.Item>
        <Form.Item name="schoolKind" label="学校类别" rules={[{ required: true }]}>
          <Select options={SCHOOL_KIND.codes.map((c) => ({ value: c, label: SCHOOL_KIND.labels[c] }))} />
        </Form.Item>
        <Form.Item name="schoolRegionCode" label="学校所在地" rules={[{ required: true, message: '请选择学校所在地' }]}>
          <RegionCascader maxLevel="county" changeOnSelect data-testid="enrolment-school-region" />
        </Form.Item>
        <Form.Item name="programme" label="专业" rules={[{ required: true, message: '请填写专业' }]}>
          <Input maxLength={100} data-testid="enrolment-programme" />
        </Form.Item>
        <Form.Item name="startedOn" label="入学日期" rules={[{ required: true, message: '请选择入学日期' }]}>
          <DatePicker data-testid="enrolment-started" />
        </Form.Item>
        <Form.Item name="finishedOn" label="毕业日期（已毕业时填写）">
          <DatePicker />
        </Form.Item>
      </ModalForm>
      <ModalForm<{ finishedOn: Dayjs }>
        open={finishing !== null}
        title={`登记毕业：${finishing?.laborer.name ?? ''}`}
        okText="登记"
        okTestId="enrolment-finish-submit"
        onClose={(saved) => {
          setFinishing(null);
          if (saved) list.reload();
        }}
        onSubmit={async (v) => {
          if (finishing) await api.post(`${SCHOOL_ENROLMENTS_PATH}/${finishing.id}/finish`, { finishedOn: v.finishedOn.format(DAY) });
        }}
      >
        <Form.Item name="finishedOn" label="毕业（结业）日期" rules={[{ required: true, message: '请选择日期' }]}>
          <DatePicker data-testid="enrolment-finished-on" />
        </Form.Item>
      </ModalForm>
    </>
  );
}
