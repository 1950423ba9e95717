/**
 * 公益性岗位 on the console side (contracts/public-welfare.ts). Roles mirror the server's
 * PUBLIC_WELFARE_READERS (posts, holders, attendance) and PUBLIC_WELFARE_MANAGERS (posts,
 * assignment, exit, the month's pay).
 */
import type { Attendance, PayDraft, PublicWelfareHolding, PublicWelfarePost } from '../../../contracts/public-welfare.ts';
import { PAID_DAYS_PER_MONTH } from '../../../contracts/public-welfare.ts';
import { PUBLIC_WELFARE_PATH } from '../../../contracts/paths.ts';
import { PUBLIC_WELFARE_MANAGERS } from '../../../contracts/roles.ts';
import type { RoleName } from './types.ts';

export type { Attendance, PayDraft, PublicWelfareHolding, PublicWelfarePost };
export { PAID_DAYS_PER_MONTH };
export const PUBLIC_WELFARE_MANAGER_ROLES: RoleName[] = [...PUBLIC_WELFARE_MANAGERS];
export const WELFARE_POSTS_PATH = `${PUBLIC_WELFARE_PATH}/posts`;
export const WELFARE_HOLDINGS_PATH = `${PUBLIC_WELFARE_PATH}/holdings`;
export const WELFARE_PAY_PATH = `${PUBLIC_WELFARE_PATH}/pay`;
export const holdingPath = (id: string, tail = '') => `${WELFARE_HOLDINGS_PATH}/${encodeURIComponent(id)}${tail}`;
