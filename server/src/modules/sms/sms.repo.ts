import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { CampaignFilters } from '../../../../contracts/sms.ts';
import type { DbOrTx } from '../../db/database.ts';
import { withinRegion } from '../../platform/access.ts';

/** Campaigns sent in a region (`c`, the campaign in every campaign query). */
export const campaignsIn = (regionCode: string): Expression<SqlBool> => withinRegion('c.region_code', regionCode);
/** Replies from laborers of a region's villages (`i`, the inbound message in every inbox query). */
export const inboundIn = (regionCode: string): Expression<SqlBool> => withinRegion('i.village_code', regionCode);

/**
 * SQL of SMS campaigns, their messages, receipts, opt-outs, the per-number daily count and the
 * inbox. Recipients are picked from the registry's cards with the registry list's own filter
 * semantics (modules/registry/laborers.repo.ts list): a campaign reads many cards at once, which
 * the registry's paged list is not made for.
 */

/** The registry's filters on the current card state, as one condition on `l`. */
export function recipientCondition(f: CampaignFilters, today: string): RawBuilder<boolean> {
  const where: RawBuilder<unknown>[] = [sql`l.deleted_at IS NULL`, sql`${withinRegion('l.home_village_code', f.region)}`];
  if (f.povertyStatus) where.push(sql`l.poverty_status = ${f.povertyStatus}`);
  if (f.employmentStatus) where.push(sql`l.employment_status = ${f.employmentStatus}`);
  if (f.willingness) where.push(sql`l.willingness = ${f.willingness}`);
  if (f.education) where.push(sql`l.education = ${f.education}`);
  if (f.jobType) where.push(sql`${f.jobType} = ANY(l.wanted_job_types)`);
  if (f.skill) where.push(sql`(${f.skill} = ANY(l.skills) OR ${f.skill} = ANY(l.certificates))`);
  if (f.flag) where.push(sql`${f.flag} = ANY(l.flags)`);
  if (f.ageMin !== undefined) where.push(sql`l.birth_date <= (${today}::date - make_interval(years => ${f.ageMin}))`);
  if (f.ageMax !== undefined) where.push(sql`l.birth_date > (${today}::date - make_interval(years => ${f.ageMax + 1}))`);
  return sql<boolean>`${sql.join(where, sql` AND `)}`;
}

export interface RecipientCounts {
  matched: number;
  no_phone: number;
  opted_out: number;
  daily_cap: number;
}

/** How many cards the filters pick, and how many of them cannot get a message today, and why. */
export async function countRecipients(db: DbOrTx, condition: RawBuilder<boolean>, today: string, cap: number): Promise<RecipientCounts> {
  const { rows } = await sql<{ matched: string; no_phone: string; opted_out: string; daily_cap: string }>`
    SELECT count(*) AS matched,
           count(*) FILTER (WHERE l.phone_index IS NULL) AS no_phone,
           count(*) FILTER (WHERE o.phone_index IS NOT NULL) AS opted_out,
           count(*) FILTER (WHERE o.phone_index IS NULL AND d.sent >= ${cap}) AS daily_cap
      FROM laborer l
      LEFT JOIN sms_opt_out o ON o.phone_index = l.phone_index
      LEFT JOIN sms_number_day d ON d.phone_index = l.phone_index AND d.day = ${today}::date
     WHERE ${condition}`.execute(db);
  const r = rows[0]!;
  return { matched: Number(r.matched), no_phone: Number(r.no_phone), opted_out: Number(r.opted_out), daily_cap: Number(r.daily_cap) };
}

export interface RecipientRow {
  id: string;
  name: string;
  home_village_code: string;
  phone_index: Buffer | null;
  phone_cipher: string | null;
  phone_masked: string | null;
  opted_out: boolean;
}

/**
 * Recipients in id order after `afterId` (keyset pages: the compose reads a city in a few dozen
 * of them), each with a reserved message id (the short link of its message) when asked.
 */
