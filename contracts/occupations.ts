import table from './data/occupations-2022/occupations.json';

/**
 * Occupations of 《中华人民共和国职业分类大典（2022年版）》, for job postings, laborers' wanted job
 * types and the matching engine.
 *
 * The table is the whole public-comment draft (社会公示稿) of the 2022 edition: 8 major groups (大类),
 * 79 medium groups (中类), 449 minor groups (小类) and 1,636 occupations (职业), in
 * data/occupations-2022/occupations.json. The data was extracted by kangvcar/JobE
 * (ontology/catalog/occupation_extract.json, commit 6e14be4) under CC BY 4.0; what was changed —
 * page-number debris removed from medium-group names, names the PDF extraction cut off completed —
 * is in data/occupations-2022/NOTICE.md, and scripts/occupations-2022.mjs rebuilds the file.
 * The official edition has 1,639 occupations; the 3 it added are not in the draft. A posting may
 * still carry any well-formed 2022 code, and `occupationAffinity` works on the code structure alone.
 *
 * Codes: major '6', medium '6-05', minor '6-05-01', occupation '6-05-01-03'. A group without
 * subdivision has '00' (8-00, 8-00-00, 8-00-00-00; 6-31-05-00 包装工 is the only occupation of its
 * minor group); '99' is 其他 (other). The draft's numbering has gaps of its own (no 4-01-02-02, no
 * 4-10-01-02). Note that 缝纫工 is 6-05-01-03 (6-05-01-01 is 服装制版师).
 *
 * Words the draft does not settle: 育婴员 (the draft has 4-10-01-01 婴幼儿发展引导员 and 4-10-01-03
 * 保育师 but no 4-10-01-02), the 工种 attribution of 叉车司机 (专用车辆驾驶员 6-30-01-00 or 起重装卸机械
 * 操作工 6-30-05-01), and 月嫂/母婴护理 (a 工种, not an occupation) map to the group above them.
 */

export type OccupationLevel = 1 | 2 | 3 | 4;

export interface Occupation {
  /** '6', '6-05', '6-05-01' or '6-05-01-03'. */
  code: string;
  name: string;
  /** 1 大类 (major), 2 中类 (medium), 3 小类 (minor), 4 职业 (occupation). */
  level: OccupationLevel;
}

export const OCCUPATION_LEVEL_LABELS: Readonly<Record<OccupationLevel, string>> = {
  1: '大类',
  2: '中类',
  3: '小类',
  4: '职业',
};

/** A well-formed 2022 大典 code of any level (it may or may not be in this table). */
export const OCCUPATION_CODE_PATTERN = /^[1-8](?:-\d{2}(?:-\d{2}(?:-\d{2})?)?)?$/;

// [code, name], in code order; the level follows from the code. See NOTICE.md beside the file.
const RAW: ReadonlyArray<readonly [string, string]> = table.entries.map((entry) => {
  const [code, name] = entry;
  if (entry.length !== 2 || !code || !name) throw new Error(`occupations.json: malformed entry ${JSON.stringify(entry)}`);
  return [code, name] as const;
});

/** The depth of a well-formed code: '6' → 1, '6-05' → 2, '6-05-01' → 3, '6-05-01-03' → 4. */
export function occupationCodeLevel(code: string): OccupationLevel {
  return code.split('-').length as OccupationLevel;
}

export const OCCUPATIONS: readonly Occupation[] = Object.freeze(
  RAW.map(([code, name]) => Object.freeze({ code, name, level: occupationCodeLevel(code) })),
);

const BY_CODE: ReadonlyMap<string, Occupation> = new Map(OCCUPATIONS.map((o) => [o.code, o]));

/** The code of the group directly above: '6-05-01-03' → '6-05-01'; a major group has none. */
export function occupationParentCode(code: string): string | null {
  const i = code.lastIndexOf('-');
  return i < 0 ? null : code.slice(0, i);
}

export function occupationByCode(code: string | null | undefined): Occupation | undefined {
  return code ? BY_CODE.get(code.trim()) : undefined;
}

/**
 * The chain major → … → the code itself, as far as the table has it:
 * '6-05-01-03' → [6 生产制造及有关人员, 6-05 …, 6-05-01 …, 6-05-01-03 缝纫工]. [] for an unknown code.
 */
export function occupationAncestors(code: string | null | undefined): Occupation[] {
  const self = occupationByCode(code);
  if (!self) return [];
  const parts = self.code.split('-');
  const chain: Occupation[] = [];
  for (let n = 1; n <= parts.length; n++) {
    const o = BY_CODE.get(parts.slice(0, n).join('-'));
    if (o) chain.push(o);
  }
  return chain;
}

