import { sql, type Expression, type SqlBool } from 'kysely';
import type { Campaign, CampaignFilters, CreateCampaignInput, Preview, PreviewInput } from '../../../../contracts/sms.ts';
import { CAMPAIGN_STATUS, MESSAGE_REASON } from '../../../../contracts/sms.ts';
import type { SmsConfig } from '../../config.ts';
import type { Db, DbOrTx, Tx } from '../../db/database.ts';
import type { Role } from '../../db/schema.ts';
import { assertRegionInScope, UNSCOPED } from '../../platform/access.ts';
import type { Actor, AuditContext } from '../../platform/actor.ts';
import type { AuditLog } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { chinaToday } from '../../platform/time.ts';
import type { Market } from '../matching/index.ts';
import { composeCampaign, createFiller, outcomeOf, tallyRecipients } from './compose.ts';
import * as repo from './sms.repo.ts';
import { compileTemplate, segmentsOf, TEMPLATE_FIELDS, TemplateError, withSignature, type CompiledTemplate } from './template.ts';
import { SMS_MANAGERS, INBOX_READERS } from '../../../../contracts/roles.ts';
export { SMS_MANAGERS, INBOX_READERS };

const auditCtx = (actor: Actor): AuditContext => ({ actor, ip: actor.ip });
const person = (username: string | null, name: string | null) => (username ? { username, displayName: name ?? username } : null);
const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

function template(text: string): CompiledTemplate {
  try {
    return compileTemplate(text);
  } catch (error) {
    if (error instanceof TemplateError) {
      throw new AppError(error.unknown.length ? 'SMS_TEMPLATE_UNKNOWN_FIELD' : 'SMS_TEMPLATE_INVALID', error.message, {
        unknown: error.unknown,
        known: Object.keys(TEMPLATE_FIELDS),
      });
    }
    throw error;
  }
}

function checkFilters(actor: Actor, f: CampaignFilters) {
  assertRegionInScope(actor, f.region);
  if (f.ageMin !== undefined && f.ageMax !== undefined && f.ageMin > f.ageMax) throw new AppError('SMS_AGE_RANGE');
}