export async function recipientPage(
  db: DbOrTx,
  condition: RawBuilder<boolean>,
  afterId: string,
  limit: number,
  reserveIds = false,
): Promise<(RecipientRow & { message_id: string })[]> {
  const { rows } = await sql<RecipientRow & { message_id: string }>`
    SELECT r.*, ${reserveIds ? sql`nextval(pg_get_serial_sequence('sms_message', 'id'))::text` : sql`NULL::text`} AS message_id FROM (
      SELECT l.id::text AS id, l.name, l.home_village_code, l.phone_index, l.phone_cipher, l.phone_masked,
             (o.phone_index IS NOT NULL) AS opted_out
        FROM laborer l LEFT JOIN sms_opt_out o ON o.phone_index = l.phone_index
       WHERE ${condition} AND l.id > ${afterId}::bigint
       ORDER BY l.id LIMIT ${limit}) r`.execute(db);
  return rows;
}

export async function villageNames(db: DbOrTx, codes: string[]): Promise<Map<string, string>> {
  if (!codes.length) return new Map();
  const { rows } = await sql<{
    code: string;
    name: string;
  }>`SELECT code, full_name AS name FROM region WHERE code = ANY(${codes}::text[])`.execute(db);
  return new Map(rows.map((r) => [r.code, r.name]));
}

export interface CampaignRow {
  id: string;
  name: string;
  region_code: string;
  region_name: string;
  filters: CampaignFilters;
  signature: string;
  template: string;
  status: string;
  recipients: number;
  segments: string;
  message: string | null;
  created_by: string | null;
  created_by_username: string | null;
  created_by_name: string | null;
  submitted_by: string | null;
  submitted_by_username: string | null;
  submitted_by_name: string | null;
  decided_by: string | null;
  decided_by_username: string | null;
  decided_by_name: string | null;
  decision_note: string | null;
  created_at: Date;
  submitted_at: Date | null;
  decided_at: Date | null;
  finished_at: Date | null;
  total?: string;
}

const CAMPAIGN_SELECT = sql`
  SELECT c.id::text AS id, c.name, c.region_code, r.name AS region_name, c.filters, c.signature, c.template, c.status, c.recipients,
         c.segments::text AS segments, c.message,
         c.created_by::text AS created_by, a1.username AS created_by_username, a1.display_name AS created_by_name,
         c.submitted_by::text AS submitted_by, a2.username AS submitted_by_username, a2.display_name AS submitted_by_name,
         c.decided_by::text AS decided_by, a3.username AS decided_by_username, a3.display_name AS decided_by_name,
         c.decision_note, c.created_at, c.submitted_at, c.decided_at, c.finished_at
    FROM sms_campaign c JOIN region r ON r.code = c.region_code
    LEFT JOIN account a1 ON a1.id = c.created_by LEFT JOIN account a2 ON a2.id = c.submitted_by LEFT JOIN account a3 ON a3.id = c.decided_by`;

export async function insertCampaign(
  db: DbOrTx,
  c: { name: string; regionCode: string; filters: CampaignFilters; signature: string; template: string; by: string },
): Promise<string> {
  const { rows } = await sql<{ id: string }>`
    INSERT INTO sms_campaign (name, region_code, filters, signature, template, created_by)
    VALUES (${c.name}, ${c.regionCode}, ${JSON.stringify(c.filters)}::jsonb, ${c.signature}, ${c.template}, ${c.by}) RETURNING id::text AS id`.execute(
    db,
  );
  return rows[0]!.id;
}

export async function findCampaign(
  db: DbOrTx,
  id: string,
  scope: Expression<SqlBool>,
  forUpdate = false,
): Promise<CampaignRow | undefined> {
  const { rows } =
    await sql<CampaignRow>`${CAMPAIGN_SELECT} WHERE c.id = ${id} AND ${scope} ${forUpdate ? sql`FOR UPDATE OF c` : sql``}`.execute(db);
  return rows[0];
}

export async function listCampaigns(db: DbOrTx, scope: Expression<SqlBool>, status: string | undefined, limit: number, offset: number) {
  const { rows } = await sql<CampaignRow>`${CAMPAIGN_SELECT}
     WHERE ${scope} AND (${status ?? null}::text IS NULL OR c.status = ${status ?? null})
     ORDER BY c.id DESC LIMIT ${limit} OFFSET ${offset}`.execute(db);
  const { rows: n } = await sql<{ n: string }>`SELECT count(*) AS n FROM sms_campaign c WHERE ${scope}
     AND (${status ?? null}::text IS NULL OR c.status = ${status ?? null})`.execute(db);
  return { rows, total: Number(n[0]!.n) };
}

