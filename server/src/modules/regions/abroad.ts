import { createRequire } from 'node:module';
import countries from 'i18n-iso-countries';
import { ABROAD_REGION, isAbroad } from '../../../../contracts/abroad.ts';

/**
 * Work places abroad (issue 20 item 10, docs/domain.md §12): the region tree holds China's
 * division; a job or posting abroad names one of these instead. 境外 is a first-level node of its
 * own, `99` (no province of the national standard GB/T 2260 starts with 9), and each country or
 * region under it is `990` + its ISO 3166-1 numeric code (日本 990392, 新加坡 990702), a county-
 * length code, so every rule that reads places by code prefix (region scope, 县内 / 省内 / 省外)
 * keeps working: a job abroad is never in a Chinese province. Names are i18n-iso-countries'
 * Chinese ones; 香港, 澳门 and 台湾 are 境外 for labour cooperation (对外劳务合作 rules apply to them)
 * and named 中国香港 / 中国澳门 / 中国台湾.
 */
export const ABROAD_CODE = ABROAD_REGION;

export { isAbroad };

const NAMES: Record<string, string> = { HK: '中国香港', MO: '中国澳门', TW: '中国台湾' };

let places: { code: string; alpha2: string; name: string }[] | undefined;
/** The places abroad, by code. */
export function abroadPlaces(): { code: string; alpha2: string; name: string }[] {
  if (!places) {
    const require = createRequire(import.meta.url);
    countries.registerLocale(require('i18n-iso-countries/langs/zh.json'));
    const names = countries.getNames('zh', { select: 'official' });
    places = Object.entries(names)
      .filter(([alpha2]) => alpha2 !== 'CN')
      .map(([alpha2, name]) => ({ code: `990${countries.alpha2ToNumeric(alpha2)}`, alpha2, name: NAMES[alpha2] ?? name }))
      .sort((a, b) => (a.code < b.code ? -1 : 1));
  }
  return places;
}
