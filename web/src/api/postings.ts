/**
 * Job postings (岗位) on the console side: API shapes from contracts/postings.ts, the occupation
 * table of the 2022 职业分类大典 (contracts/occupations.ts) and display helpers.
 */
import {
  POSTING_STATE,
  POSTING_STATUS,
  type CreatePostingInput,
  type Posting,
  type PostingListQueryInput,
  type UpdatePostingInput,
} from '../../../contracts/postings.ts';
import { occupationAncestors, occupationByCode, occupationCascaderOptions, occupationLabel } from '../../../contracts/occupations.ts';
import { POSTINGS_PATH } from '../../../contracts/paths.ts';
import { grouped } from '../app/format.ts';
export { POSTING_WRITER_ROLES } from './roles.ts';

export { POSTING_STATE, POSTING_STATUS, occupationAncestors, occupationByCode, occupationCascaderOptions, occupationLabel };
export type { CreatePostingInput, Posting, PostingListQueryInput, UpdatePostingInput };

export { POSTINGS_PATH };
export const postingPath = (id: string) => `${POSTINGS_PATH}/${encodeURIComponent(id)}`;

export const POSTING_STATE_COLORS: Record<string, string> = {
  open: 'success',
  not_started: 'processing',
  expired: 'default',
  full: 'warning',
  closed: 'default',
};

/** The cascader value of an occupation code: the codes of its chain ('6-05-01-03' → ['6', '6-05', '6-05-01', '6-05-01-03']). */
export const occupationPath = (code: string | null | undefined): string[] | undefined => {
  const chain = occupationAncestors(code);
  return chain.length ? chain.map((o) => o.code) : undefined;
};

/** '2,500–3,500 元' */
export const wageRange = (min: number, max: number) => (min === max ? `${grouped(min)} 元` : `${grouped(min)}–${grouped(max)} 元`);

/** '包吃包住' / '包吃' / '包住' / '不包' */
export const boardText = (food: boolean, housing: boolean) =>
  food && housing ? '包吃包住' : food ? '包吃' : housing ? '包住' : '不包食宿';