export async function setCampaign(db: DbOrTx, id: string, patch: Record<string, unknown>): Promise<void> {
  const sets = Object.entries(patch).map(([k, v]) =>
    v !== null && typeof v === 'object' && 'now' in (v as object) ? sql`${sql.ref(k)} = now()` : sql`${sql.ref(k)} = ${v as string}`,
  );
  await sql`UPDATE sms_campaign SET ${sql.join([...sets, sql`updated_at = now()`])} WHERE id = ${id}`.execute(db);
}
export const NOW = { now: true } as const;

export interface StatusCounts {
  queued: number;
  sending: number;
  sent: number;
  delivered: number;
  failed: number;
  skipped: number;
  reasons: { reason: string; count: number }[];
}

export async function messageCounts(db: DbOrTx, campaignIds: string[]): Promise<Map<string, StatusCounts>> {
  const out = new Map<string, StatusCounts>();
  if (!campaignIds.length) return out;
  const { rows } = await sql<{ campaign_id: string; status: string; reason: string | null; n: string }>`
    SELECT campaign_id::text AS campaign_id, status, reason, count(*) AS n FROM sms_message
     WHERE campaign_id = ANY(${campaignIds}::bigint[]) GROUP BY 1, 2, 3`.execute(db);
  for (const id of campaignIds) out.set(id, { queued: 0, sending: 0, sent: 0, delivered: 0, failed: 0, skipped: 0, reasons: [] });
  for (const r of rows) {
    const c = out.get(r.campaign_id)!;
    c[r.status as 'queued'] += Number(r.n);
    if (r.reason) {
      const known = c.reasons.find((x) => x.reason === r.reason);
      if (known) known.count += Number(r.n);
      else c.reasons.push({ reason: r.reason, count: Number(r.n) });
    }
  }
  for (const c of out.values()) c.reasons.sort((a, b) => b.count - a.count);
  return out;
}

export interface NewMessage {
  id: string;
  laborerId: string;
  village: string;
  phoneIndex: Buffer | null;
  phoneCipher: string | null;
  phoneMasked: string | null;
  body: string;
  segments: number;
  postingIds: string[];
  status: 'queued' | 'skipped';
  reason: string | null;
}

/** A batch of composed messages in one statement (unnest of column arrays). */
export async function insertMessages(db: DbOrTx, campaignId: string, m: NewMessage[]): Promise<void> {
  if (!m.length) return;
  await sql`INSERT INTO sms_message (id, campaign_id, laborer_id, village_code, phone_index, phone_cipher, phone_masked, body, segments, posting_ids, status, reason)
    SELECT u.id, ${campaignId}::bigint, u.laborer_id, u.village, decode(u.phone_index, 'hex'), u.phone_cipher, u.phone_masked, u.body, u.segments,
           CASE WHEN u.posting_ids = '' THEN '{}'::bigint[] ELSE string_to_array(u.posting_ids, ',')::bigint[] END, u.status, u.reason
      FROM unnest(${m.map((x) => x.id)}::bigint[], ${m.map((x) => x.laborerId)}::bigint[], ${m.map((x) => x.village)}::text[],
                  ${m.map((x) => (x.phoneIndex ? x.phoneIndex.toString('hex') : null))}::text[], ${m.map((x) => x.phoneCipher)}::text[],
                  ${m.map((x) => x.phoneMasked)}::text[], ${m.map((x) => x.body)}::text[], ${m.map((x) => x.segments)}::smallint[],
                  ${m.map((x) => x.postingIds.join(','))}::text[], ${m.map((x) => x.status)}::text[], ${m.map((x) => x.reason)}::text[])
        AS u(id, laborer_id, village, phone_index, phone_cipher, phone_masked, body, segments, posting_ids, status, reason)`.execute(db);
}

