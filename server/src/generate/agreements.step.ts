import { agreementsRepo as repo } from '../modules/agreements/index.ts';
import type { AgreementColumns, CommitmentRecord } from '../modules/agreements/index.ts';
import type { GeneratorStep } from './step.ts';

/**
 * Cooperation agreements (劳务协作协议). The seeds' one: 济南市 and 湘西州, 2017–2020 — "济南市将为湘西
 * 自治州提供3000个扶贫就业岗位，定向招收200名贫困家庭学生，组织开展20场扶贫协作招聘活动，组织展翅技校等机构
 * 培训贫困劳动力" (training without a number: its target stays empty). Two more for a current period,
 * so that the console shows progress computed from the generated postings. The same for every
 * preset; an agreement already there (same title, regions and start) is not added again.
 */
const AGREEMENTS: (AgreementColumns & { commitments: CommitmentRecord[] })[] = [
  {
    title: '济南市—湘西州劳务协作脱贫协议（2017—2020年）',
    outputRegionCode: '4331',
    inputRegionCode: '3701',
    signedOn: null,
    validFrom: '2017-01-01',
    validTo: '2020-12-31',
    notes:
      '东西部扶贫协作：济南市为湘西自治州提供扶贫就业岗位，定向招收贫困家庭学生，组织扶贫协作招聘活动，组织展翅技校等机构培训贫困劳动力。',
    commitments: [
      { kind: 'posts', target: 3000 },
      { kind: 'students', target: 200 },
      { kind: 'fairs', target: 20 },
      { kind: 'trained', target: null },
    ],
  },
  {
    title: '深圳市—邵阳市劳务协作协议（2024—2027年）',
    outputRegionCode: '4305',
    inputRegionCode: '4403',
    signedOn: '2023-12-20',
    validFrom: '2024-01-01',
    validTo: '2027-12-31',
    notes: '演示数据：深圳市定点接收单位为邵阳市贫困劳动力提供岗位并组织专场招聘。',
    commitments: [
      { kind: 'posts', target: 2000 },
      { kind: 'hires', target: 500 },
      { kind: 'fairs', target: 12 },
    ],
  },
  {
    title: '长沙市—湘西州劳务协作协议（2024—2027年）',
    outputRegionCode: '4331',
    inputRegionCode: '4301',
    signedOn: '2023-12-26',
    validFrom: '2024-01-01',
    validTo: '2027-12-31',
    notes: '演示数据：省内劳务协作，长沙市为湘西州提供岗位、吸纳转移就业并开展技能培训。',
    commitments: [
      { kind: 'posts', target: 1500 },
      { kind: 'hires', target: 400 },
      { kind: 'students', target: 100 },
      { kind: 'trained', target: 1000 },
    ],
  },
];

export const agreementsStep: GeneratorStep = {
  name: 'agreements',
  description: '劳务协作协议（济南—湘西 2017—2020 及两项当期演示协议）',
  async run(ctx) {
    let added = 0;
    for (const { commitments, ...columns } of AGREEMENTS) {
      await ctx.db.transaction().execute(async (tx) => {
        if (await repo.findSame(tx, columns)) return;
        const id = await repo.insert(tx, columns, null);
        await repo.replaceCommitments(tx, id, commitments);
        added++;
      });
    }
    ctx.progress('劳务协作协议', AGREEMENTS.length, AGREEMENTS.length);
    return `${added} agreements added (${AGREEMENTS.length - added} already there)`;
  },
};
