/**
 * Unified social credit codes (统一社会信用代码) per GB 32100-2015
 * 《法人和其他组织统一社会信用代码编码规则》:
 *
 *   position 1      registration authority (登记管理部门代码), e.g. 9 = market regulation
 *   position 2      entity type (机构类别代码), e.g. 1 = enterprise
 *   positions 3–8   registering authority's administrative division code (GB/T 2260)
 *   positions 9–17  organization code (主体标识码, GB 11714)
 *   position 18     check character
 *
 * Alphabet: 0–9 and the upper-case letters without I, O, Z, S, V (31 characters, values
 * 0–30 in order). Check: C18 = 31 − (Σ value(Ci) × Wi mod 31), with 31 written as 0,
 * where Wi = 3^(i−1) mod 31 = 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28.
 *
 * Worked example, Huawei Technologies Co., Ltd. (华为技术有限公司) 914403001922038216:
 *   9·1 + 1·3 + 4·9 + 4·27 + 0·19 + 3·26 + 0·16 + 0·17 + 1·20 + 9·29
 *   + 2·25 + 2·13 + 0·8 + 3·24 + 8·10 + 2·30 + 1·28
 *   = 9 + 3 + 36 + 108 + 0 + 78 + 0 + 0 + 20 + 261 + 50 + 26 + 0 + 72 + 80 + 60 + 28 = 831;
 *   831 mod 31 = 25; 31 − 25 = 6 = the last character. ✓
 *
 * Only length, alphabet and the check character are verified here; the embedded GB 11714
 * organization-code check and whether the region exists are left to callers.
 */

export type CreditCodeErrorCode = 'CREDIT_CODE_FORMAT' | 'CREDIT_CODE_CHECK';

export const CREDIT_CODE_ERROR_MESSAGES: Readonly<Record<CreditCodeErrorCode, string>> = {
  CREDIT_CODE_FORMAT: '统一社会信用代码应为 18 位，由数字和大写字母组成（不含 I、O、Z、S、V）',
  // Like ID numbers, the expected character is not revealed.
  CREDIT_CODE_CHECK: '统一社会信用代码校验位错误',
};

export interface CreditCodeInfo {
  code: string;
  registrationAuthority: string;
  entityType: string;
  regionCode: string;
  organizationCode: string;
}

export type CreditCodeParseResult = { ok: true; value: CreditCodeInfo } | { ok: false; code: CreditCodeErrorCode; message: string };

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const FORMAT = /^[0-9ABCDEFGHJKLMNPQRTUWXY]{18}$/;

/** Trims, removes whitespace (including U+3000), converts full-width letters and digits, upper-cases. */
export function normalizeCreditCode(raw: string): string {
  return raw
    .replace(/[\s\u3000]/g, '')
    .replace(/[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .toUpperCase();
}

/** The check character for a 17-character body drawn from the GB 32100 alphabet. */
export function creditCodeCheckChar(body17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += ALPHABET.indexOf(body17[i]!) * WEIGHTS[i]!;
  return ALPHABET[(31 - (sum % 31)) % 31]!;
}

export function parseCreditCode(raw: string): CreditCodeParseResult {
  const code = normalizeCreditCode(raw);
  if (!FORMAT.test(code)) {
    return { ok: false, code: 'CREDIT_CODE_FORMAT', message: CREDIT_CODE_ERROR_MESSAGES.CREDIT_CODE_FORMAT };
  }
  if (creditCodeCheckChar(code.slice(0, 17)) !== code[17]) {
    return { ok: false, code: 'CREDIT_CODE_CHECK', message: CREDIT_CODE_ERROR_MESSAGES.CREDIT_CODE_CHECK };
  }
  return {
    ok: true,
    value: {
      code,
      registrationAuthority: code[0]!,
      entityType: code[1]!,
      regionCode: code.slice(2, 8),
      organizationCode: code.slice(8, 17),
    },
  };
}
