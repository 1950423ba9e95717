import { useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Card, Col, Form, Input, Row, Select, Space, Statistic, Table, Tag, Typography, Upload } from 'antd';
import type { TableColumnsType } from 'antd';
import { CloudUploadOutlined, DownloadOutlined, InboxOutlined, ReloadOutlined, SaveOutlined } from '@ant-design/icons';
import { api, ApiError } from '../../api/client.ts';
import { uploadForm } from '../../api/upload.ts';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import PageHeader from '../../components/PageHeader.tsx';
import { ListTable, ModalForm, useListQuery, type ScreenColumn } from '../../components/list/index.ts';
import { useApiData } from '../../components/useApiData.ts';
import { REGISTRY_IMPORTS_PATH, REGISTRY_MAPPINGS_PATH, REGISTRY_PREVIEW_PATH } from '../../../../contracts/paths.ts';
import {
  REGISTRY_TARGETS,
  type Mapping,
  type RegistryImportStatus,
  type RegistryPreview,
  type RegistryTarget,
} from '../../../../contracts/registry-import.ts';

const POLL_MS = 1000;
const NOT_READ = '__none__';
const TARGET_OPTIONS = [
  { value: NOT_READ, label: '不导入' },
  ...REGISTRY_TARGETS.codes.map((code) => ({ value: code, label: REGISTRY_TARGETS.labels[code] })),
];

type MappingRow = { header: string; sample: string; target: RegistryTarget | null; note: string | null };
type Missing = { laborerId: string; name: string; idNumberMasked: string; village: string; householdCode: string | null };
type Reformed = { householdCode: string; membersBefore: number; membersAfter: number; joined: number; departed: number };

/**
 * 建档立卡数据导入 (issue 21 item 1): a county admin uploads the poverty registry's export, checks
 * the proposed column mapping (file column → platform field), saves it under the source's name,
 * imports, and reads the results — counts per outcome, the rows refused, the people the registry
 * no longer names (a review list: their cards are kept) and the households re-formed.
 */
