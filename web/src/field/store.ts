/**
 * The phone's own copy, in IndexedDB (issue 19 item 2): the cards and due follow-ups of the
 * officer's villages as the server gave them (identifiers masked), and the outbox — every edit,
 * new card, follow-up and confirmation captured here, kept until the server has answered it. It
 * lives as long as the browser's storage does: closing the page or the browser loses nothing.
 * Every value is stored encrypted under the phone's device key (vault.ts); only record keys are in the clear.
 * A few lines over the raw API: the page carries no library for it.
 */
import type { FieldConflict, SyncEntry, SyncResult } from '../../../contracts/field.ts';
import type { FollowUp } from '../../../contracts/employment.ts';
import type { Laborer } from '../../../contracts/laborers.ts';
import { type Sealed, VaultLocked, vault } from './vault.ts';

export type { FieldConflict, FollowUp, Laborer, SyncEntry, SyncResult };

/** One entry of the outbox: waiting to be sent, or answered with something the officer must see. */
export interface OutboxItem {
  key: string;
  /** Order of capture. */
  seq: number;
  entry: SyncEntry;
  /** What the officer recognises it by: the person's name and what was done. */
  label: string;
  state: 'waiting' | 'conflict' | 'duplicate' | 'transfer' | 'refused';
  result?: SyncResult;
}

export interface PackageMeta {
  name: 'package';
  takenAt: string;
  regionCode: string;
  quarter: { label: string; start: string; end: string };
  cards: number;
}

type Stores = { cards: Laborer; followUps: FollowUp; outbox: OutboxItem; meta: { name: string } & Record<string, unknown> };
type StoreName = keyof Stores;

