import { FIELD_OFFLINE_DAYS, type FieldKey } from '../../../../contracts/field.ts';
import type { DbOrTx } from '../../db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import type { AuditLog } from '../../platform/audit.ts';
import { hmacSm3 } from '../../platform/crypto.ts';
import { AppError } from '../../platform/errors.ts';
import { accountsRepo } from '../accounts/index.ts';
import * as repo from './device-key.repo.ts';

/**
 * The phone's device key (issue 19 item 4). The officer's offline copy and outbox are encrypted on
 * the phone under a key only the server can give: released to the officer signed in with an
 * enabled account, audited; replaced by a new generation when the officer signs out of the phone,
 * so whatever a phone kept under the old one cannot be opened again and cannot sync.
 *
 * The key is derived, never stored: HMAC-SM3 of the account and its generation under a secret
 * itself derived from the installation's identifier key (as platform/sealed-file.ts derives its
 * keys). The database holds only the current generation; whoever can read the identifiers at rest
 * could derive the keys anyway, and nothing else can.
 */
export function createDeviceKeyService({ audit, identifierKey }: { audit: AuditLog; identifierKey: Buffer }) {
  const secret = hmacSm3(identifierKey, 'laowu:field-device-key');
  const keyOf = (accountId: string, generation: number) => hmacSm3(secret, `${accountId}:${generation}`).toString('base64url');
  const ctx = (actor: Actor) => ({ actor, ip: actor.ip });

  /**
   * The account as it stands in the database now, not as the session found it: an account disabled
   * while this request was on its way neither takes the key nor syncs (disabling also ends its sessions).
   */
  async function assertEnabled(tx: DbOrTx, actor: Actor, action: string) {
    const account = await accountsRepo.findById(tx, actor.id);
    if (account?.status === 'active') return;
    throw new AppError('ACCOUNT_DISABLED', '账号已停用，不能领取手机密钥或同步，请联系县级管理员').audited(ctx(actor), {
      action,
      entity: 'account',
      entityId: actor.id,
      result: 'denied',
      details: { reason: 'ACCOUNT_DISABLED' },
    });
  }

  return {
    /** The current generation's key, to the officer signed in (at sign-in on the phone). */
    async release(tx: DbOrTx, actor: Actor): Promise<FieldKey> {
      await assertEnabled(tx, actor, 'field.key_release');
      const generation = await repo.release(tx, actor.id);
      await audit.record(tx, ctx(actor), {
        action: 'field.key_release',
        entity: 'account',
        entityId: actor.id,
        details: { keyGeneration: generation },
      });
      return { generation, key: keyOf(actor.id, generation), releasedAt: new Date().toISOString(), offlineDays: FIELD_OFFLINE_DAYS };
    },

    /** Sign-out on the phone: a new generation; the phone deletes its key and copy. */
    async rotate(tx: DbOrTx, actor: Actor): Promise<void> {
      const generation = await repo.rotate(tx, actor.id);
      await audit.record(tx, ctx(actor), {
        action: 'field.key_rotate',
        entity: 'account',
        entityId: actor.id,
        details: { keyGeneration: generation },
      });
    },

    /**
     * A package or a sync from a phone holding `generation`: the account enabled, and the generation
     * the current one. An older one is a copy the officer signed out of (or one from before the
     * last sign-out on another phone): refused, audited.
     */
    async admit(tx: DbOrTx, actor: Actor, generation: number, action: 'field.package' | 'field.sync') {
      await assertEnabled(tx, actor, action);
      const current = await repo.current(tx, actor.id);
      if (generation === current) return;
      throw new AppError(generation < current ? 'FIELD_KEY_ROTATED' : 'FIELD_KEY_UNKNOWN').audited(ctx(actor), {
        action,
        entity: 'account',
        entityId: actor.id,
        result: 'denied',
        details: {
          reason: generation < current ? 'FIELD_KEY_ROTATED' : 'FIELD_KEY_UNKNOWN',
          keyGeneration: generation,
          currentKeyGeneration: current,
        },
      });
    },
  };
}

export type DeviceKeyService = ReturnType<typeof createDeviceKeyService>;