/**
 * A display label: '缝纫工（6-05-01-03）'. With `{ path: true }` the whole chain,
 * '生产制造及有关人员 / 纺织品、服装和皮革、毛皮制品加工制作人员 / 纺织品和服装剪裁缝纫人员 / 缝纫工'.
 * An unknown code is shown as itself; null or empty gives ''.
 */
export function occupationLabel(code: string | null | undefined, opts: { path?: boolean } = {}): string {
  if (!code) return '';
  const self = occupationByCode(code);
  if (!self) return code.trim();
  if (opts.path)
    return occupationAncestors(self.code)
      .map((o) => o.name)
      .join(' / ');
  return `${self.name}（${self.code}）`;
}

// ── Loose job-type words ───────────────────────────────────────────────────────────────────────

/**
 * The words village cadres write on collection forms and laborers say, each mapped to the most
 * specific 2022 code that honestly fits. Broad words map to a group; the matching engine then
 * scores them by the group rule of `occupationAffinity`. Choices worth knowing:
 * - 普工 → '6'. A 普工 is a general production-line operative of any trade (electronics, garments,
 *   shoes, toys, food …); no single medium group fits, so it stays at the major group and matches any
 *   production posting at 'major' weight — never as 'same'. Likewise 操作工, 流水线, 进厂.
 * - 电子厂 → '6-25' (the medium group of electronics manufacturing); 电子装配工 → 6-25-04-07
 *   电子设备装接工, the 大典 occupation for assembling and soldering electronic equipment.
 * - 建筑工 / 工地 → '6-29' 建筑施工人员. 泥工 / 泥瓦工 / 瓦工 → 6-29-01-01 砌筑工.
 * - 木工 → 6-06-03-01 手工木工, the 大典 occupation named 木工 (建筑 formwork carpenters included
 *   by cadres under 木工 will then match it and, at 'major', other construction trades).
 * - 车工 → 6-18-01-01 车工 (lathe) as the 大典 names it. Garment factories also say 车工/车位 for a
 *   sewing-machine operator; those are written 车位 / 车衣工 and map to 缝纫工.
 * - 油漆工 / 喷漆工 → 6-18-03-03 涂装工 (factory painting); 装修 painters say 装修工.
 * - 司机 / 驾驶员 / 汽车驾驶员 → '4-02-02' 道路运输服务人员 (both 客运车辆驾驶员 and 道路货运汽车驾驶员);
 *   货车司机 and 客车司机 go to the occupation.
 * - 叉车工 / 叉车司机 → '6-30' (the 大典 occupation holding 叉车 as a 工种 could not be verified).
 * - 服务员 → '4-03' 住宿和餐饮服务人员 (hotel or restaurant); 餐厅服务员 → 4-03-02-05.
 * - 厨工 / 帮厨 → '4-03-02' 餐饮服务人员 (kitchen helpers are not 烹调师); 厨师 → 4-03-02-01 中式烹调师.
 * - 育婴员 / 育儿嫂 / 月嫂 / 母婴护理 → '4-10-01' 生活照料服务人员 (see the verification note above).
 * - 护工 → 4-14-01-02 医疗护理员 (hospital carers); care of the elderly is 养老护理员.
 * - 养殖 → '5-03' 畜牧业生产人员 (livestock and poultry, as the output regions mostly mean it);
 *   fish farming is 水产养殖 → '5-04-02'. 种植 / 种地 → '5-01' 农业生产人员.
 * - 环卫工 → '4-09-08' 环境卫生服务人员; 保洁 / 清洁工 → 4-09-08-01 保洁员.
 * - 外卖 / 骑手 → 4-10-08-01 网约配送员; 快递 → 4-02-07-08 快递员.
 */
