import { Type, type Static } from '@sinclair/typebox';
import { PageQuery, RegionCodeSchema, Strict, dict } from './common.ts';

/**
 * 就业直通车 (issue 6 part 7): "从家门到车门、从车门到厂门、从厂门到宿舍门". A trip (专车, 专列) from a
 * county to an employer or a city on a date, its manifest (hires of the trip's employer, or a
 * return-to-work list), the free-travel subsidy (boarded passengers × subsidy per person), and
 * arrivals confirmed at the factory gate: a trip is 'arrived' only when every boarded passenger's
 * arrival is confirmed or the reason they did not arrive is recorded.
 */
const Id = Type.String({ pattern: '^[1-9][0-9]{0,17}$' });
const Day = Type.String({ format: 'date', description: 'YYYY-MM-DD' });

export const TRIP_MODE = dict({ bus: '专车', train: '专列', other: '其他' });
export const TRIP_STATUS = dict({ planned: '计划中', departed: '已发车', arrived: '已到达', cancelled: '已取消' });
export const PASSENGER_SOURCE = dict({ hire: '录用人员', return_to_work: '返岗名单' });
export type TripStatus = keyof typeof TRIP_STATUS.labels;

export const CreateTripBody = Strict({
  mode: TRIP_MODE.schema,
  /** Default the caller's county. */
  fromCountyCode: Type.Optional(Type.String({ pattern: '^\\d{6}$', description: '出发县（6位区划代码）' })),
  employerId: Type.Optional(Id),
  /** A city, a county or below; default the employer's region. */
  destinationRegionCode: Type.Optional(RegionCodeSchema),
  departsOn: Day,
  capacity: Type.Integer({ minimum: 1, maximum: 3000 }),
  subsidyPerPerson: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000, description: '每人免费乘车补贴（元）' })),
  note: Type.Optional(Type.String({ maxLength: 500 })),
});
export type CreateTripInput = Static<typeof CreateTripBody>;

export const TripListQuery = Strict({
  status: Type.Optional(TRIP_STATUS.schema),
  from: Type.Optional(Day),
  to: Type.Optional(Day),
  ...PageQuery,
});
export type TripListQueryInput = Static<typeof TripListQuery>;

const Place = Type.Object({ code: Type.String(), name: Type.String() });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const TripSchema = Type.Object({
  id: Type.String(),
  mode: TRIP_MODE.schema,
  fromCounty: Place,
  employer: Nullable(Type.Object({ id: Type.String(), name: Type.String() })),
  destination: Place,
  departsOn: Type.String(),
  capacity: Type.Integer(),
  subsidyPerPerson: Type.Integer(),
  organiserRegionCode: Type.String(),
  status: TRIP_STATUS.schema,
  note: Nullable(Type.String()),
  passengers: Type.Integer(),
  boarded: Type.Integer(),
  arrived: Type.Integer(),
  /** Boarded, not arrived, no reason recorded. */
  missing: Type.Integer(),
  /** What the trip's riders are due: boarded passengers × subsidy per person (yuan). */
  subsidyDue: Type.Integer(),
  /** The trip's transport subsidies in the subsidy ledger (not rejected), yuan; and how many riders they are for. */
  subsidyTotal: Type.Number(),
  subsidyRiders: Type.Integer(),
  /** Of subsidyTotal, yuan already paid. */
  subsidyPaid: Type.Number(),
  createdBy: Nullable(Type.String()),
  createdAt: Type.String(),
});
export type Trip = Static<typeof TripSchema>;

export const TripListSchema = Type.Object({ items: Type.Array(TripSchema), total: Type.Integer() });
export type TripList = Static<typeof TripListSchema>;

/** POST /trips/:id/subsidies: the transport subsidies drafted for the boarded riders of the caller's scope. */
export const TripSubsidyDraftSchema = Type.Object({
  /** Applications created (status applied), waiting for approval in the subsidy ledger. */
  created: Type.Integer(),
  /** Boarded riders in scope that already had a transport subsidy for the day (drafted before, or applied by hand). */
  skipped: Type.Integer(),
  amount: Type.Number(),
  trip: TripSchema,
});
export type TripSubsidyDraft = Static<typeof TripSubsidyDraftSchema>;

export const AddPassengersBody = Strict({
  source: PASSENGER_SOURCE.schema,
  laborerIds: Type.Array(Id, { minItems: 1, maxItems: 500, uniqueItems: true }),
});
export type AddPassengersInput = Static<typeof AddPassengersBody>;

export const BoardingBody = Strict({
  laborerIds: Type.Array(Id, { minItems: 1, maxItems: 500, uniqueItems: true }),
  boarded: Type.Boolean(),
});
export type BoardingInput = Static<typeof BoardingBody>;

export const ArrivalBody = Strict({
  laborerIds: Type.Array(Id, { minItems: 1, maxItems: 500, uniqueItems: true }),
  /** true: confirmed at the gate; false with a reason: did not arrive (中途下车 …); false alone: undo. */
  arrived: Type.Boolean(),
  reason: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
});
export type ArrivalInput = Static<typeof ArrivalBody>;

export const TripStatusBody = Strict({
  status: Type.Union([Type.Literal('departed'), Type.Literal('arrived'), Type.Literal('cancelled')]),
});
export type TripStatusInput = Static<typeof TripStatusBody>;

/** A passenger as the manifest shows them: identifiers masked, no reveal. */
export const PassengerSchema = Type.Object({
  laborerId: Type.String(),
  name: Type.String(),
  idNumberMasked: Type.String(),
  phoneMasked: Nullable(Type.String()),
  villageCode: Type.String(),
  villageName: Type.String(),
  source: PASSENGER_SOURCE.schema,
  employmentId: Nullable(Type.String()),
  boarded: Type.Boolean(),
  boardedAt: Nullable(Type.String()),
  arrived: Type.Boolean(),
  arrivedAt: Nullable(Type.String()),
  arrivedBy: Nullable(Type.String()),
  missingReason: Nullable(Type.String()),
  /** Boarded, not arrived, no reason: lost on the way until someone accounts for them. */
  missing: Type.Boolean(),
});
export type Passenger = Static<typeof PassengerSchema>;

/**
 * The trip and its passengers as the caller may see them. A county's trip is shared work of its
 * townships, but a township operator is shown only the passengers of their own township: the
 * others are not listed at all (a row without a name still carries a card id and a village, and
 * could not be boarded or marked by them anyway); `outsideScope` says how many there are, so the
 * trip's totals still add up at the bus door.
 */
export const ManifestSchema = Type.Object({
  trip: TripSchema,
  passengers: Type.Array(PassengerSchema),
  missing: Type.Array(PassengerSchema),
  /** Passengers of the trip outside the caller's region scope, not listed. */
  outsideScope: Type.Integer(),
});
export type Manifest = Static<typeof ManifestSchema>;

/** Laborers of the trip's county with an open employment at the trip's employer, not yet on it. */
export const TripCandidatesSchema = Type.Object({
  items: Type.Array(
    Type.Object({
      laborerId: Type.String(),
      name: Type.String(),
      idNumberMasked: Type.String(),
      villageName: Type.String(),
      employmentId: Type.String(),
      startedOn: Type.String(),
    }),
  ),
});
export type TripCandidates = Static<typeof TripCandidatesSchema>;
