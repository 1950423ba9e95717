/**
 * Industries after GB/T 4754-2017 《国民经济行业分类》: the 20 sections (门类, letters A–T) and the
 * 97 divisions (大类, two-digit codes 01–97, each inside one section). Groups (中类, 3 digits) and
 * classes (小类, 4 digits) are not shipped; a deeper code is mapped to its division by
 * `industryByCode`.
 *
 * Verified against public copies of the standard's division list: a code table of all 97 divisions
 * grouped under the 20 sections, a second list written as 'C18纺织服装、服饰业' (sections, codes and
 * the punctuation of the names), and the enterprise-size classification's references (F 51 批发业,
 * F 52 零售业, G 59 仓储业, G 60 邮政业, H 61 住宿业, H 62 餐饮业, I 65 软件和信息技术服务业).
 */
import type { CascaderOption } from './occupations.ts';

export type IndustrySectionCode =
  | 'A'
  | 'B'
  | 'C'
  | 'D'
  | 'E'
  | 'F'
  | 'G'
  | 'H'
  | 'I'
  | 'J'
  | 'K'
  | 'L'
  | 'M'
  | 'N'
  | 'O'
  | 'P'
  | 'Q'
  | 'R'
  | 'S'
  | 'T';

export interface IndustrySection {
  code: IndustrySectionCode;
  name: string;
}

export interface Industry {
  /** Two-digit division code, '01'–'97'. */
  code: string;
  name: string;
  section: IndustrySectionCode;
}

export const INDUSTRY_SECTIONS: readonly IndustrySection[] = Object.freeze(
  (
    [
      ['A', '农、林、牧、渔业'],
      ['B', '采矿业'],
      ['C', '制造业'],
      ['D', '电力、热力、燃气及水生产和供应业'],
      ['E', '建筑业'],
      ['F', '批发和零售业'],
      ['G', '交通运输、仓储和邮政业'],
      ['H', '住宿和餐饮业'],
      ['I', '信息传输、软件和信息技术服务业'],
      ['J', '金融业'],
      ['K', '房地产业'],
      ['L', '租赁和商务服务业'],
      ['M', '科学研究和技术服务业'],
      ['N', '水利、环境和公共设施管理业'],
      ['O', '居民服务、修理和其他服务业'],
      ['P', '教育'],
      ['Q', '卫生和社会工作'],
      ['R', '文化、体育和娱乐业'],
      ['S', '公共管理、社会保障和社会组织'],
      ['T', '国际组织'],
    ] as const
  ).map(([code, name]) => Object.freeze({ code, name })),
);

// Divisions by section; the codes run 01–97 without gaps in this order.
const DIVISIONS: Readonly<Record<IndustrySectionCode, readonly string[]>> = {
  A: ['农业', '林业', '畜牧业', '渔业', '农、林、牧、渔专业及辅助性活动'], // 01–05
  B: [
    '煤炭开采和洗选业',
    '石油和天然气开采业',
    '黑色金属矿采选业',
    '有色金属矿采选业',
    '非金属矿采选业',
    '开采专业及辅助性活动',
    '其他采矿业',
  ], // 06–12
  C: [
    '农副食品加工业',
    '食品制造业',
    '酒、饮料和精制茶制造业',
    '烟草制品业',
    '纺织业', // 13–17
    '纺织服装、服饰业',
    '皮革、毛皮、羽毛及其制品和制鞋业',
    '木材加工和木、竹、藤、棕、草制品业', // 18–20
    '家具制造业',
    '造纸和纸制品业',
    '印刷和记录媒介复制业',
    '文教、工美、体育和娱乐用品制造业', // 21–24
    '石油、煤炭及其他燃料加工业',
    '化学原料和化学制品制造业',
    '医药制造业',
    '化学纤维制造业', // 25–28
    '橡胶和塑料制品业',
    '非金属矿物制品业',
    '黑色金属冶炼和压延加工业',
    '有色金属冶炼和压延加工业', // 29–32
    '金属制品业',
    '通用设备制造业',
    '专用设备制造业',
    '汽车制造业', // 33–36
    '铁路、船舶、航空航天和其他运输设备制造业',
    '电气机械和器材制造业', // 37–38
    '计算机、通信和其他电子设备制造业',
    '仪器仪表制造业',
    '其他制造业',
    '废弃资源综合利用业', // 39–42
    '金属制品、机械和设备修理业', // 43
  ],
  D: ['电力、热力生产和供应业', '燃气生产和供应业', '水的生产和供应业'], // 44–46
  E: ['房屋建筑业', '土木工程建筑业', '建筑安装业', '建筑装饰、装修和其他建筑业'], // 47–50
  F: ['批发业', '零售业'], // 51–52
  G: ['铁路运输业', '道路运输业', '水上运输业', '航空运输业', '管道运输业', '多式联运和运输代理业', '装卸搬运和仓储业', '邮政业'], // 53–60
  H: ['住宿业', '餐饮业'], // 61–62
  I: ['电信、广播电视和卫星传输服务', '互联网和相关服务', '软件和信息技术服务业'], // 63–65
  J: ['货币金融服务', '资本市场服务', '保险业', '其他金融业'], // 66–69
  K: ['房地产业'], // 70
  L: ['租赁业', '商务服务业'], // 71–72
  M: ['研究和试验发展', '专业技术服务业', '科技推广和应用服务业'], // 73–75
  N: ['水利管理业', '生态保护和环境治理业', '公共设施管理业', '土地管理业'], // 76–79
  O: ['居民服务业', '机动车、电子产品和日用产品修理业', '其他服务业'], // 80–82
  P: ['教育'], // 83
  Q: ['卫生', '社会工作'], // 84–85
  R: ['新闻和出版业', '广播、电视、电影和录音制作业', '文化艺术业', '体育', '娱乐业'], // 86–90
  S: ['中国共产党机关', '国家机构', '人民政协、民主党派', '社会保障', '群众团体、社会团体和其他成员组织', '基层群众自治组织及其他组织'], // 91–96
  T: ['国际组织'], // 97
};