export const JOB_TYPE_ALIASES: Readonly<Record<string, string>> = Object.freeze({
  // production, general
  普工: '6',
  操作工: '6',
  流水线: '6',
  流水线工人: '6',
  进厂: '6',
  // garments, shoes, toys, crafts
  缝纫工: '6-05-01-03',
  缝纫: '6-05-01-03',
  车位: '6-05-01-03',
  车衣工: '6-05-01-03',
  缝纫机工: '6-05-01-03',
  裁剪工: '6-05-01-02',
  裁床: '6-05-01-02',
  整烫工: '6-05-01-04',
  服装厂: '6-05-01',
  服装制作: '6-05-01',
  制衣: '6-05-01',
  制衣工: '6-05-01',
  制鞋工: '6-05-04-01',
  鞋厂: '6-05-04-01',
  鞋类制作: '6-05-04-01',
  皮具: '6-05-02-01',
  箱包: '6-05-02-01',
  玩具厂: '6-09-05-00',
  玩具制作: '6-09-05-00',
  刺绣: '6-09-03-11',
  绣娘: '6-09-03-11',
  手工艺品: '6-09-03-17',
  纺织工: '6-04',
  纺纱工: '6-04-02-01',
  织布工: '6-04-03-03',
  // electronics and machinery
  电子厂: '6-25',
  电子装配工: '6-25-04-07',
  电子装配: '6-25-04-07',
  电子组装: '6-25-04-07',
  电子产品装配: '6-25-04-07',
  插件工: '6-25-04-07',
  调试工: '6-25-04-08',
  车工: '6-18-01-01',
  冲压工: '6-18-01-12',
  冲床工: '6-18-01-12',
  电焊工: '6-18-02-04',
  焊工: '6-18-02-04',
  电焊: '6-18-02-04',
  油漆工: '6-18-03-03',
  喷漆工: '6-18-03-03',
  喷涂工: '6-18-03-03',
  机修: '6-31-01-02',
  机修工: '6-31-01-02',
  电工: '6-31-01-03',
  维修电工: '6-31-01-03',
  质检员: '6-31-03-05',
  质检: '6-31-03-05',
  品检: '6-31-03-05',
  包装工: '6-31-05-00',
  打包工: '6-31-05-00',
  安全员: '6-31-06-00',
  注塑工: '6-14-02-00',
  塑料厂: '6-14-02-00',
  电池厂: '6-24-04-00',
  汽车厂: '6-22',
  // food and farm produce processing
  食品厂: '6-02',
  食品加工: '6-02',
  茶叶加工: '6-02-06-10',
  制茶: '6-02-06-10',
  屠宰工: '6-01-04-01',
  面包师: '6-02-01-01',
  // wood, paper, mining
  木工: '6-06-03-01',
  家具厂: '6-06-04-00',
  纸箱厂: '6-07-02-00',
  矿工: '6-16-01',
  // construction
  建筑工: '6-29',
  工地: '6-29',
  小工: '6-29', // a construction-site helper
  泥工: '6-29-01-01',
  泥瓦工: '6-29-01-01',
  瓦工: '6-29-01-01',
  砌筑工: '6-29-01-01',
  钢筋工: '6-29-01-04',
  混凝土工: '6-29-01-03',
  架子工: '6-29-01-05',
  装修工: '6-29-04-01',
  装修: '6-29-04-01',
  水电工: '6-29-03',
  防水工: '6-29-02-08',
  修路: '6-29-02-03',
  筑路工: '6-29-02-03',
  乡村工匠: '6-29-01-07',
  // machinery operators and drivers
  叉车工: '6-30',
  叉车司机: '6-30',
  叉车: '6-30',
  挖机: '6-30-05-05',
  挖掘机司机: '6-30-05-05',
  吊车司机: '6-30-05-01',
  司机: '4-02-02',
  驾驶员: '4-02-02',
  汽车驾驶员: '4-02-02',
  货车司机: '4-02-02-02',
  大货车司机: '4-02-02-02',
  客车司机: '4-02-02-01',
  代驾: '4-10-08-02',
  // logistics
  快递员: '4-02-07-08',
  快递: '4-02-07-08',
  分拣员: '4-02-07-09',
  快递分拣: '4-02-07-09',
  外卖: '4-10-08-01',
  外卖员: '4-10-08-01',
  骑手: '4-10-08-01',
  搬运工: '4-02-05-01',
  装卸工: '4-02-05-01',
  装卸搬运工: '4-02-05-01',
  仓管: '4-02-06-01',
  仓管员: '4-02-06-01',
  仓库管理员: '4-02-06-01',
  理货员: '4-02-06-02',
  物流: '4-02-06',
  // retail
  收银员: '4-01-02-04',
  收银: '4-01-02-04',
  营业员: '4-01-02-03',
  超市营业员: '4-01-02-03',
  导购: '4-01-02-03',
  售货员: '4-01-02-03',
  销售: '4-01-02',
  销售员: '4-01-02-01',
  电商: '4-01-06-01',
  主播: '4-01-06-02',
  直播带货: '4-01-06-02',
  客服: '4-04-05-03',
  话务员: '4-04-05-03',
  // hotels and catering
  服务员: '4-03',
  餐厅服务员: '4-03-02-05',
  传菜员: '4-03-02-05',
  客房服务员: '4-03-01-02',
  酒店服务员: '4-03-01',
  前台: '4-03-01-01',
  厨师: '4-03-02-01',
  中餐厨师: '4-03-02-01',
  厨工: '4-03-02',
  帮厨: '4-03-02',
  面点师: '4-03-02-02',
  白案: '4-03-02-02',
  // security and cleaning
  保安: '4-07-05-01',
  保安员: '4-07-05-01',
  门卫: '4-07-05-01',
  安检员: '4-07-05-02',
  保洁: '4-09-08-01',
  保洁员: '4-09-08-01',
  清洁工: '4-09-08-01',
  环卫工: '4-09-08',
  绿化工: '4-09-10-01',
  园林工: '4-09-10-01',
  // household and care
  家政: '4-10-01-06',
  家政服务员: '4-10-01-06',
  保姆: '4-10-01-06',
  钟点工: '4-10-01-06',
  月嫂: '4-10-01',
  母婴护理: '4-10-01',
  育儿嫂: '4-10-01',
  育婴员: '4-10-01',
  育婴师: '4-10-01',
  保育员: '4-10-01-03',
  保育师: '4-10-01-03',
  养老护理员: '4-10-01-05',
  养老护理: '4-10-01-05',
  护工: '4-14-01-02',
  陪护: '4-14-01-02',
  // personal services and repairs
  美发: '4-10-03-02',
  理发: '4-10-03-02',
  理发师: '4-10-03-02',
  美发师: '4-10-03-02',
  美容: '4-10-03-01',
  美容师: '4-10-03-01',
  美甲: '4-10-03-03',
  按摩: '4-10-04-02',
  汽修: '4-12-01-01',
  汽车维修: '4-12-01-01',
  家电维修: '4-12-03-01',
  裁缝: '4-10-02-01',
  // agriculture, forestry, husbandry, fishery
  种植: '5-01',
  种地: '5-01',
  务农: '5-01',
  种菜: '5-01-02-02',
  果树: '5-01-02-02',
  食用菌: '5-01-02-03',
  种蘑菇: '5-01-02-03',
  中药材: '5-01-02-05',
  养殖: '5-03',
  养猪: '5-03-02-01',
  养牛: '5-03-02-01',
  养鸡: '5-03-02-02',
  水产养殖: '5-04-02',
  养鱼: '5-04-02-01',
  护林员: '5-02-03-01',
  生态护林员: '5-02-03-01',
  农机手: '5-05-05-01',
  农家乐: '4-07-04-06',
  民宿: '4-14-06-02',
});

