import { type HTMLAttributes, useRef, useState } from 'react';
import { Alert, App, Button, Card, DatePicker, Descriptions, Form, Input, Space, Table, Tag, Typography, Upload } from 'antd';
import type { TableColumnsType } from 'antd';
import { PayCircleOutlined, UploadOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { api, download } from '../../api/client.ts';
import { SUBSIDY_PAYMENT_BATCHES_PATH } from '../../../../contracts/paths.ts';
import {
  PAYMENT_ITEM_STATUS,
  type PaymentBatch,
  type PaymentBatchList,
  type PaymentNotice,
  type PaymentReturn,
} from '../../../../contracts/subsidy-payments.ts';
import { useMe } from '../../app/auth.tsx';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import ListPrint from '../../components/ListPrint.tsx';
import { ModalForm } from '../../components/list/index.ts';
import { useApiData } from '../../components/useApiData.ts';
import { yuan as formatYuan, chinaNow } from '../../app/format.ts';

type Line = PaymentBatch['items'][number];
type NoticeLine = PaymentNotice['items'][number];
type BatchSummary = PaymentBatchList['items'][number];

const yuan = (n: number) => formatYuan(n, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const STATUS_COLOR: Record<Line['status'], string> = { pending: 'processing', paid: 'success', failed: 'error' };

/**
 * The bank's return file as text. Banks hand back GBK (as the bank file is written); a file saved
 * from a spreadsheet on a newer machine may be UTF-8: read as UTF-8 only when it is valid UTF-8,
 * GBK otherwise (GBK's bytes of Chinese are almost never valid UTF-8).
 */
async function readReturnFile(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = new TextDecoder('gbk').decode(bytes);
  }
  return text.replace(/^\uFEFF/, '');
}

/**
 * 代发批次 (issue 21 item 6, docs/payments.md): a county's approved subsidies grouped into a bank
 * batch for a month, the bank file downloaded for the bank, the bank's return file read back
 * (paid / failed / unchanged), and the 公示 list printed for the village notice boards.
 * The batch is the county chosen above; a city's or the province's admin picks one county.
 */
export default function PaymentBatchesTab({ region }: { region: string }) {
  const me = useMe();
  const { message } = App.useApp();
  const county = region.length === 6 ? region : null;
  const [month, setMonth] = useState<Dayjs>(chinaNow());
  const [batch, setBatch] = useState<PaymentBatch | null>(null);
  const [result, setResult] = useState<Omit<PaymentReturn, 'batch'> | null>(null);
  const [bankDate, setBankDate] = useState<Dayjs>(chinaNow());
  const [busy, setBusy] = useState<'create' | 'file' | 'return' | null>(null);
  const [error, setError] = useState<unknown>(null);
  // The 公示 list as last fetched for printing: its title, count and total go on the sheet.
  const [notice, setNotice] = useState<PaymentNotice | null>(null);
  const noticeTitle = useRef('');
  // The batches already made in the region (a county's, or every county's below a city or the province): a return file that arrives days later goes into its batch from here.
  const [page, setPage] = useState(1);
  const batches = useApiData<PaymentBatchList>(SUBSIDY_PAYMENT_BATCHES_PATH, { ...(county ? { county } : {}), page, pageSize: 10 });

  const run = async (step: NonNullable<typeof busy>, work: () => Promise<void>) => {
    setBusy(step);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };
  const create = () =>
    run('create', async () => {
      const created = await api.post<PaymentBatch>(SUBSIDY_PAYMENT_BATCHES_PATH, { county, month: month.format('YYYY-MM') });
      setBatch(created);
      setResult(null);
      void batches.reload();
      message.success(`已生成代发批次：${created.count} 笔，合计 ${yuan(created.amount)}`);
    });
  const bankFile = () =>
    run('file', async () => {
      const { name } = await download(`${SUBSIDY_PAYMENT_BATCHES_PATH}/${batch!.id}/bank-file`);
      message.success(`已下载 ${name}`);
    });
  const importReturn = (file: File) =>
    run('return', async () => {
      const content = await readReturnFile(file);
      const r = await api.post<PaymentReturn>(`${SUBSIDY_PAYMENT_BATCHES_PATH}/${batch!.id}/returns`, {
        bankDate: bankDate.format('YYYY-MM-DD'),
        content,
      });
      setBatch(r.batch);
      setResult({ paid: r.paid, failed: r.failed, unchanged: r.unchanged });
      void batches.reload();
    });
  // A line the bank failed: the account corrected (with the reason) so the next batch can take it.
  const [correcting, setCorrecting] = useState<Line | null>(null);
  const correct = async (values: { bankAccount: string; reason: string }) => {
    await api.put(`/api/v1/subsidies/${correcting!.subsidyId}/bank-account`, values);
    message.success(`已更正 ${correcting!.name} 的收款账号，须由另一名审批人编入下一批次`);
  };
  const open = (id: string) =>
    run('create', async () => {
      setBatch(await api.get<PaymentBatch>(`${SUBSIDY_PAYMENT_BATCHES_PATH}/${id}`));
      setResult(null);
    });

  const batchColumns: TableColumnsType<BatchSummary> = [
    { title: '批次', render: (_, b) => `第 ${b.id} 号` },
    { title: '县', render: (_, b) => b.county.name },
    { title: '发放月份', dataIndex: 'month' },
    { title: '笔数与金额', render: (_, b) => `${b.count} 笔，${yuan(b.amount)}` },
    {
      title: '回盘',
      render: (_, b) => (
        <Space size={4} wrap>
          <Tag color="success">已发放 {b.paid}</Tag>
          {b.failed ? <Tag color="error">失败 {b.failed}</Tag> : null}
          {b.pending ? <Tag color="processing">待回盘 {b.pending}</Tag> : null}
        </Space>
      ),
    },
    { title: '生成时间', render: (_, b) => dayjs(b.createdAt).format('YYYY-MM-DD HH:mm') },
    {
      title: '操作',
      render: (_, b) => (
        <Button size="small" type="link" onClick={() => open(b.id)} data-testid={`payment-open-${b.id}`}>
          {batch?.id === b.id ? '已打开' : '打开'}
        </Button>
      ),
    },
  ];

  const columns: TableColumnsType<Line> = [
    { title: '序号', dataIndex: 'seq', width: 70 },
    { title: '收款人', dataIndex: 'name' },
    { title: '收款账号', dataIndex: 'accountMasked' },
    { title: '补贴类别', dataIndex: 'kindLabel' },
    { title: '金额', dataIndex: 'amount', align: 'right', render: (n: number) => yuan(n) },
    {
      title: '状态',
      render: (_, line) => (
        <span>
          <Tag color={STATUS_COLOR[line.status]}>{PAYMENT_ITEM_STATUS[line.status]}</Tag>
          {line.failReason ? <Typography.Text type="danger">{line.failReason}</Typography.Text> : null}
          {line.bankDate ? <span style={{ color: '#999', marginLeft: 8 }}>{line.bankDate}</span> : null}
          {line.status === 'failed' ? (
            <Button size="small" type="link" onClick={() => setCorrecting(line)} data-testid={`payment-correct-${line.seq}`}>
              更正账号
            </Button>
          ) : null}
        </span>
      ),
    },
  ];

  return (
    <Card size="small">
      <ErrorAlert error={error} testId="payment-error" />
      <Typography.Paragraph type="secondary">
        本县已审批待发放、填有银行账号、未编入其他批次（或在其他批次中发放失败）的个人补贴，按月生成一个代发批次；
        下载代发文件交银行，银行回盘后导入回盘文件，成功的记为已发放，失败的可编入下一批次。
      </Typography.Paragraph>
      {!county ? (
        <Alert type="info" showIcon message="代发批次按县生成：请在上方选择一个县" data-testid="payment-pick-county" />
      ) : (
        <Space wrap style={{ marginBottom: 12 }}>
          <span>发放月份</span>
          <DatePicker
            picker="month"
            value={month}
            allowClear={false}
            onChange={(d) => d && setMonth(d)}
            disabledDate={(d) => d.isAfter(chinaNow(), 'month')}
            data-testid="payment-month"
          />
          <Button type="primary" icon={<PayCircleOutlined />} loading={busy === 'create'} onClick={create} data-testid="payment-create">
            生成代发批次
          </Button>
        </Space>
      )}
      <Table
        rowKey="id"
        size="small"
        style={{ marginBottom: 12 }}
        title={() => '已生成的代发批次'}
        loading={batches.loading}
        columns={batchColumns}
        dataSource={batches.data?.items ?? []}
        locale={{ emptyText: '尚未生成代发批次' }}
        pagination={{ current: page, pageSize: 10, total: batches.data?.total ?? 0, showSizeChanger: false, onChange: setPage }}
        data-testid="payment-batches"
      />
      {batch && (
        <>
          <Descriptions size="small" column={3} bordered style={{ marginBottom: 12 }} data-testid="payment-batch">
            <Descriptions.Item label="批次">
              {batch.county.name} {batch.month}（第 {batch.id} 号）
            </Descriptions.Item>
            <Descriptions.Item label="笔数与金额">
              <span data-testid="payment-total">
                {batch.count} 笔，合计 {yuan(batch.amount)}
              </span>
            </Descriptions.Item>
            <Descriptions.Item label="状态">{batch.status === 'open' ? '待银行回盘' : '已办结'}</Descriptions.Item>
          </Descriptions>
          {batch.noAccount > 0 && (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 12 }}
              message={`另有 ${batch.noAccount} 笔已审批的补贴未填银行账号，未编入本批次`}
              data-testid="payment-no-account"
            />
          )}
          {batch.changedByCreator > 0 && (
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 12 }}
              message={`另有 ${batch.changedByCreator} 笔补贴的收款账号由您本人填写或更正，须由另一名审批人编入代发批次`}
              data-testid="payment-changed-by-creator"
            />
          )}
          <Space wrap style={{ marginBottom: 12 }}>
            <Button loading={busy === 'file'} disabled={batch.status !== 'open'} onClick={bankFile} data-testid="payment-bank-file">
              下载代发文件
            </Button>
            <span>银行处理日期</span>
            <DatePicker
              value={bankDate}
              allowClear={false}
              onChange={(d) => d && setBankDate(d)}
              disabledDate={(d) => d.isAfter(chinaNow(), 'day')}
              data-testid="payment-bank-date"
            />
            <Upload
              accept=".csv,.txt"
              showUploadList={false}
              disabled={batch.status !== 'open'}
              beforeUpload={(file) => {
                importReturn(file);
                return false;
              }}
            >
              <Button icon={<UploadOutlined />} loading={busy === 'return'} disabled={batch.status !== 'open'} data-testid="payment-return">
                导入回盘文件
              </Button>
            </Upload>
            <ListPrint<NoticeLine>
              testId="payment-notice"
              label="打印公示名单"
              fetchPage={async () => {
                const n = await api.get<PaymentNotice>(`${SUBSIDY_PAYMENT_BATCHES_PATH}/${batch.id}/notice`);
                setNotice(n);
                noticeTitle.current = n.title;
                return { items: n.items, total: n.count };
              }}
              title={() => noticeTitle.current}
              columns={[
                { title: '序号', value: (line) => line.seq, numeric: true },
                { title: '姓名', value: (line) => line.name },
                { title: '村（社区）', value: (line) => line.village },
                { title: '补贴类别', value: (line) => line.kind },
                { title: '金额（元）', value: (line) => line.amount.toFixed(2), numeric: true },
              ]}
              signs={[
                `合计：${notice?.count ?? batch.count} 人，${yuan(notice?.amount ?? batch.amount)}`,
                '公示期：    年  月  日至    年  月  日',
                '单位（盖章）',
              ]}
              printedBy={`${me.displayName}（${me.username}）`}
            />
          </Space>
          {result && (
            <Alert
              type={result.failed ? 'warning' : 'success'}
              showIcon
              style={{ marginBottom: 12 }}
              message={`回盘已导入：发放成功 ${result.paid} 笔，发放失败 ${result.failed} 笔，此前已回盘未变 ${result.unchanged} 笔`}
              description={result.failed ? '发放失败的补贴仍为已审批待发放，核实账号后可编入下一批次。' : undefined}
              data-testid="payment-result"
            />
          )}
          <Table
            rowKey="subsidyId"
            size="small"
            columns={columns}
            dataSource={batch.items}
            pagination={{ pageSize: 50, showSizeChanger: false }}
            data-testid="payment-lines"
            onRow={(line) => ({ 'data-testid': `payment-line-${line.seq}` }) as HTMLAttributes<HTMLElement>}
          />
        </>
      )}
      <ModalForm<{ bankAccount: string; reason: string }>
        open={correcting !== null}
        title={correcting ? `更正收款账号：${correcting.name}（原账号 ${correcting.accountMasked}）` : ''}
        onSubmit={correct}
        onClose={() => setCorrecting(null)}
        testId="payment-correct-modal"
      >
        <Form.Item
          name="bankAccount"
          label="新收款账号"
          rules={[{ required: true, pattern: /^[0-9]{10,30}$/, message: '请填写10–30位数字的银行账号' }]}
        >
          <Input inputMode="numeric" autoComplete="off" data-testid="payment-correct-account" />
        </Form.Item>
        <Form.Item name="reason" label="更正原因" rules={[{ required: true, min: 2, message: '请说明原因（至少2个字）' }]}>
          <Input placeholder="如：原账户已销户，本人提供新账号" data-testid="payment-correct-reason" />
        </Form.Item>
      </ModalForm>
    </Card>
  );
}
