import { Tag, Typography } from 'antd';
import { LIAISON_WORKER_COLUMNS } from '../../../../contracts/columns/liaison.ts';
import type { Worker } from '../../api/liaison.ts';
import { columnsOf, param, type ScreenColumn } from '../../components/list/index.ts';

/** The workers' search as the URL keeps it. */
export const WORKER_FILTERS = { q: param.text(40) };

const col = columnsOf<Worker, typeof LIAISON_WORKER_COLUMNS>(LIAISON_WORKER_COLUMNS);

/** The workers' table: titles from contracts/columns/liaison.ts, as the export's header row. */
export const workerColumns = (onOpen: (id: string) => void, wage: (n: number | null) => string): ScreenColumn<Worker>[] => [
  col('name', {
    width: 110,
    fixed: 'left',
    render: (_, w) => (
      <Typography.Link data-testid={`worker-open-${w.laborerId}`} onClick={() => onOpen(w.laborerId)}>
        {w.name}
      </Typography.Link>
    ),
  }),
  col('idNumberMasked', { width: 190 }),
  col('phoneMasked', { width: 130, render: (v: string | null) => v ?? '—' }),
  col('village', { dataIndex: 'villageName', ellipsis: true }),
  col('employer', { ellipsis: true, render: (_, w) => <span data-testid="worker-employer">{w.employment.employerName ?? '—'}</span> }),
  col('contact', { width: 140, render: (_, w) => w.employment.employerContact ?? '—' }),
  col('place', { ellipsis: true, render: (_, w) => w.employment.workRegionName }),
  col('started', { width: 110, render: (_, w) => w.employment.startedOn }),
  col('wage', { width: 120, render: (_, w) => wage(w.employment.monthlyWage) }),
  col('openCases', {
    width: 100,
    render: (n: number) =>
      n > 0 ? (
        <Tag color="orange" data-testid="worker-open-cases">
          {n} 件
        </Tag>
      ) : (
        <Typography.Text type="secondary">无</Typography.Text>
      ),
  }),
];
