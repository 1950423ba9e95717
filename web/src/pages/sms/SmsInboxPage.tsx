import { useState } from 'react';
import { App, Card, Segmented } from 'antd';
import { api } from '../../api/client.ts';
import { INBOX_PATH, type InboxItem } from '../../api/sms.ts';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import { ListTable, param, useListQuery, useUrlFilters } from '../../components/list/index.ts';
import PageHeader from '../../components/PageHeader.tsx';
import { inboxColumns } from './columns.tsx';

/** 短信回复: replies of the region's laborers (TD / 退订 are opt-outs, already in force), to handle. */
export default function SmsInboxPage() {
  const { message } = App.useApp();
  // The open replies unless the URL says show=all (the API's `handled` has no word for "all").
  const view = useUrlFilters({ show: param.oneOf(['all'] as const) });
  const list = useListQuery<InboxItem, Record<string, never>>(INBOX_PATH, {
    filters: {},
    fixed: view.filters.show === 'all' ? {} : { handled: false },
  });
  const [markError, setMarkError] = useState<unknown>(null);

  const markHandled = async (id: string) => {
    try {
      await api.post(`${INBOX_PATH}/${id}/handled`);
      setMarkError(null);
      message.success('已标记为已处理');
      list.reload();
    } catch (e) {
      setMarkError(e);
    }
  };

  return (
    <>
      <PageHeader title="短信回复" description="本辖区劳动力回复的短信：回复 TD 或“退订”即不再发送；其他回复请联系本人处理" />
      <ErrorAlert error={markError ?? list.error} />
      <Card size="small">
        <Segmented
          style={{ marginBottom: 12 }}
          value={view.filters.show ?? 'open'}
          onChange={(v) => view.setFilters({ show: v === 'all' ? 'all' : undefined })}
          options={[
            { value: 'open', label: '待处理' },
            { value: 'all', label: '全部' },
          ]}
        />
        <ListTable<InboxItem>
          rowKey="id"
          size="small"
          list={list}
          columns={inboxColumns(markHandled)}
          sizeChanger={false}
          data-testid="sms-inbox"
        />
      </Card>
    </>
  );
}
