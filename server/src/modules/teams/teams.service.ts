import { sql, type Expression, type SqlBool } from 'kysely';
import type {
  CreateTeamInput,
  Team,
  TeamList,
  TeamListQueryInput,
  TeamResults,
  TeamResultsQueryInput,
} from '../../../../contracts/teams.ts';
import type { DbOrTx, Tx } from '../../db/database.ts';
import type { Role } from '../../db/schema.ts';
import { assertRegionInScope, regionContains, REGION_STAFF_ROLES, UNSCOPED } from '../../platform/access.ts';
import type { Actor, AuditContext } from '../../platform/actor.ts';
import type { AuditLog } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import * as repo from './teams.repo.ts';
import { TEAM_MANAGERS } from '../../../../contracts/roles.ts';
export { TEAM_MANAGERS };

const auditCtx = (actor: Actor): AuditContext => ({ actor, ip: actor.ip });
const fieldError = (field: string, message: string) => new AppError('VALIDATION_FAILED', message, [{ field: `body.${field}`, message }]);

/** The teams a manager sees: those organised in their region. */
const managerScope = (actor: Actor): Expression<SqlBool> =>
  (TEAM_MANAGERS as readonly Role[]).includes(actor.role) ? repo.organisedIn(actor.regionCode) : sql<SqlBool>`false`;

/** A region filter: a county or township on the organising code, a village on the villages visited. */
const regionFilter = (region: string): Expression<SqlBool> => (region.length === 12 ? repo.visiting(region) : repo.organisedIn(region));

function present(t: repo.TeamRow): Team {
  return {
    id: String(t.id),
    name: t.name,
    employer: { id: String(t.employer_id), name: t.employer_name },
    region: { code: t.region_code, name: t.region_name },
    members: t.members.map((m) => ({ id: m.id, username: m.username, displayName: m.display_name })),
    villages: t.village_codes.map((code, i) => ({ code, name: t.village_names[i] ?? code })),
    periodFrom: t.period_from,
    periodTo: t.period_to,
    note: t.note,
    referrals: t.referrals,
    hires: t.hires,
    createdBy: t.created_by,
    createdAt: new Date(t.created_at).toISOString(),
  };
}

/**
 * For POST /referrals with a teamId: the team exists and the caller works in its region (its
 * organisers above, a village officer of a township team below), the laborer lives in the team's
 * region and the posting is the team's employer's. Returns the team id to store.
 */
export async function assertTeamForReferral(
  db: DbOrTx,
  actor: Actor,
  teamId: string,
  laborerVillage: string,
  postingEmployerId: string,
): Promise<string> {
  const team = await repo.teamForReferral(db, teamId);
  const visible =
    team &&
    REGION_STAFF_ROLES.includes(actor.role) &&
    (regionContains(actor.regionCode, team.region_code) || regionContains(team.region_code, actor.regionCode));
  if (!team || !visible) {
    throw new AppError('NOT_FOUND', '招工小分队不存在或无权限').audited(auditCtx(actor), {
      action: 'referral.create',
      entity: 'recruitment_team',
      entityId: teamId,
      result: 'denied',
    });
  }
  if (!regionContains(team.region_code, laborerVillage)) throw new AppError('TEAM_LABORER_OUTSIDE', undefined, { team: team.name });
  if (String(team.employer_id) !== String(postingEmployerId)) {
    throw new AppError('TEAM_EMPLOYER_MISMATCH', `该岗位不属于招工小分队“${team.name}”服务的用人单位`, { team: team.name });
  }
  return String(team.id);
}

