import { Button, Space, Tag } from 'antd';
import { SUBSIDY_COLUMNS } from '../../../../contracts/columns/subsidies.ts';
import { SUBSIDY_STATUS, SUBSIDY_STATUS_COLOR, subsidyKindLabel, type Subsidy } from '../../api/subsidies.ts';
import { columnsOf, param, type ScreenColumn } from '../../components/list/index.ts';
import { yuan as formatYuan } from '../../app/format.ts';

export const yuan = (n: number) => formatYuan(n, { maximumFractionDigits: 2 });

/** The ledger's filter as the URL keeps it. */
export const SUBSIDY_FILTERS = { status: param.oneOf(SUBSIDY_STATUS.codes) };
export const statusOptions = SUBSIDY_STATUS.codes.map((s) => ({ value: s, label: SUBSIDY_STATUS.labels[s] }));

const col = columnsOf<Subsidy, typeof SUBSIDY_COLUMNS>(SUBSIDY_COLUMNS);

/** The ledger's table (the titles are the export's, contracts/columns/subsidies.ts); `act` only for approvers. */
export const subsidyColumns = (
  act: { approve: (s: Subsidy) => void; pay: (s: Subsidy) => void; reject: (s: Subsidy) => void } | null,
): ScreenColumn<Subsidy>[] => [
  col('kind', { render: (_, s) => subsidyKindLabel(s.kind, s.recipient) }),
  col('subject', {
    render: (_, s) => (
      <span>
        {s.employer ? <div>{s.employer.name}</div> : null}
        {s.broker ? <div>劳务经纪人：{s.broker.name}</div> : null}
        {s.laborer ? (
          <div>
            {s.employer ? '人员：' : ''}
            {s.laborer.name} <span style={{ color: '#999' }}>{s.laborer.idNumberMasked}</span>
          </div>
        ) : null}
      </span>
    ),
  }),
  col('amount', { align: 'right', render: (n: number) => yuan(n) }),
  col('period', { render: (_, s) => `${s.periodFrom} 至 ${s.periodTo}` }),
  col('status', {
    render: (v: string) => <Tag color={SUBSIDY_STATUS_COLOR[v]}>{SUBSIDY_STATUS.labels[v as keyof typeof SUBSIDY_STATUS.labels]}</Tag>,
  }),
  col('handling', {
    render: (_, s) => (
      <div style={{ fontSize: 12, color: '#666' }}>
        {s.applied && (
          <div>
            申请：{s.applied.by ?? '批量导入'} {s.applied.at.slice(0, 10)}
          </div>
        )}
        {s.approved && (
          <div>
            审批：{s.approved.by ?? '—'} {s.approved.at.slice(0, 10)}
          </div>
        )}
        {s.paid && (
          <div>
            发放：{s.paid.by ?? '—'} {s.paidOn}
          </div>
        )}
        {s.rejected && (
          <div>
            驳回：{s.rejected.by ?? '—'}（{s.rejectReason}）
          </div>
        )}
      </div>
    ),
  }),
  ...(act
    ? [
        col('actions', {
          render: (_, s) => (
            <Space size={4}>
              {s.status === 'applied' && (
                <Button size="small" type="primary" onClick={() => act.approve(s)} data-testid={`subsidy-approve-${s.id}`}>
                  审批通过
                </Button>
              )}
              {s.status === 'approved' && (
                <Button size="small" type="primary" onClick={() => act.pay(s)} data-testid={`subsidy-pay-${s.id}`}>
                  发放
                </Button>
              )}
              {(s.status === 'applied' || s.status === 'approved') && (
                <Button size="small" danger onClick={() => act.reject(s)}>
                  驳回
                </Button>
              )}
            </Space>
          ),
        }),
      ]
    : []),
];
