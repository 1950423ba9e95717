import { useNavigate } from 'react-router-dom';
import { Button, Card, Space } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { CAMPAIGNS_PATH, type Campaign } from '../../api/sms.ts';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import { FilterBar, ListTable, useListQuery } from '../../components/list/index.ts';
import PageHeader from '../../components/PageHeader.tsx';
import { CAMPAIGN_FILTERS, campaignColumns, campaignFilterFields } from './columns.tsx';

/** 短信推送: the region's campaigns with their status and progress. */
export default function SmsCampaignsPage() {
  const navigate = useNavigate();
  const list = useListQuery<Campaign, typeof CAMPAIGN_FILTERS>(CAMPAIGNS_PATH, { filters: CAMPAIGN_FILTERS });
  const load = list.reload;

  return (
    <>
      <PageHeader
        title="短信推送"
        description="点对点短信：按条件为劳动力推送匹配岗位，经另一名工作人员审批后通过短信网关发送；退订号码、夜间（21:00–8:00）和每号每天 50 条上限自动遵守"
        extra={
          <Space>
            <Button icon={<ReloadOutlined />} onClick={load}>
              刷新
            </Button>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/sms/new')} data-testid="sms-new">
              新建短信活动
            </Button>
          </Space>
        }
      />
      <ErrorAlert error={list.error} />
      <Card size="small">
        <FilterBar name="sms-filter" list={list} fields={campaignFilterFields} />
        <ListTable<Campaign>
          rowKey="id"
          size="small"
          list={list}
          columns={campaignColumns}
          sizeChanger={false}
          data-testid="sms-campaigns"
        />
      </Card>
    </>
  );
}