export const INDUSTRIES: readonly Industry[] = Object.freeze(
  (() => {
    const out: Industry[] = [];
    for (const s of INDUSTRY_SECTIONS) {
      for (const name of DIVISIONS[s.code]) {
        out.push(Object.freeze({ code: String(out.length + 1).padStart(2, '0'), name, section: s.code }));
      }
    }
    return out;
  })(),
);

const BY_CODE: ReadonlyMap<string, Industry> = new Map(INDUSTRIES.map((d) => [d.code, d]));
const SECTION_BY_CODE: ReadonlyMap<string, IndustrySection> = new Map(INDUSTRY_SECTIONS.map((s) => [s.code, s]));

/**
 * The division of an industry code, or undefined. Accepts a division code ('18'), the same with its
 * section letter ('C18', 'c18'), or a deeper GB/T 4754 code, which is cut to its division
 * ('181', 'C1810' → 18 纺织服装、服饰业). A letter that is not the division's section gives undefined.
 */
export function industryByCode(code: string | null | undefined): Industry | undefined {
  if (!code) return undefined;
  const m = /^([A-Ta-t])?(\d{2})\d{0,2}$/.exec(code.trim());
  if (!m) return undefined;
  const division = BY_CODE.get(m[2]!);
  if (!division) return undefined;
  if (m[1] && m[1].toUpperCase() !== division.section) return undefined;
  return division;
}

export function industrySectionByCode(code: string | null | undefined): IndustrySection | undefined {
  return code ? SECTION_BY_CODE.get(code.trim().toUpperCase()) : undefined;
}

/** The divisions of one section, in code order. */
export function industriesOfSection(section: string): Industry[] {
  const s = section.trim().toUpperCase();
  return INDUSTRIES.filter((d) => d.section === s);
}

/** '18 纺织服装、服饰业' for a division, 'C 制造业' for a section; an unknown code as itself; null gives ''. */
export function industryLabel(code: string | null | undefined): string {
  if (!code) return '';
  const section = /^[A-Za-z]$/.test(code.trim()) ? industrySectionByCode(code) : undefined;
  if (section) return `${section.code} ${section.name}`;
  const d = industryByCode(code);
  return d ? `${d.code} ${d.name}` : code.trim();
}

let industryTree: CascaderOption[] | undefined;

/**
 * Sections → divisions for antd's Cascader (value: 'C' for a section, '18' for a division), built on
 * first use and shared afterwards: do not mutate it.
 */
export function industryCascaderOptions(): CascaderOption[] {
  industryTree ??= INDUSTRY_SECTIONS.map((s) => ({
    value: s.code,
    label: s.name,
    children: industriesOfSection(s.code).map((d) => ({ value: d.code, label: d.name })),
  }));
  return industryTree;
}
