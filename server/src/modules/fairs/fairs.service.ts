import { sql, type Expression, type SqlBool } from 'kysely';
import type {
  AttendeeBatchResult,
  AttendeeList,
  AttendeeRowResult,
  CreateFairInput,
  CreateIntentionInput,
  Fair,
  FairDetail,
  FairFigures,
  FairList,
  FairListQueryInput,
  FairResults,
  FairResultsQueryInput,
  PreRecruitment,
} from '../../../../contracts/fairs.ts';
import type { OnlineFair } from '../../../../contracts/mobile.ts';
import { MAX_ATTENDEE_BATCH, OUTSIDE_SCOPE_LABEL } from '../../../../contracts/fairs.ts';
import type { Config } from '../../config.ts';
import type { DbOrTx, Tx } from '../../db/database.ts';
import { assertRegionInScope, canSeeRegion, REGION_STAFF_ROLES, UNSCOPED } from '../../platform/access.ts';
import type { Actor, AuditContext } from '../../platform/actor.ts';
import type { AuditLog } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { chinaToday } from '../../platform/time.ts';
import { maskIdNumber, parseIdNumber } from '../registry/index.ts';
import { maskPhone, normalizePhone, parseMobile } from '../registry/index.ts';
import type { LaborersService } from '../registry/index.ts';
import type { ReferralsService } from '../referrals/index.ts';
import * as repo from './fairs.repo.ts';
import { FAIR_STAFF } from '../../../../contracts/roles.ts';
export { FAIR_STAFF };

const auditCtx = (actor: Actor): AuditContext => ({ actor, ip: actor.ip });

/** What one typed identifier is: a mobile number (11 digits from 1), else an ID number (GB 11643). */
export type Classified =
  | { ok: true; kind: 'id' | 'phone'; value: string; masked: string }
  | { ok: false; kind: 'id' | 'phone' | null; code: string; message: string };

export function classifyIdentifier(raw: string): Classified {
  const text = raw.trim();
  if (text === '') return { ok: false, kind: null, code: 'ID_EMPTY', message: '请填写身份证号或手机号' };
  if (/^1\d{10}$/.test(normalizePhone(text))) {
    const phone = parseMobile(text);
    return phone.ok
      ? { ok: true, kind: 'phone', value: phone.value, masked: maskPhone(phone.value) }
      : { ok: false, kind: 'phone', code: phone.code, message: phone.message };
  }
  const id = parseIdNumber(text);
  // The check digit's failure names no expected character (identity.ts): it would help forge numbers.
  return id.ok
    ? { ok: true, kind: 'id', value: id.value.idNumber, masked: maskIdNumber(id.value.idNumber) }
    : { ok: false, kind: 'id', code: id.code, message: id.message };
}

const zero = (): FairFigures => ({ sessions: 0, attendees: 0, poorAttendees: 0, intentions: 0, poorIntentions: 0, hires: 0 });
const figuresOf = (r: repo.FairRow): FairFigures => ({
  sessions: 1,
  attendees: r.attendees,
  poorAttendees: r.poor_attendees,
  intentions: r.intentions,
  poorIntentions: r.poor_intentions,
  hires: r.hires,
});
const add = (a: FairFigures, b: FairFigures) => {
  for (const k of Object.keys(a) as (keyof FairFigures)[]) a[k] += b[k];
};

/** The signed-in laborer as an online fair sees them: the card and its home village. */
export interface FairLaborer {
  laborerId: string;
  villageCode: string;
}

/** An online fair takes applications from the day it is held through its last day (China time). */
export function onlineState(f: { held_on: string; last_day: string }, today: string): OnlineFair['state'] {
  return today < f.held_on ? 'upcoming' : today > f.last_day ? 'ended' : 'open';
}

const presentOnline = (r: repo.OnlineFairRow, today: string): OnlineFair => ({
  id: r.id,
  title: r.title,
  heldOn: r.held_on,
  endsOn: r.last_day,
  regionName: r.region_name,
  organiserName: r.organiser_name,
  postings: r.postings,
  joined: r.joined,
  state: onlineState(r, today),
});