export async function deleteMessages(db: DbOrTx, campaignId: string): Promise<void> {
  await sql`DELETE FROM sms_receipt WHERE message_id IN (SELECT id FROM sms_message WHERE campaign_id = ${campaignId})`.execute(db);
  await sql`DELETE FROM sms_message WHERE campaign_id = ${campaignId}`.execute(db);
}

export async function listMessages(db: DbOrTx, campaignId: string, status: string | undefined, limit: number, offset: number) {
  const { rows } = await sql<{
    id: string;
    laborer_id: string;
    name: string;
    phone_masked: string | null;
    body: string;
    segments: number;
    status: string;
    reason: string | null;
    sent_at: Date | null;
    done_at: Date | null;
    total: string;
  }>`SELECT m.id::text AS id, m.laborer_id::text AS laborer_id, l.name, m.phone_masked, m.body, m.segments, m.status, m.reason,
            m.sent_at, m.done_at, count(*) OVER () AS total
       FROM sms_message m JOIN laborer l ON l.id = m.laborer_id
      WHERE m.campaign_id = ${campaignId} AND (${status ?? null}::text IS NULL OR m.status = ${status ?? null})
      ORDER BY m.id LIMIT ${limit} OFFSET ${offset}`.execute(db);
  return { rows, total: rows.length ? Number(rows[0]!.total) : 0 };
}

// ---- the sender -------------------------------------------------------------------------------

export async function activeCampaigns(db: DbOrTx): Promise<{ id: string; status: string }[]> {
  const { rows } = await sql<{
    id: string;
    status: string;
  }>`SELECT id::text AS id, status FROM sms_campaign WHERE status IN ('sending', 'composing') ORDER BY id`.execute(db);
  return rows;
}

export interface ClaimedRow {
  id: string;
  phone_index: Buffer;
  phone_cipher: string;
  body: string;
}

/**
 * Takes up to `limit` queued messages of a campaign for sending, in the caller's transaction:
 * opted-out numbers and numbers at their daily cap are skipped (with the reason), the others
 * become 'sending' with their absolute validity, and the numbers' daily counts move.
 */
export async function claim(
  db: DbOrTx,
  campaignId: string,
  limit: number,
  today: string,
  cap: number,
  validUntil: Date,
): Promise<ClaimedRow[]> {
  const { rows } = await sql<{ id: string; phone_index: Buffer; opted: boolean }>`
    SELECT m.id::text AS id, m.phone_index, (o.phone_index IS NOT NULL) AS opted
      FROM sms_message m LEFT JOIN sms_opt_out o ON o.phone_index = m.phone_index
     WHERE m.campaign_id = ${campaignId} AND m.status = 'queued'
     ORDER BY m.id LIMIT ${limit} FOR UPDATE OF m SKIP LOCKED`.execute(db);
  if (!rows.length) return [];
  const opted = rows.filter((r) => r.opted).map((r) => r.id);
  const rest = rows.filter((r) => !r.opted);
  const hex = [...new Set(rest.map((r) => r.phone_index.toString('hex')))];
  const { rows: counts } = await sql<{ h: string; sent: number }>`
    SELECT encode(phone_index, 'hex') AS h, sent FROM sms_number_day
     WHERE day = ${today}::date AND phone_index = ANY(SELECT decode(x, 'hex') FROM unnest(${hex}::text[]) x) FOR UPDATE`.execute(db);
  const used = new Map(counts.map((c) => [c.h, c.sent]));
  const capped: string[] = [];
  const send: string[] = [];
  for (const r of rest) {
    const h = r.phone_index.toString('hex');
    const n = used.get(h) ?? 0;
    if (n >= cap) capped.push(r.id);
    else {
      used.set(h, n + 1);
      send.push(r.id);
    }
  }
  if (opted.length)
    await sql`UPDATE sms_message SET status = 'skipped', reason = 'opted_out', done_at = now() WHERE id = ANY(${opted}::bigint[])`.execute(
      db,
    );
  if (capped.length)
    await sql`UPDATE sms_message SET status = 'skipped', reason = 'daily_cap', done_at = now() WHERE id = ANY(${capped}::bigint[])`.execute(
      db,
    );
  if (!send.length) return [];
  const entries = [...used.entries()];
  await sql`INSERT INTO sms_number_day (phone_index, day, sent)
    SELECT decode(h, 'hex'), ${today}::date, n FROM unnest(${entries.map((e) => e[0])}::text[], ${entries.map((e) => e[1])}::int[]) AS u(h, n)
    ON CONFLICT (phone_index, day) DO UPDATE SET sent = excluded.sent`.execute(db);
  const { rows: claimed } = await sql<ClaimedRow>`
    UPDATE sms_message SET status = 'sending', claimed_at = now(), valid_until = ${validUntil}
     WHERE id = ANY(${send}::bigint[]) RETURNING id::text AS id, phone_index, phone_cipher, body`.execute(db);
  return claimed.sort((a, b) => Number(a.id) - Number(b.id));
}

