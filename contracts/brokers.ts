import { Type, type Static } from '@sinclair/typebox';
import { PageQuery, RegionCodeSchema, Strict, dict } from './common.ts';
import { EMPLOYMENT_STATUS, SEX, WILLINGNESS } from './laborers.ts';

/**
 * 农村劳务经纪人 (就业红娘): contracts (villages and period, managed by the township and the county
 * labour bureau), a broker's own job seekers, and the broker table (referrals, hires, hires still
 * at work 3 and 6 months later) as of a date.
 */
const Id = Type.String({ pattern: '^[1-9][0-9]{0,17}$' });
const Day = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
const VillageCode = Type.String({ pattern: '^\\d{12}$', description: '村级统计用区划代码（12位）' });

/** Yuan paid for one placement that lasted (at most 100,000, to the fen). */
const RatePerPlacement = Type.Number({
  exclusiveMinimum: 0,
  maximum: 100000,
  multipleOf: 0.01,
  description: '每名稳定就业人员的服务费（元）',
});
/** The months a placement must be kept to be paid (the platform's "retained after N months", 1…12). */
const KeptMonths = Type.Integer({ minimum: 1, maximum: 12, description: '须稳定就业的月数' });

export const CONTRACT_STATE = dict({ pending: '未生效', active: '有效', expired: '已到期', ended: '已终止' });
export type ContractState = keyof typeof CONTRACT_STATE.labels;

export const CreateBrokerContractBody = Strict({
  brokerId: Id,
  villageCodes: Type.Array(VillageCode, { minItems: 1, maxItems: 50, uniqueItems: true }),
  validFrom: Day,
  validTo: Day,
  note: Type.Optional(Type.String({ maxLength: 500 })),
  /** 购买服务 (issue 20 item 6): yuan per placement kept `keptMonths` months; both or neither. */
  ratePerPlacement: Type.Optional(RatePerPlacement),
  keptMonths: Type.Optional(KeptMonths),
});
export type CreateBrokerContractInput = Static<typeof CreateBrokerContractBody>;

export const EndBrokerContractBody = Strict({
  /** From this day on the contract no longer covers its villages (default today). */
  endedOn: Type.Optional(Day),
  reason: Type.String({ minLength: 1, maxLength: 200 }),
});
export type EndBrokerContractInput = Static<typeof EndBrokerContractBody>;

export const BrokerContractListQuery = Strict({
  region: Type.Optional(RegionCodeSchema),
  broker: Type.Optional(Id),
  /** Only contracts valid on this day. */
  activeOn: Type.Optional(Day),
  ...PageQuery,
});
export type BrokerContractListQueryInput = Static<typeof BrokerContractListQuery>;

const Village = Type.Object({ code: Type.String(), name: Type.String() });

export const BrokerContractSchema = Type.Object({
  id: Type.String(),
  broker: Type.Object({ id: Type.String(), username: Type.String(), displayName: Type.String() }),
  villages: Type.Array(Village),
  township: Village,
  county: Village,
  validFrom: Type.String(),
  validTo: Type.String(),
  endedOn: Type.Union([Type.String(), Type.Null()]),
  endReason: Type.Union([Type.String(), Type.Null()]),
  state: CONTRACT_STATE.schema,
  note: Type.Union([Type.String(), Type.Null()]),
  createdBy: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  /** The pay terms (购买服务), or null: the contract pays nothing until they are set. */
  pay: Type.Union([Type.Object({ ratePerPlacement: Type.Number(), keptMonths: Type.Integer() }), Type.Null()]),
});
export type BrokerContract = Static<typeof BrokerContractSchema>;

export const BrokerContractListSchema = Type.Object({ items: Type.Array(BrokerContractSchema), total: Type.Integer() });
export type BrokerContractList = Static<typeof BrokerContractListSchema>;

export const MyLaborersQuery = Strict({
  /** Name, or the pinyin / initials of the name. */
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })),
  willingness: Type.Optional(WILLINGNESS.schema),
  village: Type.Optional(VillageCode),
  ...PageQuery,
});
export type MyLaborersQueryInput = Static<typeof MyLaborersQuery>;

/** What a broker sees of a job seeker: identifiers masked, no reveal. */
export const BrokerLaborerSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  sex: SEX.schema,
  age: Type.Integer(),
  idNumberMasked: Type.String(),
  phoneMasked: Type.Union([Type.String(), Type.Null()]),
  villageCode: Type.String(),
  villageName: Type.String(),
  willingness: WILLINGNESS.schema,
  wantedJobTypes: Type.Array(Type.String()),
  expectedWage: Type.Union([Type.Integer(), Type.Null()]),
  employmentStatus: EMPLOYMENT_STATUS.schema,
});
export type BrokerLaborer = Static<typeof BrokerLaborerSchema>;

export const MyLaborersSchema = Type.Object({
  items: Type.Array(BrokerLaborerSchema),
  total: Type.Integer(),
  /** The villages under a contract valid today (the list's scope). */
  villages: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), validTo: Type.String() })),
});
export type MyLaborers = Static<typeof MyLaborersSchema>;

