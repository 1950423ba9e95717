// Builds contracts/data/occupations-2022/occupations.json, the platform's occupation table, from the
// public-comment draft of 《中华人民共和国职业分类大典（2022年版）》 as extracted by kangvcar/JobE
// (ontology/catalog/occupation_extract.json at 6e14be4, CC BY 4.0; see NOTICE.md beside the output).
//
//   node scripts/occupations-2022.mjs <path to occupation_extract.json>
//
// What it changes, and why (NOTICE.md repeats it, as CC BY asks):
// - the table-of-contents debris ("……………3") at the end of 78 medium-group names is removed;
// - ASCII parentheses become full-width ones, as Chinese text writes them (军官（警官）);
// - names the PDF extraction cut off are completed, and each completion is listed in `completed`
//   with the draft's text: medium group 1-04 gets its 负责人; the 2-02 工程技术人员 occupations, all
//   named "…工程技术人员" in the 大典, get the missing tail of that suffix; 6-25-02-06 becomes
//   半导体分立器件和集成电路装调工 (its name in the 2015 edition, same code). None of them was checked
//   against the printed 2022 edition.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const source = process.argv[2];
if (!source) {
  console.error('usage: node scripts/occupations-2022.mjs <occupation_extract.json>');
  process.exit(2);
}
const out = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'contracts', 'data', 'occupations-2022', 'occupations.json');
const draft = JSON.parse(readFileSync(source, 'utf8'));

const SUFFIX = '工程技术人员';
/** The 2-02 names cut inside (or just before) 工程技术人员: the rest of the suffix. */
function completeEngineering(name) {
  if (name.endsWith('人员')) return name;
  for (let cut = SUFFIX.length - 1; cut >= 1; cut--) if (name.endsWith(SUFFIX.slice(0, cut))) return name + SUFFIX.slice(cut);
  if (name.endsWith('检疫人')) return `${name}员`;
  return name + SUFFIX;
}
const EXPLICIT = {
  '1-04': '人民团体和群众团体、社会组织及其他成员组织负责人',
  '6-25-02-06': '半导体分立器件和集成电路装调工',
};

const entries = [];
const completed = {};
for (const [key, level] of [
  ['majors', 1],
  ['mids', 2],
  ['smalls', 3],
  ['occupations', 4],
]) {
  for (const e of draft[key]) {
    const code = e.code;
    if (code.split('-').length !== level) throw new Error(`${code} is not of level ${level}`);
    let name = e.name
      .replace(/…+\d*$/u, '')
      .replace(/\(/g, '（')
      .replace(/\)/g, '）')
      .trim();
    const printed = name;
    if (EXPLICIT[code]) name = EXPLICIT[code];
    else if (level === 4 && code.startsWith('2-02-') && !code.startsWith('2-02-35-')) name = completeEngineering(name);
    if (name !== printed) completed[code] = printed;
    entries.push([code, name]);
  }
}
entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));

const counts = [1, 2, 3, 4].map((level) => entries.filter(([c]) => c.split('-').length === level).length);
if (counts.join() !== '8,79,449,1636') throw new Error(`unexpected counts ${counts.join()}`);

const line = (v) => JSON.stringify(v);
const text =
  '{\n' +
  `  "source": ${line(draft.source)},\n` +
  `  "extractedBy": "kangvcar/JobE ontology/catalog/occupation_extract.json @ 6e14be413532ff0b2c6352b8ddae1d84d8228054",\n` +
  `  "license": "CC BY 4.0",\n` +
  `  "officialOccupationCount": ${draft.official_occupation_count},\n` +
  `  "completed": {\n${Object.entries(completed)
    .map(([c, n]) => `    ${line(c)}: ${line(n)}`)
    .join(',\n')}\n  },\n` +
  `  "entries": [\n${entries.map((e) => `    ${line(e)}`).join(',\n')}\n  ]\n` +
  '}\n';
writeFileSync(out, text);
console.log(
  `wrote ${path.relative(process.cwd(), out)}: ${counts.join(' / ')} (大类/中类/小类/职业), ${Object.keys(completed).length} names completed`,
);