export interface SendOutcome {
  id: string;
  kind: 'sent' | 'rejected' | 'retry';
  gatewayId?: string;
  detail?: string;
}

/** The gateway's answers, in one statement per kind. A receipt that came first is never overwritten. */
export async function recordOutcomes(db: DbOrTx, outcomes: SendOutcome[], today: string): Promise<void> {
  const sent = outcomes.filter((o) => o.kind === 'sent');
  const rejected = outcomes.filter((o) => o.kind === 'rejected');
  const retry = outcomes.filter((o) => o.kind === 'retry');
  if (sent.length) {
    await sql`UPDATE sms_message m SET status = CASE WHEN m.status = 'sending' THEN 'sent' ELSE m.status END,
        gateway_id = u.gid, sent_at = coalesce(m.sent_at, now())
      FROM unnest(${sent.map((o) => o.id)}::bigint[], ${sent.map((o) => o.gatewayId!)}::text[]) AS u(id, gid)
     WHERE m.id = u.id AND m.status IN ('sending', 'sent', 'delivered', 'failed')`.execute(db);
  }
  if (rejected.length) {
    await sql`UPDATE sms_message m SET status = 'failed', reason = 'rejected', detail = u.detail, done_at = now()
      FROM unnest(${rejected.map((o) => o.id)}::bigint[], ${rejected.map((o) => o.detail ?? null)}::text[]) AS u(id, detail)
     WHERE m.id = u.id AND m.status = 'sending'`.execute(db);
  }
  const back = [...rejected, ...retry].map((o) => o.id);
  if (retry.length) {
    await sql`UPDATE sms_message SET status = 'queued', claimed_at = NULL, valid_until = NULL WHERE id = ANY(${retry.map((o) => o.id)}::bigint[]) AND status = 'sending'`.execute(
      db,
    );
  }
  // Messages the gateway did not take do not count against the number's day.
  if (back.length) {
    await sql`UPDATE sms_number_day d SET sent = greatest(d.sent - u.n, 0)
      FROM (SELECT phone_index, count(*)::int AS n FROM sms_message WHERE id = ANY(${back}::bigint[]) GROUP BY 1) u
     WHERE d.phone_index = u.phone_index AND d.day = ${today}::date`.execute(db);
  }
}

export interface ReceiptRow {
  ref: string | null;
  gatewayId: string | null;
  /** The number's index (phoneIndexOf) when the receipt names the number and neither our reference nor the gateway's id is known. */
  phoneIndex?: Buffer | null;
  state: string;
  errorCode: string | null;
}

/**
 * Receipts: each settles its message by our reference (or the gateway's id), whether the
 * message is 'sending' (its submit response was lost) or 'sent'. Returns the receipts matched.
 */
