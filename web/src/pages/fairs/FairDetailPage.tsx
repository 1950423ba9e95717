import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Alert, App, Button, Card, Checkbox, Descriptions, Form, Input, Modal, Segmented, Select, Space, Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { api } from '../../api/client.ts';
import {
  ATTENDEE_ROW_STATUS,
  FAIR_MODE,
  FIGURE_COLUMNS,
  MAX_ATTENDEE_BATCH,
  fairPath,
  type Attendee,
  type AttendeeBatchResult,
  type AttendeeList,
  type AttendeeRowResult,
  type FairDetail,
  type PreRecruitment,
} from '../../api/fairs.ts';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import ExportButton from '../../components/ExportButton.tsx';
import { ListTable, ModalForm, useListQuery } from '../../components/list/index.ts';
import PageHeader from '../../components/PageHeader.tsx';
import { ATTENDEE_FILTERS, attendeeColumns } from './columns.tsx';

interface IntentionValues {
  postingId: string;
  refer?: boolean;
}
const ROW_COLOR: Record<string, string> = { registered: 'green', duplicate: 'gold', invalid: 'red' };

/**
 * One fair at /fairs/:id: its postings and figures; door registration (one ID number or phone per
 * line, up to 200 at once, a result per line: recognised poor laborer (named only inside the
 * user's region scope, else only 贫困劳动力（外县）), outside the registry,
 * already registered, or why the number is wrong); the attendees with the intentions reached
 * (达成就业意向, optionally opening a referral through the 招聘会 channel); and, for a fair at a
 * village's door, the village's pre-recruitment list.
 */
