import { Tag, Typography } from 'antd';
import { WORKSHOP_COLUMNS } from '../../../../contracts/columns/workshops.ts';
import { STANDING_STATUS, WORKSHOP_KIND, type Workshop } from '../../api/workshops.ts';
import { columnsOf, type FilterField, param, type ScreenColumn } from '../../components/list/index.ts';
import { yuan as formatYuan } from '../../app/format.ts';

export const yuan = (n: number) => formatYuan(n, { maximumFractionDigits: 2 });

/** The registry's filters as the URL keeps them (the region is the page's, for the figures too). */
export const WORKSHOP_FILTERS = { kind: param.oneOf(['workshop', 'base'] as const), q: param.text(50) };

export const workshopFilterFields: FilterField[] = [
  {
    kind: 'select',
    name: 'kind',
    label: '类型',
    width: 160,
    options: [
      { value: 'workshop', label: '扶贫车间' },
      { value: 'base', label: '就业扶贫基地' },
    ],
  },
  { kind: 'search', name: 'q', placeholder: '名称或安置点', testId: 'workshop-search' },
];

const col = columnsOf<Workshop, typeof WORKSHOP_COLUMNS>(WORKSHOP_COLUMNS);

/** The registry's table: titles from contracts/columns/workshops.ts. */
export const workshopColumns = (open: (id: string) => void): ScreenColumn<Workshop>[] => [
  col('name', {
    render: (v: string, w) => (
      <Typography.Link onClick={() => open(w.id)} data-testid={`workshop-${w.id}`}>
        {v}
      </Typography.Link>
    ),
  }),
  col('kind', { render: (k: 'workshop' | 'base') => <Tag color={k === 'workshop' ? 'orange' : 'blue'}>{WORKSHOP_KIND[k]}</Tag> }),
  col('standing', {
    render: (v: Workshop['standing']) => (
      <Tag color={v === 'accredited' ? 'green' : v === 'removed' ? 'red' : 'default'}>{STANDING_STATUS.labels[v]}</Tag>
    ),
  }),
  col('region', { render: (_, w) => w.region.name }),
  col('relocationSite', { render: (v: string | null) => v ?? '—' }),
  col('postsPlanned', { align: 'right', render: (v: number | null) => v ?? '—' }),
  col('employed', { align: 'right' }),
  col('subsidies', { align: 'right', render: (v: number) => yuan(v) }),
];