export async function recordReceipts(db: DbOrTx, receipts: ReceiptRow[]): Promise<number> {
  if (!receipts.length) return 0;
  const refs = receipts.map((r) => (r.ref && /^\d{1,18}$/.test(r.ref) ? r.ref : null));
  const { rows } = await sql<{ id: string }>`
    WITH u AS (
      SELECT u.ref, u.gid, u.state, u.err, decode(u.pix, 'hex') AS pix FROM unnest(${refs}::bigint[], ${receipts.map((r) => r.gatewayId)}::text[],
        ${receipts.map((r) => r.state)}::text[], ${receipts.map((r) => r.errorCode)}::text[],
        ${receipts.map((r) => r.phoneIndex?.toString('hex') ?? null)}::text[]) AS u(ref, gid, state, err, pix)
    ), matched AS (
      SELECT coalesce(u.ref, (SELECT m.id FROM sms_message m WHERE m.gateway_id = u.gid AND u.ref IS NULL LIMIT 1),
               -- Neither ours nor the gateway's id known (an answer lost with a crash): the oldest unanswered message to the number.
               (SELECT m.id FROM sms_message m WHERE u.ref IS NULL AND u.pix IS NOT NULL AND m.status = 'sending' AND m.gateway_id IS NULL
                   AND m.phone_index = u.pix ORDER BY m.claimed_at, m.id LIMIT 1)) AS message_id, u.*
        FROM u
    ), receipt AS (
      INSERT INTO sms_receipt (message_id, gateway_id, state, error_code)
      SELECT (SELECT id FROM sms_message WHERE id = matched.message_id), gid, state, err FROM matched RETURNING message_id
    )
    UPDATE sms_message m SET
        status = CASE WHEN x.state = 'delivered' THEN 'delivered' ELSE 'failed' END,
        reason = CASE WHEN x.state = 'delivered' THEN NULL WHEN x.state = 'expired' THEN 'expired' WHEN x.state = 'rejected' THEN 'rejected' ELSE 'undeliverable' END,
        detail = CASE WHEN x.state = 'delivered' THEN NULL ELSE 'err:' || coalesce(x.err, '') END,
        gateway_id = coalesce(m.gateway_id, x.gid), sent_at = coalesce(m.sent_at, now()), done_at = now()
      FROM matched x
     WHERE m.id = x.message_id AND m.status IN ('sending', 'sent')
     RETURNING m.id::text AS id`.execute(db);
  return rows.length;
}

/**
 * Messages whose submit may have reached the gateway but whose answer was lost (a crash, a
 * dropped line), past their validity: a gateway that took them would have sent a final receipt
 * by now. Returned for settling (requeue when the gateway echoes our reference, else 'unknown').
 */
export async function unsettled(db: DbOrTx, before: Date, exclude: string[], limit: number): Promise<{ id: string }[]> {
  const { rows } = await sql<{ id: string }>`SELECT id::text AS id FROM sms_message
    WHERE status = 'sending' AND valid_until < ${before} AND NOT (id = ANY(${exclude}::bigint[])) ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED`.execute(
    db,
  );
  return rows;
}

export async function settleUnsettled(db: DbOrTx, ids: string[], requeue: boolean): Promise<void> {
  if (!ids.length) return;
  if (requeue) {
    await sql`UPDATE sms_number_day d SET sent = greatest(d.sent - u.n, 0)
      FROM (SELECT phone_index, (claimed_at AT TIME ZONE 'Asia/Shanghai')::date AS day, count(*)::int AS n FROM sms_message
             WHERE id = ANY(${ids}::bigint[]) GROUP BY 1, 2) u
     WHERE d.phone_index = u.phone_index AND d.day = u.day`.execute(db);
    await sql`UPDATE sms_message SET status = 'queued', claimed_at = NULL, valid_until = NULL WHERE id = ANY(${ids}::bigint[]) AND status = 'sending'`.execute(
      db,
    );
  } else {
    await sql`UPDATE sms_message SET status = 'failed', reason = 'unknown', done_at = now() WHERE id = ANY(${ids}::bigint[]) AND status = 'sending'`.execute(
      db,
    );
  }
}

/** A sending campaign with nothing queued or in flight is done. */
export async function finishIfDone(db: DbOrTx, campaignId: string): Promise<boolean> {
  const { rows } = await sql<{
    id: string;
  }>`UPDATE sms_campaign SET status = 'done', finished_at = now(), message = NULL, updated_at = now()
    WHERE id = ${campaignId} AND status = 'sending'
      AND NOT EXISTS (SELECT 1 FROM sms_message WHERE campaign_id = ${campaignId} AND status IN ('queued', 'sending'))
    RETURNING id::text AS id`.execute(db);
  return rows.length > 0;
}

