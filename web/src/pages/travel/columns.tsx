import { Button, Tag } from 'antd';
import { TRIP_COLUMNS } from '../../../../contracts/columns/travel.ts';
import { TRIP_MODE, TRIP_STATUS, TRIP_STATUS_COLORS, type Trip } from '../../api/travel.ts';
import { columnsOf, type ScreenColumn } from '../../components/list/index.ts';

const col = columnsOf<Trip, typeof TRIP_COLUMNS>(TRIP_COLUMNS);

/** The trips' table: titles from contracts/columns/travel.ts. */
export const tripColumns = (open: (id: string) => void): ScreenColumn<Trip>[] => [
  col('departsOn'),
  col('mode', { render: (_, t) => TRIP_MODE.labels[t.mode] }),
  col('fromCounty', { render: (_, t) => t.fromCounty.name }),
  col('destination', { render: (_, t) => (t.employer ? `${t.employer.name}（${t.destination.name}）` : t.destination.name) }),
  col('seats', { render: (_, t) => `${t.capacity} / ${t.passengers}` }),
  col('boarded', { align: 'right' }),
  col('arrived', { align: 'right' }),
  col('missing', { render: (_, t) => (t.missing ? <Tag color="red">{t.missing}</Tag> : 0) }),
  col('subsidy', { render: (_, t) => `已入台账 ${t.subsidyTotal} / 应补 ${t.subsidyDue}（每人${t.subsidyPerPerson}）` }),
  col('status', { render: (_, t) => <Tag color={TRIP_STATUS_COLORS[t.status]}>{TRIP_STATUS.labels[t.status]}</Tag> }),
  col('actions', {
    render: (_, t) => (
      <Button size="small" data-testid={`trip-open-${t.id}`} onClick={() => open(t.id)}>
        乘车名单
      </Button>
    ),
  }),
];
