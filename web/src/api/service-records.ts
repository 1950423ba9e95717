/**
 * 服务记录 on the console side (contracts/service-records.ts). Roles mirror the server's SERVICE_STAFF.
 */
import type { PersonTimes, ServiceKindCounts, ServiceRecord, ServiceRecordList } from '../../../contracts/service-records.ts';
import { SERVICE_KIND } from '../../../contracts/service-records.ts';
import type { RoleName } from './types.ts';
import { SERVICE_STAFF } from '../../../contracts/roles.ts';

export type { PersonTimes, ServiceKindCounts, ServiceRecord, ServiceRecordList };
export { SERVICE_KIND };

export const SERVICE_RECORD_ROLES: RoleName[] = [...SERVICE_STAFF];
export const SERVICE_RECORDS_PATH = '/api/v1/service-records';
export const PERSON_TIMES_PATH = '/api/v1/service-records/person-times';
export const SERVICE_KIND_COLOR: Record<string, string> = {
  guidance: 'blue',
  introduction: 'green',
  training: 'orange',
  entrepreneurship: 'purple',
  policy_support: 'cyan',
};
