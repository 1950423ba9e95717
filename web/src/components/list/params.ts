/**
 * How a list's filters are read back from the URL: each filter is a parser of its search
 * parameter, and a value the server would refuse (a hand-edited link, an old bookmark) reads as
 * no filter rather than as an error page.
 */
export type Param<V> = (raw: string | null) => V | undefined;
export type ParamSpec = Record<string, Param<string | number>>;
export type ParamValues<S extends ParamSpec> = { [K in keyof S]?: S[K] extends Param<infer V> ? V : never };

/** Free text, trimmed, at most `max` characters. */
export const text =
  (max = 50): Param<string> =>
  (raw) => {
    const v = raw?.trim();
    return v ? v.slice(0, max) : undefined;
  };

/** One of a dictionary's codes. */
export const oneOf =
  <C extends string>(codes: readonly C[]): Param<C> =>
  (raw) =>
    raw !== null && (codes as readonly string[]).includes(raw) ? (raw as C) : undefined;

/** A whole number within [min, max]. */
export const int =
  (min: number, max: number): Param<number> =>
  (raw) => {
    if (raw === null || !/^\d+$/.test(raw)) return undefined;
    const n = Number(raw);
    return n >= min && n <= max ? n : undefined;
  };

/** 'true' or 'false', kept as the word (a Select's value and the API's query both read it so). */
export const yesNo: Param<'true' | 'false'> = (raw) => (raw === 'true' || raw === 'false' ? raw : undefined);

/** A calendar day, YYYY-MM-DD. */
export const day: Param<string> = (raw) => (raw && /^\d{4}-\d{2}-\d{2}$/.test(raw) && !Number.isNaN(Date.parse(raw)) ? raw : undefined);

/** A region code at any level (province 2 digits … village 12). */
export const regionCode: Param<string> = (raw) => (raw && /^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/.test(raw) ? raw : undefined);

/** A record id (bigint as digits). */
export const id: Param<string> = (raw) => (raw && /^\d{1,19}$/.test(raw) ? raw : undefined);
