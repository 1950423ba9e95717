import { Type, type Static } from '@sinclair/typebox';
import { Strict } from './common.ts';
import { FollowUpSchema, RecordFollowUpBody } from './employment.ts';
import { CreateLaborerBody, LaborerSchema } from './laborers.ts';

/**
 * 进村入户 (issue 19 items 2–3): the village officer's phone takes the cards of their villages
 * offline, keeps what is captured there as entries of an outbox, and sends them when there is a
 * connection. Each entry carries an idempotency key (an entry sent again is answered with its first
 * result and applies nothing), the time it was captured, and — for an edit — the card version it
 * was based on and each changed field's old and new value, so the server merges field by field.
 */

/** The card fields an officer edits on the phone (the card form's, contracts/laborers.ts). */
export const FIELD_EDITABLE = [
  'name',
  'phone',
  'ethnicity',
  'householdCode',
  'relationToHead',
  'householdSize',
  'povertyStatus',
  'education',
  'laborCapacity',
  'health',
  'skills',
  'certificates',
  'willingness',
  'wantedJobTypes',
  'expectedWage',
  'caring',
  'flags',
  'employmentStatus',
  'trainingHistory',
  'remark',
] as const;
export type FieldEditable = (typeof FIELD_EDITABLE)[number];
const EditableField = Type.Unsafe<FieldEditable>({ type: 'string', enum: [...FIELD_EDITABLE], description: '字段' });

/** Made on the phone (crypto.randomUUID() or the like): unique per entry, kept for good. */
export const IdempotencyKey = Type.String({ pattern: '^[A-Za-z0-9_-]{8,64}$', description: '幂等键（每条待同步记录一个）' });
const Captured = Type.String({ format: 'date-time', description: '在手机上采集的时间' });
const CardId = Type.String({ pattern: '^[1-9][0-9]{0,17}$' });

/** One field as the officer changed it: the value the phone showed (from the base version) and the new one. */
export const FieldChangeSchema = Strict({ field: EditableField, old: Type.Unknown(), new: Type.Unknown() });

export const UpdateEntry = Strict({
  key: IdempotencyKey,
  kind: Type.Literal('update'),
  laborerId: CardId,
  baseVersion: Type.Integer({ minimum: 1, description: '修改所依据的信息卡版本' }),
  capturedAt: Captured,
  changes: Type.Array(FieldChangeSchema, { minItems: 1, maxItems: FIELD_EDITABLE.length }),
});
export const CreateEntry = Strict({
  key: IdempotencyKey,
  kind: Type.Literal('create'),
  capturedAt: Captured,
  card: CreateLaborerBody,
});
export const FollowUpEntry = Strict({
  key: IdempotencyKey,
  kind: Type.Literal('follow_up'),
  followUpId: CardId,
  capturedAt: Captured,
  record: RecordFollowUpBody,
});
export const ConfirmEntry = Strict({
  key: IdempotencyKey,
  kind: Type.Literal('confirm'),
  laborerId: CardId,
  capturedAt: Captured,
});
/**
 * The officer's choice on a conflict, field by field: keep mine (the value is written, based on the
 * version the conflict was answered with — a field changed again since is a conflict again) or
 * take theirs (nothing is written; the choice is audited).
 */
export const ResolveEntry = Strict({
  key: IdempotencyKey,
  kind: Type.Literal('resolve'),
  resolves: IdempotencyKey,
  laborerId: CardId,
  baseVersion: Type.Integer({ minimum: 1 }),
  capturedAt: Captured,
  choices: Type.Array(
    Strict({ field: EditableField, choice: Type.Union([Type.Literal('mine'), Type.Literal('theirs')]), value: Type.Unknown() }),
    { minItems: 1, maxItems: FIELD_EDITABLE.length },
  ),
});

export const SyncEntrySchema = Type.Union([UpdateEntry, CreateEntry, FollowUpEntry, ConfirmEntry, ResolveEntry]);
export type SyncEntry = Static<typeof SyncEntrySchema>;
export const SyncBody = Strict({ entries: Type.Array(SyncEntrySchema, { minItems: 1, maxItems: 100 }) });
export type SyncInput = Static<typeof SyncBody>;