// ---- replies, opt-outs, inbox -----------------------------------------------------------------

export async function laborerByPhone(
  db: DbOrTx,
  phoneIndex: Buffer,
): Promise<{ id: string; home_village_code: string; name: string } | undefined> {
  const { rows } = await sql<{ id: string; home_village_code: string; name: string }>`
    SELECT id::text AS id, home_village_code, name FROM laborer WHERE phone_index = ${phoneIndex} AND deleted_at IS NULL
     ORDER BY updated_at DESC, id DESC LIMIT 1`.execute(db);
  return rows[0];
}

export async function optOut(db: DbOrTx, phoneIndex: Buffer, masked: string, source: 'reply' | 'mobile'): Promise<void> {
  await sql`INSERT INTO sms_opt_out (phone_index, phone_masked, source) VALUES (${phoneIndex}, ${masked}, ${source}) ON CONFLICT (phone_index) DO NOTHING`.execute(
    db,
  );
}

export async function optIn(db: DbOrTx, phoneIndex: Buffer): Promise<void> {
  await sql`DELETE FROM sms_opt_out WHERE phone_index = ${phoneIndex}`.execute(db);
}

export async function isOptedOut(db: DbOrTx, phoneIndex: Buffer): Promise<boolean> {
  const { rows } = await sql`SELECT 1 FROM sms_opt_out WHERE phone_index = ${phoneIndex}`.execute(db);
  return rows.length > 0;
}

export async function insertInbound(
  db: DbOrTx,
  m: { phoneIndex: Buffer; masked: string; laborerId: string | null; village: string | null; body: string; kind: 'opt_out' | 'reply' },
): Promise<string> {
  const { rows } = await sql<{ id: string }>`INSERT INTO sms_inbound (phone_index, phone_masked, laborer_id, village_code, body, kind)
    VALUES (${m.phoneIndex}, ${m.masked}, ${m.laborerId}, ${m.village}, ${m.body}, ${m.kind}) RETURNING id::text AS id`.execute(db);
  return rows[0]!.id;
}

export async function listInbox(db: DbOrTx, scope: Expression<SqlBool>, handled: boolean | undefined, limit: number, offset: number) {
  const { rows } = await sql<{
    id: string;
    phone_masked: string;
    laborer_id: string | null;
    name: string | null;
    village_name: string | null;
    body: string;
    kind: 'opt_out' | 'reply';
    received_at: Date;
    handled_username: string | null;
    handled_name: string | null;
    handled_at: Date | null;
    total: string;
  }>`SELECT i.id::text AS id, i.phone_masked, i.laborer_id::text AS laborer_id, l.name, r.full_name AS village_name, i.body, i.kind, i.received_at,
            a.username AS handled_username, a.display_name AS handled_name, i.handled_at, count(*) OVER () AS total
       FROM sms_inbound i LEFT JOIN laborer l ON l.id = i.laborer_id LEFT JOIN region r ON r.code = i.village_code
       LEFT JOIN account a ON a.id = i.handled_by
      WHERE ${scope} AND (${handled ?? null}::boolean IS NULL OR (i.handled_at IS NOT NULL) = ${handled ?? null}::boolean)
      ORDER BY i.id DESC LIMIT ${limit} OFFSET ${offset}`.execute(db);
  return { rows, total: rows.length ? Number(rows[0]!.total) : 0 };
}

export async function markHandled(db: DbOrTx, id: string, scope: Expression<SqlBool>, by: string): Promise<boolean> {
  const { rows } =
    await sql`UPDATE sms_inbound i SET handled_by = ${by}, handled_at = now() WHERE i.id = ${id} AND ${scope} AND i.handled_at IS NULL RETURNING i.id`.execute(
      db,
    );
  return rows.length > 0;
}

export async function inboundExists(db: DbOrTx, id: string, scope: Expression<SqlBool>): Promise<boolean> {
  const { rows } = await sql`SELECT 1 FROM sms_inbound i WHERE i.id = ${id} AND ${scope}`.execute(db);
  return rows.length > 0;
}