export default function RegistryImportPage() {
  const { message } = App.useApp();
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<RegistryPreview | null>(null);
  const [rows, setRows] = useState<MappingRow[]>([]);
  const [mappingId, setMappingId] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [jobId, setJobId] = useState<string | null>(null);
  const [job, setJob] = useState<RegistryImportStatus | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const mappings = useApiData<Mapping[]>(REGISTRY_MAPPINGS_PATH);

  const read = async (picked: File) => {
    setFile(picked);
    setPreview(null);
    setJob(null);
    setJobId(null);
    setMappingId(null);
    setError(null);
    setBusy(true);
    try {
      const answer = await uploadForm<RegistryPreview>(REGISTRY_PREVIEW_PATH, {}, { file: picked }).promise;
      setPreview(answer);
      const saved = answer.matchingMappingId ? mappings.data?.find((m) => m.id === answer.matchingMappingId) : undefined;
      setRows(
        answer.columns.map((c, i) => {
          const kept = saved?.columns.find((s) => s.header === c.header);
          return { header: c.header, sample: answer.samples[0]?.[i] ?? '', target: kept ? kept.target : c.proposed, note: c.note };
        }),
      );
      setMappingId(saved ? saved.id : null);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const setTarget = (header: string, target: RegistryTarget | null) => {
    setMappingId(null);
    setRows((prev) => prev.map((r) => (r.header === header ? { ...r, target } : r)));
  };

  const useSaved = (id: string) => {
    const saved = mappings.data?.find((m) => m.id === id);
    if (!saved) return;
    setRows((prev) => prev.map((r) => ({ ...r, target: saved.columns.find((c) => c.header === r.header)?.target ?? null })));
    setMappingId(id);
  };

  const startImport = async () => {
    if (!file || !mappingId) return;
    setError(null);
    setBusy(true);
    try {
      const { id } = await uploadForm<{ id: string }>(REGISTRY_IMPORTS_PATH, { mappingId }, { file }).promise;
      setJobId(String(id));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    if (!jobId) return;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const next = await api.get<RegistryImportStatus>(`${REGISTRY_IMPORTS_PATH}/${encodeURIComponent(jobId)}`);
        if (cancelled) return;
        setJob(next);
        if (next.status === 'done' || next.status === 'failed') return;
      } catch (e) {
        if (cancelled) return;
        if (e instanceof ApiError && e.status > 0 && e.status < 500) {
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

  const duplicated = useMemo(() => {
    const seen = new Map<string, number>();
    for (const r of rows) if (r.target) seen.set(r.target, (seen.get(r.target) ?? 0) + 1);
    return new Set([...seen].filter(([, n]) => n > 1).map(([t]) => t));
  }, [rows]);

  const mappingColumns: TableColumnsType<MappingRow> = [
    { title: '文件列名', dataIndex: 'header', width: 160 },
    { title: '样例（已脱敏）', dataIndex: 'sample', width: 200, render: (v: string) => <span className="lw-mono">{v}</span> },
    {
      title: '平台字段',
      dataIndex: 'target',
      width: 260,
      render: (target: RegistryTarget | null, row) => (
        <Select
          data-testid={`mapping-target-${row.header}`}
          style={{ width: 240 }}
          // Twenty fields: all shown, none left to a virtual list's scrolling.
          virtual={false}
          listHeight={480}
          status={target && duplicated.has(target) ? 'error' : undefined}
          value={target ?? NOT_READ}
          options={TARGET_OPTIONS}
          onChange={(v: string) => setTarget(row.header, v === NOT_READ ? null : (v as RegistryTarget))}
        />
      ),
    },
    {
      title: '说明',
      dataIndex: 'note',
      render: (note: string | null, row) =>
        row.target && duplicated.has(row.target) ? <Typography.Text type="danger">该字段已对应了其他列</Typography.Text> : (note ?? ''),
    },
  ];

  const finished = job?.status === 'done' || job?.status === 'failed';
  const matching = preview?.matchingMappingId ? mappings.data?.find((m) => m.id === preview.matchingMappingId) : undefined;

  return (
    <>
      <PageHeader
        title="建档立卡数据导入"
        description="导入防返贫监测系统（建档立卡）导出的 Excel 或 CSV 文件：按身份证号新增或更新信息卡，逐字段记入历史"
      />
      <Card title="1. 选择文件" style={{ marginBottom: 16 }}>
        <Upload.Dragger
          accept=".xlsx,.csv"
          showUploadList={false}
          disabled={busy}
          beforeUpload={(picked) => {
            void read(picked);
            return false;
          }}
          data-testid="registry-upload"
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">点击或拖入 .xlsx / .csv 文件</p>
          <p className="ant-upload-hint">读取表头和前几行，给出列对应建议；此时不保存任何数据</p>
        </Upload.Dragger>
        {file && (
          <Typography.Paragraph style={{ marginTop: 8 }} data-testid="registry-file-name">
            {file.name}
          </Typography.Paragraph>
        )}
      </Card>
      <ErrorAlert error={error} />
      {preview && (
        <Card
          title="2. 列对应"
          style={{ marginBottom: 16 }}
          extra={
            <Space>
              <Select
                placeholder="使用已保存的对应关系"
                style={{ width: 260 }}
                value={mappingId ?? undefined}
                onChange={useSaved}
                options={(mappings.data ?? []).map((m) => ({ value: m.id, label: `${m.sourceName}（${m.regionName}）` }))}
                data-testid="registry-saved-mappings"
              />
              <Button
                icon={<SaveOutlined />}
                onClick={() => setSaving(true)}
                disabled={duplicated.size > 0}
                data-testid="registry-save-mapping"
              >
                保存对应关系
              </Button>
            </Space>
          }
        >
          {matching && (
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 12 }}
              message={`文件的表头与已保存的“${matching.sourceName}”一致，已按它对应`}
            />
          )}
          <Typography.Paragraph type="secondary">
            第 {preview.headerRow} 行为表头（{preview.format === 'csv' ? 'CSV 文件' : `工作表「${preview.sheetName}」`}
            ）。须对应姓名、身份证号和村（名称或代码）；省、市、县、乡、村按名称在上一级下查找，重名或查不到的行会报错，不会猜。
          </Typography.Paragraph>
          <Table<MappingRow>
            size="small"
            rowKey="header"
            pagination={false}
            columns={mappingColumns}
            dataSource={rows}
            data-testid="registry-mapping-table"
          />
          <Space style={{ marginTop: 16 }}>
            <Button
              type="primary"
              icon={<CloudUploadOutlined />}
              disabled={!mappingId || busy || (!!jobId && !finished)}
              onClick={() => void startImport()}
              data-testid="registry-start"
            >
              开始导入
            </Button>
            {!mappingId && <Typography.Text type="secondary">请先保存对应关系，再开始导入</Typography.Text>}
          </Space>
        </Card>
      )}
      <ModalForm<{ sourceName: string }>
        open={saving}
        title="保存列对应关系"
        initialValues={{ sourceName: matching?.sourceName ?? '防返贫监测系统' }}
        okTestId="registry-save-ok"
        fieldErrors={{ fields: ['sourceName'] }}
        onSubmit={async ({ sourceName }) => {
          const saved = await api.post<Mapping>(REGISTRY_MAPPINGS_PATH, {
            sourceName,
            columns: rows.map((r) => ({ header: r.header, target: r.target })),
          });
          setMappingId(saved.id);
          mappings.reload();
          message.success(`已保存“${saved.sourceName}”的列对应关系`);
        }}
        onClose={() => setSaving(false)}
      >
        <Form.Item
          name="sourceName"
          label="数据来源"
          rules={[{ required: true, message: '请填写数据来源名称' }]}
          extra="如：防返贫监测系统；同一来源下次导入时可直接使用"
        >
          <Input maxLength={50} data-testid="registry-source-name" />
        </Form.Item>
      </ModalForm>
      {jobId && <RegistryResults jobId={jobId} job={job} onAgain={() => setJobId(null)} />}
    </>
  );
}

function RegistryResults({ jobId, job, onAgain }: { jobId: string; job: RegistryImportStatus | null; onAgain: () => void }) {
  const done = job?.status === 'done';
  const missing = useListQuery<Missing, Record<string, never>>(done ? `${REGISTRY_IMPORTS_PATH}/${jobId}/missing` : null, {
    filters: {},
    prefix: 'missing.',
    pageSize: 20,
  });
  const households = useListQuery<Reformed, Record<string, never>>(done ? `${REGISTRY_IMPORTS_PATH}/${jobId}/households` : null, {
    filters: {},
    prefix: 'households.',
    pageSize: 20,
  });
  const missingColumns: ScreenColumn<Missing>[] = [
    { key: 'name', title: '姓名', dataIndex: 'name', width: 120 },
    {
      key: 'idNumberMasked',
      title: '身份证号',
      dataIndex: 'idNumberMasked',
      width: 200,
      render: (v: string) => <span className="lw-mono">{v}</span>,
    },
    { key: 'village', title: '户籍所在村', dataIndex: 'village' },
    { key: 'householdCode', title: '户编号', dataIndex: 'householdCode', width: 140 },
  ];
  const householdColumns: ScreenColumn<Reformed>[] = [
    { key: 'householdCode', title: '户编号', dataIndex: 'householdCode' },
    { key: 'membersBefore', title: '导入前人数', dataIndex: 'membersBefore', width: 120 },
    { key: 'membersAfter', title: '导入后人数', dataIndex: 'membersAfter', width: 120 },
    { key: 'joined', title: '加入', dataIndex: 'joined', width: 90 },
    { key: 'departed', title: '离开', dataIndex: 'departed', width: 90 },
  ];
  const errorColumns: TableColumnsType<RegistryImportStatus['errors'][number]> = [
    { title: '行号', dataIndex: 'row', width: 90, render: (v: number) => `第 ${v} 行` },
    { title: '列', dataIndex: 'column', width: 120 },
    { title: '问题', dataIndex: 'message' },
  ];
  return (
    <Card
      title="3. 导入结果"
      extra={
        <Button icon={<ReloadOutlined />} onClick={onAgain} disabled={!done && job?.status !== 'failed'}>
          关闭结果
        </Button>
      }
      data-testid="registry-results"
      data-status={job?.status ?? 'queued'}
    >
      {!job || (!done && job.status !== 'failed') ? (
        <Typography.Text data-testid="registry-progress">
          {job?.status === 'running' ? `正在导入… 已处理 ${job.processed} 行` : '排队等待处理…'}
        </Typography.Text>
      ) : job.status === 'failed' ? (
        <Alert type="error" showIcon message="导入失败" description={job.message} data-testid="registry-failed" />
      ) : (
        <>
          <Row gutter={16} style={{ marginBottom: 16 }}>
            {(
              [
                ['created', '新增', job.created],
                ['updated', '更新', job.updated],
                ['unchanged', '未变化', job.unchanged],
                ['rejected', '错误', job.rejected],
                ['missing', '不在名单中', job.missing],
                ['reformed', '户成员变化', job.householdsReformed],
              ] as const
            ).map(([key, title, value]) => (
              <Col key={key} span={4} data-testid={`registry-count-${key}`}>
                {/* A count not known is a dash, never a 0 that would read as a result. */}
                <Statistic title={title} value={value ?? '—'} />
              </Col>
            ))}
          </Row>
          {job.errors.length > 0 && (
            <>
              <Typography.Title level={5}>
                出错的行 <Tag color="red">{job.rejected}</Tag>
                {job.reportAvailable && (
                  // The collection form's error report: the rejected rows, masked, with 错误说明.
                  <Button
                    size="small"
                    icon={<DownloadOutlined />}
                    href={`/api/v1/laborers/imports/${encodeURIComponent(job.id)}/report`}
                    data-testid="registry-report"
                  >
                    下载错误报告
                  </Button>
                )}
              </Typography.Title>
              <Table
                size="small"
                rowKey={(e) => `${e.row}-${e.column}`}
                columns={errorColumns}
                dataSource={job.errors}
                pagination={{ pageSize: 10 }}
                data-testid="registry-errors"
              />
            </>
          )}
          <Typography.Title level={5}>不在本次名单中的人员（待核实，信息卡未删除）</Typography.Title>
          <ListTable<Missing> list={missing} columns={missingColumns} unit="人" rowKey="laborerId" data-testid="registry-missing" />
          <Typography.Title level={5}>户成员变化的户</Typography.Title>
          <ListTable<Reformed>
            list={households}
            columns={householdColumns}
            unit="户"
            rowKey="householdCode"
            data-testid="registry-households"
          />
        </>
      )}
    </Card>
  );
}
