import iconv from 'iconv-lite';
import { SUBSIDY_KIND } from '../../../../contracts/subsidies.ts';
import type {
  CreatePaymentBatchInput,
  PaymentBatch,
  PaymentBatchList,
  PaymentBatchListInput,
  PaymentNotice,
  PaymentReturn,
  PaymentReturnInput,
} from '../../../../contracts/subsidy-payments.ts';
import type { Tx } from '../../db/database.ts';
import { assertRegionInScope, regionContains } from '../../platform/access.ts';
import type { Actor, AuditContext } from '../../platform/actor.ts';
import type { AuditLog } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { addDays, addMonths, chinaToday } from '../../platform/time.ts';
import * as repo from './subsidies.payments.repo.ts';
import { maskAccount, type SubsidiesService } from './subsidies.service.ts';

/**
 * 补贴代发 (issue 21 item 6): the county's approved laborer subsidies grouped into a bank batch
 * per month, the bank file (GBK CSV, the layout most banks' 代发 accepts — docs/payments.md), the
 * bank's return file marking each line paid (through the subsidy's own pay path, the batch as its
 * payment reference and the bank's day) or failed (free to be batched again), and the 公示 list.
 */
const auditCtx = (actor: Actor): AuditContext => ({ actor, ip: actor.ip });

/**
 * A name on the 公示 list: 李四 → 李*, 张小明 → 张*明, 欧阳小红 → 欧**红 — the first and the last
 * character kept, as the counties' 公示 lists print them, so a neighbour recognises the line. The
 * audit log's rule (registry's maskName: the first character only) hides more, because its reader
 * needs only which record, while the notice board is there to be checked by the village.
 */
export function noticeName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return chars.join('');
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

export const BANK_FILE_HEADER = ['序号', '收款账号', '收款人姓名', '金额', '业务参考号'] as const;
const kindLabel = (kind: string) => SUBSIDY_KIND.labels[kind as keyof typeof SUBSIDY_KIND.labels] ?? kind;
const csvField = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
/** The batch as its payment reference on each subsidy (payment_ref, ≤ 60 characters). */
export const batchRef = (id: string) => `代发批次${id}`;

/** A CSV line into fields (quoted fields with doubled quotes). */
function splitCsv(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(field);
      field = '';
    } else field += c;
  }
  out.push(field);
  return out.map((f) => f.trim());
}

