import { randomInt } from 'node:crypto';
import type { MobileMe, WishesInput } from '../../../../contracts/mobile.ts';
import type { PostingBrief } from '../../../../contracts/matching.ts';
import { occupationByCode } from '../../../../contracts/occupations.ts';
import type { Config } from '../../config.ts';
import type { Db, DbOrTx, Tx } from '../../db/database.ts';
import { REGION_STAFF_ROLES } from '../../platform/access.ts';
import type { Actor, AuditContext, MobileLaborer } from '../../platform/actor.ts';
import type { AuditLog } from '../../platform/audit.ts';
import { hmacSm3, randomToken, sm3 } from '../../platform/crypto.ts';
import { AppError } from '../../platform/errors.ts';
import { chinaDayStart, chinaToday } from '../../platform/time.ts';
import type { FairsService } from '../fairs/index.ts';
import type { MatchingService } from '../matching/index.ts';
import { postingById } from '../matching/index.ts';
import type { ReferralsService } from '../referrals/index.ts';
import type { LaborersService } from '../registry/index.ts';
import { ageOn } from '../registry/index.ts';
import { maskPhone, parseMobile, PHONE_FORMAT_MESSAGE } from '../registry/index.ts';
import { phoneIndexOf } from '../sms/index.ts';
import { smsRepo } from '../sms/index.ts';
import { messageIdOfCode, withSignature } from '../sms/index.ts';
import * as repo from './mobile.repo.ts';
import { WISH_CONFIRMERS } from '../../../../contracts/roles.ts';
export { WISH_CONFIRMERS };

export const MOBILE_COOKIE = 'laowu_mobile';
export const CODE_TTL_SECONDS = 5 * 60;
export const SESSION_DAYS = 7;
/** Sign-in code limits per number (issue 9): 1 a minute, 5 an hour, 10 a day. */
export const CODE_LIMITS = { minute: 1, hour: 5, day: 10 } as const;
/**
 * Per client address (request.ip): one address may not have codes sent to any number of phones.
 * Generous, because a carrier's NAT puts many phones behind one address.
 */
export const CODE_LIMITS_PER_ADDRESS = { hour: 20, day: 50 } as const;
/** Wrong codes in an hour, per number and per client address, before sign-in is refused for the hour. */
export const LOGIN_TRIES_PER_HOUR = { phone: 10, address: 20 } as const;
/** Wrong tries that spend a code. */
export const MAX_ATTEMPTS = 5;

const laborerCtx = (l: { laborerId: string; ip: string }): AuditContext => ({
  actor: null,
  ip: l.ip,
  claimedUsername: `laborer:${l.laborerId}`,
});
const staffCtx = (actor: Actor): AuditContext => ({ actor, ip: actor.ip });

