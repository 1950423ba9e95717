import { useEffect, useState } from 'react';
import { FieldError, fieldApi, type Me } from './api.ts';
import { store } from './store.ts';
import { vault } from './vault.ts';

/**
 * The field page's side of the device key (issue 19 item 4; vault.ts holds the key): when the
 * copy may be opened, taking the key at sign-in, and closing the copy when the server refuses the
 * key. The page calls these at its few points: start, sign-in, a refused sync or package.
 */

/**
 * At start: true when the copy may be opened. After FIELD_OFFLINE_DAYS without a sync the key is
 * already deleted (vault.state), the copy is deleted here and the session ended, so the officer
 * signs in online again; the outbox stays, encrypted, for that sign-in to sync.
 */
export async function openCopy(): Promise<boolean> {
  const state = await vault.state();
  if (state === 'expired') {
    await store.clearCopy();
    await fieldApi.logout().catch(() => undefined);
  }
  await store.sealPlain();
  return state === 'open';
}

/**
 * At sign-in: the server releases the account's key, which the phone keeps (non-extractable). A
 * phone whose outbox still holds another officer's entries is not handed over until they are synced.
 */
export async function takeKey(user: Me): Promise<void> {
  const owner = await vault.owner();
  const waiting = await store.outboxCount();
  if (owner && owner.accountId !== user.id && waiting > 0) {
    await fieldApi.logout().catch(() => undefined);
    throw new Error(`手机上还有${owner.displayName}的 ${waiting} 条记录未同步，请先由该账号登录同步后再换人使用`);
  }
  let released: Awaited<ReturnType<typeof fieldApi.key>>;
  try {
    released = await fieldApi.key();
  } catch (e) {
    // A role the phone pages are not for: the sign-in page turns it away itself.
    if (e instanceof FieldError && e.code === 'FORBIDDEN') return;
    throw e;
  }
  if (owner && owner.accountId !== user.id) await store.clearAll();
  await vault.unlock(released, user.id, user.displayName);
  await store.sealPlain();
}

/**
 * A sync or package the server refused for the key itself (replaced by a sign-out elsewhere, or the
 * account disabled): the key and the copy are deleted, the outbox kept; true when it was that.
 */
export async function refusedKey(e: unknown): Promise<boolean> {
  if (!(e instanceof FieldError) || !['FIELD_KEY_ROTATED', 'FIELD_KEY_UNKNOWN', 'ACCOUNT_DISABLED'].includes(e.code)) return false;
  await vault.lapse(e.message);
  await store.clearCopy();
  return true;
}

/** On the sign-in page: why the copy was closed, and what still waits to be synced. */
export function VaultNotice() {
  const [notice, setNotice] = useState<{ text: string | null; waiting: number } | null>(null);
  useEffect(() => {
    Promise.all([vault.notice(), store.outboxCount()])
      .then(([text, waiting]) => setNotice({ text, waiting }))
      .catch(() => undefined);
  }, []);
  if (!notice || (!notice.text && !notice.waiting)) return null;
  return (
    <div className="f-notice" role="alert" data-testid="field-vault-notice">
      {notice.text ? <p>{notice.text}</p> : null}
      {notice.waiting ? <p>尚未同步的 {notice.waiting} 条记录仍加密保存在手机上，登录后自动同步。</p> : null}
    </div>
  );
}
