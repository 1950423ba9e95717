/**
 * GETs asked for before the console's scripts have run (boot.ts: the session's account and the
 * opened page's first requests, web/src/app/first-requests.ts), handed to the first call of the
 * console that asks for the same URL instead of asking again. On a cold load the page's data then
 * comes while React and antd are still being parsed, not after the shell has rendered and the page
 * has mounted.
 *
 * An answer is taken once (a reload asks the server again), only while the browser is still at the
 * address it was asked for, and within a few seconds of the load: after that it is dropped unread.
 * Free of React and antd: boot.ts imports it before the shell's chunks have arrived.
 */

/** An answer read whole, as the console's client reads every answer. */
export interface Answer {
  status: number;
  ok: boolean;
  text: string;
}

/** How the console asks the API (client.ts, and here the same request): the session's cookie, JSON back. */
export function requestInit(method: string): RequestInit {
  return { method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
}

export async function readAnswer(response: Response): Promise<Answer> {
  return { status: response.status, ok: response.ok, text: response.status === 204 ? '' : await response.text() };
}

interface Early {
  answer: Promise<Answer>;
  /** Set once the answer has arrived. */
  arrived?: Answer;
}

/** After this long an answer not yet taken is stale: the page did not ask for it. */
const KEEP_MS = 30_000;

const early = new Map<string, Early>();
let address = '';

const here = () => window.location.pathname + window.location.search;

/** Marks for the browser tests (e2e/first-requests.test.ts): which URLs were asked for early, and which were taken. */
const mark = (name: string, url: string) => performance.mark(name, { detail: url });

/** Asks for `url` now (a GET, as client.ts asks), to be taken by the console's first call for it. */
export function askEarly(url: string): Promise<Answer> {
  const known = early.get(url);
  if (known) return known.answer;
  address ||= here();
  const entry: Early = { answer: fetch(url, requestInit('GET')).then(readAnswer) };
  entry.answer.then(
    (answer) => {
      entry.arrived = answer;
    },
    // A failure is the taker's to report (as client.ts reports any); untaken, it is dropped.
    () => undefined,
  );
  early.set(url, entry);
  mark('laowu:early-asked', url);
  return entry.answer;
}

function take(url: string): Early | undefined {
  if (!early.size) return undefined;
  if (here() !== address || performance.now() > KEEP_MS) {
    early.clear();
    return undefined;
  }
  const entry = early.get(url);
  if (!entry) return undefined;
  early.delete(url);
  mark('laowu:early-taken', url);
  return entry;
}

/** The early answer to a GET of `url`, once: undefined when none was asked for (or it is stale). */
export function takeEarly(url: string): Promise<Answer> | undefined {
  return take(url)?.answer;
}

/**
 * A successful early answer to `url` that has already arrived, for a component to draw in its first
 * render; undefined when there is none (or it failed: that one is left for `takeEarly`, so the
 * failure is handled where every failure is). Only looked at: a render may be thrown away and done
 * again, so the component drops it once it is on the screen (`dropEarly`, in an effect).
 */
export function arrivedEarly(url: string): Answer | undefined {
  if (!early.size || here() !== address || performance.now() > KEEP_MS) return undefined;
  const answer = early.get(url)?.arrived;
  return answer?.ok ? answer : undefined;
}

/** Forgets the early answer to `url` (drawn from `arrivedEarly`): the next call asks the server. */
export function dropEarly(url: string): void {
  take(url);
}
