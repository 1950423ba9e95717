/**
 * A card's identifiers as they are stored — the ID number's and the phone's blind index
 * (HMAC-SM3), their SM4 ciphertext and mask — and the name's pinyin. Pure functions of the
 * configured keys: the card service computes them here, and so does the import's reader thread
 * (import-reader.ts) for the rows of a file while the main thread writes the batches before them.
 */
import { hmacSm3, sm4Encrypt, sm4EncryptMany } from '../../platform/crypto.ts';
import { namePinyin } from '../../platform/pinyin.ts';
import { maskIdNumber } from './identity.ts';
import { maskPhone, parseMobile } from './phone.ts';

export interface IdentifierKeys {
  identifierKey: Buffer;
  identifierIndexKey: Buffer;
}

export const idIndexOf = (keys: IdentifierKeys, idNumber: string) => hmacSm3(keys.identifierIndexKey, 'id:', idNumber);
export const phoneIndexOf = (keys: IdentifierKeys, phone: string) => hmacSm3(keys.identifierIndexKey, 'phone:', phone);

/** A valid mobile number's columns. */
export const phoneColumns = (keys: IdentifierKeys, phone: string) => ({
  phone_index: phoneIndexOf(keys, phone),
  phone_cipher: sm4Encrypt(keys.identifierKey, phone),
  phone_masked: maskPhone(phone),
});

/**
 * A row's identifiers computed ahead (the import's reader thread): the ID number's blind index —
 * every row is looked up by it — and, for a row that may become a new card, what the card stores.
 * Each part names the value it was made from, so a card is built from it only while the row still
 * holds that value (laborers.service.ts buildNewCard checks).
 */
export interface SealedIdentifiers {
  idNumber: string;
  /** The ID number's blind index, hex (a Buffer would cross the thread as a bare Uint8Array). */
  idIndex: string;
  card?: {
    idCipher: string;
    idMasked: string;
    phone?: { value: string; index: string; cipher: string; masked: string };
    name?: { value: string; pinyin: string; initials: string };
  };
}

/**
 * The identifiers of many rows: every ID number's index; with `cards`, also each ID number's and
 * valid phone's (as typed: parsed here) ciphertext and mask, and the trimmed name's pinyin, the
 * ciphertexts made in one batch (sm4EncryptMany).
 */
export function sealIdentifiers(
  keys: IdentifierKeys,
  rows: readonly { idNumber: string; phone?: string; name?: string }[],
  cards: boolean,
): SealedIdentifiers[] {
  const sealed: SealedIdentifiers[] = rows.map((r) => ({ idNumber: r.idNumber, idIndex: idIndexOf(keys, r.idNumber).toString('hex') }));
  if (!cards) return sealed;
  const phones = rows.map((r) => {
    const parsed = r.phone ? parseMobile(r.phone) : undefined;
    return parsed?.ok ? parsed.value : undefined;
  });
  const plain = [...rows.map((r) => r.idNumber), ...phones.filter((p) => p !== undefined)];
  const ciphers = sm4EncryptMany(keys.identifierKey, plain);
  let nextPhone = rows.length;
  rows.forEach((r, i) => {
    const card: NonNullable<SealedIdentifiers['card']> = { idCipher: ciphers[i]!, idMasked: maskIdNumber(r.idNumber) };
    const phone = phones[i];
    if (r.phone && phone !== undefined)
      // Keyed by the value as the row holds it, made of the number as the card service parses it.
      card.phone = {
        value: r.phone,
        index: phoneIndexOf(keys, phone).toString('hex'),
        cipher: ciphers[nextPhone++]!,
        masked: maskPhone(phone),
      };
    if (typeof r.name === 'string') {
      const name = r.name.trim();
      const p = namePinyin(name);
      card.name = { value: name, pinyin: p.pinyin, initials: p.initials };
    }
    sealed[i]!.card = card;
  });
  return sealed;
}
