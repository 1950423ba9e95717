import { api } from '../../api/client.ts';
import { regionDetail } from '../../api/regions.ts';
import type { Responsibility, RetentionList, TaskList } from '../../api/employment.ts';
import ListPrint from '../../components/ListPrint.tsx';

const WILLINGNESS: Record<string, string> = {
  in_county: '县内',
  in_province: '县外省内',
  out_of_province: '省外',
  stay_home: '不愿外出',
  abroad: '出国务工',
};
const SIGNS = ['制表人：__________', '审核人：__________', '单位（盖章）：', '日期：____年__月__日'];
const LIST_NAMES = { tasks: '任务清单', responsibility: '责任清单', retention: '稳岗清单' } as const;

/**
 * The three lists (任务清单, 责任清单, 稳岗清单) on paper: every row of the list for the region (and,
 * for the retention list, the workplace picked), as each list's table shows them, under the region's
 * full name and the list's, with the sign and seal lines (components/ListPrint).
 */
export default function ListsPrint({
  list,
  path,
  query,
  printedBy,
}: {
  list: keyof typeof LIST_NAMES;
  path: string;
  query: { region: string } & Record<string, string | undefined>;
  printedBy: string;
}) {
  const title = async () => `${(await regionDetail(query.region)).fullName}${LIST_NAMES[list]}`;
  const common = { testId: 'list-print', title, signs: SIGNS, printedBy };
  if (list === 'tasks')
    return (
      <ListPrint<TaskList['items'][number]>
        {...common}
        fetchPage={async (page, pageSize) => {
          const d = await api.get<TaskList>(path, { ...query, page, pageSize });
          return { items: d.items, total: d.total };
        }}
        columns={[
          { title: '序号', value: (_, i) => i + 1, numeric: true },
          { title: '姓名', value: (r) => r.laborer.name },
          { title: '户籍所在村', value: (r) => r.laborer.villageName },
          { title: '年龄', value: (r) => r.age, numeric: true },
          { title: '就业意愿', value: (r) => WILLINGNESS[r.willingness] ?? r.willingness },
          { title: '意向工种', value: (r) => r.wantedJobTypes.join('、') || '—' },
          { title: '期望月薪', value: (r) => (r.expectedWage === null ? '—' : `${r.expectedWage} 元`) },
          { title: '技能', value: (r) => [...r.skills, ...r.certificates].join('、') || '—' },
          { title: '转岗服务', value: (r) => (r.openCaseId ? '服务中' : '') },
        ]}
      />
    );
  if (list === 'responsibility')
    return (
      <ListPrint<Responsibility['items'][number]>
        {...common}
        fetchPage={async (page, pageSize) => {
          const d = await api.get<Responsibility>(path, { ...query, page, pageSize });
          return { items: d.items, total: d.total };
        }}
        columns={[
          { title: '序号', value: (_, i) => i + 1, numeric: true },
          { title: '姓名', value: (r) => r.laborer.name },
          { title: '户籍所在村', value: (r) => r.laborer.villageName },
          { title: '状态', value: (r) => (r.employed ? '已就业' : '未就业') },
          { title: '工作地', value: (r) => r.workRegionName ?? '—' },
          { title: '责任单位与责任人', value: (r) => r.responsible.map((p) => p.name).join('；') },
          { title: '待办', value: (r) => r.tasks.join('、') },
        ]}
      />
    );
  return (
    <ListPrint<RetentionList['items'][number]>
      {...common}
      fetchPage={async (page, pageSize) => {
        const d = await api.get<RetentionList>(path, { ...query, page, pageSize });
        return { items: d.items, total: d.itemsTotal };
      }}
      columns={[
        { title: '序号', value: (_, i) => i + 1, numeric: true },
        { title: '姓名', value: (r) => r.laborer.name },
        { title: '手机号', value: (r) => r.laborer.phoneMasked ?? '—' },
        { title: '工作地', value: (r) => r.workRegionName },
        { title: '用人单位', value: (r) => r.employer ?? '—' },
        { title: '联系方式', value: (r) => r.contact ?? '—' },
        { title: '入职', value: (r) => r.startedOn },
        { title: '月工资', value: (r) => (r.monthlyWage === null ? '—' : `${r.monthlyWage} 元`) },
      ]}
    />
  );
}
