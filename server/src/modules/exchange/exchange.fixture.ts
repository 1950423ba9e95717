import { randomBytes } from 'node:crypto';
import type { DbOrTx } from '../../db/database.ts';
import { randomToken, sm3 } from '../../platform/crypto.ts';
import { accountsRepo } from '../accounts/index.ts';
import { insertClient } from './exchange.repo.ts';

/**
 * A client system of the data exchange for tests of other modules and of the platform (the route ×
 * role table, the bad-characters sweep): registered as the province admin would, with its
 * Authorization header. The registration's own route has its tests in exchange.test.ts.
 */
export async function registerTestClient(
  db: DbOrTx,
  {
    regionCode = '43',
    kinds = ['laborer', 'employment', 'service_record', 'subsidy', 'statistics'],
  }: { regionCode?: string; kinds?: string[] } = {},
): Promise<{ id: string; keyId: string; authorization: string }> {
  const admin = (await accountsRepo.findByUsername(db, 'hunan_admin'))!;
  const keyId = `lwx_${randomBytes(8).toString('hex')}`;
  const secret = randomToken(32);
  const id = await insertClient(db, {
    name: '测试接入系统',
    keyId,
    secretHash: sm3(secret),
    regionCode,
    kinds,
    note: null,
    createdBy: String(admin.id),
  });
  return { id, keyId, authorization: `Bearer ${keyId}.${secret}` };
}