export function createMobileService({
  config,
  audit,
  matching,
  referrals,
  laborers,
  fairs,
  sendNow,
}: {
  config: Config;
  audit: AuditLog;
  matching: Pick<MatchingService, 'ownRecommendations'>;
  referrals: Pick<ReferralsService, 'applySelf'>;
  laborers: Pick<LaborersService, 'update'>;
  fairs: Pick<FairsService, 'applyOnline' | 'onlineFairFor' | 'onlineFairsFor'>;
  sendNow: (ref: string, to: string, text: string) => Promise<void>;
}) {
  const codeHash = (phoneIndex: Buffer, code: string) => hmacSm3(config.secrets.identifierIndexKey, 'mobile-code:', phoneIndex, code);

  function phoneOf(raw: string): string {
    const parsed = parseMobile(raw);
    if (!parsed.ok) throw new AppError('VALIDATION_FAILED', PHONE_FORMAT_MESSAGE, [{ field: 'body.phone', message: PHONE_FORMAT_MESSAGE }]);
    return parsed.value;
  }

  const brief = (row: NonNullable<Awaited<ReturnType<typeof postingById>>>): PostingBrief => ({
    id: String(row.id),
    title: row.title,
    employerId: String(row.employer_id),
    employerName: row.employer_name,
    employerKind: row.employer_kind,
    occupationCode: row.occupation_code,
    occupationLabel: occupationByCode(row.occupation_code)?.name ?? row.occupation_code,
    workRegionCode: row.work_region_code,
    place: row.place,
    wageMin: row.wage_min,
    wageMax: row.wage_max,
    food: row.food,
    housing: row.housing,
    openings: Math.max(0, row.headcount - row.filled),
    reservedForPoor: row.reserved_for_poor,
    validTo: row.valid_to,
  });

  return {
    /**
     * A sign-in code by SMS. Every request counts against the limits of the client address, of
     * the whole platform and of the number, whether or not the registry knows the number, and
     * the answer is the same either way — a gateway failure included: the page never tells who
     * is a registered laborer. Only a registered number is sent a code.
     */
    async requestCode(tx: Tx, rawPhone: string, ip: string) {
      const phone = phoneOf(rawPhone);
      const index = phoneIndexOf(config, phone);
      await repo.lockCodeRequests(tx, ip, index);
      const from = await repo.codeRequestsFrom(tx, ip);
      if (from.hour >= CODE_LIMITS_PER_ADDRESS.hour || from.day >= CODE_LIMITS_PER_ADDRESS.day) {
        throw new AppError('MOBILE_CODE_RATE', '本网络获取验证码的次数过多，请稍后再试');
      }
      if (from.overall >= config.sms.mobileCodesPerHour) throw new AppError('MOBILE_CODE_RATE', '验证码发送繁忙，请稍后再试');
      const dayStart = chinaDayStart(chinaToday());
      const n = await repo.codeRequests(tx, index, dayStart);
      if (n.minute >= CODE_LIMITS.minute)
        throw new AppError('MOBILE_CODE_RATE', '验证码每分钟只能获取 1 次，请稍后再试', { retryAfterSeconds: 60 });
      if (n.hour >= CODE_LIMITS.hour) throw new AppError('MOBILE_CODE_RATE', '该号码 1 小时内获取验证码已达 5 次，请稍后再试');
      if (n.day >= CODE_LIMITS.day) throw new AppError('MOBILE_CODE_RATE', '该号码今日获取验证码已达 10 次，请明天再试');
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      const laborer = await smsRepo.laborerByPhone(tx, index);
      // An unknown number's request is recorded (it counts) with a code nobody receives.
      const id = await repo.insertCode(tx, index, codeHash(index, laborer ? code : randomToken(8)), CODE_TTL_SECONDS, ip);
      // Recorded alike for every number; what the gateway says is recorded when the message has gone.
      const context = { actor: null, ip, claimedUsername: laborer ? `laborer:${laborer.id}` : 'mobile' };
      await audit.record(tx, context, {
        action: 'mobile.code',
        entity: 'mobile_code',
        entityId: id,
        details: { phone: maskPhone(phone), known: Boolean(laborer) },
      });
      // The message leaves after the answer, which therefore takes as long for an unknown number as
      // for a registered one: awaiting the gateway here made a registered number's answer slower,
      // a timing oracle of who is registered (issue 15). A gateway failure is audited, never answered.
      const deliver = laborer
        ? async (db: Db) => {
            const sent = await sendNow(
              `otp-${id}`,
              phone,
              withSignature(
                config.sms.signature,
                `您的登录验证码为${code}，${CODE_TTL_SECONDS / 60}分钟内有效，仅可使用一次。如非本人操作请忽略。`,
              ),
            ).then(
              () => true,
              () => false,
            );
            await db.transaction().execute((t2) =>
              audit.record(t2, context, {
                action: 'mobile.code_sent',
                entity: 'mobile_code',
                entityId: id,
                result: sent ? 'success' : 'failure',
                details: { phone: maskPhone(phone) },
              }),
            );
          }
        : null;
      return {
        answer: { message: '如该号码已在劳动力信息库登记，验证码将以短信发送，5分钟内有效', expiresInSeconds: CODE_TTL_SECONDS },
        deliver,
      };
    },

    /**
     * Signs in with the code: it works once, within 5 minutes; 5 wrong tries spend it. A refusal
     * is committed with its count and audit row (its own transaction is not rolled back: the
     * refusal is thrown after it), so wrong guesses add up; the tries per number and per client
     * address in an hour are limited. Returns the session token.
     */
    async login(db: Db, rawPhone: string, code: string, ip: string): Promise<{ token: string; laborerId: string }> {
      const phone = phoneOf(rawPhone);
      const index = phoneIndexOf(config, phone);
      const context: AuditContext = { actor: null, ip, claimedUsername: 'mobile' };
      const outcome = await db.transaction().execute(async (tx): Promise<{ refused: AppError } | { token: string; laborerId: string }> => {
        const refuse = async (error: AppError, entityId: string | null, result: 'failure' | 'denied' = 'failure') => {
          await audit.record(tx, context, {
            action: 'mobile.login',
            entity: 'mobile_code',
            entityId,
            result,
            details: { phone: maskPhone(phone), reason: error.code },
          });
          return { refused: error };
        };
        const tries = await repo.recentLoginFailures(tx, index, ip);
        if (tries.phone >= LOGIN_TRIES_PER_HOUR.phone || tries.ip >= LOGIN_TRIES_PER_HOUR.address) {
          return refuse(new AppError('MOBILE_LOGIN_RATE'), null, 'denied');
        }
        const codes = await repo.recentCodes(tx, index);
        const hash = codeHash(index, code);
        const match = codes.find((c) => c.code_hash.equals(hash));
        if (!match) {
          await repo.insertLoginFailure(tx, index, ip);
          await repo.countFailedAttempt(
            tx,
            codes.filter((c) => !c.used && !c.expired).map((c) => c.id),
            MAX_ATTEMPTS,
          );
          return refuse(new AppError('MOBILE_CODE_INVALID', '验证码错误，请核对短信中的 6 位数字'), codes[0]?.id ?? null);
        }
        if (match.used) return refuse(new AppError(match.attempts >= MAX_ATTEMPTS ? 'MOBILE_CODE_SPENT' : 'MOBILE_CODE_USED'), match.id);
        if (match.expired) return refuse(new AppError('MOBILE_CODE_EXPIRED'), match.id);
        const laborer = await smsRepo.laborerByPhone(tx, index);
        if (!laborer || !(await repo.spendCode(tx, match.id))) return refuse(new AppError('MOBILE_CODE_USED'), match.id);
        const token = randomToken();
        await repo.insertSession(tx, sm3(token), laborer.id, SESSION_DAYS);
        await audit.record(tx, laborerCtx({ laborerId: laborer.id, ip }), {
          action: 'mobile.login',
          entity: 'laborer',
          entityId: laborer.id,
        });
        return { token, laborerId: laborer.id };
      });
      if ('refused' in outcome) throw outcome.refused;
      return outcome;
    },

    async resolve(db: DbOrTx, token: string | undefined, ip: string): Promise<MobileLaborer | null> {
      if (!token || token.length > 100) return null;
      const tokenHash = sm3(token);
      const s = await repo.findSession(db, tokenHash);
      return s ? { laborerId: s.laborer_id, name: s.name, villageCode: s.home_village_code, tokenHash, ip } : null;
    },

    async logout(tx: Tx, l: MobileLaborer) {
      await repo.deleteSession(tx, l.tokenHash);
      await audit.record(tx, laborerCtx(l), { action: 'mobile.logout', entity: 'laborer', entityId: l.laborerId });
    },

    /** The own card, identifiers masked. */
    async me(tx: Tx, l: MobileLaborer): Promise<MobileMe> {
      const c = await repo.ownCard(tx, l.laborerId);
      if (!c) throw new AppError('NOT_FOUND');
      const pending = await repo.pendingWish(tx, l.laborerId);
      await audit.record(tx, laborerCtx(l), { action: 'mobile.view', entity: 'laborer', entityId: l.laborerId });
      return {
        id: c.id,
        name: c.name,
        idNumberMasked: c.id_masked,
        phoneMasked: c.phone_masked,
        sex: c.sex,
        age: ageOn(c.birth_date, chinaToday()),
        village: c.village,
        education: c.education,
        employmentStatus: c.employment_status,
        skills: c.skills,
        wishes: { willingness: c.willingness, wantedJobTypes: c.wanted_job_types, expectedWage: c.expected_wage },
        pendingWishes: pending ? { id: pending.id, changes: pending.changes, createdAt: new Date(pending.created_at).toISOString() } : null,
        smsOptedOut: c.phone_index ? await smsRepo.isOptedOut(tx, c.phone_index) : false,
      };
    },

    /** The matching engine's recommendations for the own card, with its reasons in plain words. */
    async recommendations(tx: Tx, l: MobileLaborer) {
      const r = await matching.ownRecommendations(tx, l.laborerId, laborerCtx(l), 10);
      const applied = await repo.openApplications(tx, l.laborerId);
      return {
        refused: r.refused,
        items: r.items.map((i) => ({ reasons: i.reasons, posting: i.posting, applied: applied.has(i.posting.id) })),
      };
    },

    /** The postings a short link's message named — only the laborer's own message opens. */
    async link(tx: Tx, l: MobileLaborer, code: string) {
      const messageId = messageIdOfCode(code);
      const ids = messageId ? await repo.messagePostings(tx, messageId, l.laborerId) : null;
      if (!ids) return { items: [] };
      const applied = await repo.openApplications(tx, l.laborerId);
      const items = [];
      for (const id of ids) {
        const row = await postingById(tx, id);
        if (row && row.status === 'open' && row.filled < row.headcount)
          items.push({ posting: brief(row), applied: applied.has(String(row.id)) });
      }
      return { items };
    },

    // ---- online fairs (issue 19 item 6): the fairs service owns them; this is the laborer's side ----

    async fairs(tx: Tx, l: MobileLaborer) {
      return { items: await fairs.onlineFairsFor(tx, l, laborerCtx(l)) };
    },

    /** An online fair and its postings still open, each with whether the laborer applied at this fair. */
    async fair(tx: Tx, l: MobileLaborer, fairId: string) {
      const { fair, postingIds, applied } = await fairs.onlineFairFor(tx, l, fairId, laborerCtx(l));
      const items = [];
      for (const id of postingIds) {
        const row = await postingById(tx, id);
        if (row && row.status === 'open' && row.filled < row.headcount) items.push({ posting: brief(row), applied: applied.has(id) });
      }
      return { fair, items };
    },

    async applyAtFair(tx: Tx, l: MobileLaborer, fairId: string, postingId: string) {
      return fairs.applyOnline(tx, l, fairId, postingId, laborerCtx(l));
    },

    /** Applies for a posting: a self referral through the referrals service. */
    async apply(tx: Tx, l: MobileLaborer, postingId: string) {
      return referrals.applySelf(tx, l.laborerId, postingId, laborerCtx(l));
    },

    async applications(tx: Tx, l: MobileLaborer) {
      const rows = await repo.applications(tx, l.laborerId);
      return {
        items: rows.map((r) => ({
          id: r.id,
          postingId: r.posting_id,
          title: r.title,
          employerName: r.employer_name,
          status: r.status,
          createdAt: new Date(r.created_at).toISOString(),
        })),
      };
    },

    /** New wishes: a pending ledger change; the card changes when the village officer confirms it. */
    async wishes(tx: Tx, l: MobileLaborer, input: WishesInput) {
      const c = await repo.ownCard(tx, l.laborerId);
      if (!c) throw new AppError('NOT_FOUND');
      const changes = {
        willingness: input.willingness,
        wantedJobTypes: [...new Set(input.wantedJobTypes.map((w) => w.trim()).filter(Boolean))],
        expectedWage: input.expectedWage,
      };
      const same =
        changes.willingness === c.willingness &&
        changes.expectedWage === c.expected_wage &&
        JSON.stringify([...changes.wantedJobTypes].sort()) === JSON.stringify([...c.wanted_job_types].sort());
      if (same && !(await repo.pendingWish(tx, l.laborerId))) throw new AppError('MOBILE_WISH_UNCHANGED');
      const id = await repo.upsertWish(tx, l.laborerId, c.home_village_code, changes);
      await audit.record(tx, laborerCtx(l), {
        action: 'mobile.wishes',
        entity: 'laborer_wish_request',
        entityId: id,
        details: { laborer: l.laborerId, changes },
      });
      return { id, status: 'pending' };
    },

    /** Opt out of SMS pushes, or back in. */
    async smsPreference(tx: Tx, l: MobileLaborer, receive: boolean) {
      const c = await repo.ownCard(tx, l.laborerId);
      if (!c?.phone_index || !c.phone_masked) throw new AppError('NOT_FOUND', '信息卡上没有手机号');
      if (receive) await smsRepo.optIn(tx, c.phone_index);
      else await smsRepo.optOut(tx, c.phone_index, c.phone_masked, 'mobile');
      await audit.record(tx, laborerCtx(l), {
        action: receive ? 'sms.opt_in' : 'sms.opt_out',
        entity: 'laborer',
        entityId: l.laborerId,
        details: { via: 'mobile' },
      });
      return { smsOptedOut: !receive };
    },

    // ---- staff: the wishes sent from phones ----

    /** The wish requests waiting in the actor's region: the list's total, unaudited (the workbench audits its view). */
    async countWishes(tx: DbOrTx, actor: Actor): Promise<number> {
      return (await repo.listWishes(tx, actor.regionCode, 1, 0)).total;
    },

    async listWishes(tx: Tx, actor: Actor, query: { page?: number; pageSize?: number }) {
      const size = query.pageSize ?? 20;
      const { rows, total } = await repo.listWishes(tx, actor.regionCode, size, ((query.page ?? 1) - 1) * size);
      await audit.record(tx, staffCtx(actor), {
        action: 'mobile.wishes.list',
        entity: 'laborer_wish_request',
        details: { shown: rows.length },
      });
      return {
        total,
        items: rows.map((w) => ({
          id: w.id,
          laborer: { id: w.laborer_id, name: w.name, villageName: w.village_name },
          current: { willingness: w.willingness, wantedJobTypes: w.wanted_job_types, expectedWage: w.expected_wage },
          changes: w.changes,
          status: w.status,
          createdAt: new Date(w.created_at).toISOString(),
        })),
      };
    },

    /** Confirms the wishes into the card through the registry service: an ordinary ledger version, by the confirming officer. */
    async decideWish(tx: Tx, actor: Actor, id: string, decision: 'confirm' | 'reject', note?: string) {
      const w = await repo.findWish(tx, id);
      if (!w || !REGION_STAFF_ROLES.includes(actor.role) || !w.village_code.startsWith(actor.regionCode)) {
        throw new AppError('NOT_FOUND').audited(staffCtx(actor), {
          action: `mobile.wishes.${decision}`,
          entity: 'laborer_wish_request',
          entityId: id,
          result: 'denied',
        });
      }
      if (w.status !== 'pending') throw new AppError('MOBILE_WISH_NOT_PENDING');
      if (decision === 'confirm') {
        await laborers.update(tx, actor, w.laborer_id, {
          willingness: w.changes.willingness as never,
          wantedJobTypes: w.changes.wantedJobTypes,
          expectedWage: w.changes.expectedWage,
          reason: `劳动者本人在手机端申请修改就业意愿，${actor.displayName}核实确认${note?.trim() ? `：${note.trim()}` : ''}`,
        });
      }
      await repo.decideWish(tx, id, decision === 'confirm' ? 'confirmed' : 'rejected', actor.id, note?.trim() || null);
      await audit.record(tx, staffCtx(actor), {
        action: `mobile.wishes.${decision}`,
        entity: 'laborer_wish_request',
        entityId: id,
        details: { laborer: w.laborer_id },
      });
      return { id, status: decision === 'confirm' ? 'confirmed' : 'rejected' };
    },
  };
}

export type MobileService = ReturnType<typeof createMobileService>;
