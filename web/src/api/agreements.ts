/**
 * Cooperation agreements (劳务协作协议) on the console side: API shapes from contracts/agreements.ts
 * and who may do what (mirrors the server's AGREEMENT_READERS / AGREEMENT_WRITERS).
 */
import {
  AGREEMENT_STATE,
  COMMITMENT_KIND,
  COMMITMENT_UNIT,
  type Agreement,
  type Commitment,
  type CreateAgreementInput,
  type UpdateAgreementInput,
} from '../../../contracts/agreements.ts';
import type { RoleName } from './types.ts';
import { AGREEMENT_WRITERS } from '../../../contracts/roles.ts';
import { AGREEMENTS_PATH } from '../../../contracts/paths.ts';
export { AGREEMENT_READER_ROLES } from './roles.ts';

export { AGREEMENT_STATE, COMMITMENT_KIND, COMMITMENT_UNIT };
export type { Agreement, Commitment, CreateAgreementInput, UpdateAgreementInput };

export { AGREEMENTS_PATH };
export const agreementPath = (id: string) => `${AGREEMENTS_PATH}/${encodeURIComponent(id)}`;

/** Admins register and edit agreements their region takes part in. */
export const AGREEMENT_WRITER_ROLES: RoleName[] = [...AGREEMENT_WRITERS];

export const AGREEMENT_STATE_COLORS: Record<string, string> = { pending: 'default', active: 'processing', ended: 'default' };

/** A commitment's completion in percent, or null when it has no number or no records. */
export function commitmentPercent(c: Commitment): number | null {
  if (c.achieved === null || c.target === null) return null;
  return Math.round((c.achieved / c.target) * 1000) / 10;
}
