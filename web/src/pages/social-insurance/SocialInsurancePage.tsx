import { useState } from 'react';
import { App, Button, Card, DatePicker, Descriptions, Form, Input, InputNumber, Select, Space, Typography, Upload } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { END_REASON } from '../../../../contracts/employment.ts';
import { api } from '../../api/client.ts';
import {
  type Comparison,
  type Review,
  SI_COMPARISONS_PATH,
  SI_IMPORTER_ROLES,
  SI_OUTCOME,
  SI_REVIEWS_PATH,
} from '../../api/social-insurance.ts';
import { uploadForm } from '../../api/upload.ts';
import { useMe } from '../../app/auth.tsx';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import { FilterBar, ListTable, ModalForm, useListQuery } from '../../components/list/index.ts';
import PageHeader from '../../components/PageHeader.tsx';
import RegionCascader from '../../components/RegionCascader.tsx';
import { useApiData } from '../../components/useApiData.ts';
import { REVIEW_FILTERS, reviewColumns, reviewFilterFields } from './columns.tsx';
import { chinaNow } from '../../app/format.ts';

/** The quarters a file may cover: this one and the four before it ('2026Q4'). */
function recentQuarters(): string[] {
  const now = chinaNow();
  const out: string[] = [];
  for (let k = 0; k < 5; k++) {
    const d = now.subtract(k * 3, 'month');
    out.push(`${d.year()}Q${Math.floor(d.month() / 3) + 1}`);
  }
  return out;
}

const day = (d: Dayjs | undefined) => (d ? d.format('YYYY-MM-DD') : undefined);

/** 社保比对: upload the quarter's contribution file, read the run's counts, review the county's list. */
export default function SocialInsurancePage() {
  const { message } = App.useApp();
  const me = useMe();
  const canUpload = SI_IMPORTER_ROLES.includes(me.role) && [2, 6].includes(me.region.code.length);
  const list = useListQuery<Review, typeof REVIEW_FILTERS>(SI_REVIEWS_PATH, { filters: REVIEW_FILTERS });
  const runs = useApiData<{ items: Comparison[]; total: number }>(SI_COMPARISONS_PATH, { pageSize: 5 });
  const [deciding, setDeciding] = useState<{ review: Review; decision: 'accept' | 'reject' } | null>(null);
  const latest = runs.data?.items[0];

  return (
    <>
      <PageHeader
        title="社保比对核实"
        description="每季度将社保缴费数据与就业登记比对：疑似已就业、待核实、就业单位不一致的人员由县、乡在 3 个工作日内核实（按国家法定节假日与调休计算）"
      />
      {canUpload && (
        <UploadCard
          onDone={() => {
            runs.reload();
            list.reload();
          }}
        />
      )}
      {latest && <RunCard run={latest} />}
      <Card variant="borderless" title="核实清单">
        <FilterBar name="si-filter" list={list} fields={reviewFilterFields(me.region.code)} />
        <ErrorAlert error={list.error} testId="si-reviews-error" />
        <ListTable<Review>
          rowKey="id"
          size="small"
          data-testid="si-reviews"
          list={list}
          columns={reviewColumns((review, decision) => setDeciding({ review, decision }))}
          unit="人"
          rowTestId={(r) => `si-review-${r.id}`}
          locale={{ emptyText: list.loading ? ' ' : '暂无需要核实的人员' }}
        />
      </Card>
      <DecideModal
        deciding={deciding}
        onClose={(saved) => {
          if (saved) {
            message.success(deciding?.decision === 'accept' ? '已采纳，就业记录已更新' : '已驳回');
            list.reload();
          }
          setDeciding(null);
        }}
      />
    </>
  );
}

function UploadCard({ onDone }: { onDone: () => void }) {
  const quarters = recentQuarters();
  const [period, setPeriod] = useState(quarters[1] ?? quarters[0]!);
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      await uploadForm<Comparison>(`${SI_COMPARISONS_PATH}?period=${period}`, {}, { file }).promise;
      setFile(null);
      onDone();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card variant="borderless" title="上传社保缴费数据" style={{ marginBottom: 16 }}>
      <Typography.Paragraph type="secondary">
        .xlsx 或 .csv（UTF-8）：证件号码、姓名、单位名称、统一社会信用代码、参保地（名称或代码）、缴费月数。证件号码只用于比对，不保存。
      </Typography.Paragraph>
      <ErrorAlert error={error} testId="si-upload-error" />
      <Space wrap>
        <Select
          value={period}
          onChange={setPeriod}
          options={quarters.map((q) => ({ value: q, label: q }))}
          style={{ width: 120 }}
          data-testid="si-period"
        />
        <Upload
          accept=".xlsx,.csv"
          maxCount={1}
          beforeUpload={(f) => {
            setFile(f);
            return false;
          }}
          onRemove={() => setFile(null)}
          fileList={file ? [{ uid: '1', name: file.name }] : []}
        >
          <Button icon={<UploadOutlined />} data-testid="si-file">
            选择文件
          </Button>
        </Upload>
        <Button type="primary" disabled={!file} loading={busy} onClick={submit} data-testid="si-upload">
          上传并比对
        </Button>
      </Space>
    </Card>
  );
}

