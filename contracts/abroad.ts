/**
 * Work abroad (对外劳务合作, issue 20 item 10, docs/domain.md §12), without dependencies so the
 * console's region picker may use it: places abroad are regions under 境外 (`ABROAD_REGION`, each
 * country `990` + its ISO 3166-1 number), and work abroad is open to ages 18–40, so a posting
 * abroad asks for ages within them.
 */
export const ABROAD_REGION = '99';
export const ABROAD_AGE = { min: 18, max: 40 } as const;

/** Whether a region code is a place abroad (or 境外 itself). */
export const isAbroad = (code: string): boolean => code.startsWith(ABROAD_REGION);
