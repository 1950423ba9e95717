/**
 * The phone's device key (issue 19 item 4). Everything the field pages keep in IndexedDB — the
 * villages' copy and the outbox alike — is encrypted with AES-256-GCM under a key the server
 * releases to the officer at sign-in (GET /api/v1/field/key). The key is imported as a
 * non-extractable CryptoKey: the page can encrypt and decrypt with it, but no script can read it
 * out. It is kept in a database of its own beside two stamps, when it was released and when the
 * phone last synced:
 *
 * - sign-out (with nothing waiting) deletes the key and the copy, and the server replaces the key
 *   with a new generation, so anything left behind can never be opened;
 * - after FIELD_OFFLINE_DAYS without a sync the phone refuses to open its copy: the key and the
 *   copy are deleted, the outbox is kept (still encrypted), and once the officer signs in online
 *   again the server releases the same generation, under which the outbox decrypts and syncs.
 *
 * What this guards: a phone signed out, or left unsynced for a week, holds nothing readable; and
 * the copy is never written in the clear. What it cannot guard: while the key is on the phone, the
 * page (or someone holding the unlocked phone with this browser profile) can open the copy — that
 * is what the copy is for.
 */
import { FIELD_OFFLINE_DAYS, type FieldKey } from '../../../contracts/field.ts';

const DAY_MS = 86_400_000;

interface KeyRecord {
  name: 'key';
  key: CryptoKey;
  generation: number;
  accountId: string;
  /** When the server released the key to this phone (ms). */
  keyReleasedAt: number;
  /** The last time the server answered this phone's sync (or package, or sign-in) (ms). */
  lastSyncAt: number;
  /** The latest time the page was opened with the key (ms): a clock turned back behind it is caught. */
  seenAt: number;
  offlineDays: number;
}

/** Why the copy was closed, shown on the sign-in page (no personal data). */
interface NoticeRecord {
  name: 'notice';
  text: string;
}

/** The account whose key the phone last held, and so whose outbox it keeps. */
interface OwnerRecord {
  name: 'owner';
  accountId: string;
  displayName: string;
}

/** A value as the stores hold it: only its key in the clear. */
export interface Sealed {
  /** The key generation it was sealed under. */
  g: number;
  iv: Uint8Array<ArrayBuffer>;
  data: ArrayBuffer;
}

/** The copy may not be opened: no key on the phone (signed out), or the key has lapsed (FIELD_OFFLINE_DAYS). */
export class VaultLocked extends Error {
  constructor(readonly expired: boolean) {
    super(expired ? `超过 ${FIELD_OFFLINE_DAYS} 天未同步，手机上的离线数据已删除` : '请先登录');
  }
}

