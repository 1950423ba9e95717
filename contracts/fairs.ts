import { Type, type Static } from '@sinclair/typebox';
import { dict, PageQuery, RegionCodeSchema, Strict } from './common.ts';

/**
 * Recruitment fairs (招聘会): online or offline; date, place, organiser; employers and postings;
 * attendees registered at the door by ID number or phone (poor laborers recognised from the
 * registry); intentions reached (达成就业意向); hires that follow. The results table is the first
 * article's: 场次, 参加人数, 其中贫困劳动力, 达成就业意向, 其中贫困劳动力, plus hires (录用).
 */
export const FAIR_MODE = dict({ online: '线上', offline: '线下' });
export type FairMode = keyof typeof FAIR_MODE.labels;

/**
 * At most this many identifiers per door registration (one transaction). A batch is what one desk
 * at a fair's door has queued: the console's paste box, a page or a few of a paper sign-in sheet,
 * an ID-card reader's queue while the network was down. A desk registers a person every 10–20 s,
 * so 200 is an hour or more of one desk; a fair of thousands is registered at several desks, each
 * sending as it goes. A larger answer serves nobody at a door, only someone checking a list that
 * never came through one (issue 15: the door is not an identity oracle).
 */
export const MAX_ATTENDEE_BATCH = 200;

/** The label of a poor laborer recognised outside the caller's region scope: nothing more is said. */
export const OUTSIDE_SCOPE_LABEL = { county: '贫困劳动力（外县）', region: '贫困劳动力（辖区外）' } as const;

const Id = Type.String({ pattern: '^[1-9][0-9]{0,17}$' });
const Day = Type.String({ format: 'date', description: 'YYYY-MM-DD' });

export const CreateFairBody = Strict({
  title: Type.String({ minLength: 2, maxLength: 80 }),
  mode: FAIR_MODE.schema,
  heldOn: Day,
  /** Online fairs: applications from the phone are taken from heldOn through this day (default: heldOn alone). */
  endsOn: Type.Optional(Day),
  /** The organising region (default: the caller's own); inside the caller's scope. */
  regionCode: Type.Optional(RegionCodeSchema),
  /** Where it is held (default: the organising region, or the village). */
  placeRegionCode: Type.Optional(RegionCodeSchema),
  address: Type.Optional(Type.String({ maxLength: 200 })),
  /** Held at this village's door ("征询到户、预招到岗、稳岗到人"). */
  villageCode: Type.Optional(Type.String({ pattern: '^\\d{12}$' })),
  organiserName: Type.Optional(Type.String({ maxLength: 80 })),
  employerIds: Type.Optional(Type.Array(Id, { maxItems: 500, uniqueItems: true })),
  postingIds: Type.Optional(Type.Array(Id, { maxItems: 2000, uniqueItems: true })),
});
export type CreateFairInput = Static<typeof CreateFairBody>;

export const AddFairPostingsBody = Strict({
  postingIds: Type.Array(Id, { minItems: 1, maxItems: 2000, uniqueItems: true }),
});

export const FairListQuery = Strict({
  region: Type.Optional(RegionCodeSchema),
  from: Type.Optional(Day),
  to: Type.Optional(Day),
  mode: Type.Optional(FAIR_MODE.schema),
  ...PageQuery,
});
export type FairListQueryInput = Static<typeof FairListQuery>;

export const FairResultsQuery = Strict({
  region: Type.Optional(RegionCodeSchema),
  from: Type.Optional(Day),
  to: Type.Optional(Day),
});
export type FairResultsQueryInput = Static<typeof FairResultsQuery>;

/** The article's columns. */
export const FairFiguresSchema = Type.Object({
  sessions: Type.Integer(),
  attendees: Type.Integer(),
  poorAttendees: Type.Integer(),
  intentions: Type.Integer(),
  poorIntentions: Type.Integer(),
  hires: Type.Integer(),
});
export type FairFigures = Static<typeof FairFiguresSchema>;

export const FairSchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  mode: FAIR_MODE.schema,
  heldOn: Type.String(),
  /** Online fairs: the last day laborers may apply from the phone (null: heldOn). */
  endsOn: Type.Union([Type.String(), Type.Null()]),
  regionCode: Type.String(),
  regionName: Type.String(),
  placeRegionCode: Type.String(),
  placeRegionName: Type.String(),
  address: Type.Union([Type.String(), Type.Null()]),
  villageCode: Type.Union([Type.String(), Type.Null()]),
  villageName: Type.Union([Type.String(), Type.Null()]),
  organiserName: Type.Union([Type.String(), Type.Null()]),
  createdBy: Type.Union([Type.String(), Type.Null()]),
  figures: FairFiguresSchema,
});
export type Fair = Static<typeof FairSchema>;

export const FairListSchema = Type.Object({ items: Type.Array(FairSchema), total: Type.Integer() });
export type FairList = Static<typeof FairListSchema>;

export const FairPostingSchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  employerId: Type.String(),
  employerName: Type.String(),
  workRegionCode: Type.String(),
  wageMin: Type.Integer(),
  wageMax: Type.Integer(),
  headcount: Type.Integer(),
  filled: Type.Integer(),
});

export const FairDetailSchema = Type.Object({
  ...FairSchema.properties,
  employers: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
  postings: Type.Array(FairPostingSchema),
});
export type FairDetail = Static<typeof FairDetailSchema>;

