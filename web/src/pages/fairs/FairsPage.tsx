import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { App, Button, Card, DatePicker, Form, Input, Segmented, Select, Space, Table } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { api } from '../../api/client.ts';
import {
  FAIR_MODE,
  FAIR_RESULTS_PATH,
  FAIRS_PATH,
  FIGURE_COLUMNS,
  type Fair,
  type FairDetail,
  type FairFigures,
  type FairList,
  type FairResults,
} from '../../api/fairs.ts';
import { POSTINGS_PATH } from '../../api/postings.ts';
import { useMe } from '../../app/auth.tsx';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import { ListTable, ModalForm, useListQuery } from '../../components/list/index.ts';
import PageHeader from '../../components/PageHeader.tsx';
import { useApiData } from '../../components/useApiData.ts';
import { FAIR_FILTERS, fairColumns } from './columns.tsx';

interface FairValues {
  title: string;
  mode: 'online' | 'offline';
  heldOn: Dayjs;
  villageCode?: string;
  address?: string;
  organiserName?: string;
  postingIds?: string[];
}
type ResultRow = FairFigures & { key: string; label: string };

/**
 * 招聘会 at /fairs: the fairs of the caller's region with their figures, the article's results
 * table (场次、参会人数、其中贫困劳动力、达成就业意向、其中贫困劳动力、录用) for a period, and a form
 * to hold a new fair (online or offline, optionally at a village's door, with its postings).
 */
export default function FairsPage() {
  const me = useMe();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const list = useListQuery<Fair, typeof FAIR_FILTERS, never, FairList>(FAIRS_PATH, { filters: FAIR_FILTERS });
  const { from, to } = list.filters;
  const results = useApiData<FairResults>(FAIR_RESULTS_PATH, { from, to });
  const [creating, setCreating] = useState(false);
  const [postingOptions, setPostingOptions] = useState<{ value: string; label: string }[]>([]);

  const searchPostings = async (q?: string) => {
    try {
      const data = await api.get<{ items: { id: string; title: string; employerName?: string; employer?: { name: string } }[] }>(
        POSTINGS_PATH,
        { openOnly: true, q: q || undefined, pageSize: 50 },
      );
      setPostingOptions(data.items.map((p) => ({ value: p.id, label: `${p.title}（${p.employerName ?? p.employer?.name ?? ''}）` })));
    } catch {
      setPostingOptions([]);
    }
  };

  const submit = async (v: FairValues) => {
    const fair = await api.post<FairDetail>(FAIRS_PATH, {
      title: v.title.trim(),
      mode: v.mode,
      heldOn: v.heldOn.format('YYYY-MM-DD'),
      villageCode: v.villageCode?.trim() || undefined,
      address: v.address?.trim() || undefined,
      organiserName: v.organiserName?.trim() || undefined,
      postingIds: v.postingIds ?? [],
    });
    message.success(`已创建招聘会：${fair.title}`);
    navigate(`/fairs/${fair.id}`);
  };

  const figureColumns = FIGURE_COLUMNS.map(([key, title]) => ({ title, dataIndex: key, key, align: 'right' as const }));
  const r = results.data;
  const resultRows: ResultRow[] = r
    ? [
        { key: 'online', label: '线上招聘', ...r.online },
        { key: 'offline', label: '线下招聘', ...r.offline },
        { key: 'total', label: '合计', ...r.total },
      ]
    : [];

  return (
    <div data-testid="fairs-page">
      <PageHeader
        title="招聘会"
        description="线上、线下招聘会及进村招聘（征询到户、预招到岗、稳岗到人）：参会单位和岗位、现场登记、达成就业意向与录用"
        extra={
          <Button
            type="primary"
            data-testid="fair-create"
            onClick={() => {
              searchPostings();
              setCreating(true);
            }}
          >
            举办招聘会
          </Button>
        }
      />
      <ErrorAlert error={list.error ?? results.error} />
      <Space style={{ marginBottom: 12 }}>
        <span>统计期</span>
        <DatePicker.RangePicker
          data-testid="fair-period"
          value={from && to ? [dayjs(from), dayjs(to)] : null}
          onChange={(v) => list.setFilters({ from: v?.[0]?.format('YYYY-MM-DD') ?? null, to: v?.[1]?.format('YYYY-MM-DD') ?? null })}
        />
      </Space>
      <Card title={`招聘会成效（${me.region.fullName}）`} size="small" style={{ marginBottom: 16 }}>
        <Table<ResultRow>
          data-testid="fair-results"
          size="small"
          pagination={false}
          rowKey="key"
          dataSource={resultRows}
          loading={results.loading}
          columns={[{ title: '', dataIndex: 'label', key: 'label' }, ...figureColumns]}
        />
      </Card>
      <ListTable<Fair> data-testid="fair-table" rowKey="id" list={list} columns={fairColumns} sizeChanger={false} unit="场" />
      <ModalForm<FairValues>
        open={creating}
        title="举办招聘会"
        okText="创建"
        okTestId="fair-create-submit"
        initialValues={{ mode: 'offline' }}
        onSubmit={submit}
        onClose={() => setCreating(false)}
      >
        <Form.Item name="title" label="名称" rules={[{ required: true, min: 2, max: 80, message: '请填写 2–80 字的名称' }]}>
          <Input data-testid="fair-title" />
        </Form.Item>
        <Form.Item name="mode" label="形式" rules={[{ required: true }]}>
          <Segmented options={FAIR_MODE.codes.map((c) => ({ value: c, label: FAIR_MODE.labels[c] }))} />
        </Form.Item>
        <Form.Item name="heldOn" label="日期" rules={[{ required: true, message: '请选择日期' }]}>
          <DatePicker data-testid="fair-date" />
        </Form.Item>
        <Form.Item
          name="villageCode"
          label="在村开展（村的统计用区划代码，可不填）"
          rules={[{ pattern: /^\d{12}$/, message: '村的代码为 12 位数字' }]}
        >
          <Input data-testid="fair-village" placeholder="例如 430522107212" />
        </Form.Item>
        <Form.Item name="address" label="地址">
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="organiserName" label="主办单位">
          <Input maxLength={80} />
        </Form.Item>
        <Form.Item name="postingIds" label="参会岗位">
          <Select
            mode="multiple"
            showSearch
            filterOption={false}
            onSearch={searchPostings}
            options={postingOptions}
            data-testid="fair-postings"
            placeholder="输入岗位名称搜索"
          />
        </Form.Item>
      </ModalForm>
    </div>
  );
}