let opened: Promise<IDBDatabase> | null = null;
function db(): Promise<IDBDatabase> {
  if (!opened)
    opened = new Promise((resolve, reject) => {
      const request = indexedDB.open('laowu-field', 1);
      request.onupgradeneeded = () => {
        const d = request.result;
        d.createObjectStore('cards', { keyPath: 'id' });
        d.createObjectStore('followUps', { keyPath: 'id' });
        d.createObjectStore('outbox', { keyPath: 'key' });
        d.createObjectStore('meta', { keyPath: 'name' });
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  return opened;
}

function run<T>(names: StoreName[], mode: IDBTransactionMode, work: (tx: IDBTransaction) => IDBRequest<T> | undefined): Promise<T> {
  return db().then(
    (d) =>
      new Promise<T>((resolve, reject) => {
        const tx = d.transaction(names, mode);
        const request = work(tx);
        // Resolved when the transaction is durable, not when the request succeeds.
        tx.oncomplete = () => resolve(request ? request.result : (undefined as T));
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error);
      }),
  );
}

/** Each store's key, the one part of a record kept in the clear (an id, an idempotency key, a name). */
const KEY_OF: { [S in StoreName]: string } = { cards: 'id', followUps: 'id', outbox: 'key', meta: 'name' };
const idOf = <S extends StoreName>(name: S, value: Stores[S]) => String((value as Record<string, unknown>)[KEY_OF[name]]);

/** A record as IndexedDB holds it (issue 19 item 4): its key, and the value encrypted under the device key (vault.ts). */
type Stored = Record<string, unknown> & Partial<Sealed>;
const isSealed = (r: Stored): r is Stored & Sealed => r.data instanceof ArrayBuffer && r.iv instanceof Uint8Array;

/** Records sealed for the store (the device key read once for all of them). */
async function seal<S extends StoreName>(name: S, values: Stores[S][]): Promise<Stored[]> {
  const ids = values.map((v) => idOf(name, v));
  const sealed = await vault.seal(
    name,
    values.map((value, i) => ({ id: ids[i]!, value })),
  );
  return sealed.map((x, i) => ({ [KEY_OF[name]]: ids[i]!, ...x }));
}
/** The values of the records that open under the phone's key; none without the key (signed out, lapsed). */
async function unseal<S extends StoreName>(name: S, records: (Stored | undefined)[]): Promise<Stores[S][]> {
  const sealed = records.filter((r): r is Stored & Sealed => Boolean(r && isSealed(r)));
  if (!sealed.length) return [];
  try {
    const values = await vault.open<Stores[S]>(
      name,
      sealed.map((r) => ({ id: String(r[KEY_OF[name]]), sealed: r })),
    );
    return values.filter((v): v is Stores[S] => v !== null);
  } catch (e) {
    // Without the key the copy reads as empty; a write without it fails.
    if (e instanceof VaultLocked) return [];
    throw e;
  }
}

/**
 * Writes under way (sealed, not yet stored): sign-out deletes the key first, so no new write can
 * be sealed, then waits for these before emptying the stores, so none lands after it.
 */
const writing = new Set<Promise<unknown>>();
function tracked<T>(write: Promise<T>): Promise<T> {
  writing.add(write);
  const done = () => writing.delete(write);
  write.then(done, done);
  return write;
}

export const store = {
  /** The store's records that open under the phone's key (one sealed under a replaced key is passed over). */
  all: async <S extends StoreName>(name: S): Promise<Stores[S][]> => {
    const records = await run<Stored[]>([name], 'readonly', (tx) => tx.objectStore(name).getAll());
    return unseal(name, records);
  },
  get: async <S extends StoreName>(name: S, key: string): Promise<Stores[S] | undefined> =>
    (await unseal(name, [await run<Stored | undefined>([name], 'readonly', (tx) => tx.objectStore(name).get(key))]))[0],
  // Sealed before the transaction opens: an IndexedDB transaction does not live across an await.
  put: <S extends StoreName>(name: S, value: Stores[S]) =>
    tracked(
      (async () => {
        const [sealed] = await seal(name, [value]);
        return run([name], 'readwrite', (tx) => tx.objectStore(name).put(sealed!));
      })(),
    ),
  putMany: <S extends StoreName>(name: S, values: Stores[S][]) =>
    tracked(
      (async () => {
        const sealed = await seal(name, values);
        return run([name], 'readwrite', (tx) => {
          for (const v of sealed) tx.objectStore(name).put(v);
          return undefined;
        });
      })(),
    ),
  remove: (name: StoreName, key: string) => run([name], 'readwrite', (tx) => tx.objectStore(name).delete(key)),
  /** Replaces the villages' copy as a whole (a new package): cards and follow-ups, in one transaction. */
  replacePackage: (cards: Laborer[], followUps: FollowUp[], meta: PackageMeta) =>
    tracked(
      (async () => {
        const sealedCards = await seal('cards', cards);
        const sealedFollowUps = await seal('followUps', followUps);
        const [sealedMeta] = await seal('meta', [meta as unknown as Stores['meta']]);
        return run(['cards', 'followUps', 'meta'], 'readwrite', (tx) => {
          tx.objectStore('cards').clear();
          tx.objectStore('followUps').clear();
          for (const c of sealedCards) tx.objectStore('cards').put(c);
          for (const f of sealedFollowUps) tx.objectStore('followUps').put(f);
          tx.objectStore('meta').put(sealedMeta!);
          return undefined;
        });
      })(),
    ),
  /** The copy (cards, follow-ups, what the phone knew): refused after days without a sync. The outbox stays. */
  clearCopy: () =>
    run(['cards', 'followUps', 'meta'], 'readwrite', (tx) => {
      for (const name of ['cards', 'followUps', 'meta'] as const) tx.objectStore(name).clear();
      return undefined;
    }),
  /** Everything the phone holds, its key included (sign-out with nothing waiting). */
  clearAll: async () => {
    await vault.forget();
    await Promise.allSettled([...writing]);
    await run(['cards', 'followUps', 'outbox', 'meta'], 'readwrite', (tx) => {
      for (const name of ['cards', 'followUps', 'outbox', 'meta'] as const) tx.objectStore(name).clear();
      return undefined;
    });
  },
  /** Entries in the outbox, counted without opening them (the sign-in page says what waits). */
  outboxCount: () => run<number>(['outbox'], 'readonly', (tx) => tx.objectStore('outbox').count()),
  /**
   * Records a page from before encryption wrote in the clear: the copy is dropped at once (it is
   * taken again); the outbox is sealed once a key is on the phone, and kept as it is until then.
   */
  sealPlain: async () => {
    const locked = (await vault.generation()) === null;
    for (const name of ['cards', 'followUps', 'outbox', 'meta'] as const) {
      if (name === 'outbox' && locked) continue;
      const plain = (await run<Stored[]>([name], 'readonly', (tx) => tx.objectStore(name).getAll())).filter((r) => !isSealed(r));
      if (!plain.length) continue;
      const resealed = name === 'outbox' ? await seal('outbox', plain as unknown as OutboxItem[]) : [];
      await run([name], 'readwrite', (tx) => {
        for (const r of plain) tx.objectStore(name).delete(String(r[KEY_OF[name]]));
        for (const r of resealed) tx.objectStore(name).put(r);
        return undefined;
      });
    }
  },
};

/** An idempotency key for a new entry. */
export function newKey(): string {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  const bytes = new Uint8Array(16);
  c.getRandomValues(bytes);
  return Array.prototype.map.call(bytes, (b: number) => (b < 16 ? '0' : '') + b.toString(16)).join('');
}
