/**
 * 招聘会 on the console side (contracts/fairs.ts): fairs, door registration, intentions and the
 * results table.
 */
import type {
  Attendee,
  AttendeeBatchResult,
  AttendeeList,
  AttendeeRowResult,
  Fair,
  FairDetail,
  FairFigures,
  FairList,
  FairResults,
  PreRecruitment,
} from '../../../contracts/fairs.ts';
import { ATTENDEE_ROW_STATUS, FAIR_MODE, MAX_ATTENDEE_BATCH } from '../../../contracts/fairs.ts';
import { FAIRS_PATH, FAIR_RESULTS_PATH } from '../../../contracts/paths.ts';
export { FAIR_ROLES } from './roles.ts';

export type {
  Attendee,
  AttendeeBatchResult,
  AttendeeList,
  AttendeeRowResult,
  Fair,
  FairDetail,
  FairFigures,
  FairList,
  FairResults,
  PreRecruitment,
};
export { ATTENDEE_ROW_STATUS, FAIR_MODE, MAX_ATTENDEE_BATCH };

export { FAIRS_PATH };
export { FAIR_RESULTS_PATH };
export const fairPath = (id: string) => `${FAIRS_PATH}/${encodeURIComponent(id)}`;

/** The article's columns, in its order. */
export const FIGURE_COLUMNS: [keyof FairFigures, string][] = [
  ['sessions', '场次'],
  ['attendees', '参会人数'],
  ['poorAttendees', '其中贫困劳动力'],
  ['intentions', '达成就业意向'],
  ['poorIntentions', '其中贫困劳动力'],
  ['hires', '录用'],
];
