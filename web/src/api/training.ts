/**
 * 职业培训班 on the console side (contracts/training.ts). Roles mirror the server's TRAINING_ORGANISERS.
 */
import type { FinishResult, Roster, Trainee, TrainingClass, TrainingClassList } from '../../../contracts/training.ts';
import { CERTIFICATE_KIND, TRAINING_ATTENDANCE_SHARE, TRAINING_CLASS_STATUS, TRAINING_RESULT } from '../../../contracts/training.ts';
import { SUBSIDY_STATUS } from '../../../contracts/subsidies.ts';
import { TRAINING_CLASSES_PATH } from '../../../contracts/paths.ts';
export { TRAINING_ROLES } from './roles.ts';

export type { FinishResult, Roster, Trainee, TrainingClass, TrainingClassList };
export { CERTIFICATE_KIND, SUBSIDY_STATUS, TRAINING_ATTENDANCE_SHARE, TRAINING_CLASS_STATUS, TRAINING_RESULT, TRAINING_CLASSES_PATH };

export const trainingClassPath = (id: string, tail = '') => `${TRAINING_CLASSES_PATH}/${encodeURIComponent(id)}${tail}`;
export const TRAINING_STATUS_COLORS: Record<string, string> = { open: 'blue', finished: 'green' };