// Names of occupations and groups, deepest first so an occupation wins over a group of the same name.
const BY_NAME: ReadonlyMap<string, string> = (() => {
  const m = new Map<string, string>();
  for (const o of [...OCCUPATIONS].sort((a, b) => a.level - b.level)) m.set(o.name, o.code);
  return m;
})();

const STRIPPED_SUFFIXES = ['工种', '岗位', '职位', '人员', '师傅', '岗'];

/** NFKC (full-width → half-width, U+3000 → space), no whitespace, no parenthesised remarks. */
function normalizeJobWord(word: string): string {
  return word
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/\([^()]*\)|\[[^[\]]*\]|【[^【】]*】/g, '')
    .trim();
}

function lookup(word: string): string | null {
  if (OCCUPATION_CODE_PATTERN.test(word)) return BY_CODE.has(word) ? word : null;
  return JOB_TYPE_ALIASES[word] ?? BY_NAME.get(word) ?? null;
}

/**
 * The 2022 code for a loose job-type word, or null. The word is normalized (trimmed, full-width
 * characters made half-width, whitespace and parenthesised remarks such as '（持证）' removed) and
 * looked up among the aliases, then among the names in the table; a code in the table is returned
 * as it is. A trailing 工种 / 岗位 / 职位 / 人员 / 师傅 / 岗 is stripped only when what is left is
 * itself known ('保洁岗位' → 保洁员; '门岗' stays unknown).
 */
export function jobTypeToOccupation(word: string | null | undefined): string | null {
  if (typeof word !== 'string') return null;
  const w = normalizeJobWord(word);
  if (!w) return null;
  const direct = lookup(w);
  if (direct) return direct;
  for (const suffix of STRIPPED_SUFFIXES) {
    if (w.length > suffix.length && w.endsWith(suffix)) {
      const hit = lookup(w.slice(0, -suffix.length));
      if (hit) return hit;
    }
  }
  return null;
}

