import type { CampaignFilters } from '../../../../contracts/sms.ts';
import type { SmsConfig } from '../../config.ts';
import type { Db, DbOrTx } from '../../db/database.ts';
import { chinaToday } from '../../platform/time.ts';
import type { Market } from '../matching/index.ts';
import type { Seeker } from '../matching/index.ts';
import * as repo from './sms.repo.ts';
import {
  compileTemplate,
  linkCode,
  renderTemplate,
  segmentsOf,
  withSignature,
  type CompiledTemplate,
  type PostingForTemplate,
} from './template.ts';
import { UNSCOPED } from '../../platform/access.ts';

const PAGE = 20_000;

/**
 * Fills a template for recipients: their name, their top postings from the matching engine's
 * market (the engine's own search, so exactly the ranking — ties included — the staff and the
 * laborer's page see), the short link of their message.
 */
export function createFiller(market: Market, template: CompiledTemplate, signature: string, publicUrl: string) {
  const k = template.postingsNeeded;
  const ctx = k ? market.context() : null;
  const topFor = (s: Seeker) => market.postings.top(s, ctx!, k);

  const fill = (r: { id: string; name: string }, messageId: string): { text: string; postings: PostingForTemplate[] } | null => {
    let postings: PostingForTemplate[] = [];
    if (k) {
      const seeker = market.seeker(Number(r.id));
      if (!seeker) return null;
      postings = topFor(seeker).flatMap(({ posting }) => {
        const row = market.postingRow(posting.id);
        return row
          ? [
              {
                id: String(row.id),
                title: row.title,
                employerName: row.employer_name,
                wageMin: row.wage_min,
                wageMax: row.wage_max,
                place: row.place,
              },
            ]
          : [];
      });
      if (!postings.length) return null;
    }
    const body = renderTemplate(template, { name: r.name, postings, link: `${publicUrl}/m/${linkCode(messageId)}` });
    return { text: withSignature(signature, body), postings };
  };
  return fill;
}

export type Filler = ReturnType<typeof createFiller>;

/** Why a picked laborer gets no message of the campaign (the compose writes a 'skipped' row with it). */
export type SkipReason = 'no_phone' | 'opted_out' | 'no_posting';
export type Outcome =
  | { status: 'queued'; text: string; segments: number; postingIds: string[] }
  | { status: 'skipped'; reason: SkipReason };

/**
 * Who gets a message and what it says: the one rule the preview counts and the compose writes
 * (issue 16: the preview said 6,607 recipients, the campaign saved from it had 5,155, because
 * the preview did not know who has no eligible posting). No phone, opted out, or (when the
 * template names postings) no eligible posting: no message.
 */
export function outcomeOf(r: repo.RecipientRow, fill: Filler, messageId: string): Outcome {
  if (!r.phone_index || !r.phone_cipher) return { status: 'skipped', reason: 'no_phone' };
  if (r.opted_out) return { status: 'skipped', reason: 'opted_out' };
  const filled = fill(r, messageId);
  if (!filled) return { status: 'skipped', reason: 'no_posting' };
  return { status: 'queued', text: filled.text, segments: segmentsOf(filled.text), postingIds: filled.postings.map((p) => p.id) };
}

export interface Tally {
  matched: number;
  queued: number;
  /** Billed segments of the queued messages. */
  segments: number;
  skipped: Record<SkipReason, number>;
}

/**
 * The compose without its writes: every recipient the filters pick, through outcomeOf, counted.
 * The preview's figures are therefore the campaign's (as of now; the market and the cards may
 * change before the submit). A message id of `sampleId`'s length stands for the real one in
 * the link, so the segments count as the real texts will.
 */
export async function tallyRecipients(
  tx: DbOrTx,
  market: Market,
  config: SmsConfig,
  campaign: { filters: CampaignFilters; template: string; signature: string },
  sampleId: string,
): Promise<Tally> {
  const fill = createFiller(market, compileTemplate(campaign.template), campaign.signature, config.publicUrl);
  const condition = repo.recipientCondition(campaign.filters, chinaToday());
  const tally: Tally = { matched: 0, queued: 0, segments: 0, skipped: { no_phone: 0, opted_out: 0, no_posting: 0 } };
  for (let after = '0'; ; ) {
    const rows = await repo.recipientPage(tx, condition, after, PAGE);
    for (const r of rows) {
      const o = outcomeOf(r, fill, sampleId);
      tally.matched++;
      if (o.status === 'queued') {
        tally.queued++;
        tally.segments += o.segments;
      } else tally.skipped[o.reason]++;
    }
    if (rows.length < PAGE) return tally;
    after = rows[rows.length - 1]!.id;
  }
}