export function createSmsService({ db, audit, market, config }: { db: Db; audit: AuditLog; market: Market; config: SmsConfig }) {
  const scope = (actor: Actor): Expression<SqlBool> =>
    (SMS_MANAGERS as readonly Role[]).includes(actor.role) ? repo.campaignsIn(actor.regionCode) : sql<SqlBool>`false`;
  const inboxScope = (actor: Actor): Expression<SqlBool> =>
    (INBOX_READERS as readonly Role[]).includes(actor.role) ? repo.inboundIn(actor.regionCode) : sql<SqlBool>`false`;

  async function present(tx: DbOrTx, actor: Actor, rows: repo.CampaignRow[]): Promise<Campaign[]> {
    const counts = await repo.messageCounts(
      tx,
      rows.map((r) => r.id),
    );
    return rows.map((c) => {
      const n = counts.get(c.id)!;
      return {
        id: c.id,
        name: c.name,
        region: { code: c.region_code, name: c.region_name },
        filters: c.filters,
        signature: c.signature,
        template: c.template,
        status: c.status as Campaign['status'],
        recipients: c.recipients,
        segments: Number(c.segments),
        counts: { queued: n.queued, sending: n.sending, sent: n.sent, delivered: n.delivered, failed: n.failed, skipped: n.skipped },
        reasons: n.reasons.map((r) => ({ ...r, label: MESSAGE_REASON.labels[r.reason as keyof typeof MESSAGE_REASON.labels] ?? r.reason })),
        message: c.message,
        createdBy: person(c.created_by_username, c.created_by_name),
        submittedBy: person(c.submitted_by_username, c.submitted_by_name),
        decidedBy: person(c.decided_by_username, c.decided_by_name),
        decisionNote: c.decision_note,
        createdAt: new Date(c.created_at).toISOString(),
        submittedAt: iso(c.submitted_at),
        decidedAt: iso(c.decided_at),
        finishedAt: iso(c.finished_at),
        canDecide: c.status === 'pending_approval' && c.submitted_by !== actor.id && c.created_by !== actor.id,
      };
    });
  }

  async function load(tx: DbOrTx, actor: Actor, id: string, action: string, forUpdate = false): Promise<repo.CampaignRow> {
    const c = await repo.findCampaign(tx, id, scope(actor), forUpdate);
    if (!c) throw new AppError('NOT_FOUND').audited(auditCtx(actor), { action, entity: 'sms_campaign', entityId: id, result: 'denied' });
    return c;
  }

  const requireStatus = (c: repo.CampaignRow, ...allowed: string[]) => {
    if (!allowed.includes(c.status)) {
      throw new AppError(
        'SMS_CAMPAIGN_STATUS',
        `短信活动当前为“${CAMPAIGN_STATUS.labels[c.status as keyof typeof CAMPAIGN_STATUS.labels] ?? c.status}”，不能进行此操作`,
        { status: c.status },
      );
    }
  };

  /** Refuses a campaign nobody could receive: no card with a phone, all opted out, or all at today's cap. */
  async function checkReachable(tx: DbOrTx, f: CampaignFilters) {
    const today = chinaToday();
    const n = await repo.countRecipients(tx, repo.recipientCondition(f, today), today, config.dailyCap);
    const reachable = n.matched - n.no_phone - n.opted_out - n.daily_cap;
    if (n.matched === 0) throw new AppError('SMS_NO_RECIPIENTS', '所选条件下没有劳动力，请调整筛选条件');
    if (reachable <= 0 && n.daily_cap > 0) throw new AppError('SMS_OVER_DAILY_CAP', undefined, n);
    if (reachable <= 0) throw new AppError('SMS_NO_RECIPIENTS', undefined, n);
    return { ...n, reachable };
  }

  return {
    fields() {
      return { fields: Object.entries(TEMPLATE_FIELDS).map(([name, label]) => ({ name, label })), signature: config.signature };
    },

    /**
     * Who would get a message, who would not and why, the segments billed, and the first
     * recipients' real texts (their own top postings); audited: it shows named people. The counts
     * come from the compose's own rule (compose.ts outcomeOf), so the campaign submitted from the
     * same form composes the same recipients (as long as the cards and postings do not change).
     */
    async preview(tx: Tx, actor: Actor, input: PreviewInput): Promise<Preview> {
      checkFilters(actor, input.filters);
      const t = template(input.template);
      const signature = input.signature ?? config.signature;
      const today = chinaToday();
      const condition = repo.recipientCondition(input.filters, today);
      if (t.postingsNeeded) await market.refresh(db);
      // The preview's link shows the shape of a real one: a message id of the same length.
      const sampleId = '1000000';
      const tally = await tallyRecipients(tx, market, config, { filters: input.filters, template: input.template, signature }, sampleId);
      const counts = await repo.countRecipients(tx, condition, today, config.dailyCap);
      const fill = createFiller(market, t, signature, config.publicUrl);
      const rows = await repo.recipientPage(tx, condition, '0', 5);
      const names = await repo.villageNames(
        tx,
        rows.map((r) => r.home_village_code),
      );
      const samples = rows.map((r) => {
        const o = outcomeOf(r, fill, sampleId);
        const text = o.status === 'queued' ? o.text : withSignature(signature, '');
        return {
          laborer: {
            id: r.id,
            name: r.name,
            phoneMasked: r.phone_masked,
            villageName: names.get(r.home_village_code) ?? r.home_village_code,
          },
          text,
          chars: [...text].length,
          segments: segmentsOf(text),
          skip: o.status === 'skipped' ? MESSAGE_REASON.labels[o.reason] : null,
        };
      });
      await audit.record(tx, auditCtx(actor), {
        action: 'sms.preview',
        entity: 'laborer',
        details: { filters: input.filters, matched: tally.matched, shown: samples.length },
      });
      const skipped = (['no_phone', 'opted_out', 'no_posting'] as const)
        .map((reason) => ({ reason, label: MESSAGE_REASON.labels[reason], count: tally.skipped[reason] }))
        .filter((s) => s.count > 0);
      return {
        matched: tally.matched,
        recipients: tally.queued,
        skipped,
        noPosting: tally.skipped.no_posting,
        segments: tally.segments,
        cappedToday: counts.daily_cap,
        fields: t.fields,
        samples,
        maxSegments: Math.max(1, ...samples.filter((s) => !s.skip).map((s) => s.segments)),
        signature,
      };
    },

    async create(tx: Tx, actor: Actor, input: CreateCampaignInput): Promise<Campaign> {
      checkFilters(actor, input.filters);
      template(input.template);
      const id = await repo.insertCampaign(tx, {
        name: input.name.trim(),
        regionCode: input.filters.region,
        filters: input.filters,
        signature: input.signature ?? config.signature,
        template: input.template,
        by: actor.id,
      });
      await audit.record(tx, auditCtx(actor), {
        action: 'sms_campaign.create',
        entity: 'sms_campaign',
        entityId: id,
        details: { name: input.name, filters: input.filters },
      });
      return (await present(tx, actor, [(await repo.findCampaign(tx, id, UNSCOPED))!]))[0]!;
    },

    async list(tx: Tx, actor: Actor, query: { status?: string; page?: number; pageSize?: number }) {
      const size = query.pageSize ?? 20;
      const { rows, total } = await repo.listCampaigns(tx, scope(actor), query.status, size, ((query.page ?? 1) - 1) * size);
      return { items: await present(tx, actor, rows), total };
    },

    async get(tx: Tx, actor: Actor, id: string): Promise<Campaign> {
      return (await present(tx, actor, [await load(tx, actor, id, 'sms_campaign.view')]))[0]!;
    },

    /** Submits a draft for approval: the messages are composed in the background (GET shows it). */
    async submit(tx: Tx, actor: Actor, id: string): Promise<Campaign> {
      const c = await load(tx, actor, id, 'sms_campaign.submit', true);
      requireStatus(c, 'draft', 'rejected', 'failed');
      template(c.template);
      const n = await checkReachable(tx, c.filters);
      await repo.setCampaign(tx, id, {
        status: 'composing',
        submitted_by: actor.id,
        submitted_at: repo.NOW,
        decided_by: null,
        decided_at: null,
        decision_note: null,
        message: null,
      });
      await audit.record(tx, auditCtx(actor), {
        action: 'sms_campaign.submit',
        entity: 'sms_campaign',
        entityId: id,
        details: { reachable: n.reachable },
      });
      return (await present(tx, actor, [(await repo.findCampaign(tx, id, UNSCOPED))!]))[0]!;
    },

    /** The compose of a submitted campaign, after the submit committed (and on start for any cut short). */
    compose: (id: string) => composeCampaign(db, market, config, id),

    async approve(tx: Tx, actor: Actor, id: string, note?: string): Promise<Campaign> {
      const c = await load(tx, actor, id, 'sms_campaign.approve', true);
      requireStatus(c, 'pending_approval');
      // 四眼原则: whoever wrote or submitted a campaign cannot approve it.
      if (c.submitted_by === actor.id || c.created_by === actor.id) throw new AppError('SMS_SELF_APPROVAL');
      await repo.setCampaign(tx, id, {
        status: 'sending',
        decided_by: actor.id,
        decided_at: repo.NOW,
        decision_note: note?.trim() || null,
      });
      await audit.record(tx, auditCtx(actor), {
        action: 'sms_campaign.approve',
        entity: 'sms_campaign',
        entityId: id,
        details: { recipients: c.recipients, segments: Number(c.segments) },
      });
      return (await present(tx, actor, [(await repo.findCampaign(tx, id, UNSCOPED))!]))[0]!;
    },

    async reject(tx: Tx, actor: Actor, id: string, note?: string): Promise<Campaign> {
      const c = await load(tx, actor, id, 'sms_campaign.reject', true);
      requireStatus(c, 'pending_approval');
      if (c.submitted_by === actor.id || c.created_by === actor.id) throw new AppError('SMS_SELF_APPROVAL', '不能审批自己提交的短信活动');
      if (!note?.trim()) throw new AppError('VALIDATION_FAILED', '驳回须填写理由', [{ field: 'body.note', message: '驳回须填写理由' }]);
      await repo.deleteMessages(tx, id);
      await repo.setCampaign(tx, id, {
        status: 'rejected',
        decided_by: actor.id,
        decided_at: repo.NOW,
        decision_note: note.trim(),
        recipients: 0,
        segments: 0,
      });
      await audit.record(tx, auditCtx(actor), { action: 'sms_campaign.reject', entity: 'sms_campaign', entityId: id, details: { note } });
      return (await present(tx, actor, [(await repo.findCampaign(tx, id, UNSCOPED))!]))[0]!;
    },

    /** Stops a campaign: what is queued is never sent (messages in flight are settled by their receipts). */
    async cancel(tx: Tx, actor: Actor, id: string): Promise<Campaign> {
      const c = await load(tx, actor, id, 'sms_campaign.cancel', true);
      requireStatus(c, 'draft', 'pending_approval', 'sending', 'paused', 'rejected', 'failed');
      await sql`UPDATE sms_message SET status = 'skipped', reason = 'cancelled', done_at = now() WHERE campaign_id = ${id} AND status = 'queued'`.execute(
        tx,
      );
      await repo.setCampaign(tx, id, { status: 'cancelled', finished_at: repo.NOW, message: null });
      await audit.record(tx, auditCtx(actor), { action: 'sms_campaign.cancel', entity: 'sms_campaign', entityId: id });
      return (await present(tx, actor, [(await repo.findCampaign(tx, id, UNSCOPED))!]))[0]!;
    },

    async messages(tx: Tx, actor: Actor, id: string, query: { status?: string; page?: number; pageSize?: number }) {
      await load(tx, actor, id, 'sms_campaign.messages');
      const size = query.pageSize ?? 20;
      const { rows, total } = await repo.listMessages(tx, id, query.status, size, ((query.page ?? 1) - 1) * size);
      await audit.record(tx, auditCtx(actor), {
        action: 'sms_campaign.messages',
        entity: 'sms_campaign',
        entityId: id,
        details: { status: query.status ?? null, shown: rows.length },
      });
      return {
        total,
        items: rows.map((m) => ({
          id: m.id,
          laborer: { id: m.laborer_id, name: m.name, phoneMasked: m.phone_masked },
          text: m.body,
          segments: m.segments,
          status: m.status as 'queued',
          reason: m.reason,
          reasonLabel: m.reason ? (MESSAGE_REASON.labels[m.reason as keyof typeof MESSAGE_REASON.labels] ?? m.reason) : null,
          sentAt: iso(m.sent_at),
          doneAt: iso(m.done_at),
        })),
      };
    },

    /** The inbox's total for the same filter, unaudited (the workbench audits its own view). */
    async countInbox(tx: DbOrTx, actor: Actor, query: { handled?: boolean }): Promise<number> {
      return (await repo.listInbox(tx, inboxScope(actor), query.handled, 1, 0)).total;
    },

    async inbox(tx: Tx, actor: Actor, query: { handled?: boolean; page?: number; pageSize?: number }) {
      const size = query.pageSize ?? 20;
      const { rows, total } = await repo.listInbox(tx, inboxScope(actor), query.handled, size, ((query.page ?? 1) - 1) * size);
      await audit.record(tx, auditCtx(actor), { action: 'sms.inbox', entity: 'sms_inbound', details: { shown: rows.length } });
      return {
        total,
        items: rows.map((r) => ({
          id: r.id,
          phoneMasked: r.phone_masked,
          laborer: r.laborer_id ? { id: r.laborer_id, name: r.name ?? '', villageName: r.village_name ?? '' } : null,
          body: r.body,
          kind: r.kind,
          receivedAt: new Date(r.received_at).toISOString(),
          handledBy: person(r.handled_username, r.handled_name),
          handledAt: iso(r.handled_at),
        })),
      };
    },

    async markHandled(tx: Tx, actor: Actor, id: string): Promise<void> {
      if (!(await repo.inboundExists(tx, id, inboxScope(actor)))) {
        throw new AppError('NOT_FOUND').audited(auditCtx(actor), {
          action: 'sms_inbound.handle',
          entity: 'sms_inbound',
          entityId: id,
          result: 'denied',
        });
      }
      if (!(await repo.markHandled(tx, id, inboxScope(actor), actor.id))) throw new AppError('SMS_INBOUND_HANDLED');
      await audit.record(tx, auditCtx(actor), { action: 'sms_inbound.handle', entity: 'sms_inbound', entityId: id });
    },
  };
}

export type SmsService = ReturnType<typeof createSmsService>;
