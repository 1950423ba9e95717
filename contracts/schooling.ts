import { Type, type Static } from '@sinclair/typebox';
import { dict, PageQuery, RegionCodeSchema, Strict } from './common.ts';

/**
 * 两后生 (issue 20 item 4): school leavers of poor families (初、高中毕业未能继续升学的贫困家庭子女)
 * sent to 技工学校 / 技师学院 — the article's 155 — recorded as a school enrolment of the
 * laborer: school, where it is, programme, started, finished; then the job, from the laborer's
 * employment records. A cooperation agreement's "招收贫困家庭学生" counts these.
 */
export const SCHOOL_KIND = dict({
  technician_college: '技师学院',
  technical_school: '技工学校',
  vocational_school: '中等职业学校',
});

const Id = Type.String({ pattern: '^[1-9][0-9]{0,17}$' });
const Day = (description: string) => Type.String({ format: 'date', description });
const Text = (min: number, max: number, description: string) =>
  Type.String({ minLength: min, maxLength: max, pattern: '\\S', description });

export const CreateEnrolmentBody = Strict({
  laborerId: Id,
  schoolName: Text(2, 100, '学校名称'),
  schoolKind: SCHOOL_KIND.schema,
  /** Where the school is: any level (济南市 3701, a county). */
  schoolRegionCode: RegionCodeSchema,
  programme: Text(1, 100, '专业'),
  startedOn: Day('入学日期'),
  finishedOn: Type.Optional(Day('毕业（结业）日期')),
  note: Type.Optional(Type.String({ maxLength: 500 })),
});
export type CreateEnrolmentInput = Static<typeof CreateEnrolmentBody>;

/** The day the laborer finished (毕业/结业). */
export const FinishEnrolmentBody = Strict({ finishedOn: Day('毕业（结业）日期') });
export type FinishEnrolmentInput = Static<typeof FinishEnrolmentBody>;

export const EnrolmentListQuery = Strict({
  /** The laborers' home region (default the caller's). */
  region: Type.Optional(RegionCodeSchema),
  /** Enrolled on or after / on or before. */
  from: Type.Optional(Day('入学日期起')),
  to: Type.Optional(Day('入学日期止')),
  laborer: Type.Optional(Id),
  ...PageQuery,
});
export type EnrolmentListQueryInput = Static<typeof EnrolmentListQuery>;

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const EnrolmentSchema = Type.Object({
  id: Type.String(),
  laborer: Type.Object({
    id: Type.String(),
    name: Type.String(),
    idNumberMasked: Type.String(),
    villageCode: Type.String(),
    villageName: Type.String(),
  }),
  schoolName: Type.String(),
  schoolKind: SCHOOL_KIND.schema,
  schoolRegion: Type.Object({ code: Type.String(), name: Type.String() }),
  programme: Type.String(),
  startedOn: Type.String(),
  finishedOn: Nullable(Type.String()),
  note: Nullable(Type.String()),
  /** The first job the laborer started after finishing (employment records), or null. */
  job: Nullable(Type.Object({ employer: Nullable(Type.String()), startedOn: Type.String(), endedOn: Nullable(Type.String()) })),
});
export type Enrolment = Static<typeof EnrolmentSchema>;

export const EnrolmentListSchema = Type.Object({ items: Type.Array(EnrolmentSchema), total: Type.Integer() });
export type EnrolmentList = Static<typeof EnrolmentListSchema>;
