import type { CreateLaborerInput, DeleteLaborerInput, Laborer, UpdateLaborerInput } from '../../../../contracts/laborers.ts';
import {
  CARING,
  EDUCATION,
  EMPLOYMENT_STATUS,
  FLAGS,
  HEALTH,
  LABOR_CAPACITY,
  POVERTY_STATUS,
  SEX,
  WILLINGNESS,
} from '../../../../contracts/laborers.ts';
import type { Writable } from 'node:stream';
import { REGISTER_COLUMNS } from '../../../../contracts/columns/laborers.ts';
import { exportCells, exportHeaders } from '../../../../contracts/list-columns.ts';
import { exportFileName, exportSnapshot, exportTitle } from '../../platform/excel/list-export.ts';
import type { Config } from '../../config.ts';
import type { Db, DbOrTx } from '../../db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import { regionScope, assertRegionInScope } from '../../platform/access.ts';
import type { AuditLog } from '../../platform/audit.ts';
import { sm4Decrypt, sm4Encrypt } from '../../platform/crypto.ts';
import { AppError } from '../../platform/errors.ts';
import { namePinyin } from '../../platform/pinyin.ts';
import { chinaDay, chinaDayEnd, chinaQuarter, chinaToday } from '../../platform/time.ts';
import { isAbroad, regionRefs, requireRegion } from '../regions/index.ts';
import { ageOn, checkIdAgainst, maskIdNumber, parseIdNumber, type IdentityInfo } from './identity.ts';
import { maskPhone, parseMobile } from './phone.ts';
import { idIndexOf, phoneColumns, phoneIndexOf, type SealedIdentifiers } from './card-identifiers.ts';
import * as repo from './laborers.repo.ts';
import type { CardRow } from './laborers.repo.ts';
import { pendingTransferOf } from './duplicates.repo.ts';
import { type RawBuilder, type SqlBool, sql } from 'kysely';

type EmploymentStatus = NonNullable<CreateLaborerInput['employmentStatus']>;

/**
 * A card's employment status on a day (issue 16): 已就业 when an employment record is open that
 * day, else 不具备就业条件 when the card says so, else 未就业. The statistics' "employed" is the same.
 */
export const employmentStatusOf = (open: boolean, cardStatus: string): EmploymentStatus =>
  open ? 'employed' : cardStatus === 'not_working' ? 'not_working' : 'unemployed';

/**
 * What a typed 就业状态 (the card form, the collection form) may write: 不具备就业条件, or 未就业 for
 * "able to work", never a status that disagrees with the records. Returns the value to write
 * (undefined: leave the card's as it is) and, when the typed value was not taken, why.
 */
export function typedEmploymentStatus(typed: string | undefined, open: boolean): { status?: EmploymentStatus; warning?: string } {
  if (typed === undefined) return {};
  if (open)
    return typed === 'employed'
      ? { status: 'employed' }
      : { warning: '该劳动力有在岗的就业记录，就业状态为已就业；如已离职，请在信息卡上登记离职' };
  if (typed === 'employed')
    return { warning: '已就业须在信息卡上登记就业记录（用人单位、工作地、入职日期、月工资），未按已就业保存，也未生成就业记录' };
  return { status: typed as EmploymentStatus };
}

/** Who may write cards: the village officer and township operator who collect them, and admins. */
export const CARD_WRITERS = ['admin', 'township_operator', 'village_officer'] as const;

/** The card's editable fields (API names) and their columns. */
export const CARD_FIELD_COLUMNS: readonly [keyof CreateLaborerInput, string][] = [
  ['name', 'name'],
  ['ethnicity', 'ethnicity'],
  ['homeVillageCode', 'home_village_code'],
  ['householdCode', 'household_code'],
  ['relationToHead', 'relation_to_head'],
  ['householdSize', 'household_size'],
  ['povertyStatus', 'poverty_status'],
  ['education', 'education'],
  ['laborCapacity', 'labor_capacity'],
  ['health', 'health'],
  ['skills', 'skills'],
  ['certificates', 'certificates'],
  ['willingness', 'willingness'],
  ['wantedJobTypes', 'wanted_job_types'],
  ['expectedWage', 'expected_wage'],
  ['caring', 'caring'],
  ['flags', 'flags'],
  ['employmentStatus', 'employment_status'],
  ['trainingHistory', 'training_history'],
  ['remark', 'remark'],
];

/**
 * Card input (camelCase, as the API and the form give it) → the card's columns. `known`: the
 * name's pinyin computed ahead (an import's reader thread), used while it is of this name.
 */
export const toCardColumns = (
  input: Partial<CreateLaborerInput>,
  known?: NonNullable<SealedIdentifiers['card']>['name'],
): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const [from, to] of CARD_FIELD_COLUMNS) if (input[from] !== undefined) out[to] = input[from];
  if (typeof out.name === 'string') {
    out.name = (out.name as string).trim();
    const p = known && known.value === out.name ? known : namePinyin(out.name as string);
    out.name_pinyin = p.pinyin;
    out.name_initials = p.initials;
  }
  return out;
};

