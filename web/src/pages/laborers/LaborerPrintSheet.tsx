import dayjs from 'dayjs';
import {
  CARING,
  EDUCATION,
  EMPLOYMENT_STATUS,
  ETHNICITY,
  FLAGS,
  HEALTH,
  LABOR_CAPACITY,
  POVERTY_STATUS,
  SEX,
  WILLINGNESS,
  labelOf,
  type Dictionary,
  type Laborer,
} from '../../api/laborers.ts';
import { PrintedBy } from '../../components/PrintButton.tsx';

const v = (x: string | number | null | undefined) => (x === null || x === undefined || x === '' ? '—' : String(x));
const items = (xs: string[], dict?: Dictionary) => (xs.length ? xs.map((x) => (dict ? labelOf(dict, x) : x)).join('、') : '—');

/**
 * 一人一卡 on one A4 page: the collection form's fields in its order, identifiers masked as the
 * card shows them (the full number is revealed on screen only, audited), with the village officer's
 * and the person's sign lines. Shown only when printing (styles.css `.lw-print-only`).
 */
export default function LaborerPrintSheet({ card, printedBy }: { card: Laborer; printedBy: string }) {
  const row = (cells: [string, string][]) => (
    <tr>
      {cells.flatMap(([label, value], i) => [
        <th key={`h${i}`}>{label}</th>,
        <td key={`d${i}`} colSpan={cells.length === 1 ? 5 : cells.length === 2 && i === 1 ? 3 : 1}>
          {value}
        </td>,
      ])}
    </tr>
  );
  return (
    <div className="lw-print-only lw-print-sheet" data-testid="laborer-print-sheet">
      <h1>贫困劳动力信息卡（一人一卡）</h1>
      <div className="lw-print-meta">
        <span>户籍所在村：{card.homeVillage.fullName}</span>
        <span>
          第 {card.version} 版 · 更新于 {dayjs(card.updatedAt).format('YYYY-MM-DD')}
        </span>
      </div>
      <table>
        <colgroup>
          <col style={{ width: '14%' }} />
          <col style={{ width: '19%' }} />
          <col style={{ width: '14%' }} />
          <col style={{ width: '19%' }} />
          <col style={{ width: '14%' }} />
          <col style={{ width: '20%' }} />
        </colgroup>
        <tbody>
          {row([
            ['姓名', card.name],
            ['性别', labelOf(SEX, card.sex)],
            ['年龄', `${card.age} 岁`],
          ])}
          {row([
            ['身份证号', card.idNumberMasked],
            ['手机号', v(card.phoneMasked)],
          ])}
          {row([
            ['民族', card.ethnicity ? labelOf(ETHNICITY, card.ethnicity) : '—'],
            ['户编号', v(card.householdCode)],
            ['与户主关系', v(card.relationToHead)],
          ])}
          {row([
            ['家庭人口', card.householdSize ? `${card.householdSize} 人` : '—'],
            ['户类型', labelOf(POVERTY_STATUS, card.povertyStatus)],
            ['文化程度', labelOf(EDUCATION, card.education)],
          ])}
          {row([
            ['劳动能力', labelOf(LABOR_CAPACITY, card.laborCapacity)],
            ['健康状况', labelOf(HEALTH, card.health)],
            ['照料负担', labelOf(CARING, card.caring)],
          ])}
          {row([
            ['就业意愿', labelOf(WILLINGNESS, card.willingness)],
            ['期望月薪', card.expectedWage === null ? '—' : `${card.expectedWage} 元`],
            ['就业状态', labelOf(EMPLOYMENT_STATUS, card.employmentStatus)],
          ])}
          {row([['技能特长', items(card.skills)]])}
          {row([['职业资格证书', items(card.certificates)]])}
          {row([['意向工种', items(card.wantedJobTypes)]])}
          {row([['特殊标识', items(card.flags, FLAGS)]])}
          {row([['培训经历', v(card.trainingHistory)]])}
          {row([['备注', v(card.remark)]])}
          {row([['最近核实', card.lastConfirmedAt ? dayjs(card.lastConfirmedAt).format('YYYY-MM-DD') : '未核实']])}
        </tbody>
      </table>
      <div className="lw-print-sign">
        <span>劳动力本人（签字）：__________</span>
        <span>村信息员（签字）：__________</span>
        <span>核实日期：____年__月__日</span>
      </div>
      <PrintedBy name={printedBy} />
    </div>
  );
}
