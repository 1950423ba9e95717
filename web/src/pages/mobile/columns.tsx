import { Button, Space } from 'antd';
import { WISH_REQUEST_COLUMNS } from '../../../../contracts/columns/mobile.ts';
import { WILLINGNESS } from '../../../../contracts/laborers.ts';
import type { WishRequest } from '../../../../contracts/mobile.ts';
import { columnsOf, type ScreenColumn } from '../../components/list/index.ts';
import { dateTime } from '../../app/format.ts';

type Wishes = WishRequest['current'];

const describe = (w: Wishes) =>
  `${WILLINGNESS.labels[w.willingness as keyof typeof WILLINGNESS.labels] ?? w.willingness}；${w.wantedJobTypes.join('、') || '工种不限'}；${w.expectedWage ? `期望${w.expectedWage}元` : '月薪不限'}`;

const col = columnsOf<WishRequest, typeof WISH_REQUEST_COLUMNS>(WISH_REQUEST_COLUMNS);

/** The wish requests' table: titles from contracts/columns/mobile.ts, with 核实确认 / 不予确认 on each. */
export const wishRequestColumns = (decide: (id: string, decision: 'confirm' | 'reject') => void): ScreenColumn<WishRequest>[] => [
  col('laborer', { render: (_, w) => `${w.laborer.name}（${w.laborer.villageName}）` }),
  col('current', { render: (_, w) => describe(w.current) }),
  col('changes', { render: (_, w) => describe(w.changes) }),
  col('createdAt', { render: (_, w) => dateTime(w.createdAt) }),
  col('actions', {
    render: (_, w) => (
      <Space>
        <Button size="small" type="primary" onClick={() => decide(w.id, 'confirm')}>
          核实确认
        </Button>
        <Button size="small" onClick={() => decide(w.id, 'reject')}>
          不予确认
        </Button>
      </Space>
    ),
  }),
];
