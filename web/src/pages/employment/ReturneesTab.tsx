import { useState } from 'react';
import { Card, Space, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { END_REASON, type Returnees } from '../../../../contracts/employment.ts';
import { useMe } from '../../app/auth.tsx';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import RegionCascader from '../../components/RegionCascader.tsx';
import { useApiData } from '../../components/useApiData.ts';

const PAGE_SIZE = 20;
type Returnee = Returnees['items'][number];

/**
 * 本月返乡人员 (issue 20 item 2): the jobs of the region's laborers that ended this month, each with
 * who is to call them (the follow-up's responsible account, else the village officers); masked.
 */
export default function ReturneesTab() {
  const me = useMe();
  const [region, setRegion] = useState(me.region.code);
  const [page, setPage] = useState(1);
  const { data, error, loading } = useApiData<Returnees>('/api/v1/lists/returnees', { region, page, pageSize: PAGE_SIZE });
  const columns: TableColumnsType<Returnee> = [
    { title: '姓名', key: 'name', width: 100, render: (_, r) => r.laborer.name },
    { title: '身份证号', key: 'id', width: 180, render: (_, r) => r.laborer.idNumberMasked },
    { title: '手机号', key: 'phone', width: 130, render: (_, r) => r.laborer.phoneMasked ?? '—' },
    { title: '户籍所在村', key: 'village', ellipsis: true, render: (_, r) => r.laborer.villageName },
    { title: '工作地', key: 'work', ellipsis: true, render: (_, r) => r.workRegionName },
    { title: '用人单位', key: 'employer', ellipsis: true, render: (_, r) => r.employer ?? '—' },
    { title: '入职', key: 'started', width: 110, render: (_, r) => r.startedOn },
    { title: '离岗', key: 'ended', width: 110, render: (_, r) => r.endedOn },
    { title: '离岗原因', key: 'reason', width: 110, render: (_, r) => (r.endReason ? END_REASON.labels[r.endReason] : '—') },
    {
      title: '责任人',
      key: 'responsible',
      render: (_, r) =>
        r.responsible.length
          ? r.responsible.map((p) => `${p.name}（${p.kind === 'follow_up' ? '回访责任人' : '村级信息员'}）`).join('、')
          : '—',
    },
  ];
  return (
    <Card>
      <Space wrap style={{ marginBottom: 12 }}>
        <RegionCascader
          value={region}
          onChange={(code) => {
            setRegion(code ?? me.region.code);
            setPage(1);
          }}
          rootCode={me.region.code}
          maxLevel="village"
          changeOnSelect
          allowClear={false}
          style={{ width: 280 }}
        />
        {data && (
          <Typography.Text type="secondary">
            {data.from} 至 {data.to} 结束工作的劳动力，共 {data.total} 人次
          </Typography.Text>
        )}
      </Space>
      <ErrorAlert error={error} />
      <Table<Returnee>
        data-testid="returnees"
        rowKey="employmentId"
        size="small"
        loading={loading}
        columns={columns}
        dataSource={data?.items ?? []}
        pagination={{ current: page, pageSize: PAGE_SIZE, total: data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
      />
    </Card>
  );
}