export function createSubsidyPaymentsService({ audit, subsidies }: { audit: AuditLog; subsidies: SubsidiesService }) {
  /** Admins bound to a county or above, as for approving and paying one subsidy. */
  function assertPayer(actor: Actor) {
    if (actor.role !== 'admin' || actor.regionCode.length > 6) throw new AppError('SUBSIDY_APPROVER_LEVEL');
  }

  /** The batch if the caller's region holds its county; not found (audited) otherwise. */
  async function batchFor(tx: Tx, actor: Actor, id: string, action: string, lock = false): Promise<repo.BatchRow> {
    assertPayer(actor);
    const batch = await repo.findBatch(tx, id, lock);
    if (!batch || !regionContains(actor.regionCode, batch.county_code)) {
      throw new AppError('NOT_FOUND').audited(auditCtx(actor), {
        action,
        entity: 'subsidy_payment_batch',
        entityId: id,
        result: 'denied',
      });
    }
    return batch;
  }

  async function present(tx: Tx, batch: repo.BatchRow, noAccount = 0, changedByCreator = 0): Promise<PaymentBatch> {
    const items = await repo.itemsOf(tx, batch.id);
    return {
      id: batch.id,
      county: { code: batch.county_code, name: batch.county_name },
      month: batch.month,
      status: batch.status,
      createdAt: new Date(batch.created_at).toISOString(),
      count: items.length,
      amount: Math.round(items.reduce((sum, i) => sum + Number(i.amount) * 100, 0)) / 100,
      noAccount,
      changedByCreator,
      items: items.map((i) => ({
        seq: i.seq,
        subsidyId: i.subsidy_id,
        name: i.name,
        accountMasked: maskAccount(i.bank_account),
        kind: i.kind,
        kindLabel: kindLabel(i.kind),
        amount: Number(i.amount),
        status: i.status,
        bankDate: i.bank_date,
        failReason: i.fail_reason,
      })),
    };
  }

  return {
    /** POST /subsidies/payment-batches: the county's approved, unbatched laborer subsidies of the month into one batch. */
    async create(tx: Tx, actor: Actor, input: CreatePaymentBatchInput): Promise<PaymentBatch> {
      assertPayer(actor);
      assertRegionInScope(actor, input.county);
      if (!(await repo.countyName(tx, input.county))) throw new AppError('PAYMENT_BATCH_COUNTY');
      const today = chinaToday();
      if (input.month > today.slice(0, 7)) throw new AppError('PAYMENT_BATCH_MONTH');
      const monthEnd = addDays(addMonths(`${input.month}-01`, 1), -1);
      const { id, count } = await repo
        .createBatch(tx, { county: input.county, month: input.month, monthEnd, by: actor.id })
        .catch((error: { code?: string; constraint?: string }) => {
          // Another batch took one of them meanwhile: the database's refusal, in the user's words.
          if (error?.code === '23505' && error.constraint === 'subsidy_payment_item_once') throw new AppError('PAYMENT_BATCH_TAKEN');
          throw error;
        });
      const changedByCreator = await repo.countChangedBy(tx, input.county, monthEnd, actor.id);
      if (count === 0 && changedByCreator > 0)
        throw new AppError(
          'PAYMENT_BATCH_SELF_CHANGED',
          `该县本月待发放的 ${changedByCreator} 笔补贴的收款账号由您本人填写或更正，须由另一名审批人编入代发批次`,
          { changedByCreator },
        );
      if (count === 0) throw new AppError('PAYMENT_BATCH_EMPTY');
      const noAccount = await repo.countWithoutAccount(tx, input.county, monthEnd);
      const batch = await present(tx, (await repo.findBatch(tx, id))!, noAccount, changedByCreator);
      await audit.record(tx, auditCtx(actor), {
        action: 'subsidy_payment.create',
        entity: 'subsidy_payment_batch',
        entityId: id,
        details: { county: input.county, month: input.month, total: batch.count, amount: batch.amount, noAccount, changedByCreator },
      });
      return batch;
    },

    /** GET /subsidies/payment-batches: the batches of the caller's counties, newest first, with how their lines stand. */
    async list(tx: Tx, actor: Actor, input: PaymentBatchListInput): Promise<PaymentBatchList> {
      assertPayer(actor);
      if (input.county) assertRegionInScope(actor, input.county);
      const page = input.page ?? 1;
      const pageSize = input.pageSize ?? 20;
      const rows = await repo.listBatches(tx, {
        region: actor.regionCode,
        county: input.county,
        limit: pageSize,
        offset: (page - 1) * pageSize,
      });
      await audit.record(tx, auditCtx(actor), {
        action: 'subsidy_payment.list',
        entity: 'subsidy_payment_batch',
        details: { county: input.county ?? null, page, rows: rows.length },
      });
      return {
        items: rows.map((b) => ({
          id: b.id,
          county: { code: b.county_code, name: b.county_name },
          month: b.month,
          status: b.status,
          createdAt: new Date(b.created_at).toISOString(),
          count: Number(b.count),
          amount: Number(b.amount),
          paid: Number(b.paid),
          failed: Number(b.failed),
          pending: Number(b.pending),
        })),
        total: rows.length ? Number(rows[0]!.total) : 0,
        page,
        pageSize,
      };
    },

    /** GET /subsidies/payment-batches/:id: one batch with its lines (accounts masked), to download its file again or import its return. */
    async view(tx: Tx, actor: Actor, id: string): Promise<PaymentBatch> {
      const batch = await batchFor(tx, actor, id, 'subsidy_payment.view');
      const presented = await present(tx, batch);
      await audit.record(tx, auditCtx(actor), {
        action: 'subsidy_payment.view',
        entity: 'subsidy_payment_batch',
        entityId: id,
        details: { rows: presented.count },
      });
      return presented;
    },

    /** GET …/:id/bank-file: the lines still pending, GBK CSV with a header row (docs/payments.md). */
    async bankFile(tx: Tx, actor: Actor, id: string): Promise<{ fileName: string; body: Buffer }> {
      const batch = await batchFor(tx, actor, id, 'subsidy_payment.bank_file');
      const items = (await repo.itemsOf(tx, id)).filter((i) => i.status === 'pending');
      const lines = [
        BANK_FILE_HEADER.join(','),
        ...items.map((i) => [String(i.seq), i.bank_account, csvField(i.name), Number(i.amount).toFixed(2), i.subsidy_id].join(',')),
      ];
      await audit.record(tx, auditCtx(actor), {
        action: 'subsidy_payment.bank_file',
        entity: 'subsidy_payment_batch',
        entityId: id,
        details: { rows: items.length },
      });
      return {
        fileName: `补贴代发-${batch.county_name}-${batch.month}-${id}.csv`,
        body: iconv.encode(`${lines.join('\r\n')}\r\n`, 'gbk'),
      };
    },

    /**
     * POST …/:id/returns: the bank's return file, all or nothing. 成功 → the subsidy paid on the
     * bank's day through its own pay path (approved → paid, once); 失败 → the line failed with the
     * bank's reason, the subsidy still approved and free for a later batch. A line already returned
     * changes nothing.
     */
    async importReturn(tx: Tx, actor: Actor, id: string, input: PaymentReturnInput): Promise<PaymentReturn> {
      const batch = await batchFor(tx, actor, id, 'subsidy_payment.return', true);
      const today = chinaToday();
      if (input.bankDate > today) throw new AppError('PAYMENT_RETURN_DATE', `银行处理日期（${input.bankDate}）不能晚于今天（${today}）`);
      const items = new Map((await repo.itemsOf(tx, id)).map((i) => [i.subsidy_id, i]));
      const lines = input.content
        .replace(/^\uFEFF/, '')
        .split(/\r?\n/)
        .map((line, n) => ({ n: n + 1, fields: splitCsv(line) }))
        .filter((l) => l.fields.some((f) => f !== ''));
      // A header row (业务参考号,处理结果,失败原因) is allowed: its first field is not a number.
      if (lines[0] && !/^\d+$/.test(lines[0].fields[0]!)) lines.shift();
      const bad = (n: number, why: string) => new AppError('PAYMENT_RETURN_FILE', `回盘文件第 ${n} 行：${why}，本文件未导入`);
      const seen = new Set<string>();
      const rows = lines.map(({ n, fields }) => {
        const [reference = '', result = '', reason = ''] = fields;
        if (!items.has(reference)) throw bad(n, `业务参考号“${reference}”不在本批次中`);
        if (seen.has(reference)) throw bad(n, `业务参考号“${reference}”重复`);
        seen.add(reference);
        if (result !== '成功' && result !== '失败') throw bad(n, `处理结果须为“成功”或“失败”，而不是“${result}”`);
        if (result === '失败' && !reason) throw bad(n, '失败的记录须有失败原因');
        if (reason.length > 200) throw bad(n, '失败原因不能超过 200 字');
        return { reference, paid: result === '成功', reason: result === '失败' ? reason : null };
      });
      if (rows.length === 0) throw new AppError('PAYMENT_RETURN_FILE', '回盘文件没有记录');
      let paid = 0;
      let failed = 0;
      let unchanged = 0;
      for (const row of rows) {
        const settled = await repo.settleItem(tx, id, row.reference, {
          status: row.paid ? 'paid' : 'failed',
          bankDate: input.bankDate,
          reason: row.reason,
        });
        if (!settled) unchanged++;
        else if (row.paid) {
          await subsidies.payThroughBank(tx, actor, row.reference, input.bankDate, batchRef(id));
          paid++;
        } else failed++;
      }
      await repo.closeIfReturned(tx, id);
      await audit.record(tx, auditCtx(actor), {
        action: 'subsidy_payment.return',
        entity: 'subsidy_payment_batch',
        entityId: id,
        details: { bankDate: input.bankDate, rows: rows.length, paid, failed, unchanged },
      });
      return { paid, failed, unchanged, batch: await present(tx, (await repo.findBatch(tx, batch.id))!) };
    },

    /** GET …/:id/notice: the 公示 list — the lines not failed, names partly masked, village, kind, amount. */
    async notice(tx: Tx, actor: Actor, id: string): Promise<PaymentNotice> {
      const batch = await batchFor(tx, actor, id, 'subsidy_payment.notice');
      const items = (await repo.itemsOf(tx, id)).filter((i) => i.status !== 'failed');
      await audit.record(tx, auditCtx(actor), {
        action: 'subsidy_payment.notice',
        entity: 'subsidy_payment_batch',
        entityId: id,
        details: { rows: items.length },
      });
      const [year, month] = batch.month.split('-');
      return {
        title: `${batch.county_name}${year}年${Number(month)}月就业扶贫补贴发放公示`,
        county: { code: batch.county_code, name: batch.county_name },
        month: batch.month,
        items: items.map((i) => ({
          seq: i.seq,
          name: noticeName(i.name),
          village: i.village_name,
          kind: kindLabel(i.kind),
          amount: Number(i.amount),
        })),
        count: items.length,
        amount: Math.round(items.reduce((sum, i) => sum + Number(i.amount) * 100, 0)) / 100,
      };
    },
  };
}

export type SubsidyPaymentsService = ReturnType<typeof createSubsidyPaymentsService>;
