import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Flex,
  Progress,
  Row,
  Space,
  Statistic,
  Steps,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import type { TableColumnsType } from 'antd';
import {
  CloudUploadOutlined,
  DownloadOutlined,
  FileExcelOutlined,
  InboxOutlined,
  ReloadOutlined,
  UnorderedListOutlined,
} from '@ant-design/icons';
import { api, ApiError } from '../../api/client.ts';
import { IMPORT_ERRORS_LISTED, LABORERS_PATH, registerListPath, type ImportJob } from '../../api/laborers.ts';
import { uploadForm } from '../../api/upload.ts';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import PageHeader from '../../components/PageHeader.tsx';

const IMPORTS_PATH = `${LABORERS_PATH}/imports`;
const TEMPLATE_HREF = `${LABORERS_PATH}/template`;
const POLL_MS = 1000;
/** Consecutive failed polls (network, 5xx) tolerated before giving up. */
const POLL_RETRIES = 5;

const STATUS_TEXT: Record<ImportJob['status'], string> = {
  queued: '排队等待处理…',
  running: '正在逐行校验并保存…',
  done: '导入完成',
  failed: '导入失败',
};

type ImportError = ImportJob['errors'][number];

export default function LaborerImportPage() {
  const { message } = App.useApp();
  const [allOrNothing, setAllOrNothing] = useState(false);
  const [fileName, setFileName] = useState<string | null>(null);
  const [uploadPercent, setUploadPercent] = useState<number | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const [job, setJob] = useState<ImportJob | null>(null);
  const [error, setError] = useState<unknown>(null);
  const abortUpload = useRef<(() => void) | null>(null);
  const submittedMode = useRef(false);

  const uploading = uploadPercent !== null && !jobId;
  const finished = job?.status === 'done' || job?.status === 'failed';
  const busy = uploading || (!!jobId && !finished && !error);

  // Poll the job every second until it is done or failed.
  useEffect(() => {
    if (!jobId) return;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    const poll = async () => {
      try {
        const next = await api.get<ImportJob>(`${IMPORTS_PATH}/${encodeURIComponent(jobId)}`);
        if (cancelled) return;
        failures = 0;
        setJob(next);
        if (next.status === 'done' || next.status === 'failed') return;
      } catch (e) {
        if (cancelled) return;
        const transient = !(e instanceof ApiError) || e.status === 0 || e.status >= 500;
        if (!transient || ++failures > POLL_RETRIES) {
          setError(e);
          return;
        }
      }
      timer = setTimeout(poll, POLL_MS);
    };
    poll();
    return () => {
      cancelled = true;
      if (timer) clearTimeout(timer);
    };
  }, [jobId]);

  useEffect(() => () => abortUpload.current?.(), []);

  const start = async (file: File) => {
    setError(null);
    setJob(null);
    setJobId(null);
    setFileName(file.name);
    setUploadPercent(0);
    submittedMode.current = allOrNothing;
    const { promise, abort } = uploadForm<{ id: string }>(
      IMPORTS_PATH,
      { mode: allOrNothing ? 'all_or_nothing' : undefined },
      { file },
      setUploadPercent,
    );
    abortUpload.current = abort;
    try {
      const { id } = await promise;
      setJobId(String(id));
    } catch (e) {
      setError(e);
      setUploadPercent(null);
    } finally {
      abortUpload.current = null;
    }
  };

  const reset = () => {
    abortUpload.current?.();
    setError(null);
    setJob(null);
    setJobId(null);
    setFileName(null);
    setUploadPercent(null);
  };

  const total = job?.total ?? 0;
  const percent = job && total > 0 ? Math.min(100, Math.floor((job.processed / total) * 100)) : job?.status === 'done' ? 100 : 0;
  const progressStatus =
    job?.status === 'failed' ? 'exception' : job?.status === 'done' ? (job.rejected > 0 ? 'normal' : 'success') : 'active';
  const step = !fileName ? 0 : !job || !finished ? 1 : 2;

  const errorColumns: TableColumnsType<ImportError> = [
    { title: '行号', dataIndex: 'row', width: 90, render: (v: number) => <span className="lw-mono">第 {v} 行</span> },
    {
      title: '列',
      dataIndex: 'column',
      width: 200,
      render: (v: string | null) => v || <Typography.Text type="secondary">整行</Typography.Text>,
    },
    { title: '问题', dataIndex: 'message' },
  ];

  return (
    <>
      <PageHeader
        title="批量导入"
        description="上传劳动力资源信息采集表（Excel），逐行校验后批量建立劳动力信息卡"
        extra={
          <Link to={registerListPath()}>
            <Button icon={<UnorderedListOutlined />}>返回名册</Button>
          </Link>
        }
      />
      <Card variant="borderless" style={{ marginBottom: 16 }}>
        <Steps
          size="small"
          current={step}
          style={{ marginBottom: 24, maxWidth: 760 }}
          items={[{ title: '下载模板并填写' }, { title: '上传采集表' }, { title: '查看导入结果' }]}
        />
        <Row gutter={[24, 16]}>
          <Col xs={24} lg={9}>
            <Typography.Title level={5} style={{ marginTop: 0 }}>
              1. 下载模板
            </Typography.Title>
            <Typography.Paragraph type="secondary">
              模板含“劳动力资源信息采集表”“填表说明”“字典”三个工作表。带 *
              的列为必填；身份证号、手机号、村代码列已设为文本格式，请勿改为数字格式；一人一行，同一身份证号在表中只能出现一次。
            </Typography.Paragraph>
            <Button icon={<FileExcelOutlined />} href={TEMPLATE_HREF} data-testid="import-template">
              下载模板
            </Button>
            <Typography.Title level={5}>2. 导入方式</Typography.Title>
            <Checkbox
              checked={allOrNothing}
              onChange={(e) => setAllOrNothing(e.target.checked)}
              disabled={busy}
              data-testid="import-all-or-nothing"
            >
              全部成功才保存
            </Checkbox>
            <Typography.Paragraph type="secondary" style={{ marginTop: 6, marginBottom: 0 }}>
              {allOrNothing
                ? '只要有一行有错误，整张表都不保存；改正后重新上传整张表。'
                : '正确的行直接保存，有错误的行列在下方；按错误报告中的行号在原表中改正后重新上传即可，已保存的行不会重复。'}
            </Typography.Paragraph>
          </Col>
          <Col xs={24} lg={15} style={{ display: 'flex', flexDirection: 'column' }}>
            <Typography.Title level={5} style={{ marginTop: 0 }}>
              3. 上传采集表
            </Typography.Title>
            <div style={{ flex: 1, minHeight: 180 }}>
              <Upload.Dragger
                name="file"
                accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                multiple={false}
                showUploadList={false}
                disabled={busy}
                beforeUpload={(file) => {
                  if (!/\.xlsx$/i.test(file.name)) {
                    message.error('请上传 .xlsx 格式的 Excel 工作簿（旧版 .xls 请先另存为 .xlsx）');
                    return Upload.LIST_IGNORE;
                  }
                  return true;
                }}
                customRequest={({ file }) => {
                  start(file as File);
                }}
                data-testid="import-upload"
              >
                <p className="ant-upload-drag-icon">
                  <InboxOutlined />
                </p>
                <p className="ant-upload-text">点击或将采集表拖到此处上传</p>
                <p className="ant-upload-hint">仅支持 .xlsx 格式，一次上传一个文件</p>
              </Upload.Dragger>
            </div>
          </Col>
        </Row>
      </Card>

      {(fileName || error) && (
        <Card
          variant="borderless"
          title={
            <Space>
              <FileExcelOutlined style={{ color: '#16a34a' }} />
              <span data-testid="import-file-name">{fileName ?? '导入结果'}</span>
              {submittedMode.current && <Tag>全部成功才保存</Tag>}
            </Space>
          }
          extra={
            (finished || !!error) && (
              <Button icon={<ReloadOutlined />} onClick={reset} data-testid="import-again">
                重新导入
              </Button>
            )
          }
        >
          <ErrorAlert error={error} testId="import-error" />
          {uploading && (
            <div style={{ marginBottom: 16 }}>
              <Typography.Text type="secondary">正在上传…</Typography.Text>
              <Progress percent={uploadPercent ?? 0} size="small" status="active" data-testid="import-upload-progress" />
            </div>
          )}
          {jobId && (
            <div data-testid="import-progress" data-status={job?.status ?? 'queued'} style={{ marginBottom: 16 }}>
              <Flex justify="space-between" wrap gap={8}>
                <Typography.Text data-testid="import-status-text">
                  {job?.status === 'queued' && job.queuePosition != null
                    ? job.queuePosition === 1
                      ? '排队等待处理：下一个就轮到本次导入'
                      : `排队等待处理：前面还有 ${job.queuePosition - 1} 个导入（平台同时处理的导入数有限，轮到后自动开始）`
                    : STATUS_TEXT[job?.status ?? 'queued']}
                </Typography.Text>
                <Typography.Text type="secondary">
                  已处理 {job?.processed ?? 0} 行{job?.total != null ? ` / 共 ${job.total} 行` : ''}
                </Typography.Text>
              </Flex>
              <Progress
                percent={percent}
                status={progressStatus}
                format={() => (job?.total != null ? `${job.processed}/${job.total}` : `${job?.processed ?? 0}`)}
              />
            </div>
          )}
          {job?.status === 'failed' && (
            <Alert
              type="error"
              showIcon
              style={{ marginBottom: 16 }}
              data-testid="import-failed"
              title="导入失败"
              description={job.message || '采集表未能处理，请检查文件后重新上传。'}
              action={
                job.reportAvailable ? (
                  <Button
                    size="small"
                    icon={<DownloadOutlined />}
                    href={`${IMPORTS_PATH}/${encodeURIComponent(job.id)}/report`}
                    data-testid="import-report"
                  >
                    下载错误报告
                  </Button>
                ) : undefined
              }
            />
          )}
          {job?.status === 'done' && (
            <div data-testid="import-summary" style={{ marginBottom: 16 }}>
              <Row gutter={16} style={{ marginBottom: 16 }}>
                <Col xs={12} md={4}>
                  <Statistic title="共" value={job.total ?? job.processed} suffix="行" />
                </Col>
                {/* Each row is one of the four; imports run before they were told apart have no 新增/更新 split. */}
                <Col xs={12} md={5}>
                  <Statistic
                    title="新增"
                    value={job.created ?? '—'}
                    suffix={job.created == null ? undefined : '人'}
                    styles={{ content: { color: '#16a34a' } }}
                    data-testid="import-created"
                  />
                </Col>
                <Col xs={12} md={5}>
                  <Statistic
                    title="更新"
                    value={job.updated ?? '—'}
                    suffix={job.updated == null ? undefined : '人'}
                    styles={{ content: { color: '#2563eb' } }}
                    data-testid="import-updated"
                  />
                </Col>
                <Col xs={12} md={5}>
                  <Statistic title="未变化" value={job.unchanged} suffix="人" data-testid="import-unchanged" />
                </Col>
                <Col xs={12} md={5}>
                  <Statistic
                    title="错误"
                    value={job.rejected}
                    suffix="行"
                    styles={{ content: { color: job.rejected ? '#dc2626' : undefined } }}
                    data-testid="import-rejected"
                  />
                </Col>
              </Row>
              <Alert
                type={job.rejected === 0 ? 'success' : job.accepted === 0 ? 'error' : 'warning'}
                showIcon
                title={job.message || summaryTitle(job, submittedMode.current)}
                description={
                  <>
                    {job.accepted > 0 && (
                      <div data-testid="import-confirmed-note">新增、更新和未变化的 {job.accepted} 人均已记为本季度入户核实。</div>
                    )}
                    {job.rejected > 0 && (
                      <div>错误报告只列出有错误的行（证件号、手机号已脱敏），请按其中的行号和“错误说明”在原采集表中改正后重新上传。</div>
                    )}
                  </>
                }
                action={
                  job.reportAvailable ? (
                    <Button
                      size="small"
                      icon={<DownloadOutlined />}
                      href={`${IMPORTS_PATH}/${encodeURIComponent(job.id)}/report`}
                      data-testid="import-report"
                    >
                      下载错误报告
                    </Button>
                  ) : (
                    <Link to="/laborers">
                      <Button size="small">查看名册</Button>
                    </Link>
                  )
                }
              />
            </div>
          )}
          {job && job.errors.length > 0 && (
            <Table<ImportError>
              data-testid="import-errors"
              rowKey={(e) => `${e.row}:${e.column ?? ''}:${e.message}`}
              size="small"
              columns={errorColumns}
              dataSource={job.errors}
              pagination={{ pageSize: 10, showSizeChanger: true, pageSizeOptions: [10, 20, 50, 100], showTotal: (t) => `共 ${t} 个问题` }}
              title={() => (
                <Space wrap>
                  <CloudUploadOutlined />
                  <span>问题清单（行号为 Excel 中显示的行号）</span>
                  {job.errors.length >= IMPORT_ERRORS_LISTED && (
                    <Typography.Text type="secondary">此处只列出前 {IMPORT_ERRORS_LISTED} 个问题，完整清单请下载错误报告</Typography.Text>
                  )}
                </Space>
              )}
            />
          )}
        </Card>
      )}
    </>
  );
}

/** One line on what the finished import did. */
function summaryTitle(job: ImportJob, allOrNothing: boolean): string {
  if (job.rejected > 0 && job.accepted === 0 && allOrNothing) return `有 ${job.rejected} 行错误，按“全部成功才保存”整张表未保存`;
  const parts: string[] = [];
  if (job.created == null || job.updated == null) {
    // An import run before 新增 and 更新 were told apart.
    if (job.accepted - job.unchanged > 0) parts.push(`已保存 ${job.accepted - job.unchanged} 人的信息卡`);
  } else {
    if (job.created > 0) parts.push(`新建 ${job.created} 人的信息卡`);
    if (job.updated > 0) parts.push(`更新 ${job.updated} 人的信息卡`);
  }
  if (job.unchanged > 0) parts.push(`${job.unchanged} 人与已登记信息一致，未作修改`);
  if (job.rejected > 0) parts.push(`${job.rejected} 行有错误未保存`);
  return parts.length ? parts.join('；') : '采集表中没有数据行';
}