/** A field changed on the server since the entry's base version: both values, and who changed it when. */
export const FieldConflictSchema = Type.Object({
  field: Type.String(),
  mine: Type.Unknown(),
  theirs: Type.Unknown(),
  by: Type.Union([Type.Object({ username: Type.String(), displayName: Type.String() }), Type.Null()]),
  at: Type.String({ format: 'date-time' }),
  /** The card's version when the conflict was answered: a resolution is based on it. */
  version: Type.Integer(),
});
export type FieldConflict = Static<typeof FieldConflictSchema>;

export const SYNC_STATUS = ['applied', 'conflict', 'duplicate', 'transfer', 'refused'] as const;
export type SyncStatus = (typeof SYNC_STATUS)[number];

export const SyncResultSchema = Type.Object({
  key: Type.String(),
  kind: Type.String(),
  /**
   * applied: done (for an edit, every field applied or already so); conflict: some fields changed
   * on the server meanwhile (`conflicts`; the others applied); duplicate: a new card whose ID number
   * is already a card of the officer's villages (`laborerId`), no second card made; transfer: the
   * number is registered outside them (`county`), a transfer request is the way; refused: `code`, `message`.
   */
  status: Type.Unsafe<SyncStatus>({ type: 'string', enum: [...SYNC_STATUS] }),
  /** True when the key had been answered before: nothing was applied now. */
  replayed: Type.Boolean(),
  laborerId: Type.Optional(Type.String()),
  applied: Type.Optional(Type.Array(Type.String())),
  conflicts: Type.Optional(Type.Array(FieldConflictSchema)),
  county: Type.Optional(Type.Object({ code: Type.String(), fullName: Type.String() })),
  code: Type.Optional(Type.String()),
  message: Type.Optional(Type.String()),
});
export type SyncResult = Static<typeof SyncResultSchema>;

export const SyncResponseSchema = Type.Object({
  results: Type.Array(SyncResultSchema),
  /** The cards the entries touched, as they stand now (masked): the phone's copy is replaced by them. */
  cards: Type.Array(LaborerSchema),
});
export type SyncResponse = Static<typeof SyncResponseSchema>;

export const FieldPackageSchema = Type.Object({
  takenAt: Type.String({ format: 'date-time' }),
  regionCode: Type.String(),
  quarter: Type.Object({ label: Type.String(), start: Type.String(), end: Type.String() }),
  cards: Type.Array(LaborerSchema),
  followUps: Type.Array(FollowUpSchema),
});
export type FieldPackage = Static<typeof FieldPackageSchema>;

/**
 * The phone's device key (issue 19 item 4): the offline copy and the outbox are encrypted on the
 * phone (AES-256-GCM) under a key the server releases to the officer at sign-in. The phone names
 * the generation it holds on every package and sync; a generation the server has since replaced
 * (the officer signed out of the phone) is refused.
 */
export const FIELD_KEY_GENERATION_HEADER = 'x-field-key-generation';
/** Days the phone may go without a successful sync before it refuses to open its copy. */
export const FIELD_OFFLINE_DAYS = 7;
export const FieldKeyHeaders = Type.Object({
  [FIELD_KEY_GENERATION_HEADER]: Type.String({ pattern: '^[1-9][0-9]{0,8}$', description: '手机所持密钥的版本' }),
});
export const FieldKeySchema = Type.Object({
  generation: Type.Integer({ minimum: 1, description: '密钥版本（退出登录后换新）' }),
  key: Type.String({ pattern: '^[A-Za-z0-9_-]{43}$', description: 'AES-256 密钥（base64url），只在手机内存中导入，不可导出' }),
  releasedAt: Type.String({ format: 'date-time' }),
  offlineDays: Type.Integer({ description: '超过这些天未同步，手机拒绝打开离线数据' }),
});
export type FieldKey = Static<typeof FieldKeySchema>;
