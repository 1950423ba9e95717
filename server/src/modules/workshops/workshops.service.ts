import type {
  DesignatedSummary,
  DesignatedSummaryQueryInput,
  DesignatedTotals,
  UpdateWorkshopInput,
  Workshop,
  WorkshopDetail,
  WorkshopList,
  WorkshopListQueryInput,
  WorkshopSummary,
  WorkshopTotals,
} from '../../../../contracts/workshops.ts';
import type { Tx } from '../../db/database.ts';
import { assertRegionInScope, regionContains } from '../../platform/access.ts';
import type { Actor, AuditContext } from '../../platform/actor.ts';
import type { AuditLog } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { designatedEmployersOn, employersRepo } from '../employers/index.ts';
import { jobsStartedAt } from '../employment/index.ts';
import { reservedPostsBy } from '../postings/index.ts';
import { regionRefs } from '../regions/index.ts';
import { chinaToday } from '../../platform/time.ts';
import * as repo from './workshops.repo.ts';
import { WORKSHOP_READERS, WORKSHOP_EDITORS } from '../../../../contracts/roles.ts';
export { WORKSHOP_READERS, WORKSHOP_EDITORS };

const auditCtx = (actor: Actor): AuditContext => ({ actor, ip: actor.ip });

const presentWorkshop = (r: repo.WorkshopRow): Workshop => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  region: { code: r.region_code, name: r.region_name },
  relocationSite: r.relocation_site,
  postsPlanned: r.posts_planned,
  employed: r.employed,
  subsidies: Number(r.subsidies),
  contactName: r.contact_name,
  contactPhone: r.contact_phone,
  standing: r.standing,
});

const CHILD_LENGTH: Record<number, number> = { 2: 4, 4: 6, 6: 9, 9: 12 };
const zero = (): WorkshopTotals => ({ workshops: 0, bases: 0, relocation: 0, posts: 0, employed: 0, subsidies: 0 });

