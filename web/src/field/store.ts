/**
 * The phone's own copy, in IndexedDB (issue 19 item 2): the cards and due follow-ups of the
 * officer's villages as the server gave them (identifiers masked), and the outbox — every edit,
 * new card, follow-up and confirmation captured here, kept until the server has answered it. It
 * lives as long as the browser's storage does: closing the page or the browser loses nothing.
 * A few lines over the raw API: the page carries no library for it.
 */
import type { FieldConflict, SyncEntry, SyncResult } from '../../../contracts/field.ts';
import type { FollowUp } from '../../../contracts/employment.ts';
import type { Laborer } from '../../../contracts/laborers.ts';

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

export const store = {
  all: <S extends StoreName>(name: S) => run<Stores[S][]>([name], 'readonly', (tx) => tx.objectStore(name).getAll()),
  get: <S extends StoreName>(name: S, key: string) => run<Stores[S] | undefined>([name], 'readonly', (tx) => tx.objectStore(name).get(key)),
  put: <S extends StoreName>(name: S, value: Stores[S]) => run([name], 'readwrite', (tx) => tx.objectStore(name).put(value)),
  putMany: <S extends StoreName>(name: S, values: Stores[S][]) =>
    run([name], 'readwrite', (tx) => {
      for (const v of values) tx.objectStore(name).put(v);
      return undefined;
    }),
  remove: (name: StoreName, key: string) => run([name], 'readwrite', (tx) => tx.objectStore(name).delete(key)),
  /** Replaces the villages' copy as a whole (a new package): cards and follow-ups, in one transaction. */
  replacePackage: (cards: Laborer[], followUps: FollowUp[], meta: PackageMeta) =>
    run(['cards', 'followUps', 'meta'], 'readwrite', (tx) => {
      tx.objectStore('cards').clear();
      tx.objectStore('followUps').clear();
      for (const c of cards) tx.objectStore('cards').put(c);
      for (const f of followUps) tx.objectStore('followUps').put(f);
      tx.objectStore('meta').put(meta);
      return undefined;
    }),
  /** Everything the phone holds (sign-out with nothing waiting). */
  clearAll: () =>
    run(['cards', 'followUps', 'outbox', 'meta'], 'readwrite', (tx) => {
      for (const name of ['cards', 'followUps', 'outbox', 'meta'] as const) tx.objectStore(name).clear();
      return undefined;
    }),
};

/** An idempotency key for a new entry. */
export function newKey(): string {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  const bytes = new Uint8Array(16);
  c.getRandomValues(bytes);
  return Array.prototype.map.call(bytes, (b: number) => (b < 16 ? '0' : '') + b.toString(16)).join('');
}