let opened: Promise<IDBDatabase> | null = null;
function vaultDb(): Promise<IDBDatabase> {
  if (!opened)
    opened = new Promise((resolve, reject) => {
      const request = indexedDB.open('laowu-field-vault', 1);
      request.onupgradeneeded = () => request.result.createObjectStore('vault', { keyPath: 'name' });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  return opened;
}

function vaultRun<T>(mode: IDBTransactionMode, work: (s: IDBObjectStore) => IDBRequest<T> | undefined): Promise<T> {
  return vaultDb().then(
    (d) =>
      new Promise<T>((resolve, reject) => {
        const tx = d.transaction(['vault'], mode);
        const request = work(tx.objectStore('vault'));
        tx.oncomplete = () => resolve(request ? request.result : (undefined as T));
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error);
      }),
  );
}

const readKey = () => vaultRun<KeyRecord | undefined>('readonly', (s) => s.get('key') as IDBRequest<KeyRecord | undefined>);
/** A phone's clock may be corrected by a little (network time); more than this back is a clock turned back. */
const CLOCK_BACK_MS = 3_600_000;
/**
 * Too long without a sync — or the phone's clock turned back behind the last time the page was
 * opened, which would otherwise stretch the days without a sync at will.
 */
const lapsed = (k: KeyRecord) => {
  const now = Date.now();
  return now - k.lastSyncAt > k.offlineDays * DAY_MS || now < Math.max(k.seenAt ?? 0, k.lastSyncAt) - CLOCK_BACK_MS;
};

function fromBase64url(text: string): Uint8Array<ArrayBuffer> {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  const binary = atob(b64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
/** What a sealed value is bound to: its store and its key, so a value cannot be moved to another record. */
const boundTo = (store: string, id: string) => encoder.encode(`${store}:${id}`);

/** The key, when the copy may be opened; why not otherwise. */
async function usableKey(): Promise<KeyRecord> {
  const k = await readKey();
  if (!k) throw new VaultLocked(false);
  if (lapsed(k)) throw new VaultLocked(true);
  return k;
}

export const vault = {
  /**
   * Whether the copy may be opened: 'open'; 'locked' (no key: signed out, or never signed in
   * here); 'expired' (FIELD_OFFLINE_DAYS without a sync: the key is deleted now, and the caller
   * deletes the copy).
   */
  async state(): Promise<'open' | 'locked' | 'expired'> {
    const k = await readKey();
    if (!k) return 'locked';
    if (!lapsed(k)) {
      await vaultRun('readwrite', (s) => s.put({ ...k, seenAt: Math.max(k.seenAt ?? 0, Date.now()) }));
      return 'open';
    }
    const turnedBack = Date.now() - k.lastSyncAt <= k.offlineDays * DAY_MS;
    await vault.lapse(
      `${turnedBack ? '手机时间被调早，无法确认距上次同步的天数' : `手机已超过 ${FIELD_OFFLINE_DAYS} 天未同步`}，按规定已删除手机上的离线信息卡。请到有网络的地方重新登录并同步，再重新下载本村信息卡。`,
    );
    return 'expired';
  },

  /** The key the server released at sign-in, imported so that it can never be read back out. */
  async unlock(released: FieldKey, accountId: string, displayName: string): Promise<void> {
    if (!globalThis.crypto?.subtle) throw new Error('此浏览器不支持加密存储，请用手机自带浏览器通过 https 打开');
    const key = await crypto.subtle.importKey('raw', fromBase64url(released.key), { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
    const now = Date.now();
    const record: KeyRecord = {
      name: 'key',
      key,
      generation: released.generation,
      accountId,
      keyReleasedAt: now,
      lastSyncAt: now,
      seenAt: now,
      offlineDays: released.offlineDays,
    };
    await vaultRun('readwrite', (s) => {
      s.put(record);
      s.put({ name: 'owner', accountId, displayName } satisfies OwnerRecord);
      s.delete('notice');
      return undefined;
    });
  },

  /** Whose entries the outbox holds: the account the key was last released to (kept when the key lapses). */
  owner: () => vaultRun<OwnerRecord | undefined>('readonly', (s) => s.get('owner') as IDBRequest<OwnerRecord | undefined>),

  /** The server answered a sync (or a package): the offline days count from now. */
  async synced(): Promise<void> {
    const k = await readKey();
    if (!k || lapsed(k)) return;
    const now = Date.now();
    await vaultRun('readwrite', (s) => s.put({ ...k, lastSyncAt: now, seenAt: Math.max(k.seenAt ?? 0, now) }));
  },

  /** The generation this phone holds, named on every package and sync; null when it holds none. */
  async generation(): Promise<number | null> {
    const k = await readKey();
    return k && !lapsed(k) ? k.generation : null;
  },

  /** The stamps, for the page to show (never the key). */
  async stamps(): Promise<{ keyReleasedAt: number; lastSyncAt: number; offlineDays: number } | null> {
    const k = await readKey();
    return k ? { keyReleasedAt: k.keyReleasedAt, lastSyncAt: k.lastSyncAt, offlineDays: k.offlineDays } : null;
  },

  /** Sign-out: the key is deleted, and whose the phone was (the caller deletes the copy and the empty outbox). */
  async forget(): Promise<void> {
    await vaultRun('readwrite', (s) => {
      for (const name of ['key', 'owner', 'notice']) s.delete(name);
      return undefined;
    });
  },

  /**
   * The key may no longer be used (days without a sync, a key the server has replaced, an account
   * disabled): it is deleted and the reason kept for the sign-in page; the owner stays, so the
   * outbox waits for that account alone (the caller deletes the copy).
   */
  async lapse(notice: string): Promise<void> {
    await vaultRun('readwrite', (s) => {
      s.delete('key');
      s.put({ name: 'notice', text: notice } satisfies NoticeRecord);
      return undefined;
    });
  },

  /** Why the copy was closed, for the sign-in page. */
  async notice(): Promise<string | null> {
    const n = await vaultRun<NoticeRecord | undefined>('readonly', (s) => s.get('notice') as IDBRequest<NoticeRecord | undefined>);
    return n?.text ?? null;
  },

  /** Values sealed for their records (the key read once for the lot: a package is thousands of cards). */
  async seal(store: string, records: { id: string; value: unknown }[]): Promise<Sealed[]> {
    const k = await usableKey();
    return Promise.all(
      records.map(async ({ id, value }) => {
        const iv = crypto.getRandomValues(new Uint8Array(12));
        const data = await crypto.subtle.encrypt(
          { name: 'AES-GCM', iv, additionalData: boundTo(store, id) },
          k.key,
          encoder.encode(JSON.stringify(value)),
        );
        return { g: k.generation, iv, data };
      }),
    );
  },

  /** The values, each null when it was sealed under a key this phone no longer holds (or was altered). */
  async open<T>(store: string, records: { id: string; sealed: Sealed }[]): Promise<(T | null)[]> {
    const k = await usableKey();
    return Promise.all(
      records.map(async ({ id, sealed }) => {
        if (sealed.g !== k.generation) return null;
        try {
          const plain = await crypto.subtle.decrypt(
            { name: 'AES-GCM', iv: sealed.iv, additionalData: boundTo(store, id) },
            k.key,
            sealed.data,
          );
          return JSON.parse(decoder.decode(plain)) as T;
        } catch {
          return null;
        }
      }),
    );
  },
};