export interface ComposeResult {
  queued: number;
  skipped: number;
  segments: number;
  /** Where the time went: filling (scoring, texts) and waiting for the database. */
  fillMs: number;
  waitMs: number;
}

/**
 * Composes every message of a campaign in the caller's transaction: recipients in id pages, one
 * INSERT per page of column arrays. A recipient without a phone, opted out, or (when the
 * template names postings) without an eligible posting gets a 'skipped' row with the reason,
 * so the campaign's report accounts for everyone the filters picked.
 */
export async function composeMessages(
  tx: DbOrTx,
  market: Market,
  config: SmsConfig,
  campaign: { id: string; filters: CampaignFilters; template: string; signature: string },
  onProgress?: (done: number) => void,
): Promise<ComposeResult> {
  const template = compileTemplate(campaign.template);
  const fill = createFiller(market, template, campaign.signature, config.publicUrl);
  const condition = repo.recipientCondition(campaign.filters, chinaToday());
  const result: ComposeResult = { queued: 0, skipped: 0, segments: 0, fillMs: 0, waitMs: 0 };
  // The database reads the next page and writes the last one while this process fills the current
  // one: the connection queues the statements in order, the scoring runs meanwhile. One page of
  // writes at a time is in flight, so memory stays bounded whichever side is slower.
  let writes: Promise<void>[] = [];
  let next: ReturnType<typeof repo.recipientPage> | null = repo.recipientPage(tx, condition, '0', PAGE, true);
  while (next) {
    let t0 = performance.now();
    const rows: Awaited<ReturnType<typeof repo.recipientPage>> = await next;
    result.waitMs += performance.now() - t0;
    t0 = performance.now();
    next = null;
    if (!rows.length) break;
    const ids = rows.map((r) => r.message_id);
    if (rows.length === PAGE) next = repo.recipientPage(tx, condition, rows[rows.length - 1]!.id, PAGE, true);
    const batch: repo.NewMessage[] = rows.map((r, i) => {
      const base = {
        id: ids[i]!,
        laborerId: r.id,
        village: r.home_village_code,
        phoneIndex: r.phone_index,
        phoneCipher: r.phone_cipher,
        phoneMasked: r.phone_masked,
      };
      const o = outcomeOf(r, fill, ids[i]!);
      return o.status === 'skipped'
        ? { ...base, body: '', segments: 0, postingIds: [], status: 'skipped', reason: o.reason }
        : { ...base, body: o.text, segments: o.segments, postingIds: o.postingIds, status: 'queued', reason: null };
    });
    result.fillMs += performance.now() - t0;
    for (const m of batch) {
      if (m.status === 'queued') {
        result.queued++;
        result.segments += m.segments;
      } else result.skipped++;
    }
    t0 = performance.now();
    await Promise.all(writes);
    result.waitMs += performance.now() - t0;
    writes = [];
    for (let i = 0; i < batch.length; i += 5000) {
      const write = repo.insertMessages(tx, campaign.id, batch.slice(i, i + 5000));
      write.catch(() => undefined); // awaited below; a failure there fails the compose
      writes.push(write);
    }
    onProgress?.(result.queued + result.skipped);
  }
  const t1 = performance.now();
  await Promise.all(writes);
  result.waitMs += performance.now() - t1;
  return result;
}

/** The whole compose of a submitted campaign: messages and the campaign's new status in one transaction. */
export async function composeCampaign(db: Db, market: Market, config: SmsConfig, campaignId: string): Promise<void> {
  await market.refresh(db);
  try {
    await db.transaction().execute(async (tx) => {
      const c = await repo.findCampaign(tx, campaignId, UNSCOPED, true);
      if (c?.status !== 'composing') return;
      // A compose cut short by a restart left nothing behind (its transaction rolled back); this is belt and braces.
      await repo.deleteMessages(tx, campaignId);
      const r = await composeMessages(tx, market, config, { id: c.id, filters: c.filters, template: c.template, signature: c.signature });
      if (r.queued === 0) {
        await repo.setCampaign(tx, campaignId, {
          status: 'failed',
          recipients: 0,
          segments: 0,
          message: '没有可发送的短信：所选劳动力均无手机号、已退订或没有匹配的岗位',
        });
        return;
      }
      await repo.setCampaign(tx, campaignId, { status: 'pending_approval', recipients: r.queued, segments: r.segments, message: null });
    });
  } catch (error) {
    await repo.setCampaign(db, campaignId, { status: 'failed', message: '短信生成失败，请稍后重新提交' }).catch(() => undefined);
    throw error;
  }
}
