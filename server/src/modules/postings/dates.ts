/**
 * Calendar dates of postings' validity are China Standard Time days (DOMAIN.md "Codes"), kept as
 * 'YYYY-MM-DD' strings: such strings compare in date order.
 */
export const cstToday = (at: Date = new Date()): string => new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

/** The day `days` after a 'YYYY-MM-DD' date. */
export const addDays = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
