/**
 * 服务记录 on the console side (contracts/service-records.ts). Roles mirror the server's SERVICE_STAFF.
 */
import type { PersonTimes, ServiceKindCounts, ServiceRecord, ServiceRecordList } from '../../../contracts/service-records.ts';
import { SERVICE_KIND } from '../../../contracts/service-records.ts';
import { PERSON_TIMES_PATH, SERVICE_RECORDS_PATH } from '../../../contracts/paths.ts';
export { SERVICE_RECORD_ROLES } from './roles.ts';

export type { PersonTimes, ServiceKindCounts, ServiceRecord, ServiceRecordList };
export { SERVICE_KIND };

export { SERVICE_RECORDS_PATH };
export { PERSON_TIMES_PATH };
export const SERVICE_KIND_COLOR: Record<string, string> = {
  guidance: 'blue',
  introduction: 'green',
  training: 'orange',
  entrepreneurship: 'purple',
  policy_support: 'cyan',
};
