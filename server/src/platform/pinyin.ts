import { pinyin } from 'pinyin-pro';

/**
 * Most village and township names end in one of a few administrative suffixes (村民委员会,
 * 社区居委会, 街道办事处 …). Their pinyin is computed once; only the distinctive stem goes through
 * pinyin-pro, which is where the load spends its time. Searches still match: "dzc" is a prefix
 * of 大竹村民委员会's initials either way.
 */
const SUFFIXES = [
  '社区居民委员会',
  '社区居委会',
  '村民委员会',
  '居民委员会',
  '村委会',
  '居委会',
  '街道办事处',
  '办事处',
  '街道',
  '社区',
  '村',
  '镇',
  '乡',
];
const suffixPinyin = new Map<string, { pinyin: string; initials: string }>();

function syllablesOf(text: string) {
  return pinyin(text, { toneType: 'none', type: 'array', nonZh: 'consecutive' })
    .map((s) => s.toLowerCase().replace(/[^a-z0-9]/g, ''))
    .filter(Boolean);
}

export function toPinyin(name: string): { pinyin: string; initials: string } {
  const suffix = SUFFIXES.find((x) => name.length > x.length && name.endsWith(x));
  const stem = suffix ? name.slice(0, -suffix.length) : name;
  const syllables = syllablesOf(stem);
  let tail = { pinyin: '', initials: '' };
  if (suffix) {
    if (!suffixPinyin.has(suffix)) {
      const s = syllablesOf(suffix);
      suffixPinyin.set(suffix, { pinyin: s.join(''), initials: s.map((x) => x[0]).join('') });
    }
    tail = suffixPinyin.get(suffix)!;
  }
  return { pinyin: syllables.join('') + tail.pinyin, initials: syllables.map((x) => x[0]).join('') + tail.initials };
}

/** A person's name: the surname is read as a surname (曾 zēng, 单 shàn, 区 ōu). */
export function namePinyin(name: string): { pinyin: string; initials: string } {
  const syllables = pinyin(name, { toneType: 'none', type: 'array', surname: 'head', nonZh: 'consecutive' })
    .map((s) => s.toLowerCase().replace(/[^a-z0-9]/g, ''))
    .filter(Boolean);
  return { pinyin: syllables.join(''), initials: syllables.map((x) => x[0]).join('') };
}
