import dayjs from 'dayjs';
import { api } from '../../api/client.ts';
import type { Paged } from '../../api/types.ts';
import {
  EDUCATION,
  EMPLOYMENT_STATUS,
  LABOR_CAPACITY,
  LABORERS_PATH,
  SEX,
  WILLINGNESS,
  labelOf,
  type Laborer,
} from '../../api/laborers.ts';
import ListPrint from '../../components/ListPrint.tsx';

/** The roster's place: the village when every card is of one village, else the register's region. */
const rosterName = (rows: Laborer[], regionName: string) =>
  rows.length && rows.every((l) => l.homeVillage.code === rows[0]!.homeVillage.code) ? rows[0]!.homeVillage.fullName : regionName;

/**
 * 一村一册 on paper: every card of the register's current filter as a roster with the village's sign
 * and seal lines (components/ListPrint). Identifiers masked as listed.
 */
export default function RegisterPrint({
  query,
  regionName,
  printedBy,
}: {
  query: Record<string, string | number | boolean | undefined>;
  regionName: string;
  printedBy: string;
}) {
  return (
    <ListPrint<Laborer>
      testId="laborer-print-register"
      label="打印名册"
      fetchPage={(page, pageSize) => api.get<Paged<Laborer>>(LABORERS_PATH, { ...query, page, pageSize })}
      title={(rows) => `${rosterName(rows, regionName)}贫困劳动力花名册（一村一册）`}
      columns={[
        { title: '序号', value: (_, i) => i + 1, numeric: true },
        { title: '姓名', value: (l) => l.name },
        { title: '性别', value: (l) => labelOf(SEX, l.sex) },
        { title: '年龄', value: (l) => l.age, numeric: true },
        { title: '身份证号', value: (l) => l.idNumberMasked },
        { title: '手机号', value: (l) => l.phoneMasked ?? '—' },
        { title: '户编号', value: (l) => l.householdCode ?? '—' },
        { title: '与户主关系', value: (l) => l.relationToHead ?? '—' },
        { title: '文化程度', value: (l) => labelOf(EDUCATION, l.education) },
        { title: '劳动能力', value: (l) => labelOf(LABOR_CAPACITY, l.laborCapacity) },
        { title: '就业状态', value: (l) => labelOf(EMPLOYMENT_STATUS, l.employmentStatus) },
        { title: '就业意愿', value: (l) => labelOf(WILLINGNESS, l.willingness) },
        { title: '最近核实', value: (l) => (l.lastConfirmedAt ? dayjs(l.lastConfirmedAt).format('YYYY-MM-DD') : '未核实') },
      ]}
      signs={['村信息员（签字）：__________', '村委会（盖章）：', '乡镇审核人：__________', '日期：____年__月__日']}
      printedBy={printedBy}
    />
  );
}