export const RegisterAttendeeBody = Strict({
  /** An ID number (18 digits, or a legacy 15-digit one) or an 11-digit mobile number. */
  identifier: Type.String({ minLength: 1, maxLength: 40 }),
});
export const RegisterAttendeesBody = Strict({
  /**
   * Up to MAX_ATTENDEE_BATCH; the service refuses a longer list with FAIR_BATCH_TOO_LARGE (a clear
   * answer, where a schema bound would give only the generic validation error). The body limit
   * bounds what is parsed.
   */
  identifiers: Type.Array(Type.String({ maxLength: 40 }), { minItems: 1 }),
});

export const ATTENDEE_ROW_STATUS = dict({ registered: '已登记', duplicate: '重复登记', invalid: '无效' });

/** The registry card an attendee was recognised as, when it lies in the caller's region scope: masked identifiers only. */
export const AttendeeLaborerSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  idNumberMasked: Type.String(),
  villageCode: Type.String(),
  villageName: Type.String(),
  povertyStatus: Type.String(),
});

export const AttendeeRowResultSchema = Type.Object({
  /** 1-based position in the request. */
  row: Type.Integer(),
  status: ATTENDEE_ROW_STATUS.schema,
  kind: Type.Union([Type.Literal('id'), Type.Literal('phone'), Type.Null()]),
  /** The identifier as stored: masked. */
  masked: Type.Union([Type.String(), Type.Null()]),
  attendeeId: Type.Union([Type.String(), Type.Null()]),
  poor: Type.Boolean(),
  laborer: Type.Union([AttendeeLaborerSchema, Type.Null()]),
  /**
   * A poor laborer whose card lies outside the caller's region scope: poor is true, laborer is null,
   * and this label (贫困劳动力（外县）, or （辖区外） for another village or township of the caller's
   * county) is all that is said: no name, village, card id or poverty status.
   */
  outsideScope: Type.Union([Type.String(), Type.Null()]),
  /** Invalid rows: the error code (ID_CHECK_DIGIT, ID_FORMAT, ID_BIRTH_DATE, PHONE_FORMAT, ID_EMPTY). */
  code: Type.Union([Type.String(), Type.Null()]),
  message: Type.Union([Type.String(), Type.Null()]),
});
export type AttendeeRowResult = Static<typeof AttendeeRowResultSchema>;

export const AttendeeBatchResultSchema = Type.Object({
  rows: Type.Array(AttendeeRowResultSchema),
  registered: Type.Integer(),
  duplicates: Type.Integer(),
  invalid: Type.Integer(),
  poor: Type.Integer(),
});
export type AttendeeBatchResult = Static<typeof AttendeeBatchResultSchema>;

export const IntentionSchema = Type.Object({
  id: Type.String(),
  postingId: Type.String(),
  postingTitle: Type.String(),
  employerName: Type.String(),
  referralId: Type.Union([Type.String(), Type.Null()]),
  referralStatus: Type.Union([Type.String(), Type.Null()]),
});

export const AttendeeSchema = Type.Object({
  id: Type.String(),
  idNumberMasked: Type.Union([Type.String(), Type.Null()]),
  phoneMasked: Type.Union([Type.String(), Type.Null()]),
  poor: Type.Boolean(),
  /** Joined an online fair from the mobile page (no desk registered them). */
  online: Type.Boolean(),
  laborer: Type.Union([AttendeeLaborerSchema, Type.Null()]),
  /** As on a registration row: the label of a poor laborer outside the caller's scope, else null. */
  outsideScope: Type.Union([Type.String(), Type.Null()]),
  registeredAt: Type.String(),
  intentions: Type.Array(IntentionSchema),
});
export type Attendee = Static<typeof AttendeeSchema>;
export const AttendeeListQuery = Strict({ poor: Type.Optional(Type.Boolean()), ...PageQuery });
/** The export: the list's filter, every page (issue 18 item 2). */
export const AttendeeExportQuery = Type.Omit(AttendeeListQuery, ['page', 'pageSize']);
export type AttendeeExportQueryInput = Static<typeof AttendeeExportQuery>;
export const AttendeeListSchema = Type.Object({ items: Type.Array(AttendeeSchema), total: Type.Integer() });
export type AttendeeList = Static<typeof AttendeeListSchema>;

export const CreateIntentionBody = Strict({
  attendeeId: Id,
  postingId: Id,
  /** Registry laborers: also open a referral (channel 招聘会) to the posting, whose hire counts for the fair. */
  refer: Type.Optional(Type.Boolean()),
});
export type CreateIntentionInput = Static<typeof CreateIntentionBody>;

export const PreRecruitmentSchema = Type.Object({
  villageCode: Type.String(),
  villageName: Type.String(),
  /** The village's job seekers (求职需求清单) from the registry, and whether each came to the fair. */
  items: Type.Array(
    Type.Object({
      laborerId: Type.String(),
      name: Type.String(),
      sex: Type.String(),
      idNumberMasked: Type.String(),
      phoneMasked: Type.Union([Type.String(), Type.Null()]),
      willingness: Type.String(),
      attended: Type.Boolean(),
    }),
  ),
  total: Type.Integer(),
});
export type PreRecruitment = Static<typeof PreRecruitmentSchema>;

export const FairResultRowSchema = Type.Object({
  fairId: Type.String(),
  title: Type.String(),
  mode: FAIR_MODE.schema,
  heldOn: Type.String(),
  regionCode: Type.String(),
  ...FairFiguresSchema.properties,
});
export const FairResultsSchema = Type.Object({
  regionCode: Type.String(),
  from: Type.Union([Type.String(), Type.Null()]),
  to: Type.Union([Type.String(), Type.Null()]),
  /** Per fair, newest first (at most 500 rows; the totals count every fair). */
  rows: Type.Array(FairResultRowSchema),
  online: FairFiguresSchema,
  offline: FairFiguresSchema,
  total: FairFiguresSchema,
});
export type FairResults = Static<typeof FairResultsSchema>;
