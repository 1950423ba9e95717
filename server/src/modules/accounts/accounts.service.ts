import argon2 from 'argon2';
import type { Account } from '../../../../contracts/accounts.ts';
import type { DbOrTx } from '../../db/database.ts';
import type { Role } from '../../db/schema.ts';
import type { Actor, AuditContext } from '../../platform/actor.ts';
import type { AuditLog } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { regionRefs, requireRegion } from '../regions/index.ts';
import * as repo from './accounts.repo.ts';
import type { AccountRecord } from './accounts.repo.ts';
import { assertStrongPassword } from './password-policy.ts';
import { LEVEL_LABELS, ROLE_LEVELS, auditorSeparation, grantableRoles, mayManage } from './roles.ts';

/** argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane). */
export const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;
export const hashPassword = (password: string) => argon2.hash(password, ARGON2_OPTIONS);

export interface AccountsDeps {
  audit: AuditLog;
}

const ctxOf = (actor: Actor): AuditContext => ({ actor, ip: actor.ip });

export async function presentAccounts(db: DbOrTx, records: AccountRecord[]): Promise<Account[]> {
  const refs = await regionRefs(
    db,
    records.flatMap((r) => [r.regionCode, r.hostRegionCode]),
  );
  const missing = (code: string) => ({ code, name: code, fullName: code, level: 'province' as const });
  return records.map((r) => ({
    id: r.id,
    username: r.username,
    displayName: r.displayName,
    role: r.role,
    region: refs.get(r.regionCode) ?? missing(r.regionCode),
    hostRegion: r.hostRegionCode ? (refs.get(r.hostRegionCode) ?? missing(r.hostRegionCode)) : null,
    status: r.status,
    totpEnabled: r.totpEnabled,
    lockedUntil: r.lockedUntil && r.lockedUntil > new Date() ? r.lockedUntil.toISOString() : null,
    createdAt: r.createdAt.toISOString(),
  }));
}

export interface NewAccountInput {
  username: string;
  displayName: string;
  password: string;
  role: Role;
  regionCode: string;
  hostRegionCode?: string;
}

/** Checks shared by the console and the CLI: role level, region existence, password policy. */
async function validateNewAccount(db: DbOrTx, input: NewAccountInput) {
  if (/[\u0000-\u001f\u007f]/.test(input.username) || !/^[A-Za-z0-9_.-]{3,32}$/.test(input.username)) {
    throw new AppError('VALIDATION_FAILED', '用户名须为 3–32 位字母、数字、下划线、点或连字符');
  }
  const region = await requireRegion(db, input.regionCode);
  if (!ROLE_LEVELS[input.role].includes(region.level)) {
    const levels = ROLE_LEVELS[input.role].map((l) => LEVEL_LABELS[l]).join('、');
    throw new AppError('VALIDATION_FAILED', `该角色只能绑定到${levels}行政区划`, { field: 'regionCode' });
  }
  let hostRegionCode: string | null = null;
  if (input.role === 'liaison_office') {
    if (!input.hostRegionCode) throw new AppError('VALIDATION_FAILED', '驻外劳务对接服务中心须指定所在城市', { field: 'hostRegionCode' });
    const host = await requireRegion(db, input.hostRegionCode);
    if (host.level !== 2) throw new AppError('VALIDATION_FAILED', '所在城市须为市级行政区划', { field: 'hostRegionCode' });
    hostRegionCode = host.code;
  } else if (input.hostRegionCode) {
    throw new AppError('VALIDATION_FAILED', '只有驻外劳务对接服务中心可以指定所在城市', { field: 'hostRegionCode' });
  }
  assertStrongPassword(input.password, input.username);
  if (await repo.usernameExists(db, input.username)) throw new AppError('USERNAME_TAKEN');
  return hostRegionCode;
}