/**
 * What the registry reads of employment: the jobs open on a day, which make a card's 已就业
 * (modules/employment provides both; app.ts wires them). Declared here, not imported: employment
 * builds on the registry (its records are of cards), so the registry must not import it.
 */
export interface EmploymentFacts {
  /** Which of these cards have an employment open on the day. */
  openOnDay(db: DbOrTx, laborerIds: string[], day: string): Promise<Set<string>>;
  /** The condition "the card whose id is in this column has an employment open on the day". */
  hasOpenEmployment(laborerColumn: string, day: string): RawBuilder<SqlBool>;
}

/**
 * A change captured away from the server (a phone offline, issue 19): when it was captured — kept in
 * the ledger version beside the time it arrived — the ledger's reason, and what carried it (the
 * sync entry's key), kept in the audit row.
 */
export type CapturedChange = { capturedAt?: Date; reason?: string; via?: Record<string, unknown> };
const capturedDetails = (c: CapturedChange) => ({
  ...(c.capturedAt ? { capturedAt: c.capturedAt.toISOString() } : {}),
  ...(c.via ?? {}),
});

/** The API name of each card column (the ledger's `changes` are keyed by column; the phone is `phone`). */
const FIELD_OF_COLUMN = new Map<string, string>([...CARD_FIELD_COLUMNS.map(([f, c]) => [c, f] as [string, string]), ['phone', 'phone']]);

/** The latest change of a field since a version: the value it was given, by whom, when, in which version. */
export type FieldChange = {
  value: unknown;
  version: number;
  at: string;
  by: { username: string; displayName: string } | null;
};