export const MyContractsSchema = Type.Object({ items: Type.Array(BrokerContractSchema) });

export const BrokerTableQuery = Strict({
  /** Default the caller's region; a county, a city, the province. */
  region: Type.Optional(RegionCodeSchema),
  /** Default today (China Standard Time). */
  asOf: Type.Optional(Day),
});
export type BrokerTableQueryInput = Static<typeof BrokerTableQuery>;

/** A broker's own row of the table (GET /brokers/me/table): default today. */
export const MyBrokerRowQuery = Strict({ asOf: Type.Optional(Day) });
export type MyBrokerRowQueryInput = Static<typeof MyBrokerRowQuery>;

const Counts = {
  /** Referrals the broker made up to the date. */
  referrals: Type.Integer(),
  /** Of them, hires that started by the date. */
  hires: Type.Integer(),
  /** Hires whose 3 (6) months had passed by the date, the laborer at work (any job) on that day: the broker's retention rule. */
  retained3: Type.Integer(),
  retained6: Type.Integer(),
};

export const BrokerTableRowSchema = Type.Object({
  brokerId: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  regionCode: Type.String(),
  regionName: Type.String(),
  /** Villages under a contract valid on the date. */
  villages: Type.Integer(),
  ...Counts,
});
export type BrokerTableRow = Static<typeof BrokerTableRowSchema>;

export const BrokerTableSchema = Type.Object({
  region: Type.String(),
  asOf: Type.String(),
  rows: Type.Array(BrokerTableRowSchema),
  totals: Type.Object({ brokers: Type.Integer(), villages: Type.Integer(), ...Counts }),
});
export type BrokerTable = Static<typeof BrokerTableSchema>;

export const MyBrokerRowSchema = Type.Object({ asOf: Type.String(), row: BrokerTableRowSchema });
export type MyBrokerRow = Static<typeof MyBrokerRowSchema>;

/** PUT /brokers/contracts/:id/pay-terms: the rate and the months; payments already drafted keep their amount. */
export const BrokerPayTermsBody = Strict({ ratePerPlacement: RatePerPlacement, keptMonths: KeptMonths });
export type BrokerPayTermsInput = Static<typeof BrokerPayTermsBody>;

/** The period whose placements (hires started in it, under the contract) are counted. */
export const BrokerPayQuery = Strict({ from: Day, to: Day });
export type BrokerPayQueryInput = Static<typeof BrokerPayQuery>;
export const DraftBrokerPayBody = BrokerPayQuery;

/**
 * A placement's standing today: kept N months and not yet paid (due), paid already — drafted in
 * the subsidy ledger under any period or contract (drafted) —, left before its N months (left),
 * its N months not yet come (waiting).
 */
export const PLACEMENT_PAY_STATE = dict({
  due: '应付',
  drafted: '已列入补贴台账',
  left: '未满期限已离岗，不付',
  waiting: '未满期限，暂不付',
});
export type PlacementPayState = keyof typeof PLACEMENT_PAY_STATE.labels;

export const BrokerPlacementSchema = Type.Object({
  employmentId: Type.String(),
  laborer: Type.Object({ id: Type.String(), name: Type.String(), idNumberMasked: Type.String(), villageName: Type.String() }),
  employerName: Type.Union([Type.String(), Type.Null()]),
  startedOn: Type.String(),
  endedOn: Type.Union([Type.String(), Type.Null()]),
  /** Start + N months: the day the placement is looked at. */
  checkDay: Type.String(),
  state: PLACEMENT_PAY_STATE.schema,
  /** The ledger's payment for it, when drafted. */
  subsidy: Type.Union([Type.Object({ id: Type.String(), status: Type.String(), amount: Type.Number() }), Type.Null()]),
});

export const BrokerPaySchema = Type.Object({
  contractId: Type.String(),
  broker: Type.Object({ id: Type.String(), username: Type.String(), displayName: Type.String() }),
  from: Type.String(),
  to: Type.String(),
  /** The day the standings are taken (today). */
  asOf: Type.String(),
  ratePerPlacement: Type.Number(),
  keptMonths: Type.Integer(),
  placements: Type.Array(BrokerPlacementSchema),
  totals: Type.Object({
    placements: Type.Integer(),
    due: Type.Integer(),
    /** Yuan of the due ones: what a draft now writes. */
    dueAmount: Type.Number(),
    drafted: Type.Integer(),
    draftedAmount: Type.Number(),
    left: Type.Integer(),
    waiting: Type.Integer(),
  }),
});
export type BrokerPay = Static<typeof BrokerPaySchema>;

export const BrokerPayDraftSchema = Type.Object({
  /** Payments written now (0 when every kept placement was paid before). */
  created: Type.Integer(),
  amount: Type.Number(),
  pay: BrokerPaySchema,
});
export type BrokerPayDraft = Static<typeof BrokerPayDraftSchema>;