export default function FairDetailPage() {
  const { id = '' } = useParams();
  const { message } = App.useApp();
  const [fair, setFair] = useState<FairDetail | null>(null);
  const attendees = useListQuery<Attendee, typeof ATTENDEE_FILTERS, never, AttendeeList>(id ? `${fairPath(id)}/attendees` : null, {
    filters: ATTENDEE_FILTERS,
  });
  const reloadAttendees = attendees.reload;
  const [error, setError] = useState<unknown>(null);
  const [text, setText] = useState('');
  const [registering, setRegistering] = useState(false);
  const [batch, setBatch] = useState<AttendeeBatchResult | null>(null);
  const [intentionFor, setIntentionFor] = useState<Attendee | null>(null);
  const [pre, setPre] = useState<PreRecruitment | null>(null);

  const loadFair = useCallback(async () => {
    try {
      setFair(await api.get<FairDetail>(fairPath(id)));
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [id]);
  useEffect(() => {
    loadFair();
  }, [loadFair]);
  /** The fair (its figures) and its attendees, after a registration or an intention. */
  const load = () => Promise.all([loadFair(), reloadAttendees()]);

  const lines = text
    .split(/[\n,，;；]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  const register = async () => {
    if (!lines.length) return;
    if (lines.length > MAX_ATTENDEE_BATCH) {
      message.error(`一次至多登记 ${MAX_ATTENDEE_BATCH} 人`);
      return;
    }
    setRegistering(true);
    try {
      const result = await api.post<AttendeeBatchResult>(`${fairPath(id)}/attendees/batch`, { identifiers: lines });
      setBatch(result);
      message.success(
        `登记 ${result.registered} 人（其中贫困劳动力 ${result.poor} 人），重复 ${result.duplicates}，无效 ${result.invalid}`,
      );
      // Keep only the lines to correct.
      setText(
        result.rows
          .filter((r) => r.status === 'invalid')
          .map((r) => lines[r.row - 1])
          .join('\n'),
      );
      await load();
    } catch (e) {
      message.error(e instanceof Error ? e.message : '登记失败');
    } finally {
      setRegistering(false);
    }
  };

  const submitIntention = async (v: IntentionValues) => {
    if (!intentionFor) return;
    await api.post(`${fairPath(id)}/intentions`, {
      attendeeId: intentionFor.id,
      postingId: v.postingId,
      refer: intentionFor.laborer ? v.refer : undefined,
    });
    message.success('已登记就业意向');
    await load();
  };

  const showPre = async () => {
    try {
      setPre(await api.get<PreRecruitment>(`${fairPath(id)}/pre-recruitment`));
    } catch (e) {
      message.error(e instanceof Error ? e.message : '加载失败');
    }
  };

  if (!fair) return <ErrorAlert error={error} />;

  const rowColumns: TableColumnsType<AttendeeRowResult> = [
    { title: '行', dataIndex: 'row', width: 60 },
    {
      title: '结果',
      dataIndex: 'status',
      render: (s: AttendeeRowResult['status']) => (
        <Tag color={ROW_COLOR[s]} data-testid="attendee-row-status">
          {ATTENDEE_ROW_STATUS.labels[s]}
        </Tag>
      ),
    },
    { title: '证件', render: (_, r) => r.masked ?? '—' },
    { title: '劳动力', render: (_, r) => (r.laborer ? `${r.laborer.name}（${r.laborer.villageName}）` : (r.outsideScope ?? '—')) },
    { title: '贫困劳动力', render: (_, r) => (r.poor ? <Tag color="orange">是</Tag> : '否') },
    { title: '说明', dataIndex: 'message', render: (m: string | null) => m ?? '' },
  ];

  return (
    <div data-testid="fair-detail">
      <PageHeader
        title={fair.title}
        description={<Link to="/fairs">← 返回招聘会列表</Link>}
        extra={
          fair.villageCode ? (
            <Button data-testid="fair-pre-recruitment" onClick={showPre}>
              预招名单
            </Button>
          ) : undefined
        }
      />
      <ErrorAlert error={error} />
      <Descriptions size="small" bordered column={3} style={{ marginBottom: 16 }}>
        <Descriptions.Item label="形式">{FAIR_MODE.labels[fair.mode]}</Descriptions.Item>
        <Descriptions.Item label="日期">{fair.heldOn}</Descriptions.Item>
        <Descriptions.Item label="地点">
          {fair.villageName ?? fair.placeRegionName} {fair.address ?? ''}
        </Descriptions.Item>
        <Descriptions.Item label="主办">{fair.organiserName ?? fair.regionName}</Descriptions.Item>
        <Descriptions.Item label="参会单位">{fair.employers.length} 家</Descriptions.Item>
        <Descriptions.Item label="参会岗位">{fair.postings.length} 个</Descriptions.Item>
        {FIGURE_COLUMNS.slice(1).map(([key, label]) => (
          <Descriptions.Item key={key} label={label}>
            <span data-testid={`fair-figure-${key}`}>{fair.figures[key]}</span>
          </Descriptions.Item>
        ))}
      </Descriptions>

      <Card title="现场登记" size="small" style={{ marginBottom: 16 }}>
        <Input.TextArea
          data-testid="door-input"
          rows={5}
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={`每行一个身份证号（18 位或 15 位）或手机号，一次至多 ${MAX_ATTENDEE_BATCH} 行`}
        />
        <Space style={{ marginTop: 8 }}>
          <Button type="primary" data-testid="door-register" loading={registering} disabled={!lines.length} onClick={register}>
            登记（{lines.length} 行）
          </Button>
        </Space>
        {batch && (
          <>
            <Alert
              style={{ margin: '12px 0' }}
              type={batch.invalid ? 'warning' : 'success'}
              data-testid="door-summary"
              message={`已登记 ${batch.registered} 人，其中识别为建档立卡贫困劳动力 ${batch.poor} 人；重复 ${batch.duplicates} 行；无效 ${batch.invalid} 行（已留在输入框中待更正）`}
            />
            <Table<AttendeeRowResult>
              data-testid="door-results"
              size="small"
              rowKey="row"
              columns={rowColumns}
              dataSource={batch.rows}
              pagination={{ pageSize: 20 }}
            />
          </>
        )}
      </Card>

      <Card
        title="参会人员"
        size="small"
        extra={
          <Space>
            <Segmented
              data-testid="attendee-filter"
              value={attendees.filters.poor ? 'poor' : 'all'}
              onChange={(v) => attendees.setFilters({ poor: v === 'poor' ? 'true' : undefined })}
              options={[
                { value: 'all', label: '全部' },
                { value: 'poor', label: '贫困劳动力' },
              ]}
            />
            <ExportButton path={`${fairPath(id)}/attendees/export`} query={attendees.query} testId="attendee-export" />
          </Space>
        }
      >
        <ErrorAlert error={attendees.error} />
        <ListTable<Attendee>
          data-testid="attendee-table"
          rowKey="id"
          size="small"
          list={attendees}
          unit="人"
          columns={attendeeColumns(setIntentionFor)}
        />
      </Card>

      <ModalForm<IntentionValues>
        open={intentionFor !== null}
        title={`达成就业意向：${intentionFor?.laborer?.name ?? intentionFor?.idNumberMasked ?? intentionFor?.phoneMasked ?? ''}`}
        okText="登记"
        okTestId="intention-submit"
        initialValues={{ refer: Boolean(intentionFor?.laborer) }}
        onSubmit={submitIntention}
        onClose={() => setIntentionFor(null)}
      >
        <Form.Item name="postingId" label="岗位" rules={[{ required: true, message: '请选择岗位' }]}>
          <Select
            data-testid="intention-posting"
            options={fair.postings.map((p) => ({ value: p.id, label: `${p.title}（${p.employerName}，${p.wageMin}–${p.wageMax}元）` }))}
          />
        </Form.Item>
        {intentionFor?.laborer && (
          <Form.Item name="refer" valuePropName="checked">
            <Checkbox data-testid="intention-refer">同时推荐到该岗位（推荐渠道：招聘会），录用后计入本场招聘会</Checkbox>
          </Form.Item>
        )}
      </ModalForm>

      <Modal
        title={pre ? `预招名单：${pre.villageName}（求职劳动力 ${pre.total} 人）` : '预招名单'}
        open={!!pre}
        onCancel={() => setPre(null)}
        footer={null}
        width={760}
      >
        <Table
          data-testid="pre-recruitment"
          size="small"
          rowKey="laborerId"
          dataSource={pre?.items ?? []}
          pagination={{ pageSize: 10 }}
          columns={[
            { title: '姓名', dataIndex: 'name' },
            { title: '身份证号', dataIndex: 'idNumberMasked' },
            { title: '手机号', dataIndex: 'phoneMasked', render: (p: string | null) => p ?? '—' },
            { title: '到场', dataIndex: 'attended', render: (a: boolean) => (a ? <Tag color="green">已到场</Tag> : <Tag>未到场</Tag>) },
          ]}
        />
      </Modal>
    </div>
  );
}
