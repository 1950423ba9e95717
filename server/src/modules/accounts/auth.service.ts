import argon2 from 'argon2';
import * as OTPAuth from 'otpauth';
import type { Me } from '../../../../contracts/auth.ts';
import type { Config } from '../../config.ts';
import type { Db, DbOrTx } from '../../db/database.ts';
import type { Actor, AuditContext } from '../../platform/actor.ts';
import type { AuditLog } from '../../platform/audit.ts';
import { randomToken, sm3, sm4Decrypt, sm4Encrypt } from '../../platform/crypto.ts';
import { AppError } from '../../platform/errors.ts';
import { regionLevelOf } from '../../platform/access.ts';
import { regionRefs } from '../regions/index.ts';
import * as repo from './accounts.repo.ts';
import type { AccountRecord } from './accounts.repo.ts';
import { ARGON2_OPTIONS, hashPassword } from './accounts.service.ts';
import { assertStrongPassword } from './password-policy.ts';

/** 5 failures lock the account for 15 minutes (issue 3 §4). */
export const LOCK_AFTER_FAILURES = 5;
export const LOCK_MINUTES = 15;
/** last_seen_at is written at most once a minute, so reads do not all become writes. */
const TOUCH_INTERVAL_MS = 60_000;

export interface LoginInput {
  username: string;
  password: string;
  totp?: string;
}

export interface ResolvedSession {
  actor: Actor;
  totpSetupRequired: boolean;
  tokenHash: Buffer;
}

let dummyHash: Promise<string> | null = null;

/** The actor an account acts as, from `ip`: what a session's requests carry, an import's run or the CLI's. */
export const toActor = (a: AccountRecord, ip: string): Actor => ({
  id: a.id,
  username: a.username,
  displayName: a.displayName,
  role: a.role,
  regionCode: a.regionCode,
  regionLevel: regionLevelOf(a.regionCode),
  hostRegionCode: a.hostRegionCode,
  totpEnabled: a.totpEnabled,
  ip,
});

/** The named account as an actor from `ip`: the benchmarks' and tests' calls of a service, as its user. */
export async function actorOf(db: DbOrTx, username: string, ip = '127.0.0.1'): Promise<Actor> {
  const account = await repo.findByUsername(db, username);
  if (!account) throw new Error(`no account ${username}`);
  return toActor(account, ip);
}