// ── Affinity for matching ──────────────────────────────────────────────────────────────────────

export type OccupationAffinityLevel = 'same' | 'minor' | 'medium' | 'major' | 'none';

export interface OccupationAffinity {
  level: OccupationAffinityLevel;
  weight: number;
}

export const OCCUPATION_AFFINITY_WEIGHTS: Readonly<Record<OccupationAffinityLevel, number>> = Object.freeze({
  same: 1,
  minor: 0.7,
  medium: 0.45,
  major: 0.2,
  none: 0,
});

const affinity = (level: OccupationAffinityLevel): OccupationAffinity => ({
  level,
  weight: OCCUPATION_AFFINITY_WEIGHTS[level],
});

/**
 * How well a posting's occupation fits the one a laborer wants. Symmetric; works on the code
 * structure alone, so any well-formed 2022 code may be passed even if it is not in OCCUPATIONS.
 *
 * Let the two codes be paths of segments ('6-05-01-03' → 6 / 05 / 01 / 03) and k the number of
 * leading segments they share.
 * 1. Identical codes → 'same' (1.0), at any level.
 * 2. One code is a proper ancestor of the other (k equals the shorter code's depth):
 *    - the ancestor is a medium or minor group ('6-05', '6-05-01') → 'same' (1.0): a laborer who
 *      wants "服装制作" takes any occupation inside it, and a posting for "电子厂" takes any
 *      electronics worker;
 *    - the ancestor is a major group only ('6', as for 普工) → 'major' (0.2): "any production job"
 *      is not the same as a particular trade.
 * 3. Otherwise by k: 3 → 'minor' (0.7, same 小类), 2 → 'medium' (0.45, same 中类),
 *    1 → 'major' (0.2, same 大类), 0 → 'none' (0).
 * A missing or malformed code gives 'none'.
 *
 * Examples: 缝纫工 vs 缝纫工 → same; 缝纫工 vs 裁剪工 (both 6-05-01) → minor; 缝纫工 vs 制鞋工 (6-05) →
 * medium; 缝纫工 vs 焊工 → major; 普工 ('6') vs 缝纫工 → major; 6-05 vs 缝纫工 → same; 缝纫工 vs 保洁员 → none.
 */
export function occupationAffinity(wantedCode: string | null | undefined, postingCode: string | null | undefined): OccupationAffinity {
  const a = wantedCode?.trim();
  const b = postingCode?.trim();
  if (!a || !b || !OCCUPATION_CODE_PATTERN.test(a) || !OCCUPATION_CODE_PATTERN.test(b)) return affinity('none');
  if (a === b) return affinity('same');
  const pa = a.split('-');
  const pb = b.split('-');
  const shorter = Math.min(pa.length, pb.length);
  let k = 0;
  while (k < shorter && pa[k] === pb[k]) k++;
  if (k === shorter) return affinity(shorter >= 2 ? 'same' : 'major');
  return affinity(k === 3 ? 'minor' : k === 2 ? 'medium' : k === 1 ? 'major' : 'none');
}

// ── Cascader ───────────────────────────────────────────────────────────────────────────────────

/** The option shape of antd's Cascader: value is the code, label the Chinese name; leaves have no children. */
export interface CascaderOption {
  value: string;
  label: string;
  children?: CascaderOption[];
}

let occupationTree: CascaderOption[] | undefined;

/**
 * OCCUPATIONS as a tree for antd's Cascader (大类 → 中类 → 小类 → 职业), built on first use and
 * shared afterwards: do not mutate it. Use `changeOnSelect` to let a group be picked.
 */
export function occupationCascaderOptions(): CascaderOption[] {
  if (occupationTree) return occupationTree;
  const nodes = new Map<string, CascaderOption>();
  const roots: CascaderOption[] = [];
  // Parents before children, table order within a level.
  for (const o of [...OCCUPATIONS].sort((a, b) => a.level - b.level)) {
    const node: CascaderOption = { value: o.code, label: o.name };
    nodes.set(o.code, node);
    const parentCode = occupationParentCode(o.code);
    const parent = parentCode ? nodes.get(parentCode) : undefined;
    if (parent) {
      parent.children ??= [];
      parent.children.push(node);
    } else roots.push(node);
  }
  occupationTree = roots;
  return roots;
}
