import type { Db } from '../db/database.ts';
import type { AuditContext } from '../platform/actor.ts';
import type { AuditLog } from '../platform/audit.ts';
import { accountsRepo } from '../modules/accounts/index.ts';
import { creditCodeCheckChar, employersRepo } from '../modules/employers/index.ts';
import { postingsRepo } from '../modules/postings/index.ts';
import { addDays, chinaToday } from '../platform/time.ts';

/**
 * The demo installation's employer: the first article's workshop village, 大竹村, with a luggage
 * workshop (扶贫车间) whose account is guohui_employer. Created with the demo accounts on `npm start`
 * and in the test template; re-running adds nothing twice.
 */

// GB 32100: 9 (market regulation) 1 (enterprise), 430522 新邵县, organization code MA4PGH7X5 (its
// GB 11714 check digit 5 included), then the check character computed over the 17 characters.
const CREDIT_CODE_BODY = '91430522MA4PGH7X5';
export const DEMO_EMPLOYER = {
  creditCode: CREDIT_CODE_BODY + creditCodeCheckChar(CREDIT_CODE_BODY),
  name: '邵阳国辉箱包扶贫车间',
  regionCode: '430522107212',
  /** GB/T 4754-2017 19 皮革、毛皮、羽毛及其制品和制鞋业. */
  industry: '19',
  kind: 'workshop' as const,
  relocationSite: null,
  contactName: '车间办公室',
  contactPhone: '0739-3612345',
  address: '湖南省邵阳市新邵县龙溪铺镇大竹村',
  account: 'guohui_employer',
};

export const DEMO_POSTINGS = [
  {
    title: '箱包缝纫工',
    occupationCode: '6-05-01-03', // 缝纫工
    headcount: 20,
    wageMin: 2500,
    wageMax: 3500,
    food: true,
    housing: false,
    ageMin: 18,
    ageMax: 55,
    skills: ['缝纫'],
    reservedForPoor: true,
    description: '家门口就业：计件工资，包午餐，可照顾老人小孩，熟练工优先，新手免费培训。',
  },
  {
    title: '箱包制作普工',
    occupationCode: '6-05-02-01', // 皮革及皮革制品加工工
    headcount: 10,
    wageMin: 2200,
    wageMax: 3000,
    food: true,
    housing: false,
    ageMin: 18,
    ageMax: 60,
    skills: [],
    reservedForPoor: false,
    description: '裁料、粘合、包装等辅助工序，无需经验，上岗前培训。',
  },
];

export async function ensureDemoEmployer(db: Db, audit: AuditLog): Promise<{ employerId: string; created: boolean }> {
  const context: AuditContext = { actor: null, ip: null, claimedUsername: 'demo' };
  return db.transaction().execute(async (tx) => {
    const { account, ...columns } = DEMO_EMPLOYER;
    let created = false;
    let employer = await employersRepo.findByCreditCode(tx, columns.creditCode);
    if (!employer) {
      const id = await employersRepo.insert(tx, columns, null);
      await audit.record(tx, context, {
        action: 'employer.create',
        entity: 'employer',
        entityId: id,
        details: { creditCode: columns.creditCode, name: columns.name, region: columns.regionCode, kind: columns.kind },
      });
      employer = (await employersRepo.findById(tx, id))!;
      created = true;
    }
    await accountsRepo.linkUnlinkedAccount(tx, account, employer.id);
    const existing = await postingsRepo.list(tx, { employerId: employer.id, sort: 'updatedAt', order: 'desc', offset: 0, limit: 1 });
    if (existing.total === 0) {
      const today = chinaToday();
      for (const p of DEMO_POSTINGS) {
        const id = await postingsRepo.insert(
          tx,
          {
            ...p,
            employerId: employer.id,
            workRegionCode: DEMO_EMPLOYER.regionCode,
            filled: 0,
            minEducation: null,
            certificates: [],
            validFrom: today,
            validTo: addDays(today, 365),
            status: 'open',
          },
          null,
        );
        await audit.record(tx, context, {
          action: 'posting.create',
          entity: 'posting',
          entityId: id,
          details: {
            employer: employer.id,
            title: p.title,
            occupation: p.occupationCode,
            workRegion: DEMO_EMPLOYER.regionCode,
            headcount: p.headcount,
          },
        });
      }
    }
    return { employerId: employer.id, created };
  });
}
