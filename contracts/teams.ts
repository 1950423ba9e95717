import { Type, type Static } from '@sinclair/typebox';
import { PageQuery, RegionCodeSchema, Strict } from './common.ts';

/**
 * 招工小分队: a team of staff that a county or township sends to villages for one employer over a
 * period; referrals made on the way are credited to it, and its results are the hires they became
 * (the first article: "全市共组建了270支招工小分队，累计为企业新招聘员工20426人").
 */
const Id = Type.String({ pattern: '^[1-9][0-9]{0,17}$' });
const Day = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
const VillageCode = Type.String({ pattern: '^\\d{12}$', description: '村级统计用区划代码（12位）' });

export const CreateTeamBody = Strict({
  name: Type.String({ minLength: 1, maxLength: 60 }),
  employerId: Id,
  /** The organising county (6 digits) or township (9 digits). */
  regionCode: Type.String({ pattern: '^(\\d{6}|\\d{9})$', description: '组建单位所在县或乡镇' }),
  memberIds: Type.Array(Id, { minItems: 1, maxItems: 30, uniqueItems: true }),
  villageCodes: Type.Array(VillageCode, { minItems: 1, maxItems: 100, uniqueItems: true }),
  periodFrom: Day,
  periodTo: Day,
  note: Type.Optional(Type.String({ maxLength: 500 })),
});
export type CreateTeamInput = Static<typeof CreateTeamBody>;

export const TeamListQuery = Strict({
  region: Type.Optional(RegionCodeSchema),
  /** Teams whose period overlaps [from, to]. */
  from: Type.Optional(Day),
  to: Type.Optional(Day),
  ...PageQuery,
});
export type TeamListQueryInput = Static<typeof TeamListQuery>;

const Place = Type.Object({ code: Type.String(), name: Type.String() });

export const TeamSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  employer: Type.Object({ id: Type.String(), name: Type.String() }),
  region: Place,
  members: Type.Array(Type.Object({ id: Type.String(), username: Type.String(), displayName: Type.String() })),
  villages: Type.Array(Place),
  periodFrom: Type.String(),
  periodTo: Type.String(),
  note: Type.Union([Type.String(), Type.Null()]),
  /** Referrals credited to the team, and those of them hired. */
  referrals: Type.Integer(),
  hires: Type.Integer(),
  createdBy: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
});
export type Team = Static<typeof TeamSchema>;

export const TeamListSchema = Type.Object({ items: Type.Array(TeamSchema), total: Type.Integer() });
export type TeamList = Static<typeof TeamListSchema>;

export const TeamResultsQuery = Strict({
  /** Default the caller's region. */
  region: Type.Optional(RegionCodeSchema),
  from: Type.Optional(Day),
  to: Type.Optional(Day),
});
export type TeamResultsQueryInput = Static<typeof TeamResultsQuery>;

export const TeamResultRowSchema = Type.Object({
  teamId: Type.String(),
  name: Type.String(),
  employerName: Type.String(),
  regionCode: Type.String(),
  regionName: Type.String(),
  periodFrom: Type.String(),
  periodTo: Type.String(),
  villages: Type.Integer(),
  referrals: Type.Integer(),
  hires: Type.Integer(),
});
export type TeamResultRow = Static<typeof TeamResultRowSchema>;

export const TeamResultsSchema = Type.Object({
  region: Type.String(),
  from: Type.Union([Type.String(), Type.Null()]),
  to: Type.Union([Type.String(), Type.Null()]),
  rows: Type.Array(TeamResultRowSchema),
  totals: Type.Object({ teams: Type.Integer(), villages: Type.Integer(), referrals: Type.Integer(), hires: Type.Integer() }),
});
export type TeamResults = Static<typeof TeamResultsSchema>;
