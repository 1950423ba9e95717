import { Card, Space, Typography } from 'antd';
import type { Returnees } from '../../../../contracts/employment.ts';
import { useMe } from '../../app/auth.tsx';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import { ListTable, useListQuery } from '../../components/list/index.ts';
import RegionCascader from '../../components/RegionCascader.tsx';
import { REGION_FILTER, type Returnee, returneeColumns } from './columns.tsx';

/**
 * 本月返乡人员 (issue 20 item 2): the jobs of the region's laborers that ended this month, each with
 * who is to call them (the follow-up's responsible account, else the village officers); masked.
 * The region and the page are in the URL; the caller's own region when it names none.
 */
export default function ReturneesTab() {
  const me = useMe();
  const list = useListQuery<Returnee, typeof REGION_FILTER, never, Returnees>('/api/v1/lists/returnees', {
    filters: REGION_FILTER,
    fixed: { region: me.region.code },
  });
  return (
    <Card>
      <Space wrap style={{ marginBottom: 12 }}>
        <RegionCascader
          value={list.filters.region ?? me.region.code}
          onChange={(code) => list.setFilters({ region: code === me.region.code ? null : code })}
          rootCode={me.region.code}
          maxLevel="village"
          changeOnSelect
          allowClear={false}
          style={{ width: 280 }}
        />
        {list.data && (
          <Typography.Text type="secondary">
            {list.data.from} 至 {list.data.to} 结束工作的劳动力，共 {list.data.total} 人次
          </Typography.Text>
        )}
      </Space>
      <ErrorAlert error={list.error} />
      <ListTable<Returnee>
        data-testid="returnees"
        rowKey="employmentId"
        size="small"
        list={list}
        columns={returneeColumns}
        sizeChanger={false}
        unit="人次"
      />
    </Card>
  );
}
