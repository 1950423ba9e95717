import { useState } from 'react';
import { Button, Card, Descriptions, Typography } from 'antd';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import { useApiData } from '../../components/useApiData.ts';
import { STATS_VERIFICATION_PATH } from '../../../../contracts/paths.ts';
import { grouped } from '../../app/format.ts';

/** GET /api/v1/stats/verification (server/src/modules/stats/stats.schemas.ts, VerificationSchema). */
interface Verification {
  asOf: string;
  from: string;
  employed: number;
  confirmed: number;
  confirmedShare: number | null;
  byKind: { follow_up: number; employer: number; social_insurance: number };
}

const percent = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);

/**
 * 就业核实情况 (issue 21 item 3): of the employed as of the date, how many had their job confirmed
 * beyond being typed in — by a follow-up, the employer or social insurance — in the three months to
 * it. Read when asked: it counts the region's cards one by one, which a province takes seconds for.
 */
export default function VerificationCard({ region, asOf }: { region: string; asOf: string }) {
  const [asked, setAsked] = useState<string | null>(null);
  const key = `${region}|${asOf}`;
  const { data, error, loading } = useApiData<Verification>(asked === key ? STATS_VERIFICATION_PATH : null, { region, asOf });
  return (
    <Card
      size="small"
      title="就业核实情况（近三个月）"
      style={{ marginTop: 16 }}
      data-testid="stats-verification"
      extra={
        <Button size="small" loading={loading} onClick={() => setAsked(key)} data-testid="stats-verification-load">
          {asked === key ? '刷新' : '查看'}
        </Button>
      }
    >
      <ErrorAlert error={error} />
      {data && asked === key ? (
        <Descriptions
          size="small"
          column={3}
          items={[
            { key: 'employed', label: '已就业人数', children: grouped(data.employed) },
            {
              key: 'confirmed',
              label: '其中近三个月已核实',
              children: (
                <span data-testid="stats-verification-confirmed">
                  {grouped(data.confirmed)}（{percent(data.confirmedShare)}）
                </span>
              ),
            },
            { key: 'window', label: '核实期间', children: `${data.from} 至 ${data.asOf}` },
            { key: 'follow_up', label: '回访确认', children: grouped(data.byKind.follow_up) },
            { key: 'employer', label: '用人单位确认', children: grouped(data.byKind.employer) },
            { key: 'social_insurance', label: '社保比对', children: grouped(data.byKind.social_insurance) },
          ]}
        />
      ) : (
        <Typography.Text type="secondary">
          已就业人员中，近三个月内经回访、用人单位或社保比对确认仍在岗的人数。点“查看”统计。
        </Typography.Text>
      )}
    </Card>
  );
}
