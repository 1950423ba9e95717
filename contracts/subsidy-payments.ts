import { Type, type Static } from '@sinclair/typebox';
import { Strict } from './common.ts';

/**
 * 补贴代发 (issue 21 item 6): approved laborer subsidies grouped into a bank batch per county and
 * month, the bank file written, the bank's return file read back, the 公示 list of the batch.
 * The file layouts are in docs/payments.md.
 */
export const PAYMENT_ITEM_STATUS = { pending: '待银行回盘', paid: '已发放', failed: '发放失败' } as const;

const Id = Type.String({ pattern: '^[1-9][0-9]{0,17}$' });
const Day = (description: string) => Type.String({ format: 'date', description });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const PaymentBatchParams = Strict({ id: Id });
export const CreatePaymentBatchBody = Strict({
  county: Type.String({ pattern: '^\\d{6}$', description: '县级区划代码' }),
  month: Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: '发放月份（YYYY-MM）' }),
});
export type CreatePaymentBatchInput = Static<typeof CreatePaymentBatchBody>;

export const PaymentItemSchema = Type.Object({
  seq: Type.Integer(),
  subsidyId: Type.String(),
  name: Type.String(),
  /** The account masked (6222********1234): the whole number goes only into the bank file. */
  accountMasked: Type.String(),
  kind: Type.String(),
  kindLabel: Type.String(),
  amount: Type.Number(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('paid'), Type.Literal('failed')]),
  bankDate: Nullable(Type.String()),
  failReason: Nullable(Type.String()),
});
export const PaymentBatchSchema = Type.Object({
  id: Type.String(),
  county: Type.Object({ code: Type.String(), name: Type.String() }),
  month: Type.String(),
  status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  createdAt: Type.String(),
  count: Type.Integer(),
  amount: Type.Number(),
  /** Approved subsidies of the county left out because no bank account was given with them. */
  noAccount: Type.Integer(),
  /** Approved subsidies left out because the batch's creator gave or corrected their account: another approver batches them. */
  changedByCreator: Type.Integer(),
  items: Type.Array(PaymentItemSchema),
});
export type PaymentBatch = Static<typeof PaymentBatchSchema>;

/** The batches of the caller's region, newest first: a return file that arrives days later is imported into its batch from here. */
export const PaymentBatchListQuery = Strict({
  county: Type.Optional(Type.String({ pattern: '^\\d{6}$', description: '县级区划代码（不填：本人辖区内全部）' })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
});
export type PaymentBatchListInput = Static<typeof PaymentBatchListQuery>;
export const PaymentBatchSummarySchema = Type.Object({
  id: Type.String(),
  county: Type.Object({ code: Type.String(), name: Type.String() }),
  month: Type.String(),
  status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  createdAt: Type.String(),
  count: Type.Integer(),
  amount: Type.Number(),
  paid: Type.Integer(),
  failed: Type.Integer(),
  pending: Type.Integer(),
});
export const PaymentBatchListSchema = Type.Object({
  items: Type.Array(PaymentBatchSummarySchema),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
});
export type PaymentBatchList = Static<typeof PaymentBatchListSchema>;

/** The bank's return file as text (CSV: reference, 成功/失败, reason — docs/payments.md) and the bank's processing day. */
export const PaymentReturnBody = Strict({
  bankDate: Day('银行处理日期'),
  content: Type.String({ minLength: 1, maxLength: 2_000_000, description: '回盘文件内容（CSV 文本）' }),
});
export type PaymentReturnInput = Static<typeof PaymentReturnBody>;
export const PaymentReturnSchema = Type.Object({
  paid: Type.Integer(),
  failed: Type.Integer(),
  /** Lines naming an item the bank had already returned: nothing changes (never paid twice). */
  unchanged: Type.Integer(),
  batch: PaymentBatchSchema,
});
export type PaymentReturn = Static<typeof PaymentReturnSchema>;

/** 公示: the batch for the village notice board — names partly masked, no account, no ID number. */
export const PaymentNoticeSchema = Type.Object({
  title: Type.String(),
  county: Type.Object({ code: Type.String(), name: Type.String() }),
  month: Type.String(),
  items: Type.Array(
    Type.Object({
      seq: Type.Integer(),
      name: Type.String(),
      village: Type.String(),
      kind: Type.String(),
      amount: Type.Number(),
    }),
  ),
  count: Type.Integer(),
  amount: Type.Number(),
});
export type PaymentNotice = Static<typeof PaymentNoticeSchema>;
