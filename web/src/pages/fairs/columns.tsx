import { Button, Space, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { ATTENDEE_COLUMNS, FAIR_COLUMNS } from '../../../../contracts/columns/fairs.ts';
import { type Attendee, FAIR_MODE, FIGURE_COLUMNS, type Fair } from '../../api/fairs.ts';
import { REFERRAL_STATUS } from '../../api/referrals.ts';
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

/** A fair's attendees: the 贫困劳动力 filter as the URL keeps it. */
export const ATTENDEE_FILTERS = { poor: param.oneOf(['true'] as const) };

const attendeeCol = columnsOf<Attendee, typeof ATTENDEE_COLUMNS>(ATTENDEE_COLUMNS);

/** The attendees' table: titles from contracts/columns/fairs.ts (the export's header row), 达成意向 on each. */
export const attendeeColumns = (onIntention: (a: Attendee) => void): ScreenColumn<Attendee>[] => [
  attendeeCol('name', {
    render: (_, a) =>
      a.laborer?.name ?? (
        <Typography.Text type="secondary" data-testid="attendee-outside">
          {a.outsideScope ?? '信息库外人员'}
        </Typography.Text>
      ),
  }),
  attendeeCol('idNumberMasked', { render: (_, a) => a.idNumberMasked ?? '—' }),
  attendeeCol('phoneMasked', { render: (_, a) => a.phoneMasked ?? '—' }),
  attendeeCol('village', { render: (_, a) => a.laborer?.villageName ?? '—' }),
  attendeeCol('poor', { render: (_, a) => (a.poor ? <Tag color="orange">是</Tag> : '否') }),
  attendeeCol('intentions', {
    render: (_, a) => (
      <Space direction="vertical" size={0}>
        {a.intentions.map((i) => (
          <span key={i.id} data-testid="attendee-intention">
            {i.postingTitle}（{i.employerName}）
            {i.referralStatus && (
              <Tag color={i.referralStatus === 'hired' ? 'green' : 'blue'} style={{ marginLeft: 4 }}>
                {REFERRAL_STATUS.labels[i.referralStatus as keyof typeof REFERRAL_STATUS.labels] ?? i.referralStatus}
              </Tag>
            )}
          </span>
        ))}
      </Space>
    ),
  }),
  attendeeCol('actions', {
    render: (_, a) => (
      <Button size="small" data-testid="intention-add" onClick={() => onIntention(a)}>
        达成意向
      </Button>
    ),
  }),
];