export function createAccountsService({ audit }: AccountsDeps) {
  async function loadManageable(tx: DbOrTx, actor: Actor, id: string, action: string): Promise<AccountRecord> {
    const target = await repo.findById(tx, id, true);
    // Outside the actor's subtree the account "does not exist": no one learns it is there.
    if (!target || !actor.regionCode || !target.regionCode.startsWith(actor.regionCode)) throw new AppError('NOT_FOUND');
    if (!mayManage(actor, target.role, target.regionCode)) {
      const separation = auditorSeparation(actor, target.role);
      // A refused reach across the separation of duties is kept in the audit log (written after the rollback).
      if (separation)
        throw new AppError(separation).audited(ctxOf(actor), {
          action,
          entity: 'account',
          entityId: id,
          result: 'denied',
          details: { role: target.role },
        });
      throw new AppError('FORBIDDEN', '无权管理该账号');
    }
    return target;
  }

  return {
    grantableRoles: (actor: Actor) => [...grantableRoles(actor)],

    async list(
      db: DbOrTx,
      actor: Actor,
      query: { region?: string; role?: Role; status?: 'active' | 'disabled'; q?: string; page?: number; pageSize?: number },
    ) {
      if (query.region && !query.region.startsWith(actor.regionCode)) throw new AppError('REGION_OUT_OF_SCOPE');
      const pageSize = query.pageSize ?? 20;
      const page = query.page ?? 1;
      // An auditor manages auditors and reads nothing else (三权分立): its list holds auditors only.
      const auditorsOnly = actor.role === 'auditor';
      if (auditorsOnly && query.role && query.role !== 'auditor') return { items: [], total: 0 };
      const result = await repo.list(db, {
        scopeRegion: actor.regionCode,
        region: query.region,
        role: auditorsOnly ? 'auditor' : query.role,
        status: query.status,
        q: query.q,
        offset: (page - 1) * pageSize,
        limit: pageSize,
      });
      await audit.record(db, ctxOf(actor), {
        action: 'account.search',
        entity: 'account',
        details: { filter: { ...query }, returned: result.items.length, total: result.total },
      });
      return { items: await presentAccounts(db, result.items), total: result.total };
    },

    async get(db: DbOrTx, actor: Actor, id: string) {
      const target = await repo.findById(db, id);
      if (!target?.regionCode.startsWith(actor.regionCode) || (actor.role === 'auditor' && target.role !== 'auditor')) {
        throw new AppError('NOT_FOUND').audited(ctxOf(actor), {
          action: 'account.view',
          entity: 'account',
          entityId: id,
          result: 'denied',
        });
      }
      await audit.record(db, ctxOf(actor), { action: 'account.view', entity: 'account', entityId: id });
      return (await presentAccounts(db, [target]))[0];
    },

    async create(tx: DbOrTx, actor: Actor, input: NewAccountInput) {
      if (!grantableRoles(actor).includes(input.role) || (input.role === 'auditor' && input.regionCode === actor.regionCode)) {
        const separation = auditorSeparation(actor, input.role);
        if (separation) {
          throw new AppError(separation).audited(ctxOf(actor), {
            action: 'account.create',
            entity: 'account',
            result: 'denied',
            details: { username: input.username, role: input.role, regionCode: input.regionCode },
          });
        }
        throw new AppError('ROLE_NOT_GRANTABLE');
      }
      if (!input.regionCode.startsWith(actor.regionCode)) throw new AppError('REGION_OUT_OF_SCOPE');
      const hostRegionCode = await validateNewAccount(tx, input);
      const record = await repo.insert(tx, {
        username: input.username,
        displayName: input.displayName,
        role: input.role,
        regionCode: input.regionCode,
        hostRegionCode,
        passwordHash: await hashPassword(input.password),
        createdBy: actor.id,
      });
      await audit.record(tx, ctxOf(actor), {
        action: 'account.create',
        entity: 'account',
        entityId: record.id,
        details: { username: record.username, role: record.role, regionCode: record.regionCode, hostRegionCode },
      });
      return (await presentAccounts(tx, [record]))[0];
    },

    async update(tx: DbOrTx, actor: Actor, id: string, patch: { displayName?: string; status?: 'active' | 'disabled' }) {
      if (id === actor.id && patch.status === 'disabled') throw new AppError('FORBIDDEN', '不能停用自己的账号');
      const action = patch.status === 'disabled' ? 'account.disable' : patch.status === 'active' ? 'account.enable' : 'account.update';
      const target = await loadManageable(tx, actor, id, action);
      await repo.update(tx, id, patch);
      if (patch.status === 'disabled') await repo.deleteSessionsOf(tx, id);
      if (patch.status === 'active') await repo.update(tx, id, { failedLogins: 0, lockedUntil: null });
      await audit.record(tx, ctxOf(actor), {
        action,
        entity: 'account',
        entityId: id,
        details: { before: { displayName: target.displayName, status: target.status }, after: patch },
      });
      return (await presentAccounts(tx, [(await repo.findById(tx, id))!]))[0];
    },

    async resetPassword(tx: DbOrTx, actor: Actor, id: string, newPassword: string) {
      if (id === actor.id) throw new AppError('FORBIDDEN', '请在个人设置中修改自己的密码');
      const target = await loadManageable(tx, actor, id, 'account.reset_password');
      assertStrongPassword(newPassword, target.username);
      await repo.update(tx, id, { passwordHash: await hashPassword(newPassword), failedLogins: 0, lockedUntil: null });
      const ended = await repo.deleteSessionsOf(tx, id);
      await audit.record(tx, ctxOf(actor), {
        action: 'account.reset_password',
        entity: 'account',
        entityId: id,
        details: { sessionsEnded: ended },
      });
    },

    /** For the CLI and the generator: no actor, the operator of the machine is trusted. */
    async createSystemAccount(tx: DbOrTx, input: NewAccountInput, context: AuditContext = { actor: null, ip: null }) {
      const hostRegionCode = await validateNewAccount(tx, input);
      const record = await repo.insert(tx, {
        username: input.username,
        displayName: input.displayName,
        role: input.role,
        regionCode: input.regionCode,
        hostRegionCode,
        passwordHash: await hashPassword(input.password),
        createdBy: null,
      });
      await audit.record(
        tx,
        { ...context, claimedUsername: context.claimedUsername ?? 'cli' },
        {
          action: 'account.create',
          entity: 'account',
          entityId: record.id,
          details: { username: record.username, role: record.role, regionCode: record.regionCode, via: 'cli' },
        },
      );
      return record;
    },
  };
}

export type AccountsService = ReturnType<typeof createAccountsService>;