export function createTeamsService({ audit }: { audit: AuditLog }) {
  return {
    /** POST /teams: a team of the caller's region, for one employer, over villages of its organising region. */
    async create(tx: Tx, actor: Actor, input: CreateTeamInput): Promise<Team> {
      if (input.periodTo < input.periodFrom) throw new AppError('TEAM_PERIOD');
      assertRegionInScope(actor, input.regionCode);
      if (!(await repo.regionExists(tx, input.regionCode))) throw fieldError('regionCode', `行政区划不存在：${input.regionCode}`);
      const employer = await repo.findEmployer(tx, input.employerId);
      if (!employer) throw fieldError('employerId', '用人单位不存在');
      const outside = input.villageCodes.filter((v) => !regionContains(input.regionCode, v));
      if (outside.length)
        throw new AppError('TEAM_VILLAGE_OUTSIDE', `走访村须在组建单位辖区内：${outside.join('、')}`, { villages: outside });
      const known = await repo.villagesAmong(tx, input.villageCodes);
      const unknown = input.villageCodes.filter((v) => !known.has(v));
      if (unknown.length) throw fieldError('villageCodes', `不是村级行政区划：${unknown.join('、')}`);
      // Members are staff of the caller's region: the team's people are the bureau's and the townships'.
      const accounts = new Map((await repo.accountsAmong(tx, input.memberIds)).map((a) => [String(a.id), a]));
      const invalid = input.memberIds.filter((id) => {
        const a = accounts.get(id);
        return (
          !a || !REGION_STAFF_ROLES.includes(a.role as Role) || a.status !== 'active' || !regionContains(actor.regionCode, a.region_code)
        );
      });
      if (invalid.length) throw new AppError('TEAM_MEMBER_INVALID', undefined, { members: invalid });
      const villageCodes = [...input.villageCodes].sort();
      const id = await repo.insertTeam(tx, {
        name: input.name.trim(),
        employerId: employer.id,
        regionCode: input.regionCode,
        memberIds: input.memberIds,
        villageCodes,
        periodFrom: input.periodFrom,
        periodTo: input.periodTo,
        note: input.note?.trim() || null,
        by: actor.id,
      });
      await audit.record(tx, auditCtx(actor), {
        action: 'recruitment_team.create',
        entity: 'recruitment_team',
        entityId: id,
        details: {
          name: input.name,
          employer: employer.id,
          region: input.regionCode,
          members: input.memberIds,
          villages: villageCodes,
          periodFrom: input.periodFrom,
          periodTo: input.periodTo,
        },
      });
      return present((await repo.findTeam(tx, id, UNSCOPED))!);
    },

    async list(tx: Tx, actor: Actor, query: TeamListQueryInput): Promise<TeamList> {
      if (query.region) assertRegionInScope(actor, query.region);
      const pageSize = query.pageSize ?? 20;
      const { rows, total } = await repo.listTeams(tx, {
        scope: managerScope(actor),
        region: query.region ? regionFilter(query.region) : undefined,
        from: query.from,
        to: query.to,
        limit: pageSize,
        offset: ((query.page ?? 1) - 1) * pageSize,
      });
      return { items: rows.map(present), total };
    },

    async get(tx: Tx, actor: Actor, id: string): Promise<Team> {
      const team = await repo.findTeam(tx, id, managerScope(actor));
      if (!team)
        throw new AppError('NOT_FOUND').audited(auditCtx(actor), {
          action: 'recruitment_team.view',
          entity: 'recruitment_team',
          entityId: id,
          result: 'denied',
        });
      return present(team);
    },

    /** GET /teams/results: per team, villages visited, referrals credited and hires; and the totals (the article's "270支, 20426人"). */
    async results(tx: Tx, actor: Actor, query: TeamResultsQueryInput): Promise<TeamResults> {
      const region = query.region ?? actor.regionCode;
      assertRegionInScope(actor, region);
      if (query.from && query.to && query.to < query.from) throw new AppError('TEAM_PERIOD', '统计期截止日期不能早于开始日期');
      const rows = await repo.results(tx, sql<SqlBool>`${managerScope(actor)} AND ${regionFilter(region)}`, query.from, query.to);
      const totals = { teams: rows.length, villages: 0, referrals: 0, hires: 0 };
      for (const r of rows) {
        totals.villages += r.villages;
        totals.referrals += r.referrals;
        totals.hires += r.hires;
      }
      return {
        region,
        from: query.from ?? null,
        to: query.to ?? null,
        totals,
        rows: rows.map((r) => ({
          teamId: r.team_id,
          name: r.name,
          employerName: r.employer_name,
          regionCode: r.region_code,
          regionName: r.region_name,
          periodFrom: r.period_from,
          periodTo: r.period_to,
          villages: r.villages,
          referrals: r.referrals,
          hires: r.hires,
        })),
      };
    },
  };
}

export type TeamsService = ReturnType<typeof createTeamsService>;