export function createWorkshopsService({ audit }: { audit: AuditLog }) {
  async function inScope(tx: Tx, actor: Actor, id: string, action: string): Promise<repo.WorkshopRow> {
    const row = await repo.findWorkshop(tx, id, chinaToday());
    if (!row || !regionContains(actor.regionCode, row.region_code)) {
      throw new AppError('NOT_FOUND').audited(auditCtx(actor), { action, entity: 'employer', entityId: id, result: 'denied' });
    }
    return row;
  }

  return {
    async list(tx: Tx, actor: Actor, query: WorkshopListQueryInput): Promise<WorkshopList> {
      const region = query.region ?? actor.regionCode;
      assertRegionInScope(actor, region);
      const pageSize = query.pageSize ?? 20;
      const { rows, total } = await repo.listWorkshops(tx, {
        region,
        kind: query.kind,
        q: query.q?.trim() || undefined,
        relocation: query.relocation,
        limit: pageSize,
        offset: ((query.page ?? 1) - 1) * pageSize,
        today: chinaToday(),
      });
      return { items: rows.map(presentWorkshop), total };
    },

    /** GET /workshops/:id: the workshop, its employees now (masked) and its subsidies; the view of personal data is audited. */
    async get(tx: Tx, actor: Actor, id: string): Promise<WorkshopDetail> {
      const row = await inScope(tx, actor, id, 'workshop.view');
      const [employees, subsidies] = await Promise.all([repo.employees(tx, id), repo.subsidiesOf(tx, id)]);
      await audit.record(tx, auditCtx(actor), {
        action: 'workshop.view',
        entity: 'employer',
        entityId: id,
        details: { employees: employees.length },
      });
      return {
        workshop: presentWorkshop(row),
        employees: employees.map((e) => ({
          laborerId: e.laborer_id,
          name: e.name,
          idNumberMasked: e.id_masked,
          villageName: e.village_name,
          startedOn: e.started_on,
          monthlyWage: e.monthly_wage,
        })),
        subsidies: subsidies.map((s) => ({
          id: s.id,
          kind: s.kind,
          amount: Number(s.amount),
          periodFrom: s.period_from,
          periodTo: s.period_to,
          status: s.status,
          paidOn: s.paid_on,
          laborerName: s.laborer_name,
        })),
      };
    },

    /** PATCH /workshops/:id: the posts it develops for poor laborers (扶贫岗位); audited with the old value. */
    async update(tx: Tx, actor: Actor, id: string, input: UpdateWorkshopInput): Promise<Workshop> {
      await inScope(tx, actor, id, 'workshop.update');
      const before = await employersRepo.setPosts(tx, id, input.postsPlanned);
      await audit.record(tx, auditCtx(actor), {
        action: 'workshop.update',
        entity: 'employer',
        entityId: id,
        details: { postsPlanned: { from: before, to: input.postsPlanned } },
      });
      return presentWorkshop((await repo.findWorkshop(tx, id, chinaToday()))!);
    },

    /** GET /workshops/summary: the table per child region with the region's totals (the article's 814 / 67 / 5,277 / 12,118 for 邵阳). */
    async summary(tx: Tx, actor: Actor, query: { region?: string }): Promise<WorkshopSummary> {
      const region = query.region ?? actor.regionCode;
      assertRegionInScope(actor, region);
      const name = await repo.regionName(tx, region);
      if (!name) throw new AppError('REGION_NOT_FOUND');
      const rows = await repo.summary(tx, region, CHILD_LENGTH[region.length] ?? null);
      const totals = zero();
      for (const r of rows) for (const k of Object.keys(totals) as (keyof WorkshopTotals)[]) totals[k] += r.totals[k];
      return { region: { code: region, name }, rows: CHILD_LENGTH[region.length] ? rows : [], totals };
    },

    /**
     * GET /designated-enterprises/summary: the 定点接收单位 table as of a day for the laborers of a
     * region — the enterprises designated by then (wherever they are) and the 就业扶贫基地 among them,
     * the reserved posts they had published (拟接收), and per child region the enterprises that
     * received its laborers, the laborers received (a job started at the enterprise on or after its
     * designation; each person once) and the reserved posts they took. Read through the owners:
     * employers (the designation), postings (the reserved posts), employment (the jobs).
     */
    async designatedSummary(tx: Tx, actor: Actor, query: DesignatedSummaryQueryInput): Promise<DesignatedSummary> {
      const region = query.region ?? actor.regionCode;
      assertRegionInScope(actor, region);
      const asOf = query.asOf ?? chinaToday();
      const name = (await regionRefs(tx, [region])).get(region)?.name;
      if (!name) throw new AppError('REGION_NOT_FOUND');
      const enterprises = await designatedEmployersOn(tx, asOf);
      const since = new Map(enterprises.map((e) => [e.id, e.designatedOn]));
      const ids = enterprises.map((e) => e.id);
      const [posts, jobs] = await Promise.all([reservedPostsBy(tx, ids, asOf), jobsStartedAt(tx, ids, region, asOf)]);
      const headcount = new Map(posts.map((p) => [p.id, p.headcount]));

      const childLength = CHILD_LENGTH[region.length];
      const groups = new Map<string, { receiving: Set<string>; received: Set<string>; byPosting: Map<string, Set<string>> }>();
      const group = (code: string) => {
        const found = groups.get(code);
        if (found) return found;
        const g = { receiving: new Set<string>(), received: new Set<string>(), byPosting: new Map<string, Set<string>>() };
        groups.set(code, g);
        return g;
      };
      for (const job of jobs) {
        const keys = childLength ? [region, job.homeVillageCode.slice(0, childLength)] : [region];
        for (const key of keys) {
          const g = group(key);
          if (job.startedOn >= since.get(job.employerId)!) {
            g.receiving.add(job.employerId);
            g.received.add(job.laborerId);
          }
          if (job.postingId && headcount.has(job.postingId)) {
            const takers = g.byPosting.get(job.postingId) ?? new Set<string>();
            takers.add(job.laborerId);
            g.byPosting.set(job.postingId, takers);
          }
        }
      }
      const totalsOf = (code: string): DesignatedTotals => {
        const g = groups.get(code);
        if (!g) return { receiving: 0, received: 0, reservedFilled: 0 };
        let filled = 0;
        for (const [posting, takers] of g.byPosting) filled += Math.min(takers.size, headcount.get(posting)!);
        return { receiving: g.receiving.size, received: g.received.size, reservedFilled: filled };
      };
      const childCodes = [...groups.keys()].filter((c) => c !== region).sort();
      const names = await regionRefs(tx, childCodes);
      await audit.record(tx, auditCtx(actor), {
        action: 'designated.summary',
        entity: 'region',
        entityId: region,
        details: { asOf },
      });
      return {
        region: { code: region, name },
        asOf,
        enterprises: enterprises.length,
        bases: enterprises.filter((e) => e.kind === 'base').length,
        reservedPlanned: posts.reduce((sum, p) => sum + p.headcount, 0),
        totals: totalsOf(region),
        rows: childCodes.map((code) => ({ code, name: names.get(code)?.name ?? code, totals: totalsOf(code) })),
      };
    },
  };
}

export type WorkshopsService = ReturnType<typeof createWorkshopsService>;
