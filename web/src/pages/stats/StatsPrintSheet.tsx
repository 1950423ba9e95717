import type { ReactNode } from 'react';
import { PrintedBy } from '../../components/PrintButton.tsx';
import type { Figures } from '../../api/stats.ts';
import { grouped } from '../../app/format.ts';

type Row = Figures & { code: string; name: string };

const n = (x: number | null) => (x === null ? '—' : grouped(x));
const pct = (x: number | null) => (x === null ? '—' : `${(Math.round(x * 10_000) / 100).toFixed(2)}%`);

/**
 * 劳务协作脱贫统计表 as the second article prints it (and as the .xlsx export lays it out): the
 * region and each region below it, two header rows, on a landscape A4 page, with the lines for the
 * reporting unit's seal and signatures — the sheet that goes up to the city. Shown only when printing.
 */
export default function StatsPrintSheet({
  region,
  children,
  asOf,
  from,
  printedBy,
}: {
  region: Row;
  children: Row[];
  asOf: string;
  from: string;
  printedBy: string;
}) {
  const line = (r: Row, indent: boolean): ReactNode => {
    const of = (x: number) => (r.employed ? x / r.employed : null);
    const cells = [
      n(r.registered),
      n(r.employed),
      pct(r.employedShare),
      n(r.inCounty),
      pct(of(r.inCounty)),
      n(r.outOfCountyInProvince),
      pct(of(r.outOfCountyInProvince)),
      n(r.outOfProvince),
      pct(of(r.outOfProvince)),
      n(r.selfEmployed),
      n(r.throughAssistance),
      n(r.averageMonthlyWage),
      n(r.newTransfersThisYear),
      n(r.yearTarget),
      pct(r.targetCompletion),
      n(r.services.guidance),
      n(r.services.introduction),
      n(r.services.training),
      n(r.services.entrepreneurship),
      n(r.subsidies.training),
      n(r.subsidies.socialInsurance),
      n(r.subsidies.job),
      n(r.subsidies.policySupport),
      pct(r.retentionRate6m),
    ];
    return (
      <tr key={r.code}>
        <td style={{ paddingLeft: indent ? '4mm' : undefined, fontWeight: indent ? undefined : 'bold' }}>{r.name}</td>
        {cells.map((c, i) => (
          <td key={i} className="lw-num">
            {c}
          </td>
        ))}
      </tr>
    );
  };
  const group = (label: string, span: number) => <th colSpan={span}>{label}</th>;
  const single = (label: string) => <th rowSpan={2}>{label}</th>;
  return (
    <div className="lw-print-only lw-print-sheet lw-landscape-sheet" data-testid="stats-print-sheet">
      <h1>劳务协作脱贫统计表</h1>
      <div className="lw-print-meta">
        <span>填报单位：{region.name}</span>
        <span>
          截至 {asOf}（服务与补贴 {from} 至 {asOf}）
        </span>
      </div>
      <table>
        <colgroup>
          <col style={{ width: '8%' }} />
        </colgroup>
        <thead>
          <tr>
            {single('地区')}
            {single('建档立卡贫困劳动力（人）')}
            {group('已就业', 2)}
            {group('其中：县内', 2)}
            {group('县外省内', 2)}
            {group('省外', 2)}
            {single('自主就业（人）')}
            {single('就业帮扶（人）')}
            {single('月均工资（元）')}
            {group('今年新增转移就业', 3)}
            {group('就业服务（人次）', 4)}
            {group('补贴（人）', 4)}
            {single('6个月稳岗率')}
          </tr>
          <tr>
            {['人数', '占比', '人数', '占比', '人数', '占比', '人数', '占比', '人数', '目标', '完成率'].map((h, i) => (
              <th key={`a${i}`}>{h}</th>
            ))}
            {['职业指导', '职业介绍', '职业培训', '创业服务', '培训补贴', '社保补贴', '岗位补贴', '政策扶持'].map((h) => (
              <th key={h}>{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {line(region, false)}
          {children.map((c) => line(c, true))}
        </tbody>
      </table>
      <div style={{ fontSize: '8pt', marginTop: '2mm' }}>
        注：县内、县外省内、省外占比为占已就业人数的比例；“截至”为当日 24
        时（北京时间），存量指标按当日信息卡所在村统计，服务与补贴按发生当日的户籍地统计。
      </div>
      <div className="lw-print-sign">
        <span>填报单位（盖章）：</span>
        <span>单位负责人：__________</span>
        <span>统计负责人：__________</span>
        <span>填表人：__________</span>
        <span>报出日期：____年__月__日</span>
      </div>
      <PrintedBy name={printedBy} />
    </div>
  );
}
