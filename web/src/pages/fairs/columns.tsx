import { Tag } from 'antd';
import { Link } from 'react-router-dom';
import { FAIR_COLUMNS } from '../../../../contracts/columns/fairs.ts';
import { FAIR_MODE, FIGURE_COLUMNS, type Fair } from '../../api/fairs.ts';
import { columnsOf, param, type ScreenColumn } from '../../components/list/index.ts';

/** The fairs' period as the URL keeps it (no period: all of them). */
export const FAIR_FILTERS = { from: param.day, to: param.day };

const col = columnsOf<Fair, typeof FAIR_COLUMNS>(FAIR_COLUMNS);

/** The fair list (titles from contracts/columns/fairs.ts), its figures in the results table's order. */
export const fairColumns: ScreenColumn<Fair>[] = [
  col('title', {
    render: (title: string, f) => (
      <Link to={`/fairs/${f.id}`} data-testid="fair-link">
        {title}
      </Link>
    ),
  }),
  col('mode', { render: (m: Fair['mode']) => <Tag color={m === 'online' ? 'blue' : 'green'}>{FAIR_MODE.labels[m]}</Tag> }),
  col('heldOn'),
  col('place', { render: (_, f) => f.villageName ?? f.placeRegionName }),
  ...FIGURE_COLUMNS.slice(1).map(([key]) =>
    col(key as Exclude<typeof key, 'sessions'>, { align: 'right', render: (_: unknown, f: Fair) => f.figures[key] }),
  ),
];
