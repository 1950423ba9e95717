import { AppError, type ErrorCode } from './errors.ts';
import { compareIds } from './ids.ts';

/** One record of a batch that cannot be done, and why (in BATCH_REFUSED's details). */
export interface BatchRefusal {
  id: string;
  code: ErrorCode;
  message: string;
}

/** How many refusals the message names; the details name them all. */
const NAMED_IN_MESSAGE = 10;

/**
 * A batch of records, all or nothing (issue 18 item 4). `step` is the single record's own service
 * path, run for each id once, in ascending order, so two batches over the same rows lock them in
 * the same order and cannot deadlock. A record refused (an AppError) does not stop the others from
 * being tried: the answer names every record that cannot be done and why, so the officer fixes the
 * selection once. If any was refused, BATCH_REFUSED is thrown and the caller's transaction rolls
 * back the records already done; the refusals' own audit rows (a record outside the caller's
 * region) ride on it and are written apart, as a single refusal's are. Any other error stops the batch.
 *
 * `name` says which record a refusal is about in the officer's words (it is only asked for records
 * refused with something other than NOT_FOUND, so it never names a record the caller may not see);
 * `heading` opens the message, e.g. "所选 5 笔补贴中有 2 笔不能批准，本批均未批准".
 */
export async function allOrNothing<T>(
  ids: readonly string[],
  step: (id: string) => Promise<T>,
  describe: { name: (id: string) => Promise<string>; heading: (refused: number, total: number) => string },
): Promise<{ ids: string[]; results: T[] }> {
  const ordered = [...new Set(ids)].sort(compareIds);
  const results: T[] = [];
  const refused: (BatchRefusal & { error: AppError })[] = [];
  for (const id of ordered) {
    try {
      results.push(await step(id));
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      refused.push({ id, code: error.code, message: error.message, error });
    }
  }
  if (!refused.length) return { ids: ordered, results };
  const named: string[] = [];
  for (const r of refused.slice(0, NAMED_IN_MESSAGE)) {
    named.push(`${r.code === 'NOT_FOUND' ? `编号 ${r.id}` : await describe.name(r.id)}：${r.message}`);
  }
  const more = refused.length > NAMED_IN_MESSAGE ? `；另有 ${refused.length - NAMED_IN_MESSAGE} 条，见明细` : '';
  const batchError = new AppError('BATCH_REFUSED', `${describe.heading(refused.length, ordered.length)}：${named.join('；')}${more}`, {
    refused: refused.map(({ id, code, message }) => ({ id, code, message })),
  });
  for (const r of refused) batchError.audits.push(...r.error.audits);
  throw batchError;
}
