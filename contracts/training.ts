import { Type, type Static } from '@sinclair/typebox';
import { PageQuery, RegionCodeSchema, Strict, dict } from './common.ts';

/**
 * Training classes (职业培训班, issue 20 item 5): a class an institution gives for a region (the
 * county bureau or a township's service station organises it), its roster (花名册) of the region's
 * laborers, the hours each attended, finishing it (结业) — which writes the training service record
 * and drafts the training subsidy (职业培训补贴) of each person who met the attendance rule — and
 * the certificates (证书) issued to those who finished.
 */
const Id = Type.String({ pattern: '^[1-9][0-9]{0,17}$' });
const Day = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const TRAINING_CLASS_STATUS = dict({ open: '培训中', finished: '已结业' });
export const TRAINING_RESULT = dict({ completed: '结业', not_completed: '未结业' });
export const CERTIFICATE_KIND = dict({ skill_level: '职业技能等级证书', special_ability: '专项职业能力证书', training: '培训合格证书' });

/**
 * The attendance rule: a person finishes (结业) a class when they attended at least this share of
 * its hours. The platform's rule, set here once; local rules for 职业培训补贴 commonly ask for an
 * attendance of at least 80%.
 */
export const TRAINING_ATTENDANCE_SHARE = 0.8;

export const CreateTrainingClassBody = Strict({
  /** The organising region; default the caller's. A county or township (or above), never a village. */
  regionCode: Type.Optional(Type.String({ pattern: '^(\\d{2}|\\d{4}|\\d{6}|\\d{9})$', description: '组织地区（县、乡镇）' })),
  institution: Type.String({ minLength: 1, maxLength: 100, description: '培训机构' }),
  course: Type.String({ minLength: 1, maxLength: 100, description: '培训项目（课程）' }),
  occupationCode: Type.String({ pattern: '^[1-8](-\\d{2}){0,3}$', description: '职业（2022 版大典）' }),
  hours: Type.Number({ exclusiveMinimum: 0, maximum: 2000, multipleOf: 0.5, description: '课时' }),
  startsOn: Day,
  endsOn: Day,
  /** 职业培训补贴 per person who finishes, yuan; 0 drafts none. */
  subsidyPerPerson: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000, description: '每人培训补贴（元）' })),
});
export type CreateTrainingClassInput = Static<typeof CreateTrainingClassBody>;

export const TrainingClassListQuery = Strict({
  region: Type.Optional(RegionCodeSchema),
  status: Type.Optional(TRAINING_CLASS_STATUS.schema),
  ...PageQuery,
});
export type TrainingClassListQueryInput = Static<typeof TrainingClassListQuery>;

export const TrainingClassSchema = Type.Object({
  id: Type.String(),
  region: Type.Object({ code: Type.String(), name: Type.String() }),
  institution: Type.String(),
  course: Type.String(),
  occupation: Type.Object({ code: Type.String(), name: Type.String() }),
  hours: Type.Number(),
  startsOn: Type.String(),
  endsOn: Type.String(),
  subsidyPerPerson: Type.Integer(),
  status: TRAINING_CLASS_STATUS.schema,
  /** On the roster; of them finished (结业) and not; certificates issued. */
  enrolled: Type.Integer(),
  completed: Type.Integer(),
  notCompleted: Type.Integer(),
  certified: Type.Integer(),
  /** The class's training subsidies in the ledger (not rejected): persons and yuan. */
  subsidyPersons: Type.Integer(),
  subsidyTotal: Type.Number(),
  finishedAt: Nullable(Type.String()),
  finishedBy: Nullable(Type.String()),
  createdBy: Nullable(Type.String()),
  createdAt: Type.String(),
});
export type TrainingClass = Static<typeof TrainingClassSchema>;

export const TrainingClassListSchema = Type.Object({ items: Type.Array(TrainingClassSchema), total: Type.Integer() });
export type TrainingClassList = Static<typeof TrainingClassListSchema>;

/** A person on the roster, identifiers masked. */
export const TraineeSchema = Type.Object({
  laborerId: Type.String(),
  name: Type.String(),
  idNumberMasked: Type.String(),
  phoneMasked: Nullable(Type.String()),
  villageCode: Type.String(),
  villageName: Type.String(),
  hoursAttended: Type.Number(),
  /** Whether the hours meet the attendance rule now (before finishing) — what finishing would decide. */
  meetsAttendance: Type.Boolean(),
  result: Nullable(TRAINING_RESULT.schema),
  certificateKind: Nullable(CERTIFICATE_KIND.schema),
  certificateNo: Nullable(Type.String()),
  /** The training subsidy drafted from this class for the person, as the ledger holds it. */
  subsidy: Nullable(Type.Object({ id: Type.String(), status: Type.String(), amount: Type.Number() })),
});
export type Trainee = Static<typeof TraineeSchema>;

export const RosterSchema = Type.Object({
  trainingClass: TrainingClassSchema,
  trainees: Type.Array(TraineeSchema),
  /** Hours a person must attend to finish (the attendance rule applied to the class's hours). */
  requiredHours: Type.Number(),
});
export type Roster = Static<typeof RosterSchema>;

export const EnrolBody = Strict({
  laborerIds: Type.Array(Id, { minItems: 1, maxItems: 500, uniqueItems: true }),
});
export type EnrolInput = Static<typeof EnrolBody>;

export const AttendanceBody = Strict({
  entries: Type.Array(
    Strict({
      laborerId: Id,
      /** Hours attended in all (not added to what was recorded). */
      hours: Type.Number({ minimum: 0, maximum: 2000, multipleOf: 0.5 }),
    }),
    { minItems: 1, maxItems: 500 },
  ),
});
export type AttendanceInput = Static<typeof AttendanceBody>;

export const CertificateBody = Strict({
  laborerId: Id,
  kind: CERTIFICATE_KIND.schema,
  number: Type.String({ minLength: 1, maxLength: 60, pattern: '^\\S(.*\\S)?$', description: '证书编号' }),
});
export type CertificateInput = Static<typeof CertificateBody>;

/** POST /training-classes/:id/finish: what finishing (or finishing again) did. */
export const FinishSchema = Type.Object({
  completed: Type.Integer(),
  notCompleted: Type.Integer(),
  /** Training service records written now; a person who has one from this class is not written again. */
  recordsCreated: Type.Integer(),
  /** Training subsidies drafted now (status applied); and of the finished, those the ledger already had one for. */
  subsidiesCreated: Type.Integer(),
  subsidiesSkipped: Type.Integer(),
  amount: Type.Number(),
  roster: RosterSchema,
});
export type FinishResult = Static<typeof FinishSchema>;
