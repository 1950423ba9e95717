import { Type, type Static } from '@sinclair/typebox';
import { dict, Strict } from './common.ts';
import { PhoneInput, WILLINGNESS } from './laborers.ts';
import { PostingBriefSchema } from './matching.ts';

/**
 * The laborer's own mobile page: sign in with phone and a one-time SMS code, the own card
 * (identifiers masked), recommended postings with reasons in plain words, a self referral, wishes
 * (a pending ledger change the village officer confirms) and SMS opt-out / opt-in.
 */
export const CodeRequestBody = Strict({ phone: PhoneInput });
export const CodeRequestSchema = Type.Object({ message: Type.String(), expiresInSeconds: Type.Integer() });

export const MobileLoginBody = Strict({ phone: PhoneInput, code: Type.String({ pattern: '^\\d{6}$', description: '6 位短信验证码' }) });

export const WishesSchema = Type.Object({
  willingness: Type.String(),
  wantedJobTypes: Type.Array(Type.String()),
  expectedWage: Type.Union([Type.Integer(), Type.Null()]),
});

export const MobileMeSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  idNumberMasked: Type.String(),
  phoneMasked: Type.Union([Type.String(), Type.Null()]),
  sex: Type.String(),
  age: Type.Integer(),
  village: Type.String(),
  education: Type.String(),
  employmentStatus: Type.String(),
  skills: Type.Array(Type.String()),
  wishes: WishesSchema,
  /** Wishes sent from the phone that the village officer has not confirmed yet. */
  pendingWishes: Type.Union([Type.Null(), Type.Object({ id: Type.String(), changes: WishesSchema, createdAt: Type.String() })]),
  smsOptedOut: Type.Boolean(),
});
export type MobileMe = Static<typeof MobileMeSchema>;

export const MobileRecommendationsSchema = Type.Object({
  refused: Type.Union([Type.Null(), Type.String()]),
  items: Type.Array(Type.Object({ reasons: Type.Array(Type.String()), posting: PostingBriefSchema, applied: Type.Boolean() })),
});

export const MobileLinkSchema = Type.Object({
  /** The postings the message named, still open; empty when the link is not this laborer's. */
  items: Type.Array(Type.Object({ posting: PostingBriefSchema, applied: Type.Boolean() })),
});

export const ApplyBody = Strict({ postingId: Type.String({ pattern: '^[1-9][0-9]{0,17}$' }) });
export const ApplicationSchema = Type.Object({
  id: Type.String(),
  postingId: Type.String(),
  title: Type.String(),
  employerName: Type.String(),
  status: Type.String(),
  createdAt: Type.String(),
});
export const ApplicationListSchema = Type.Object({ items: Type.Array(ApplicationSchema) });

export const WishesBody = Strict({
  willingness: WILLINGNESS.schema,
  wantedJobTypes: Type.Array(Type.String({ minLength: 1, maxLength: 30 }), { maxItems: 10 }),
  expectedWage: Type.Union([Type.Null(), Type.Integer({ minimum: 0, maximum: 100000 })]),
});
export type WishesInput = Static<typeof WishesBody>;

export const SmsPreferenceBody = Strict({ receive: Type.Boolean() });

/** The village officer's list of wishes sent from phones, to confirm into the ledger or reject. */
export const WishRequestSchema = Type.Object({
  id: Type.String(),
  laborer: Type.Object({ id: Type.String(), name: Type.String(), villageName: Type.String() }),
  current: WishesSchema,
  changes: WishesSchema,
  status: Type.String(),
  createdAt: Type.String(),
});
export type WishRequest = Static<typeof WishRequestSchema>;
export const WishRequestListSchema = Type.Object({ items: Type.Array(WishRequestSchema), total: Type.Integer() });
export const WishDecisionBody = Strict({ note: Type.Optional(Type.String({ maxLength: 200 })) });

// Online fairs the laborer joins from the phone (issue 19 item 6).

export const ONLINE_FAIR_STATE = dict({ upcoming: '即将开始', open: '进行中', ended: '已结束' });

export const OnlineFairSchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  /** Applications are taken from heldOn through endsOn (China time). */
  heldOn: Type.String(),
  endsOn: Type.String(),
  regionName: Type.String(),
  organiserName: Type.Union([Type.String(), Type.Null()]),
  postings: Type.Integer(),
  /** The laborer is already this fair's attendee (applied online, or registered at a door). */
  joined: Type.Boolean(),
  state: ONLINE_FAIR_STATE.schema,
});
export type OnlineFair = Static<typeof OnlineFairSchema>;

export const OnlineFairListSchema = Type.Object({ items: Type.Array(OnlineFairSchema) });
export const OnlineFairDetailSchema = Type.Object({
  fair: OnlineFairSchema,
  /** The fair's postings still open (at most 200), and whether the laborer applied to each at this fair. */
  items: Type.Array(Type.Object({ posting: PostingBriefSchema, applied: Type.Boolean() })),
});
export const FairApplicationSchema = Type.Object({
  attendeeId: Type.String(),
  intentionId: Type.String(),
  referralId: Type.String(),
  status: Type.String(),
});
