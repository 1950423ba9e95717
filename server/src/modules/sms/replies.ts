import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import type { AuditLog } from '../../platform/audit.ts';
import { hmacSm3 } from '../../platform/crypto.ts';
import { maskPhone, parseMobile } from '../registry/index.ts';
import type { InboundMessage } from './gateway/gateway.ts';
import * as repo from './sms.repo.ts';

/** The registry's blind index of a phone number (modules/registry/laborers.service.ts). */
export const phoneIndexOf = (config: Config, phone: string) => hmacSm3(config.secrets.identifierIndexKey, 'phone:', phone);

/** 退订 replies as people type them: TD, td, T D, 退订, "退订。" … */
export const isOptOutText = (text: string) => /^(td|退订|退定|tuiding)$/i.test(text.replace(/[\s\u3000。.!！,，、]/g, ''));

/**
 * A reply from a phone: "TD" or "退订" opts the number out (nothing is sent to it again, whoever
 * the registry says it belongs to); anything else lands in the inbox of the staff of the
 * laborer's region. A number the registry does not know is kept (its opt-out holds) but no
 * region's inbox shows its other replies. Audited in the same transaction.
 */
export async function handleInbound(
  db: Db,
  audit: AuditLog,
  config: Config,
  message: InboundMessage,
): Promise<{ kind: 'opt_out' | 'reply' | 'ignored'; id?: string }> {
  const parsed = parseMobile(message.from);
  if (!parsed.ok) return { kind: 'ignored' };
  const phone = parsed.value;
  const index = phoneIndexOf(config, phone);
  const masked = maskPhone(phone);
  const body = message.text.trim().slice(0, 500) || '（空）';
  const kind = isOptOutText(body) ? 'opt_out' : 'reply';
  return db.transaction().execute(async (tx) => {
    const laborer = await repo.laborerByPhone(tx, index);
    if (kind === 'opt_out') await repo.optOut(tx, index, masked, 'reply');
    const id = await repo.insertInbound(tx, {
      phoneIndex: index,
      masked,
      laborerId: laborer?.id ?? null,
      village: laborer?.home_village_code ?? null,
      body,
      kind,
    });
    await audit.record(
      tx,
      { actor: null, ip: null, claimedUsername: 'sms-gateway' },
      {
        action: kind === 'opt_out' ? 'sms.opt_out' : 'sms.reply',
        entity: 'sms_inbound',
        entityId: id,
        details: { phone: masked, laborer: laborer?.id ?? null, known: Boolean(laborer) },
      },
    );
    return { kind, id };
  });
}
