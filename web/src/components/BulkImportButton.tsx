import { useEffect, useRef, useState } from 'react';
import { Alert, App, Button, Col, Modal, Progress, Row, Space, Statistic, Table, Typography, Upload } from 'antd';
import { DownloadOutlined, FileExcelOutlined, InboxOutlined, UploadOutlined } from '@ant-design/icons';
import type { BulkImportStatus } from '../../../contracts/bulk-imports.ts';
import { api, ApiError } from '../api/client.ts';
import { uploadForm } from '../api/upload.ts';
import ErrorAlert from './ErrorAlert.tsx';

const POLL_MS = 1000;
const POLL_RETRIES = 5;
const STATUS_TEXT: Record<BulkImportStatus['status'], string> = {
  queued: '排队等待处理…',
  running: '正在逐行校验并保存…',
  done: '导入完成',
  failed: '导入失败',
};

/**
 * 导入 on a list page (issue 21 item 4): a modal with the template, the upload, the progress, the
 * counts and the error report of one bulk import (postings, employment records). `base` is the
 * list's API path: base/import-template, base/imports, base/imports/:id, base/imports/:id/report.
 */
export default function BulkImportButton({
  base,
  label,
  rules,
  onImported,
  testId = 'bulk-import',
}: {
  base: string;
  /** 岗位 / 就业记录 */
  label: string;
  /** What the rows must satisfy, in a sentence or two. */
  rules: string;
  onImported?: () => void;
  testId?: string;
}) {
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [fileName, setFileName] = useState<string | null>(null);
  const [uploadPercent, setUploadPercent] = useState<number | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const [job, setJob] = useState<BulkImportStatus | null>(null);
  const [error, setError] = useState<unknown>(null);
  const abortUpload = useRef<(() => void) | null>(null);
  const imported = useRef(onImported);
  imported.current = onImported;
  const finished = job?.status === 'done' || job?.status === 'failed';
  const busy = (uploadPercent !== null && !jobId) || (!!jobId && !finished && !error);

  useEffect(() => {
    if (!jobId) return;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    const poll = async () => {
      try {
        const next = await api.get<BulkImportStatus>(`${base}/imports/${encodeURIComponent(jobId)}`);
        if (cancelled) return;
        failures = 0;
        setJob(next);
        if (next.status === 'done' || next.status === 'failed') {
          if (next.created > 0) imported.current?.();
          return;
        }
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
  }, [jobId, base]);

  useEffect(() => () => abortUpload.current?.(), []);

  const start = async (file: File) => {
    setError(null);
    setJob(null);
    setJobId(null);
    setFileName(file.name);
    setUploadPercent(0);
    const { promise, abort } = uploadForm<{ id: string }>(`${base}/imports`, {}, { file }, setUploadPercent);
    abortUpload.current = abort;
    try {
      setJobId(String((await promise).id));
    } catch (e) {
      setError(e);
      setUploadPercent(null);
    } finally {
      abortUpload.current = null;
    }
  };

  const reset = () => {
    setError(null);
    setJob(null);
    setJobId(null);
    setFileName(null);
    setUploadPercent(null);
  };

  const total = job?.total ?? 0;
  const percent = job && total > 0 ? Math.min(100, Math.floor((job.processed / total) * 100)) : job?.status === 'done' ? 100 : 0;
  const reportHref = job ? `${base}/imports/${encodeURIComponent(job.id)}/report` : undefined;

  return (
    <>
      <Button icon={<UploadOutlined />} onClick={() => setOpen(true)} data-testid={testId}>
        导入
      </Button>
      <Modal
        open={open}
        title={`批量导入${label}`}
        width={760}
        onCancel={() => setOpen(false)}
        footer={
          <Space>
            {finished && (
              <Button onClick={reset} data-testid={`${testId}-again`}>
                再导入一个文件
              </Button>
            )}
            <Button type="primary" onClick={() => setOpen(false)} data-testid={`${testId}-close`}>
              {finished ? '完成' : '关闭'}
            </Button>
          </Space>
        }
        destroyOnHidden={false}
        data-testid={`${testId}-modal`}
      >
        <Typography.Paragraph type="secondary">{rules}</Typography.Paragraph>
        <Typography.Paragraph>
          <Button icon={<FileExcelOutlined />} href={`${base}/import-template`} data-testid={`${testId}-template`}>
            下载{label}导入模板
          </Button>
        </Typography.Paragraph>
        {!jobId && uploadPercent === null && (
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
            data-testid={`${testId}-upload`}
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">点击或将填好的导入表拖到此处上传</p>
            <p className="ant-upload-hint">
              仅支持 .xlsx；正确的行直接保存，出错的行列入错误报告，改正后重新上传整张表即可，已保存的行不会重复
            </p>
          </Upload.Dragger>
        )}
        <ErrorAlert error={error} testId={`${testId}-error`} />
        {fileName && (
          <Typography.Paragraph strong data-testid={`${testId}-file`}>
            <FileExcelOutlined style={{ color: '#16a34a' }} /> {fileName}
          </Typography.Paragraph>
        )}
        {uploadPercent !== null && !jobId && !error && <Progress percent={uploadPercent} size="small" status="active" />}
        {jobId && (
          <div data-testid={`${testId}-progress`} data-status={job?.status ?? 'queued'}>
            <Typography.Text>{STATUS_TEXT[job?.status ?? 'queued']}</Typography.Text>
            <Progress
              percent={percent}
              status={job?.status === 'failed' ? 'exception' : job?.status === 'done' ? 'success' : 'active'}
              format={() => (job?.total != null ? `${job.processed}/${job.total}` : `${job?.processed ?? 0}`)}
            />
          </div>
        )}
        {job?.status === 'failed' && (
          <Alert
            type="error"
            showIcon
            title="导入失败"
            description={job.message ?? '文件未能处理，请检查后重新上传'}
            data-testid={`${testId}-failed`}
          />
        )}
        {finished && job && (
          <div data-testid={`${testId}-summary`}>
            <Row gutter={16} style={{ margin: '16px 0' }}>
              <Col span={6}>
                <Statistic title="共" value={job.total ?? job.processed} suffix="行" />
              </Col>
              <Col span={6} data-testid={`${testId}-created`} data-value={job.created}>
                <Statistic title="新增" value={job.created} />
              </Col>
              <Col span={6} data-testid={`${testId}-unchanged`} data-value={job.unchanged}>
                <Statistic title="已存在（未重复导入）" value={job.unchanged} />
              </Col>
              <Col span={6} data-testid={`${testId}-rejected`} data-value={job.rejected}>
                <Statistic title="出错" value={job.rejected} valueStyle={job.rejected ? { color: '#dc2626' } : undefined} />
              </Col>
            </Row>
            {job.errors.length > 0 && (
              <>
                <Table
                  size="small"
                  rowKey={(e) => `${e.row}-${e.column}-${e.message}`}
                  dataSource={job.errors}
                  pagination={job.errors.length > 5 ? { pageSize: 5 } : false}
                  columns={[
                    { title: '行号', dataIndex: 'row', width: 90, render: (v: number) => `第 ${v} 行` },
                    { title: '列', dataIndex: 'column', width: 160 },
                    { title: '问题', dataIndex: 'message' },
                  ]}
                  data-testid={`${testId}-errors`}
                />
                {job.reportAvailable && (
                  <Button icon={<DownloadOutlined />} href={reportHref} data-testid={`${testId}-report`}>
                    下载错误报告
                  </Button>
                )}
              </>
            )}
          </div>
        )}
      </Modal>
    </>
  );
}