export function createAuthService({ db, audit, config }: { db: Db; audit: AuditLog; config: Config }) {
  const totpKey = config.secrets.identifierKey;

  const totpSetupRequired = (a: { role: string; totpEnabled: boolean }) =>
    config.requireTotpForAdmins && a.role === 'admin' && !a.totpEnabled;

  const totpFor = (account: AccountRecord, secret: string) =>
    new OTPAuth.TOTP({
      issuer: 'Laowu',
      label: account.username,
      algorithm: 'SHA1',
      digits: 6,
      period: 30,
      secret: OTPAuth.Secret.fromBase32(secret),
    });

  /** Write the audit row of a refused attempt in its own transaction, so it survives the refusal. */
  async function refuse(
    context: AuditContext,
    code: 'INVALID_CREDENTIALS' | 'ACCOUNT_LOCKED' | 'ACCOUNT_DISABLED' | 'TOTP_INVALID' | 'TOTP_REPLAYED' | 'TOTP_REQUIRED',
    entityId: string | null,
    work?: (tx: DbOrTx) => Promise<void>,
  ): Promise<never> {
    await db.transaction().execute(async (tx) => {
      if (work) await work(tx);
      await audit.record(tx, context, {
        action: 'auth.login',
        entity: 'account',
        entityId,
        result: code === 'ACCOUNT_LOCKED' || code === 'ACCOUNT_DISABLED' ? 'denied' : 'failure',
        details: { reason: code },
      });
    });
    throw new AppError(code);
  }

  /**
   * Checks a TOTP code and spends its time step: a code is accepted once. Returns why not, or null.
   * The step is claimed atomically, so of two requests carrying the same code only one passes.
   */
  async function spendTotp(
    db: DbOrTx,
    account: AccountRecord,
    secret: string,
    code: string,
  ): Promise<'TOTP_INVALID' | 'TOTP_REPLAYED' | null> {
    const totp = totpFor(account, sm4Decrypt(totpKey, secret));
    const timestamp = Date.now();
    const delta = totp.validate({ token: code, timestamp, window: 1 });
    if (delta === null) return 'TOTP_INVALID';
    return (await repo.claimTotpStep(db, account.id, totp.counter({ timestamp }) + delta)) ? null : 'TOTP_REPLAYED';
  }

  return {
    async login(input: LoginInput, ip: string, userAgent: string | null): Promise<{ token: string; actor: Actor }> {
      const context: AuditContext = { actor: null, ip, claimedUsername: input.username.slice(0, 64) };
      const account = await repo.findByUsername(db, input.username);
      if (!account) {
        // A username no account has fails and locks exactly like an account: the sixth try answers
        // 423 either way, so the answers do not reveal which usernames exist.
        const usernameKey = input.username.toLowerCase().slice(0, 64);
        const lockedUntil = await repo.unknownUsernameLockedUntil(db, usernameKey);
        if (lockedUntil && lockedUntil > new Date()) return refuse(context, 'ACCOUNT_LOCKED', null);
        // Spend the same time as a real check, so response times do not reveal which usernames exist.
        dummyHash ??= argon2.hash('laowu-dummy-password', ARGON2_OPTIONS);
        await argon2.verify(await dummyHash, input.password);
        return refuse(context, 'INVALID_CREDENTIALS', null, async (tx) => {
          await repo.recordUnknownUsernameFailure(tx, usernameKey, LOCK_AFTER_FAILURES, LOCK_MINUTES);
        });
      }
      if (account.lockedUntil && account.lockedUntil > new Date()) {
        return refuse(context, 'ACCOUNT_LOCKED', account.id);
      }
      const passwordOk = await argon2.verify(account.passwordHash, input.password);
      if (!passwordOk) {
        return refuse(context, 'INVALID_CREDENTIALS', account.id, async (tx) => {
          await repo.recordFailedLogin(tx, account.id, LOCK_AFTER_FAILURES, LOCK_MINUTES);
        });
      }
      if (account.status !== 'active') return refuse(context, 'ACCOUNT_DISABLED', account.id);
      if (account.totpEnabled && account.totpSecret) {
        if (!input.totp) throw new AppError('TOTP_REQUIRED');
        const refused = await spendTotp(db, account, account.totpSecret, input.totp);
        if (refused) {
          return refuse(context, refused, account.id, async (tx) => {
            await repo.recordFailedLogin(tx, account.id, LOCK_AFTER_FAILURES, LOCK_MINUTES);
          });
        }
      }
      const token = randomToken();
      const actor = toActor(account, ip);
      await db.transaction().execute(async (tx) => {
        await repo.update(tx, account.id, { failedLogins: 0, lockedUntil: null });
        await repo.insertSession(tx, sm3(token), account.id, ip, userAgent?.slice(0, 300) ?? null);
        await audit.record(tx, { actor, ip }, { action: 'auth.login', entity: 'account', entityId: account.id });
      });
      return { token, actor };
    },

    /** The cookie's token → the signed-in actor, or why not. */
    async resolve(token: string, ip: string): Promise<ResolvedSession | 'expired' | null> {
      if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
      const tokenHash = sm3(token);
      const found = await repo.findSession(db, tokenHash);
      if (!found) return null;
      const idleMs = Date.now() - found.lastSeenAt.getTime();
      // Idle for too long, or signed in too long ago however busy (an absolute lifetime: a stolen cookie does not live forever).
      if (idleMs > config.sessionIdleMinutes * 60_000 || Date.now() - found.createdAt.getTime() > config.sessionMaxHours * 3_600_000) {
        await repo.deleteSession(db, tokenHash);
        return 'expired';
      }
      if (found.account.status !== 'active') {
        await repo.deleteSession(db, tokenHash);
        return null;
      }
      if (idleMs > TOUCH_INTERVAL_MS) await repo.touchSession(db, tokenHash);
      return { actor: toActor(found.account, ip), totpSetupRequired: totpSetupRequired(found.account), tokenHash };
    },

    async logout(actor: Actor, tokenHash: Buffer) {
      await db.transaction().execute(async (tx) => {
        await repo.deleteSession(tx, tokenHash);
        await audit.record(tx, { actor, ip: actor.ip }, { action: 'auth.logout', entity: 'account', entityId: actor.id });
      });
    },

    async me(actor: Actor): Promise<Me> {
      const refs = await regionRefs(db, [actor.regionCode, actor.hostRegionCode]);
      return {
        id: actor.id,
        username: actor.username,
        displayName: actor.displayName,
        role: actor.role,
        region: refs.get(actor.regionCode)!,
        hostRegion: actor.hostRegionCode ? (refs.get(actor.hostRegionCode) ?? null) : null,
        totpEnabled: actor.totpEnabled,
        totpSetupRequired: totpSetupRequired(actor),
      };
    },

    /** A password change ends every session of the account, this one included. */
    async changePassword(actor: Actor, oldPassword: string, newPassword: string) {
      const account = await repo.findById(db, actor.id);
      if (!account || !(await argon2.verify(account.passwordHash, oldPassword))) {
        await db
          .transaction()
          .execute((tx) =>
            audit.record(
              tx,
              { actor, ip: actor.ip },
              { action: 'auth.change_password', entity: 'account', entityId: actor.id, result: 'failure' },
            ),
          );
        throw new AppError('INVALID_CREDENTIALS', '原密码错误');
      }
      if (oldPassword === newPassword) throw new AppError('PASSWORD_REUSED');
      assertStrongPassword(newPassword, account.username);
      const hash = await hashPassword(newPassword);
      await db.transaction().execute(async (tx) => {
        await repo.update(tx, actor.id, { passwordHash: hash });
        const ended = await repo.deleteSessionsOf(tx, actor.id);
        await audit.record(
          tx,
          { actor, ip: actor.ip },
          { action: 'auth.change_password', entity: 'account', entityId: actor.id, details: { sessionsEnded: ended } },
        );
      });
    },

    async totpSetup(actor: Actor) {
      const account = (await repo.findById(db, actor.id))!;
      if (account.totpEnabled) throw new AppError('CONFLICT', '已启用动态验证码');
      const secret = new OTPAuth.Secret({ size: 20 }).base32;
      await db.transaction().execute(async (tx) => {
        await repo.update(tx, actor.id, { totpSecret: sm4Encrypt(totpKey, secret), totpEnabled: false, totpLastStep: null });
        await audit.record(tx, { actor, ip: actor.ip }, { action: 'auth.totp_setup', entity: 'account', entityId: actor.id });
      });
      return { secret, otpauthUrl: totpFor(account, secret).toString() };
    },

    async totpEnable(actor: Actor, code: string) {
      const account = (await repo.findById(db, actor.id))!;
      if (account.totpEnabled) throw new AppError('CONFLICT', '已启用动态验证码');
      if (!account.totpSecret) throw new AppError('CONFLICT', '请先生成动态验证码密钥');
      await db.transaction().execute(async (tx) => {
        // The code that enables the second factor is spent like any other.
        const refused = await spendTotp(tx, account, account.totpSecret!, code);
        if (refused) throw new AppError(refused);
        await repo.update(tx, actor.id, { totpEnabled: true });
        await audit.record(tx, { actor, ip: actor.ip }, { action: 'auth.totp_enable', entity: 'account', entityId: actor.id });
      });
    },

    /** Turning the second factor off takes the password and a current code: a session alone (a stolen cookie) cannot. */
    async totpDisable(actor: Actor, password: string, code: string) {
      if (config.requireTotpForAdmins && actor.role === 'admin') throw new AppError('FORBIDDEN', '管理员账号必须启用动态验证码');
      const account = (await repo.findById(db, actor.id))!;
      if (!(await argon2.verify(account.passwordHash, password))) throw new AppError('INVALID_CREDENTIALS', '密码错误');
      if (!account.totpEnabled || !account.totpSecret) throw new AppError('CONFLICT', '尚未启用动态验证码');
      await db.transaction().execute(async (tx) => {
        const refused = await spendTotp(tx, account, account.totpSecret!, code);
        if (refused) throw new AppError(refused);
        await repo.update(tx, actor.id, { totpEnabled: false, totpSecret: null, totpLastStep: null });
        await audit.record(tx, { actor, ip: actor.ip }, { action: 'auth.totp_disable', entity: 'account', entityId: actor.id });
      });
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
