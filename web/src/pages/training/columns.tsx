import { Button, Tag } from 'antd';
import { TRAINING_CLASS_COLUMNS } from '../../../../contracts/columns/training.ts';
import { TRAINING_CLASS_STATUS, TRAINING_STATUS_COLORS, type TrainingClass } from '../../api/training.ts';
import { columnsOf, type ScreenColumn } from '../../components/list/index.ts';

const col = columnsOf<TrainingClass, typeof TRAINING_CLASS_COLUMNS>(TRAINING_CLASS_COLUMNS);

/** The classes' table: titles from contracts/columns/training.ts. */
export const trainingClassColumns = (open: (id: string) => void): ScreenColumn<TrainingClass>[] => [
  col('course'),
  col('institution'),
  col('occupation', { render: (_, c) => `${c.occupation.name}（${c.occupation.code}）` }),
  col('region', { render: (_, c) => c.region.name }),
  col('period', { render: (_, c) => `${c.startsOn} 至 ${c.endsOn}` }),
  col('hours', { align: 'right' }),
  col('roster', { render: (_, c) => `${c.enrolled} / ${c.completed} / ${c.notCompleted}` }),
  col('certified', { align: 'right' }),
  col('subsidy', { render: (_, c) => `已入台账 ${c.subsidyPersons} 人 ${c.subsidyTotal}（每人${c.subsidyPerPerson}）` }),
  col('status', { render: (_, c) => <Tag color={TRAINING_STATUS_COLORS[c.status]}>{TRAINING_CLASS_STATUS.labels[c.status]}</Tag> }),
  col('actions', {
    render: (_, c) => (
      <Button size="small" data-testid={`training-open-${c.id}`} onClick={() => open(c.id)}>
        花名册
      </Button>
    ),
  }),
];