function RunCard({ run }: { run: Comparison }) {
  return (
    <Card variant="borderless" title={`最近一次比对：${run.regionName} ${run.period}`} style={{ marginBottom: 16 }} data-testid="si-run">
      <Descriptions size="small" column={4}>
        <Descriptions.Item label="比对日期">{run.comparedOn}</Descriptions.Item>
        <Descriptions.Item label="核实截止">{run.dueOn}</Descriptions.Item>
        <Descriptions.Item label="文件行数">{run.linesRead}</Descriptions.Item>
        <Descriptions.Item label="无效行">{run.linesRejected}</Descriptions.Item>
        <Descriptions.Item label="未匹配到信息卡">{run.linesUnmatched}</Descriptions.Item>
        {SI_OUTCOME.codes.map((code) => (
          <Descriptions.Item key={code} label={SI_OUTCOME.labels[code]}>
            <span data-testid={`si-count-${code}`}>{run.outcomes[code]}</span>
          </Descriptions.Item>
        ))}
      </Descriptions>
    </Card>
  );
}

interface DecideValues {
  startedOn?: Dayjs;
  monthlyWage?: number;
  workRegionCode?: string;
  endedOn?: Dayjs;
  endReason?: string;
  note?: string;
  reason?: string;
}

function DecideModal({
  deciding,
  onClose,
}: {
  deciding: { review: Review; decision: 'accept' | 'reject' } | null;
  onClose: (saved: boolean) => void;
}) {
  const review = deciding?.review;
  const opens = review?.outcome === 'suspected' || review?.outcome === 'employer_differs';
  const ends = review?.outcome === 'unverified' || review?.outcome === 'employer_differs';
  const needsPlace = opens && !(review?.contribution?.placeCode && review.contribution.placeCode.length >= 6);
  const notFuture = (d: Dayjs) => d.isAfter(chinaNow(), 'day');
  return (
    <ModalForm<DecideValues>
      open={deciding !== null}
      title={deciding?.decision === 'reject' ? `驳回：${review?.laborer.name}` : `采纳：${review?.laborer.name}（${review?.outcomeLabel}）`}
      okText={deciding?.decision === 'reject' ? '驳回' : '采纳'}
      okTestId="si-decide-ok"
      danger={deciding?.decision === 'reject'}
      testId="si-decide"
      fieldErrors={{ fields: ['startedOn', 'monthlyWage', 'workRegionCode', 'endedOn', 'endReason', 'reason'] }}
      onClose={onClose}
      onSubmit={async (v) => {
        if (!review) return;
        if (deciding?.decision === 'reject') return api.post(`${SI_REVIEWS_PATH}/${review.id}/reject`, { reason: v.reason });
        return api.post(`${SI_REVIEWS_PATH}/${review.id}/accept`, {
          startedOn: day(v.startedOn),
          monthlyWage: v.monthlyWage,
          workRegionCode: v.workRegionCode,
          endedOn: day(v.endedOn),
          endReason: v.endReason,
          note: v.note?.trim() || undefined,
        });
      }}
    >
      {deciding?.decision === 'reject' ? (
        <Form.Item name="reason" label="驳回理由" rules={[{ required: true, min: 4, message: '驳回理由至少 4 个字' }]}>
          <Input.TextArea rows={3} maxLength={200} data-testid="si-reject-reason" />
        </Form.Item>
      ) : (
        <>
          <Typography.Paragraph type="secondary">
            {review?.outcome === 'suspected' && '按社保缴费登记就业，本次比对记为核实依据。'}
            {review?.outcome === 'unverified' && '登记的就业已无社保缴费，登记离职。'}
            {review?.outcome === 'employer_differs' && '原就业登记离职，按社保缴费单位登记新的就业。'}
          </Typography.Paragraph>
          {ends && (
            <>
              <Form.Item
                name="endedOn"
                label={review?.outcome === 'employer_differs' ? '原单位离职日期（不填则为新单位入职前一天）' : '离职日期（最后工作日）'}
                rules={[{ required: review?.outcome === 'unverified', message: '请选择离职日期' }]}
              >
                <DatePicker disabledDate={notFuture} data-testid="si-ended-on" />
              </Form.Item>
              <Form.Item name="endReason" label="离职原因">
                <Select allowClear options={END_REASON.codes.map((c) => ({ value: c, label: END_REASON.labels[c] }))} />
              </Form.Item>
            </>
          )}
          {opens && (
            <>
              <Form.Item name="startedOn" label="入职日期" rules={[{ required: true, message: '请选择入职日期' }]}>
                <DatePicker disabledDate={notFuture} data-testid="si-started-on" />
              </Form.Item>
              <Form.Item name="monthlyWage" label="月工资（元）" rules={[{ required: true, message: '请填写月工资' }]}>
                <InputNumber min={0} max={1_000_000} precision={0} style={{ width: 160 }} data-testid="si-wage" />
              </Form.Item>
              {needsPlace && (
                <Form.Item
                  name="workRegionCode"
                  label="工作地（参保地不是县级或以下）"
                  rules={[{ required: true, message: '请选择工作地' }]}
                >
                  <RegionCascader maxLevel="village" changeOnSelect placeholder="选择县、乡或村" />
                </Form.Item>
              )}
            </>
          )}
          <Form.Item name="note" label="说明">
            <Input maxLength={200} />
          </Form.Item>
        </>
      )}
    </ModalForm>
  );
}