export function createLaborersService({ config, audit, employment }: { config: Config; audit: AuditLog; employment: EmploymentFacts }) {
  const { openOnDay } = employment;
  const { identifierKey } = config.secrets;
  const idIndex = (id: string) => idIndexOf(config.secrets, id);
  const phoneIndex = (phone: string) => phoneIndexOf(config.secrets, phone);
  const ctx = (actor: Actor) => ({ actor, ip: actor.ip });

  /**
   * A card as lists and cards show it. The birth date stays out (the masked ID number's hidden
   * digits): the age in full years today stands for it, also on a list "as of" a past date.
   */
  async function present(db: DbOrTx, rows: CardRow[], statusDay?: string): Promise<Laborer[]> {
    const refs = await regionRefs(
      db,
      rows.map((r) => r.home_village_code),
    );
    const today = chinaToday();
    const working = await openOnDay(
      db,
      rows.map((r) => String(r.id)),
      statusDay ?? today,
    );
    return rows.map((r) => ({
      id: String(r.id),
      name: r.name,
      idNumberMasked: r.id_masked,
      phoneMasked: r.phone_masked,
      sex: r.sex,
      age: ageOn(r.birth_date, today >= r.birth_date ? today : r.birth_date),
      ethnicity: r.ethnicity,
      homeVillage: { code: r.home_village_code, fullName: refs.get(r.home_village_code)?.fullName ?? r.home_village_code },
      householdCode: r.household_code,
      relationToHead: r.relation_to_head,
      householdSize: r.household_size,
      povertyStatus: r.poverty_status,
      education: r.education,
      laborCapacity: r.labor_capacity,
      health: r.health,
      skills: r.skills,
      certificates: r.certificates,
      willingness: r.willingness,
      wantedJobTypes: r.wanted_job_types,
      expectedWage: r.expected_wage,
      caring: r.caring,
      flags: r.flags,
      employmentStatus: employmentStatusOf(working.has(String(r.id)), r.employment_status),
      trainingHistory: r.training_history,
      remark: r.remark,
      lastConfirmedAt: r.last_confirmed_at ? r.last_confirmed_at.toISOString() : null,
      version: r.version,
      updatedAt: new Date(r.updated_at).toISOString(),
    }));
  }

  /** A card the actor may see, or "不存在或无权限" (and the refusal is audited). */
  async function loadVisible(db: DbOrTx, actor: Actor, id: string, action: string, forUpdate = false): Promise<CardRow> {
    const card = await repo.findCard(db, id, forUpdate);
    const visible = card && !card.deleted_at && isInScope(actor, card.home_village_code);
    if (!visible) {
      throw new AppError('NOT_FOUND').audited(ctx(actor), { action, entity: 'laborer', entityId: id, result: 'denied' });
    }
    return card;
  }

  const isInScope = (actor: Actor, villageCode: string) =>
    (CARD_WRITERS as readonly string[]).includes(actor.role) && villageCode.startsWith(actor.regionCode);

  function phoneFields(raw: string | null | undefined) {
    if (raw === undefined) return {};
    if (raw === null || raw === '') return { phone_index: null, phone_cipher: null, phone_masked: null };
    const parsed = parseMobile(raw);
    if (!parsed.ok) throw new AppError('VALIDATION_FAILED', parsed.message, [{ field: 'body.phone', message: parsed.message }]);
    return phoneColumns(config.secrets, parsed.value);
  }

  async function checkVillage(db: DbOrTx, actor: Actor, code: string) {
    const village = await requireRegion(db, code);
    if (village.level !== 5)
      throw new AppError('VALIDATION_FAILED', '户籍所在地须为村级行政区划', [
        { field: 'body.homeVillageCode', message: '须为村级行政区划' },
      ]);
    assertRegionInScope(actor, code);
  }

  /**
   * The new card's columns, identifiers encrypted, indexed and masked (creation and imports).
   * `sealed`: the identifiers an import's reader thread computed ahead for the row; each part is
   * used only while it is of the row's own value.
   */
  function buildNewCard(
    identity: IdentityInfo,
    input: Partial<CreateLaborerInput>,
    index?: Buffer,
    sealed?: SealedIdentifiers,
  ): Omit<repo.NewCard, 'created_by'> {
    const ahead = sealed?.idNumber === identity.idNumber ? sealed.card : undefined;
    const phone =
      ahead?.phone && ahead.phone.value === input.phone
        ? { phone_index: Buffer.from(ahead.phone.index, 'hex'), phone_cipher: ahead.phone.cipher, phone_masked: ahead.phone.masked }
        : phoneFields(input.phone);
    return {
      id_index: index ?? idIndex(identity.idNumber),
      id_cipher: ahead ? ahead.idCipher : sm4Encrypt(identifierKey, identity.idNumber),
      id_masked: ahead ? ahead.idMasked : maskIdNumber(identity.idNumber),
      phone_index: null,
      phone_cipher: null,
      phone_masked: null,
      ...phone,
      sex: identity.sex,
      birth_date: identity.birthDate,
      skills: [],
      certificates: [],
      wanted_job_types: [],
      flags: [],
      expected_wage: null,
      ethnicity: null,
      household_code: null,
      relation_to_head: null,
      household_size: null,
      training_history: null,
      remark: null,
      employment_status: 'unemployed',
      ...(toCardColumns(input, ahead?.name) as object),
    } as unknown as Omit<repo.NewCard, 'created_by'>;
  }

  /**
   * What an edit or an imported row changes on a card: the columns to write and, per field, the old
   * and new value for the ledger. Phones are compared by their index and recorded masked only: a
   * clear number never goes into history.
   */
  function changesFor(card: CardRow, input: Partial<CreateLaborerInput>) {
    const { phone, name, ...fields } = input;
    const patch: Record<string, unknown> = toCardColumns(fields);
    const changes: Record<string, [unknown, unknown]> = {};
    for (const [key, value] of Object.entries(patch)) {
      const before = (card as unknown as Record<string, unknown>)[key];
      if (JSON.stringify(before ?? null) !== JSON.stringify(value ?? null)) changes[key] = [before ?? null, value ?? null];
    }
    // The name's pinyin only when the name changes, and the phone encrypted only when it does: an
    // import re-reading 100,000 unchanged rows spent most of its Node time on both (pinyin-pro ~50 µs a name).
    if (name !== undefined && name.trim() !== card.name) {
      Object.assign(patch, toCardColumns({ name }));
      changes.name = [card.name, patch.name];
    }
    if (phone !== undefined) {
      const parsed = phone === null || phone === '' ? null : parseMobile(phone);
      if (parsed && !parsed.ok) throw new AppError('VALIDATION_FAILED', parsed.message, [{ field: 'body.phone', message: parsed.message }]);
      const nextMasked = parsed ? maskPhone(parsed.value) : null;
      const nextIndex = parsed ? phoneIndex(parsed.value) : null;
      if (nextMasked !== card.phone_masked || !Buffer.from(nextIndex ?? []).equals(Buffer.from(card.phone_index ?? []))) {
        const next = phoneFields(phone);
        changes.phone = [card.phone_masked, next.phone_masked ?? null];
        Object.assign(patch, next);
      }
    }
    return { patch, changes };
  }

  /**
   * The quarter's confirmation of cards the caller has already checked are the actor's to see:
   * a village officer's review (confirm) and a card re-collected door to door (an import's created,
   * updated and unchanged rows). One confirmation per card per quarter: confirming again in the
   * quarter records nothing. Returns the quarter and the cards newly confirmed.
   */
  async function recordConfirmations(tx: DbOrTx, actor: Actor, ids: string[]) {
    const quarter = chinaQuarter(chinaToday());
    const confirmed = await repo.confirmOncePerQuarter(tx, ids, actor.id, quarter.start, quarter.end);
    return { quarter: quarter.label, confirmed };
  }

  /** The repository's filter for a list query: scope, as-of instant, quarter, search, filters, page. */
  function listFilter(actor: Actor, query: ListQuery, offset: number, limit: number): repo.ListFilter {
    const referenceDate = query.asOf ?? chinaToday();
    const quarter = chinaQuarter(referenceDate);
    return {
      scope: regionScope(actor, query.asOf ? 'v.home_village_code' : 'l.home_village_code') as never,
      region: query.region,
      asOfEnd: query.asOf ? chinaDayEnd(query.asOf) : undefined,
      // Ages are reckoned today whatever the asOf: an age filter on a chosen day, moved day by day,
      // would find the birth date the masked ID number hides.
      ageDate: chinaToday(),
      quarterStart: quarter.start,
      quarterEnd: quarter.end,
      q: query.q ? parseSearch(query.q) : undefined,
      povertyStatus: query.povertyStatus,
      employmentStatus: query.employmentStatus,
      statusDay: referenceDate,
      hasOpenEmployment: employment.hasOpenEmployment,
      willingness: query.willingness,
      education: query.education,
      jobType: query.jobType,
      skill: query.skill,
      flag: query.flag,
      ageMin: query.ageMin,
      ageMax: query.ageMax,
      confirmed: query.confirmed,
      sort: query.sort ?? 'village',
      order: query.order ?? 'asc',
      offset,
      limit,
    };
  }

  /** What the search box holds: a whole ID number or phone (by blind index), an ID tail, pinyin, or a name. */
  function parseSearch(q: string): NonNullable<repo.ListFilter['q']> {
    const text = q.trim();
    const digits = text.replace(/\s/g, '');
    if (/^\d{17}[\dXx]$|^\d{15}$/.test(digits)) {
      const parsed = parseIdNumber(digits);
      return { kind: 'id_index', value: idIndex(parsed.ok ? parsed.value.idNumber : digits.toUpperCase()) };
    }
    if (/^1\d{10}$/.test(digits)) return { kind: 'phone_index', value: phoneIndex(digits) };
    if (/^\d{1,4}[xX]?$/.test(digits)) return { kind: 'id_last', value: digits.toUpperCase() };
    if (/^[a-zA-Z]+$/.test(text)) return { kind: 'pinyin', value: text.toLowerCase() };
    return { kind: 'name', value: text };
  }

  return {
    idIndex,
    phoneIndex,
    parseSearch,
    buildNewCard,
    changesFor,
    present,
    loadVisible,
    employmentStatusOf,
    typedEmploymentStatus,
    /** The cards among these with an employment open today. */
    employedToday: (db: DbOrTx, ids: string[]) => openOnDay(db, ids, chinaToday()),
    isInScope,
    checkVillage,

    async create(tx: DbOrTx, actor: Actor, input: CreateLaborerInput, captured: CapturedChange = {}): Promise<Laborer> {
      const parsed = parseIdNumber(input.idNumber);
      if (!parsed.ok) throw new AppError('VALIDATION_FAILED', parsed.message, [{ field: 'body.idNumber', message: parsed.message }]);
      const identity = parsed.value;
      const disagreements = checkIdAgainst(identity, { birthDate: input.birthDate, sex: input.sex });
      if (disagreements.length) {
        throw new AppError(
          'VALIDATION_FAILED',
          disagreements.map((d) => d.message).join('；'),
          disagreements.map((d) => ({ field: `body.${d.field}`, message: d.message })),
        );
      }
      // The address part must name a province of the tree; county codes change over the years
      // (邵东县 430521 became 邵东市 430582), so an old county code is accepted.
      // (境外, `99`, is a place of work, never an ID number's address code.)
      const province = isAbroad(identity.regionCode) ? new Map() : await regionRefs(tx, [identity.regionCode.slice(0, 2)]);
      if (!province.size)
        throw new AppError('VALIDATION_FAILED', '身份证号的地址码不是有效的行政区划', [{ field: 'body.idNumber', message: '地址码无效' }]);
      await checkVillage(tx, actor, input.homeVillageCode);
      // A new card has no job yet: 已就业 is registered on the card once it exists.
      const typed = typedEmploymentStatus(input.employmentStatus, false);
      if (typed.warning) throw new AppError('EMPLOYMENT_STATUS_FROM_RECORDS', '已就业由就业记录生成：请先保存信息卡，再在信息卡上登记就业');
      const index = idIndex(identity.idNumber);
      const existing = await repo.findIdByIdentity(tx, index);
      if (existing) {
        // Say which county holds the card, nothing more, and offer a transfer request there. A card
        // merged into another is held where the surviving card is.
        const holder = (existing.merged_into ? await repo.survivorOf(tx, String(existing.id)) : undefined) ?? existing;
        const county = (await regionRefs(tx, [holder.home_village_code.slice(0, 6)])).get(holder.home_village_code.slice(0, 6));
        throw new AppError('LABORER_EXISTS', `该身份证号已在${county?.fullName ?? '其他县'}登记，可向该县申请转移`, {
          county: county ? { code: county.code, fullName: county.fullName } : null,
          transferRequest: true,
        }).audited(ctx(actor), {
          action: 'laborer.create',
          entity: 'laborer',
          result: 'failure',
          details: { reason: 'exists', county: county?.code },
        });
      }
      const id = await repo.insertCard(
        tx,
        { ...buildNewCard(identity, input), created_by: actor.id },
        'create',
        captured.reason ?? null,
        captured.capturedAt ?? null,
      );
      await audit.record(tx, ctx(actor), {
        action: 'laborer.create',
        entity: 'laborer',
        entityId: id,
        details: { village: input.homeVillageCode, convertedFrom15: identity.convertedFrom15, ...capturedDetails(captured) },
      });
      return (await present(tx, [(await repo.findCard(tx, id))!]))[0];
    },

    async get(tx: DbOrTx, actor: Actor, id: string): Promise<Laborer> {
      const card = await loadVisible(tx, actor, id, 'laborer.view');
      await audit.record(tx, ctx(actor), { action: 'laborer.view', entity: 'laborer', entityId: id });
      return (await present(tx, [card]))[0];
    },

    async update(tx: DbOrTx, actor: Actor, id: string, input: UpdateLaborerInput, captured: CapturedChange = {}): Promise<Laborer> {
      const card = await loadVisible(tx, actor, id, 'laborer.update', true);
      const { reason, phone, ...fields } = input as UpdateLaborerInput & { phone?: string | null };
      if (fields.homeVillageCode && fields.homeVillageCode !== card.home_village_code)
        await checkVillage(tx, actor, fields.homeVillageCode);
      if (fields.employmentStatus !== undefined) {
        const typed = typedEmploymentStatus(fields.employmentStatus, (await openOnDay(tx, [id], chinaToday())).size > 0);
        if (typed.warning)
          throw new AppError('EMPLOYMENT_STATUS_FROM_RECORDS', typed.warning, { employmentStatus: fields.employmentStatus });
        fields.employmentStatus = typed.status;
      }
      const { patch, changes } = changesFor(card, { ...fields, phone });
      if (Object.keys(changes).length === 0) return (await present(tx, [card]))[0];
      const row = await repo.updateCard(tx, id, patch, {
        by: actor.id,
        kind: 'update',
        reason: reason ?? captured.reason ?? null,
        changes,
        capturedAt: captured.capturedAt ?? null,
      });
      await audit.record(tx, ctx(actor), {
        action: 'laborer.update',
        entity: 'laborer',
        entityId: id,
        details: { fields: Object.keys(changes), version: row.version, ...capturedDetails(captured) },
      });
      return (await present(tx, [row]))[0];
    },

    /**
     * Deleting a card (注销: died, moved out of the programme, no longer poor, entered by mistake):
     * a 'delete' version in the card's ledger with the stated reason, from now on. The card counts
     * on every date before and on none after (DOMAIN.md "Cards that end"; docs/domain-notes-asof.md
     * §4); its jobs, services and subsidies stay, dated as they were. In the actor's region scope.
     */
    async remove(tx: DbOrTx, actor: Actor, id: string, input: DeleteLaborerInput): Promise<void> {
      const reason = input.reason.trim();
      if (reason.length < 2)
        throw new AppError('VALIDATION_FAILED', '请说明删除原因（至少 2 个字）', [{ field: 'body.reason', message: '至少 2 个字' }]);
      const card = await loadVisible(tx, actor, id, 'laborer.delete', true);
      // A transfer under review would move a card that no longer exists.
      if (await pendingTransferOf(tx, id)) throw new AppError('LABORER_DELETE_TRANSFER_PENDING');
      const row = await repo.updateCard(
        tx,
        id,
        { deleted_at: sql<Date>`now()` as unknown as Date },
        { by: actor.id, kind: 'delete', reason, changes: { deleted: [false, true] } },
      );
      await audit.record(tx, ctx(actor), {
        action: 'laborer.delete',
        entity: 'laborer',
        entityId: id,
        details: { reason, village: card.home_village_code, version: row.version },
      });
    },

    /**
     * The employment status a workflow of another domain sets (a hire through a referral): that
     * domain has checked the actor's right over the laborer through its own record (an employer over
     * its applicant), so the card's region scope is not asked again. It is a card update like any
     * other: a new version in the ledger, with its reason, and an audit row.
     */
    async recordEmploymentStatus(
      tx: DbOrTx,
      actor: Actor,
      id: string,
      status: UpdateLaborerInput['employmentStatus'] & string,
      reason: string,
      via: Record<string, unknown>,
      options: { addFlags?: NonNullable<UpdateLaborerInput['flags']> } = {},
    ): Promise<void> {
      const card = await repo.findCard(tx, id, true);
      if (!card || card.deleted_at) throw new AppError('NOT_FOUND');
      // A returnee (返乡) is flagged on the card as well (the demand list and the articles count them).
      const flags = options.addFlags?.length
        ? [...new Set([...(card.flags as NonNullable<UpdateLaborerInput['flags']>), ...options.addFlags])]
        : undefined;
      const { patch, changes } = changesFor(card, { employmentStatus: status, ...(flags ? { flags } : {}) });
      if (Object.keys(changes).length === 0) return;
      const row = await repo.updateCard(tx, id, patch, { by: actor.id, kind: 'update', reason, changes });
      await audit.record(tx, ctx(actor), {
        action: 'laborer.update',
        entity: 'laborer',
        entityId: id,
        details: { fields: Object.keys(changes), version: row.version, ...via },
      });
    },

    /**
     * The card's ledger, with the versions of every card merged into it marked with the card they
     * come from (a merge keeps both histories).
     */
    async history(tx: DbOrTx, actor: Actor, id: string) {
      await loadVisible(tx, actor, id, 'laborer.history');
      const versions = await repo.history(tx, id);
      const others = [
        ...new Set(versions.flatMap((v) => [v.laborer_id, v.related_laborer_id]).filter((x): x is string => Boolean(x) && x !== id)),
      ];
      const cards = new Map((await repo.findCards(tx, others.length ? [id, ...others] : [])).map((c) => [String(c.id), c]));
      const ref = (cardId: string | null) => {
        const c = cardId ? cards.get(cardId) : undefined;
        return c ? { laborerId: String(c.id), name: c.name, idNumberMasked: c.id_masked } : null;
      };
      await audit.record(tx, ctx(actor), {
        action: 'laborer.history',
        entity: 'laborer',
        entityId: id,
        details: others.length ? { mergedCards: others } : null,
      });
      return {
        items: versions.map((v) => ({
          laborerId: v.laborer_id,
          version: v.version,
          at: v.valid_from.toISOString(),
          kind: v.change_kind,
          by: v.username ? { username: v.username, displayName: v.display_name ?? v.username } : null,
          reason: v.reason,
          capturedAt: v.captured_at ? v.captured_at.toISOString() : null,
          changes: Object.entries((v.changes ?? {}) as Record<string, [unknown, unknown]>).map(([field, [before, after]]) => ({
            field,
            before,
            after,
          })),
          fromCard: v.laborer_id === id ? null : ref(v.laborer_id),
          mergedCard: v.related_laborer_id ? ref(v.related_laborer_id) : null,
        })),
      };
    },

    /** Break the glass: the full ID number and phone, for a stated reason, audited. */
    async reveal(tx: DbOrTx, actor: Actor, id: string, reason: string) {
      const card = await loadVisible(tx, actor, id, 'laborer.reveal');
      const secrets = (await repo.findSecrets(tx, id))!;
      await audit.record(tx, ctx(actor), { action: 'laborer.reveal', entity: 'laborer', entityId: id, details: { reason } });
      return {
        idNumber: sm4Decrypt(identifierKey, secrets.id_cipher),
        // The birth date is the masked digits of the ID number: it is revealed with it, and only so.
        birthDate: card.birth_date,
        phone: secrets.phone_cipher ? sm4Decrypt(identifierKey, secrets.phone_cipher) : null,
      };
    },

    /**
     * The quarter's re-confirmation campaign under a region (the actor's own by default): per
     * child region (township or village) the cards and how many were reviewed this quarter. The
     * cards still due are the register filtered with confirmed=false.
     */
    async confirmationProgress(tx: DbOrTx, actor: Actor, regionCode?: string) {
      const region = regionCode ?? actor.regionCode;
      assertRegionInScope(actor, region);
      const quarter = chinaQuarter(chinaToday());
      const childLength = { 2: 4, 4: 6, 6: 9, 9: 12, 12: 12 }[region.length] ?? 12;
      const rows = await repo.confirmationProgress(tx, region, childLength, quarter.start, quarter.end);
      const refs = await regionRefs(tx, [region, ...rows.map((r) => r.code)]);
      const items = rows.map((r) => ({
        code: r.code,
        name: refs.get(r.code)?.name ?? r.code,
        cards: r.cards,
        confirmed: r.confirmed,
        due: r.cards - r.confirmed,
      }));
      const total = items.reduce((t, r) => ({ cards: t.cards + r.cards, confirmed: t.confirmed + r.confirmed }), {
        cards: 0,
        confirmed: 0,
      });
      await audit.record(tx, ctx(actor), {
        action: 'laborer.confirmation_progress',
        entity: 'laborer',
        details: { region, quarter: quarter.label },
      });
      const self = refs.get(region);
      return {
        region,
        name: self?.name ?? region,
        fullName: self?.fullName ?? region,
        quarter: quarter.label,
        cards: total.cards,
        confirmed: total.confirmed,
        due: total.cards - total.confirmed,
        items,
      };
    },

    async confirm(tx: DbOrTx, actor: Actor, id: string) {
      await loadVisible(tx, actor, id, 'laborer.confirm');
      const { quarter, confirmed } = await recordConfirmations(tx, actor, [id]);
      await audit.record(tx, ctx(actor), {
        action: 'laborer.confirm',
        entity: 'laborer',
        entityId: id,
        details: { quarter, alreadyConfirmed: confirmed.length === 0 },
      });
    },

    /**
     * Quarterly confirmation of several cards at once (issue 18 item 4): every card must lie in the
     * officer's villages, or nothing is confirmed; one audit row per card, with the stated reason.
     */
    async confirmMany(tx: DbOrTx, actor: Actor, ids: string[], reason: string) {
      const unique = [...new Set(ids)];
      for (const id of unique) await loadVisible(tx, actor, id, 'laborer.confirm');
      const { quarter, confirmed } = await recordConfirmations(tx, actor, unique);
      const fresh = new Set(confirmed.map(String));
      for (const id of unique) {
        await audit.record(tx, ctx(actor), {
          action: 'laborer.confirm',
          entity: 'laborer',
          entityId: id,
          details: { quarter, alreadyConfirmed: !fresh.has(id), batch: unique.length, reason },
        });
      }
      return { quarter, cards: unique.length, confirmed: fresh.size, alreadyConfirmed: unique.length - fresh.size };
    },

    recordConfirmations,

    /**
     * Field sync (issue 19 item 3): what changed on a card since `baseVersion`, field by field (API
     * names), from its ledger — per field the latest change. Changes the actor itself brought from
     * the field (a version it wrote with a capture time: an earlier entry of its own outbox) are
     * not someone else's edit and are left out. The caller has the card locked and in scope.
     */
    async changedSince(tx: DbOrTx, actor: Actor, id: string, baseVersion: number): Promise<Map<string, FieldChange>> {
      const out = new Map<string, FieldChange>();
      for (const v of await repo.versionsAfter(tx, id, baseVersion)) {
        if (v.changed_by === actor.id && v.captured_at) continue;
        for (const [column, [, after]] of Object.entries(v.changes ?? {})) {
          const field = FIELD_OF_COLUMN.get(column) ?? column;
          out.set(field, {
            value: after,
            version: v.version,
            at: v.valid_from.toISOString(),
            by: v.username ? { username: v.username, displayName: v.display_name ?? v.username } : null,
          });
        }
      }
      return out;
    },

    /**
     * The card that already holds this ID number (a merged card's survivor), and whether it lies in
     * the actor's scope — with the county that holds it. Null when the number is unregistered or
     * not a valid number (creating it then says why).
     */
    async holderOf(tx: DbOrTx, actor: Actor, idNumber: string) {
      const parsed = parseIdNumber(idNumber);
      if (!parsed.ok) return null;
      const existing = await repo.findIdByIdentity(tx, idIndex(parsed.value.idNumber));
      if (!existing) return null;
      const holder = (existing.merged_into ? await repo.survivorOf(tx, String(existing.id)) : undefined) ?? existing;
      const countyCode = holder.home_village_code.slice(0, 6);
      const county = (await regionRefs(tx, [countyCode])).get(countyCode);
      return {
        laborerId: String(holder.id),
        deleted: Boolean(holder.deleted_at),
        inScope: !holder.deleted_at && isInScope(actor, holder.home_village_code),
        county: { code: countyCode, fullName: county?.fullName ?? countyCode },
      };
    },

    /**
     * Every card of the actor's region, as cards show them (identifiers masked), for a phone to
     * take offline: at most `limit`, else FIELD_PACKAGE_TOO_LARGE. No audit row of its own: the
     * caller records the package taken.
     */
    async cardsInScope(tx: DbOrTx, actor: Actor, limit: number): Promise<Laborer[]> {
      const result = await repo.list(tx, listFilter(actor, { sort: 'village' }, 0, limit));
      if (result.total > limit) throw new AppError('FIELD_PACKAGE_TOO_LARGE', undefined, { cards: result.total, limit });
      return present(tx, result.rows);
    },

    /** These cards as they stand now, those the actor may see (a sync's answer; the caller audits). */
    async presentVisible(tx: DbOrTx, actor: Actor, ids: string[]): Promise<Laborer[]> {
      const rows = (await repo.findCards(tx, [...new Set(ids)])).filter((c) => !c.deleted_at && isInScope(actor, c.home_village_code));
      return present(tx, rows);
    },

    /**
     * How many cards the register shows for `query` (its \`total\`), without the page or an audit
     * row: the workbench's to-do counts, which its caller audits as one view.
     */
    async count(tx: DbOrTx, actor: Actor, query: ListQuery): Promise<number> {
      if (query.region) assertRegionInScope(actor, query.region);
      return (await repo.list(tx, listFilter(actor, query, 0, 1))).total;
    },

    async list(tx: DbOrTx, actor: Actor, query: ListQuery) {
      if (query.region) assertRegionInScope(actor, query.region);
      const today = chinaToday();
      if (query.asOf && query.asOf > today)
        throw new AppError('VALIDATION_FAILED', '查询日期不能晚于今天', [{ field: 'querystring.asOf', message: '不能晚于今天' }]);
      const pageSize = query.pageSize ?? 20;
      const result = await repo.list(tx, listFilter(actor, query, ((query.page ?? 1) - 1) * pageSize, pageSize));
      const { q: _q, ...filterWithoutSearch } = query;
      await audit.record(tx, ctx(actor), {
        action: 'laborer.search',
        entity: 'laborer',
        // The search text may be an ID number or a phone: the audit row keeps only its shape.
        details: { filter: filterWithoutSearch, search: query.q ? parseSearch(query.q).kind : null, total: result.total },
      });
      return { items: await present(tx, result.rows, query.asOf), total: result.total };
    },

    /**
     * The filtered register as .xlsx (issue 18 item 2): exactly the list's rows for the same
     * filters and order, read page by page from one snapshot (a repeatable-read transaction),
     * identifiers masked, coded fields as their Chinese labels, under a title row naming the
     * register, the region, the date and the filters; the file ends only after the audit row with
     * the number of rows has committed.
     */
    async export(db: Db, actor: Actor, query: ListQuery, output: Writable): Promise<number> {
      return exportSnapshot(db, output, async (tx) => {
        const region = await requireRegion(tx, query.region ?? actor.regionCode);
        async function* rows() {
          for (let page = 0; ; page++) {
            const result = await repo.list(tx, listFilter(actor, query, page * EXPORT_PAGE, EXPORT_PAGE));
            for (const l of await present(tx, result.rows, query.asOf)) {
              yield exportCells<typeof REGISTER_COLUMNS, string | number | null>(REGISTER_COLUMNS, {
                name: l.name,
                idNumberMasked: l.idNumberMasked,
                phoneMasked: l.phoneMasked,
                sex: label(SEX, l.sex),
                age: l.age,
                village: l.homeVillage.fullName,
                householdCode: l.householdCode,
                povertyStatus: label(POVERTY_STATUS, l.povertyStatus),
                education: label(EDUCATION, l.education),
                laborCapacity: label(LABOR_CAPACITY, l.laborCapacity),
                health: label(HEALTH, l.health),
                skills: l.skills.join('、'),
                certificates: l.certificates.join('、'),
                willingness: label(WILLINGNESS, l.willingness),
                wantedJobTypes: l.wantedJobTypes.join('、'),
                expectedWage: l.expectedWage,
                caring: label(CARING, l.caring),
                flags: l.flags.map((f) => label(FLAGS, f)).join('、'),
                employmentStatus: label(EMPLOYMENT_STATUS, l.employmentStatus),
                lastConfirmedAt: l.lastConfirmedAt ? chinaDay(new Date(l.lastConfirmedAt)) : null,
              });
            }
            if (result.ids.length < EXPORT_PAGE) return;
          }
        }
        return {
          sheet: REGISTER,
          title: exportTitle(REGISTER, region.name, registerFilters(query, query.q ? parseSearch(query.q).kind : undefined)),
          headers: exportHeaders(REGISTER_COLUMNS),
          rows: rows(),
          record: (count) =>
            audit.record(tx, ctx(actor), {
              action: 'laborer.export',
              entity: 'laborer',
              details: { filter: { ...query, q: query.q ? parseSearch(query.q).kind : undefined }, rows: count },
            }),
        };
      });
    },

    /** The file name of the register's export for this query: 劳动力名册-<region>-<date>.xlsx. */
    async exportFileName(db: DbOrTx, actor: Actor, query: ListQuery): Promise<string> {
      return exportFileName(REGISTER, (await requireRegion(db, query.region ?? actor.regionCode)).name);
    },
  };
}

