import { Button, Tag } from 'antd';
import { EMPLOYEE_COLUMNS } from '../../../../contracts/columns/employment.ts';
import { END_REASON, type Employment } from '../../api/employment.ts';
import { columnsOf, param, type ScreenColumn } from '../../components/list/index.ts';
import PlaceName from '../../components/PlaceName.tsx';

/** 在职 is the list's default, so only the other two are written to the URL. */
export const EMPLOYEE_FILTERS = { status: param.oneOf(['ended', 'all'] as const) };
export const EMPLOYEE_STATUS = { open: '在职', ended: '已离职', all: '全部' } as const;

const col = columnsOf<Employment, typeof EMPLOYEE_COLUMNS>(EMPLOYEE_COLUMNS);
const reason = (code: string | null) => (code ? (END_REASON.labels[code as keyof typeof END_REASON.labels] ?? code) : '—');

/** The employees' table (titles from contracts/columns/employment.ts). */
export const employeeColumns = (openFollowUps: (id: string) => void): ScreenColumn<Employment>[] => [
  col('name', { width: 100, render: (_, e) => e.laborer.name }),
  col('idNumberMasked', { width: 190, render: (_, e) => e.laborer.idNumberMasked }),
  col('phoneMasked', { width: 130, render: (_, e) => e.laborer.phoneMasked ?? '—' }),
  col('village', { ellipsis: true, render: (_, e) => <PlaceName fullName={e.laborer.villageName} /> }),
  col('workRegionName', { ellipsis: true }),
  col('startedOn', { width: 110 }),
  col('status', {
    width: 160,
    render: (_, e) =>
      e.endedOn ? (
        <Tag>
          {e.endedOn} 离职（{reason(e.endReason)}）
        </Tag>
      ) : (
        <Tag color="green">在职</Tag>
      ),
  }),
  col('monthlyWage', { width: 110, render: (v: number | null) => v ?? '—' }),
  col('actions', {
    width: 90,
    fixed: 'right',
    render: (_, e) => (
      <Button size="small" type="link" onClick={() => openFollowUps(e.id)} data-testid="employee-follow-ups">
        回访记录
      </Button>
    ),
  }),
];