const presentCard = (c: {
  id: string;
  name: string;
  id_masked: string;
  home_village_code: string;
  village_name: string;
  poverty_status: string;
}) => ({
  id: String(c.id),
  name: c.name,
  idNumberMasked: c.id_masked,
  villageCode: c.home_village_code,
  villageName: c.village_name,
  povertyStatus: c.poverty_status,
});

/**
 * A fair's door recognises poor laborers platform-wide (the fair's figures count them as poor),
 * but names only cards inside the caller's region scope. Outside it, this label is all that is
 * said: 外县 for another county, 辖区外 for another village or township of the caller's own county.
 */
export function outsideScopeLabel(actor: Actor, homeVillageCode: string): string | null {
  if (REGION_STAFF_ROLES.includes(actor.role) && canSeeRegion(actor, homeVillageCode)) return null;
  return homeVillageCode.slice(0, 6) === actor.regionCode.slice(0, 6) ? OUTSIDE_SCOPE_LABEL.region : OUTSIDE_SCOPE_LABEL.county;
}

export function createFairsService({
  audit,
  laborers,
  referrals,
  lookupLimits,
}: {
  audit: AuditLog;
  laborers: Pick<LaborersService, 'idIndex' | 'phoneIndex'>;
  referrals: Pick<ReferralsService, 'applySelf' | 'create'>;
  lookupLimits: Config['fairLookups'];
}) {
  /**
   * The fairs a staff member sees and manages: those organised in their region, and those held at
   * a village of their region (a village officer sees the township's fair at their village's door).
   */
  function scopeOf(actor: Actor): Expression<SqlBool> {
    if (!REGION_STAFF_ROLES.includes(actor.role)) return sql<SqlBool>`false`;
    return repo.fairsTouching(actor.regionCode);
  }

  const present = (r: repo.FairRow): Fair => ({
    id: String(r.id),
    title: r.title,
    mode: r.mode as Fair['mode'],
    heldOn: r.held_on,
    endsOn: r.ends_on,
    regionCode: r.region_code,
    regionName: r.region_name,
    placeRegionCode: r.place_region_code,
    placeRegionName: r.place_region_name,
    address: r.address,
    villageCode: r.village_code,
    villageName: r.village_name,
    organiserName: r.organiser_name,
    createdBy: r.created_by_username,
    figures: figuresOf(r),
  });

  async function loadVisible(tx: DbOrTx, actor: Actor, id: string, action: string): Promise<repo.FairRow> {
    const row = await repo.findFair(tx, id, scopeOf(actor));
    if (!row) throw new AppError('NOT_FOUND').audited(auditCtx(actor), { action, entity: 'fair', entityId: id, result: 'denied' });
    return row;
  }

  /** Attendees as the list shows them: a card outside the caller's scope shows only what the desk typed (masked) and the label. */
  async function presentAttendees(tx: DbOrTx, actor: Actor, rows: repo.AttendeeRow[]): Promise<AttendeeList['items']> {
    const intentions = await repo.intentionsOf(
      tx,
      rows.map((r) => String(r.id)),
    );
    return rows.map((r) => {
      const outside = r.laborer_id ? outsideScopeLabel(actor, r.home_village_code!) : null;
      return {
        id: String(r.id),
        idNumberMasked: outside ? r.id_masked : (r.id_masked ?? r.laborer_id_masked),
        phoneMasked: r.phone_masked,
        poor: r.poor,
        online: r.online,
        laborer:
          r.laborer_id && !outside
            ? presentCard({
                id: r.laborer_id,
                name: r.laborer_name!,
                id_masked: r.laborer_id_masked!,
                home_village_code: r.home_village_code!,
                village_name: r.village_name!,
                poverty_status: r.poverty_status!,
              })
            : null,
        outsideScope: outside,
        registeredAt: new Date(r.registered_at).toISOString(),
        intentions: intentions
          .filter((i) => String(i.attendee_id) === String(r.id))
          .map((i) => ({
            id: String(i.id),
            postingId: String(i.posting_id),
            postingTitle: i.posting_title,
            employerName: i.employer_name,
            referralId: i.referral_id ? String(i.referral_id) : null,
            referralStatus: i.referral_status,
          })),
      };
    });
  }

  async function detail(tx: DbOrTx, row: repo.FairRow): Promise<FairDetail> {
    const [employers, postings] = await Promise.all([repo.fairEmployers(tx, row.id), repo.fairPostings(tx, row.id)]);
    return {
      ...present(row),
      employers: employers.map((e) => ({ id: String(e.id), name: e.name })),
      postings: postings.map((p) => ({
        id: String(p.id),
        title: p.title,
        employerId: String(p.employer_id),
        employerName: p.employer_name,
        workRegionCode: p.work_region_code,
        wageMin: p.wage_min,
        wageMax: p.wage_max,
        headcount: p.headcount,
        filled: p.filled,
      })),
    };
  }

  async function addParticipants(tx: Tx, fairId: string, employerIds: string[], postingIds: string[]) {
    const { missingEmployers, missingPostings } = await repo.addParticipants(tx, fairId, employerIds, postingIds);
    if (missingEmployers.length || missingPostings.length) {
      throw new AppError('FAIR_PARTICIPANT_UNKNOWN', undefined, { employers: missingEmployers, postings: missingPostings });
    }
  }

  /**
   * Door registration of one batch (the single path is a batch of one): each identifier validated,
   * looked up by its blind index (never decrypted), de-duplicated against the fair and the batch,
   * inserted in one statement. The fair row is locked so two desks at one door cannot both
   * register a person. The per-row results name recognised laborers of the caller's scope only,
   * each such card's appearance audited as a card view; the batch is bounded and every account's
   * lookups are counted against a per-minute and a per-day limit.
   */
  async function register(tx: Tx, actor: Actor, fairId: string, identifiers: string[]): Promise<AttendeeBatchResult> {
    if (identifiers.length > MAX_ATTENDEE_BATCH) {
      throw new AppError('FAIR_BATCH_TOO_LARGE', `一次至多登记 ${MAX_ATTENDEE_BATCH} 人（本次 ${identifiers.length} 行），请分批提交`, {
        max: MAX_ATTENDEE_BATCH,
        rows: identifiers.length,
      });
    }
    const fair = await loadVisible(tx, actor, fairId, 'fair.attendees.register');
    await repo.lockFair(tx, fair.id);
    const hex = (b: Buffer) => b.toString('hex');
    const parsed = identifiers.map((raw) => {
      const c = classifyIdentifier(raw);
      return { c, hex: c.ok ? hex(c.kind === 'id' ? laborers.idIndex(c.value) : laborers.phoneIndex(c.value)) : null };
    });
    // A wrong number is refused without a lookup (its check digit is arithmetic): only lookups count.
    const lookups = parsed.filter((p) => p.c.ok).length;
    if (lookups > 0) {
      const counted = await repo.countLookups(tx, actor.id, lookups);
      const over = counted.minute > lookupLimits.perMinute ? 'minute' : counted.day > lookupLimits.perDay ? 'day' : null;
      if (over) {
        // The refusal rolls the count back: a refused request looked nothing up.
        const message =
          over === 'minute'
            ? `每个账号每分钟至多识别 ${lookupLimits.perMinute} 个身份证号或手机号，请稍后再试`
            : `每个账号每天至多识别 ${lookupLimits.perDay} 个身份证号或手机号，请明天再试`;
        throw new AppError('FAIR_LOOKUP_RATE', message, {
          window: over,
          limit: over === 'minute' ? lookupLimits.perMinute : lookupLimits.perDay,
          retryAfterSeconds: over === 'minute' ? 60 : null,
        }).audited(auditCtx(actor), {
          action: 'fair.attendees.register',
          entity: 'fair',
          entityId: fair.id,
          result: 'denied',
          details: { reason: 'rate', window: over, rows: identifiers.length },
        });
      }
    }
    const idHexes = parsed.filter((p) => p.c.ok && p.c.kind === 'id').map((p) => p.hex!);
    const phoneHexes = parsed.filter((p) => p.c.ok && p.c.kind === 'phone').map((p) => p.hex!);
    const cards = await repo.cardsByIndex(tx, idHexes, phoneHexes);
    // A merged duplicate's number leads to the card that survived it.
    const survivors = new Map(
      (await repo.cardsById(tx, [...new Set(cards.filter((c) => c.merged_into).map((c) => String(c.merged_into)))])).map((c) => [
        String(c.id),
        c,
      ]),
    );
    const byId = new Map<string, repo.CardRow>();
    const byPhone = new Map<string, repo.CardRow[]>();
    const idSet = new Set(idHexes);
    const phoneSet = new Set(phoneHexes);
    for (const card of cards) {
      const current = card.merged_into ? survivors.get(String(card.merged_into)) : card.deleted_at ? undefined : card;
      if (idSet.has(hex(card.id_index)) && current && !current.deleted_at) byId.set(hex(card.id_index), current);
      if (card.phone_index && phoneSet.has(hex(card.phone_index)) && !card.deleted_at) {
        const list = byPhone.get(hex(card.phone_index)) ?? [];
        if (!list.some((c) => c.id === card.id)) list.push(card);
        byPhone.set(hex(card.phone_index), list);
      }
    }

    type Pending = {
      row: number;
      kind: 'id' | 'phone';
      masked: string;
      hex: string;
      card: repo.CardRow | null;
      note: string | null;
      key: string;
    };
    const results: AttendeeRowResult[] = [];
    const pending: Pending[] = [];
    parsed.forEach(({ c, hex: h }, i) => {
      const row = i + 1;
      if (!c.ok) {
        results.push({
          row,
          status: 'invalid',
          kind: c.kind,
          masked: null,
          attendeeId: null,
          poor: false,
          laborer: null,
          outsideScope: null,
          code: c.code,
          message: c.message,
        });
        return;
      }
      let card: repo.CardRow | null = null;
      let note: string | null = null;
      if (c.kind === 'id') card = byId.get(h!) ?? null;
      else {
        const matches = byPhone.get(h!) ?? [];
        if (matches.length === 1) card = matches[0]!;
        else if (matches.length > 1) note = '该手机号登记在多名劳动力名下，请改用身份证号登记以识别贫困劳动力';
      }
      const key = card ? `L${card.id}` : `${c.kind === 'id' ? 'I' : 'P'}${h}`;
      pending.push({ row, kind: c.kind, masked: c.masked, hex: h!, card, note, key });
    });

    const laborerIds = [...new Set(pending.filter((p) => p.card).map((p) => String(p.card!.id)))];
    const existing = await repo.existingAttendees(
      tx,
      fair.id,
      laborerIds,
      pending.filter((p) => p.kind === 'id').map((p) => p.hex),
      pending.filter((p) => p.kind === 'phone').map((p) => p.hex),
    );
    const existingFor = (p: Pending) =>
      existing.find(
        (e) =>
          (p.card && e.laborer_id !== null && String(e.laborer_id) === String(p.card.id)) ||
          (p.kind === 'id' ? e.id_hex === p.hex : e.phone_hex === p.hex && (!p.card || e.laborer_id !== null)),
      );

    const fresh: Pending[] = [];
    const firstOfKey = new Map<string, Pending>();
    const duplicateOf = new Map<Pending, string | Pending>();
    for (const p of pending) {
      const before = existingFor(p);
      if (before) duplicateOf.set(p, String(before.id));
      else if (firstOfKey.has(p.key)) duplicateOf.set(p, firstOfKey.get(p.key)!);
      else {
        firstOfKey.set(p.key, p);
        fresh.push(p);
      }
    }
    const inserted = await repo.insertAttendees(
      tx,
      fair.id,
      actor.id,
      fresh.map((p) => ({
        laborerId: p.card ? String(p.card.id) : null,
        idHex: p.kind === 'id' ? p.hex : null,
        idMasked: p.kind === 'id' ? p.masked : null,
        phoneHex: p.kind === 'phone' ? p.hex : null,
        phoneMasked: p.kind === 'phone' ? p.masked : null,
        poor: p.card !== null,
      })),
    );
    const newId = new Map<string, string>();
    for (const r of inserted)
      newId.set(r.laborer_id !== null ? `L${r.laborer_id}` : r.id_hex ? `I${r.id_hex}` : `P${r.phone_hex}`, String(r.id));

    const shownCards = new Set<string>();
    let outsideScope = 0;
    for (const p of pending) {
      const dup = duplicateOf.get(p);
      const attendeeId = dup === undefined ? newId.get(p.key)! : typeof dup === 'string' ? dup : newId.get(dup.key)!;
      const outside = p.card ? outsideScopeLabel(actor, p.card.home_village_code) : null;
      if (p.card && !outside) shownCards.add(String(p.card.id));
      if (outside) outsideScope++;
      results.push({
        row: p.row,
        status: dup === undefined ? 'registered' : 'duplicate',
        kind: p.kind,
        masked: p.masked,
        attendeeId,
        poor: p.card !== null,
        laborer: p.card && !outside ? presentCard(p.card) : null,
        outsideScope: outside,
        code: dup === undefined ? null : 'FAIR_ATTENDEE_DUPLICATE',
        message:
          dup === undefined
            ? (p.note ??
              (outside ? `已识别为${outside}` : p.card ? '已识别为建档立卡贫困劳动力' : '未在劳动力信息库中找到，按普通求职者登记'))
            : '本场招聘会已登记过此人',
      });
    }
    results.sort((a, b) => a.row - b.row);
    const summary = {
      registered: results.filter((r) => r.status === 'registered').length,
      duplicates: results.filter((r) => r.status === 'duplicate').length,
      invalid: results.filter((r) => r.status === 'invalid').length,
      poor: results.filter((r) => r.status === 'registered' && r.poor).length,
    };
    // The answer names the recognised laborers of the caller's scope: each is a view of that card,
    // audited as the registry audits one (laborer.view), in this transaction.
    for (const cardId of shownCards) {
      await audit.record(tx, auditCtx(actor), {
        action: 'laborer.view',
        entity: 'laborer',
        entityId: cardId,
        details: { via: 'fair.attendees.register', fair: fair.id },
      });
    }
    await audit.record(tx, auditCtx(actor), {
      action: 'fair.attendees.register',
      entity: 'fair',
      entityId: fair.id,
      details: { rows: identifiers.length, lookups, ...summary, laborers: laborerIds.length, shown: shownCards.size, outsideScope },
    });
    return { rows: results, ...summary };
  }

  return {
    scopeOf,

    async create(tx: Tx, actor: Actor, input: CreateFairInput): Promise<FairDetail> {
      const regionCode = input.regionCode ?? actor.regionCode;
      assertRegionInScope(actor, regionCode);
      if (input.villageCode) {
        if (!input.villageCode.startsWith(regionCode)) throw new AppError('FAIR_VILLAGE_OUTSIDE');
        if (!(await repo.regionExists(tx, input.villageCode))) throw new AppError('REGION_NOT_FOUND');
      }
      if (input.endsOn && (input.mode !== 'online' || input.endsOn < input.heldOn)) throw new AppError('FAIR_ENDS_ON');
      const placeRegionCode = input.placeRegionCode ?? input.villageCode ?? regionCode;
      if (!(await repo.regionExists(tx, placeRegionCode))) throw new AppError('REGION_NOT_FOUND');
      const id = await repo.insertFair(
        tx,
        {
          title: input.title.trim(),
          mode: input.mode,
          heldOn: input.heldOn,
          endsOn: input.endsOn ?? null,
          regionCode,
          placeRegionCode,
          address: input.address?.trim() || null,
          villageCode: input.villageCode ?? null,
          organiserName: input.organiserName?.trim() || null,
        },
        actor.id,
      );
      await addParticipants(tx, id, input.employerIds ?? [], input.postingIds ?? []);
      await audit.record(tx, auditCtx(actor), {
        action: 'fair.create',
        entity: 'fair',
        entityId: id,
        details: {
          title: input.title,
          mode: input.mode,
          heldOn: input.heldOn,
          endsOn: input.endsOn ?? null,
          regionCode,
          villageCode: input.villageCode ?? null,
          postings: input.postingIds?.length ?? 0,
        },
      });
      return detail(tx, (await repo.findFair(tx, id, UNSCOPED))!);
    },

    async addPostings(tx: Tx, actor: Actor, id: string, postingIds: string[]): Promise<FairDetail> {
      const fair = await loadVisible(tx, actor, id, 'fair.postings.add');
      await addParticipants(tx, fair.id, [], postingIds);
      await audit.record(tx, auditCtx(actor), {
        action: 'fair.postings.add',
        entity: 'fair',
        entityId: id,
        details: { postings: postingIds },
      });
      return detail(tx, fair);
    },

    async list(tx: Tx, actor: Actor, query: FairListQueryInput): Promise<FairList> {
      if (query.region) assertRegionInScope(actor, query.region);
      const pageSize = query.pageSize ?? 20;
      const { rows, total } = await repo.listFairs(tx, {
        scope: scopeOf(actor),
        region: query.region,
        from: query.from,
        to: query.to,
        mode: query.mode,
        limit: pageSize,
        offset: ((query.page ?? 1) - 1) * pageSize,
      });
      return { items: rows.map(present), total };
    },

    async get(tx: Tx, actor: Actor, id: string): Promise<FairDetail> {
      return detail(tx, await loadVisible(tx, actor, id, 'fair.view'));
    },

    register,

    async registerOne(tx: Tx, actor: Actor, fairId: string, identifier: string): Promise<AttendeeRowResult> {
      const result = await register(tx, actor, fairId, [identifier]);
      const row = result.rows[0]!;
      if (row.status === 'invalid')
        throw new AppError('FAIR_ATTENDEE_INVALID', row.message ?? undefined, { code: row.code, kind: row.kind });
      return row;
    },

    async attendees(
      tx: Tx,
      actor: Actor,
      fairId: string,
      query: { poor?: boolean; page?: number; pageSize?: number },
    ): Promise<AttendeeList> {
      const fair = await loadVisible(tx, actor, fairId, 'fair.attendees.view');
      const pageSize = query.pageSize ?? 20;
      const { rows, total } = await repo.listAttendees(tx, fair.id, {
        poor: query.poor,
        limit: pageSize,
        offset: ((query.page ?? 1) - 1) * pageSize,
      });
      const items = await presentAttendees(tx, actor, rows);
      // A list of named attendees is a view of personal data: audited in the same transaction.
      await audit.record(tx, auditCtx(actor), {
        action: 'fair.attendees.view',
        entity: 'fair',
        entityId: fair.id,
        details: { poor: query.poor ?? null, shown: rows.length },
      });
      return { total, items };
    },

    /**
     * The fair (or 404, audited as an export's refusal) and a reader of its attendees page by page,
     * presented exactly as the list presents them: the export (fairs.export.ts) writes them out.
     */
    async attendeePages(tx: Tx, actor: Actor, fairId: string, poor: boolean | undefined) {
      const fair = await loadVisible(tx, actor, fairId, 'fair.attendees.export');
      return {
        fair: present(fair),
        read: async (limit: number, offset: number) =>
          presentAttendees(tx, actor, (await repo.listAttendees(tx, fair.id, { poor, limit, offset })).rows),
      };
    },

    /**
     * An intention reached at the fair (达成就业意向): an attendee and one of the fair's postings.
     * For a registry laborer, `refer` also opens a referral with channel 招聘会 through the
     * referrals service (its scope and posting checks apply); its hire counts as the fair's.
     */
    async createIntention(tx: Tx, actor: Actor, fairId: string, input: CreateIntentionInput) {
      const fair = await loadVisible(tx, actor, fairId, 'fair.intention.create');
      const attendee = await repo.findAttendee(tx, fair.id, input.attendeeId);
      if (!attendee) throw new AppError('NOT_FOUND', '参会人员不存在');
      if (!(await repo.isFairPosting(tx, fair.id, input.postingId))) throw new AppError('FAIR_POSTING_NOT_IN_FAIR');
      if (input.refer && !attendee.laborer_id) throw new AppError('FAIR_REFER_UNKNOWN');
      const id = await repo.insertIntention(tx, {
        fairId: fair.id,
        attendeeId: input.attendeeId,
        postingId: input.postingId,
        referralId: null,
        by: actor.id,
      });
      if (!id) throw new AppError('FAIR_INTENTION_EXISTS');
      let referralId: string | null = null;
      if (input.refer) {
        // An intention both sides reached at the fair: recorded as agreed, without the matching's hard conditions.
        const referral = await referrals.create(
          tx,
          actor,
          { laborerId: String(attendee.laborer_id), postingId: input.postingId, channel: 'fair', note: `招聘会：${fair.title}` },
          { agreedAtFair: true },
        );
        referralId = referral.id;
        await repo.setIntentionReferral(tx, id, referralId);
      }
      await audit.record(tx, auditCtx(actor), {
        action: 'fair.intention.create',
        entity: 'fair',
        entityId: fair.id,
        details: { intention: id, attendee: input.attendeeId, posting: input.postingId, referral: referralId },
      });
      const row = (await repo.intentionsOf(tx, [input.attendeeId])).find((i) => String(i.id) === String(id))!;
      return {
        id: String(row.id),
        postingId: String(row.posting_id),
        postingTitle: row.posting_title,
        employerName: row.employer_name,
        referralId: row.referral_id ? String(row.referral_id) : null,
        referralStatus: row.referral_status,
      };
    },

    /** The pre-recruitment list of a fair held at a village's door ("预招到岗"): audited, personal data. */
    async preRecruitment(tx: Tx, actor: Actor, fairId: string): Promise<PreRecruitment> {
      const fair = await loadVisible(tx, actor, fairId, 'fair.prerecruitment.view');
      if (!fair.village_code) throw new AppError('FAIR_NOT_AT_VILLAGE');
      const { rows, total } = await repo.villageSeekers(tx, fair.id, fair.village_code, 500);
      await audit.record(tx, auditCtx(actor), {
        action: 'fair.prerecruitment.view',
        entity: 'fair',
        entityId: fair.id,
        details: { village: fair.village_code, shown: rows.length },
      });
      return {
        villageCode: fair.village_code,
        villageName: fair.village_name ?? fair.village_code,
        total,
        items: rows.map((r) => ({
          laborerId: String(r.id),
          name: r.name,
          sex: r.sex,
          idNumberMasked: r.id_masked,
          phoneMasked: r.phone_masked,
          willingness: r.willingness,
          attended: r.attended,
        })),
      };
    },

    // ---- online fairs, from the laborer's side (the mobile page; issue 19 item 6) ----

    /** The online fairs of the laborer's region that have not ended: open now or coming. */
    async onlineFairsFor(tx: Tx, laborer: FairLaborer, context: AuditContext): Promise<OnlineFair[]> {
      const today = chinaToday();
      const rows = await repo.onlineFairsFor(tx, laborer.laborerId, laborer.villageCode, today, 50);
      await audit.record(tx, context, { action: 'fair.online.list', entity: 'fair', details: { shown: rows.length } });
      return rows.map((r) => presentOnline(r, today));
    },

    /** One online fair of the laborer's region and its posting ids (the caller presents the postings). */
    async onlineFairFor(tx: Tx, laborer: FairLaborer, fairId: string, context: AuditContext) {
      const row = await repo.fairForLaborer(tx, fairId, laborer.laborerId, laborer.villageCode);
      if (row?.mode !== 'online') {
        throw new AppError('NOT_FOUND', '招聘会不存在').audited(context, {
          action: 'fair.online.view',
          entity: 'fair',
          entityId: fairId,
          result: 'denied',
        });
      }
      const [postingIds, applied] = await Promise.all([
        repo.fairPostingIds(tx, row.id, 200),
        repo.appliedFairPostings(tx, row.id, laborer.laborerId),
      ]);
      await audit.record(tx, context, { action: 'fair.online.view', entity: 'fair', entityId: row.id });
      return { fair: presentOnline(row, chinaToday()), postingIds, applied };
    },

    /**
     * A laborer applies from the phone to a posting of an online fair: they become the fair's
     * attendee registered online (once per fair, whatever they apply to), the application is an
     * intention (attendee × posting) and opens a referral with channel 招聘会 — its hire is the fair's,
     * as for an intention recorded at a door. The fair's own rules hold: its region (a fair outside
     * the laborer's region is not found), one intention per posting, the posting in the fair and
     * open (the referrals service refuses a closed, full or expired one). The door's lookup limits
     * do not apply: nobody's identifier is looked up, the card is the signed-in laborer's own.
     */
    async applyOnline(tx: Tx, laborer: FairLaborer, fairId: string, postingId: string, context: AuditContext) {
      const fair = await repo.fairForLaborer(tx, fairId, laborer.laborerId, laborer.villageCode, true);
      const denied = (error: AppError, reason: string) =>
        error.audited(context, {
          action: 'fair.online.apply',
          entity: 'fair',
          entityId: fairId,
          result: 'denied',
          details: { reason, posting: postingId },
        });
      if (!fair) throw denied(new AppError('NOT_FOUND', '招聘会不存在'), 'not_found');
      if (fair.mode !== 'online') throw denied(new AppError('FAIR_NOT_ONLINE'), 'not_online');
      const state = onlineState(fair, chinaToday());
      if (state === 'upcoming') {
        throw denied(new AppError('FAIR_NOT_STARTED', `该线上招聘会 ${fair.held_on} 开始，开始后才能申请`), 'not_started');
      }
      if (state === 'ended') throw denied(new AppError('FAIR_CLOSED'), 'closed');
      if (!(await repo.isFairPosting(tx, fair.id, postingId))) {
        throw denied(new AppError('FAIR_POSTING_NOT_IN_FAIR'), 'posting_not_in_fair');
      }
      const attendee = await repo.joinOnline(tx, fair.id, laborer.laborerId);
      const intentionId = await repo.insertIntention(tx, {
        fairId: fair.id,
        attendeeId: attendee.id,
        postingId,
        referralId: null,
        by: null,
      });
      if (!intentionId) throw denied(new AppError('FAIR_APPLICATION_EXISTS'), 'exists');
      const referral = await referrals.applySelf(tx, laborer.laborerId, postingId, context, {
        channel: 'fair',
        step: `劳动者本人在线上招聘会申请：${fair.title}`,
      });
      await repo.setIntentionReferral(tx, intentionId, referral.id);
      await audit.record(tx, context, {
        action: 'fair.online.apply',
        entity: 'fair',
        entityId: fair.id,
        details: {
          laborer: laborer.laborerId,
          attendee: attendee.id,
          joined: attendee.created,
          intention: intentionId,
          posting: postingId,
          referral: referral.id,
        },
      });
      return { attendeeId: attendee.id, intentionId: String(intentionId), referralId: referral.id, status: referral.status };
    },

    /** The article's results table for a region and period: per fair, by mode, and in total. */
    async results(tx: Tx, actor: Actor, query: FairResultsQueryInput): Promise<FairResults> {
      const region = query.region ?? actor.regionCode;
      assertRegionInScope(actor, region);
      if (query.from && query.to && query.from > query.to) throw new AppError('FAIR_PERIOD');
      const rows = await repo.results(tx, { scope: scopeOf(actor), region, from: query.from, to: query.to });
      const online = zero();
      const offline = zero();
      const total = zero();
      for (const r of rows) {
        const f = figuresOf(r);
        add(r.mode === 'online' ? online : offline, f);
        add(total, f);
      }
      return {
        regionCode: region,
        from: query.from ?? null,
        to: query.to ?? null,
        online,
        offline,
        total,
        rows: rows.slice(0, 500).map((r) => ({
          fairId: String(r.id),
          title: r.title,
          mode: r.mode as Fair['mode'],
          heldOn: r.held_on,
          regionCode: r.region_code,
          ...figuresOf(r),
        })),
      };
    },
  };
}

export type FairsService = ReturnType<typeof createFairsService>;
