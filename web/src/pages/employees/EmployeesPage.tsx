import { useState } from 'react';
import { App, Button, Card, Descriptions, Drawer, Segmented, Table, Tag } from 'antd';
import { api } from '../../api/client.ts';
import type { TableColumnsType } from 'antd';
import {
  EMPLOYMENTS_PATH,
  FOLLOW_UP_METHOD,
  FOLLOW_UP_STATUS,
  employmentPath,
  type Employment,
  type EmploymentDetail,
  type FollowUp,
} from '../../api/employment.ts';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import { ListTable, useListQuery, useUrlFilters } from '../../components/list/index.ts';
import PageHeader from '../../components/PageHeader.tsx';
import { useApiData } from '../../components/useApiData.ts';
import { EMPLOYEE_FILTERS, EMPLOYEE_STATUS, employeeColumns } from './columns.tsx';

const label = <T extends Record<string, string>>(labels: T, code: string | null) => (code ? (labels[code] ?? code) : '—');

/**
 * 本单位职工 at /employees (issue 18 item 6): an employer's employees recorded on the platform,
 * current and past, each with the follow-ups of its employment (入职后 1、3、6、12 个月回访).
 */
export default function EmployeesPage() {
  // The status is the page's (在职 unless the URL says otherwise; 全部 sends none to the API).
  const { filters, setFilters } = useUrlFilters(EMPLOYEE_FILTERS);
  const status = filters.status ?? 'open';
  const list = useListQuery<Employment, Record<string, never>>(EMPLOYMENTS_PATH, {
    filters: {},
    fixed: status === 'all' ? {} : { status },
  });
  const [opened, setOpened] = useState<string | null>(null);
  return (
    <>
      <PageHeader
        title="本单位职工"
        description="经平台登记在本单位就业的劳动力：在职和已离职人员，以及入职后 1、3、6、12 个月的回访情况"
      />
      <Card>
        <Segmented
          value={status}
          onChange={(v) => setFilters({ status: v === 'open' ? null : (v as 'ended' | 'all') })}
          options={Object.entries(EMPLOYEE_STATUS).map(([value, text]) => ({ value, label: text }))}
          style={{ marginBottom: 16 }}
          data-testid="employee-status"
        />
        <ErrorAlert error={list.error} />
        <ListTable<Employment>
          rowKey="id"
          list={list}
          columns={employeeColumns(setOpened)}
          sizeChanger={false}
          scroll={{ x: 1200 }}
          data-testid="employees-table"
          rowTestId={(e) => `employee-row-${e.id}`}
        />
      </Card>
      <FollowUpsDrawer id={opened} onClose={() => setOpened(null)} />
    </>
  );
}

function FollowUpsDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { data, error, reload } = useApiData<EmploymentDetail>(id ? employmentPath(id) : null);
  const { message } = App.useApp();
  const [confirming, setConfirming] = useState(false);
  // The employer's word that the person still works here: a confirmation of the job today (issue 21 item 3).
  const confirm = async () => {
    setConfirming(true);
    try {
      await api.post(`${employmentPath(id!)}/confirmations`, {});
      message.success('已确认在岗');
      await reload();
    } catch (e) {
      message.error((e as Error).message);
    } finally {
      setConfirming(false);
    }
  };
  const columns: TableColumnsType<FollowUp> = [
    { title: '回访', key: 'months', width: 90, render: (_, f) => `第 ${f.months} 个月` },
    { title: '应回访日期', dataIndex: 'dueOn', width: 110 },
    {
      title: '状态',
      key: 'status',
      width: 130,
      render: (_, f) => (f.overdue ? <Tag color="red">已逾期</Tag> : <Tag>{label(FOLLOW_UP_STATUS.labels, f.status)}</Tag>),
    },
    { title: '回访日期', key: 'done', width: 110, render: (_, f) => f.doneOn ?? '—' },
    { title: '方式', key: 'method', width: 110, render: (_, f) => label(FOLLOW_UP_METHOD.labels, f.method) },
    {
      title: '是否在岗',
      key: 'still',
      width: 90,
      render: (_, f) => (f.stillEmployed === null ? '—' : f.stillEmployed ? '在岗' : '已离岗'),
    },
    { title: '反映的问题', key: 'problems', ellipsis: true, render: (_, f) => f.problems ?? '—' },
  ];
  const e = data?.employment;
  return (
    <Drawer open={id !== null} onClose={onClose} width={860} title={e ? `${e.laborer.name} 的回访记录` : '回访记录'} destroyOnHidden>
      <ErrorAlert error={error} />
      {e && (
        <Descriptions
          size="small"
          column={2}
          style={{ marginBottom: 16 }}
          items={[
            { key: 'work', label: '工作地', children: e.workRegionName },
            { key: 'start', label: '在职期间', children: `${e.startedOn} 至 ${e.endedOn ?? '今'}` },
            {
              key: 'evidence',
              label: '核实情况',
              span: 2,
              children: (
                <span data-testid="employee-evidence">
                  {data.evidence.length
                    ? data.evidence
                        .slice(0, 3)
                        .map((v) => `${v.kindLabel} ${v.on}`)
                        .join('；')
                    : '尚无确认（录入未核实）'}
                  {!e.endedOn && (
                    <Button size="small" style={{ marginLeft: 12 }} loading={confirming} onClick={confirm} data-testid="employee-confirm">
                      确认仍在岗
                    </Button>
                  )}
                </span>
              ),
            },
          ]}
        />
      )}
      <Table<FollowUp>
        rowKey="id"
        size="small"
        pagination={false}
        columns={columns}
        dataSource={data?.followUps ?? []}
        data-testid="employee-follow-up-table"
      />
    </Drawer>
  );
}