const REGISTER = '劳动力名册';
/** The register export reads this many cards at a time. */
const EXPORT_PAGE = 2000;
const label = (dict: { labels: Record<string, string> }, code: string) => dict.labels[code] ?? code;

/** How the search was made, never what was typed when it was an ID number or a phone (the audit row keeps the same). */
const SEARCH_WORDS: Record<string, string> = {
  id_index: '按身份证号查询',
  phone_index: '按手机号查询',
  id_last: '按身份证号末位查询',
};

/** The register's filters in words, for the export's title row. */
export function registerFilters(q: ListQuery, searchKind: string | undefined): (string | false | undefined)[] {
  return [
    q.asOf && `截至 ${q.asOf}`,
    searchKind && (SEARCH_WORDS[searchKind] ?? `姓名 “${q.q?.trim()}”`),
    q.povertyStatus && `户类型 ${label(POVERTY_STATUS, q.povertyStatus)}`,
    q.employmentStatus && `就业状态 ${label(EMPLOYMENT_STATUS, q.employmentStatus)}`,
    q.willingness && `就业意愿 ${label(WILLINGNESS, q.willingness)}`,
    q.education && `文化程度 ${label(EDUCATION, q.education)}`,
    q.jobType && `意向工种 ${q.jobType}`,
    q.skill && `技能 ${q.skill}`,
    q.flag && `标识 ${label(FLAGS, q.flag)}`,
    (q.ageMin !== undefined || q.ageMax !== undefined) && `年龄 ${q.ageMin ?? ''}–${q.ageMax ?? ''} 岁`,
    q.confirmed === true && '本季度已核实',
    q.confirmed === false && '本季度未核实',
  ];
}

export type ListQuery = {
  region?: string;
  asOf?: string;
  q?: string;
  povertyStatus?: string;
  employmentStatus?: string;
  willingness?: string;
  education?: string;
  jobType?: string;
  skill?: string;
  flag?: string;
  ageMin?: number;
  ageMax?: number;
  confirmed?: boolean;
  sort?: 'name' | 'age' | 'updatedAt' | 'village';
  order?: 'asc' | 'desc';
  page?: number;
  pageSize?: number;
};

export type LaborersService = ReturnType<typeof createLaborersService>;
