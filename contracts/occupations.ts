/**
 * Occupations after 《中华人民共和国职业分类大典（2022年版）》 (GBM codes), for job postings, laborers'
 * wanted job types and the matching engine.
 *
 * The 2022 edition has 8 major groups (大类), 79 medium groups (中类), 449 minor groups (小类) and
 * 1,639 occupations (职业). This table ships
 *   - ALL 8 major groups and ALL 79 medium groups, with their 2022 codes and names;
 *   - the minor groups and occupations that rural laborers of the platform commonly take
 *     (manufacturing line work, construction, services, care work, logistics, agriculture).
 * It is deliberately partial below the medium level: a posting may carry any well-formed 2022 code,
 * and `occupationAffinity` works on the code structure alone, so codes missing here still match.
 *
 * Codes: major '6', medium '6-05', minor '6-05-01', occupation '6-05-01-03'. A group without
 * subdivision has '00' (8-00, 8-00-00, 8-00-00-00; 6-31-05-00 包装工 is the only occupation of its
 * minor group); '99' is 其他 (other).
 *
 * ## How the codes were verified
 * - Major and medium groups: checked against three independent public copies of the 2022 structure
 *   — a 2022 简明版 listing (大类/中类/小类/职业 with GBM codes), a parser of the 2022 大典 PDF
 *   (its default 中类 table), and an occupation-coding agent's 2022 navigation table. All agree on
 *   the 79 medium groups, including the 2022 changes from 2015: 2-07 监察、法律、社会和宗教专业人员,
 *   3-03 法律事务及辅助人员 (new), 4-02 交通运输、仓储物流和邮政业服务人员, 4-13 文化和教育服务人员,
 *   4-14 健康、体育和休闲服务人员, 4-99 其他社会生产服务和生活服务人员, 6-27 再生资源综合利用人员, and
 *   major group 7 军队人员 split into 7-01 军官（警官）, 7-02 军士（警士）, 7-03 义务兵, 7-04 文职人员
 *   (the 简明版 omits 7-04; the PDF parser and the navigation table both have it, and 79 needs it).
 * - Minor groups and occupations: every code below was read from the 2022 简明版 listing (same
 *   code, same name). Where that listing truncated a name, the full name is used and marked
 *   "(name completed)" below. Note that 缝纫工 is 6-05-01-03 (6-05-01-01 is 服装制版师).
 * - Left out because the 2022 code could not be confirmed from a public copy: 育婴员 (the 2022
 *   listing shows 4-10-01-01 婴幼儿发展引导员 and 4-10-01-03 保育师 but no 4-10-01-02), the 工种
 *   attribution of 叉车司机 (专用车辆驾驶员 6-30-01-00 or 起重装卸机械操作工 6-30-05-01), and
 *   月嫂/母婴护理 (a 工种, not an occupation). Those words map to the verified group above them.
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

// [code, name]; the level follows from the code.
const RAW: ReadonlyArray<readonly [string, string]> = [
  // ── 大类 1 ──────────────────────────────────────────────────────────────────────────────────
  ['1', '党的机关、国家机关、群众团体和社会组织、企事业单位负责人'],
  ['1-01', '中国共产党机关负责人'],
  ['1-02', '国家机关负责人'],
  ['1-03', '民主党派和工商联负责人'],
  ['1-04', '人民团体和群众团体、社会组织及其他成员组织负责人'],
  ['1-05', '基层群众自治组织负责人'],
  ['1-06', '企事业单位负责人'],

  // ── 大类 2 ──────────────────────────────────────────────────────────────────────────────────
  ['2', '专业技术人员'],
  ['2-01', '科学研究人员'],
  ['2-02', '工程技术人员'],
  ['2-03', '农业技术人员'],
  ['2-04', '飞机和船舶技术人员'],
  ['2-05', '卫生专业技术人员'],
  ['2-06', '经济和金融专业人员'],
  ['2-07', '监察、法律、社会和宗教专业人员'],
  ['2-08', '教学人员'],
  ['2-09', '文学艺术、体育专业人员'],
  ['2-10', '新闻出版、文化专业人员'],
  ['2-99', '其他专业技术人员'],

  // ── 大类 3 ──────────────────────────────────────────────────────────────────────────────────
  ['3', '办事人员和有关人员'],
  ['3-01', '行政办事及辅助人员'],
  ['3-01-04', '社区和村镇工作人员'],
  ['3-01-04-01', '村和社区工作者'],
  ['3-01-04-03', '劳动保障协理员'],
  ['3-02', '安全和消防及辅助人员'],
  ['3-03', '法律事务及辅助人员'],
  ['3-99', '其他办事人员和有关人员'],

  // ── 大类 4 ──────────────────────────────────────────────────────────────────────────────────
  ['4', '社会生产服务和生活服务人员'],
  ['4-01', '批发与零售服务人员'],
  ['4-01-02', '销售人员'],
  ['4-01-02-01', '营销员'],
  ['4-01-02-03', '商品营业员'],
  ['4-01-02-04', '收银员'],
  ['4-01-06', '电子商务服务人员'],
  ['4-01-06-01', '电子商务师'],
  ['4-01-06-02', '互联网营销师'],
  ['4-02', '交通运输、仓储物流和邮政业服务人员'],
  ['4-02-02', '道路运输服务人员'],
  ['4-02-02-01', '客运车辆驾驶员'],
  ['4-02-02-02', '道路货运汽车驾驶员'],
  ['4-02-05', '装卸搬运和运输代理服务人员'],
  ['4-02-05-01', '装卸搬运工'],
  ['4-02-06', '仓储物流服务人员'],
  ['4-02-06-01', '仓储管理员'],
  ['4-02-06-02', '理货员'],
  ['4-02-06-04', '冷藏工'],
  ['4-02-07', '邮政和快递服务人员'],
  ['4-02-07-02', '邮件分拣员'],
  ['4-02-07-08', '快递员'],
  ['4-02-07-09', '快件处理员'],
  ['4-03', '住宿和餐饮服务人员'],
  ['4-03-01', '住宿服务人员'],
  ['4-03-01-01', '前厅服务员'],
  ['4-03-01-02', '客房服务员'],
  ['4-03-02', '餐饮服务人员'],
  ['4-03-02-01', '中式烹调师'],
  ['4-03-02-02', '中式面点师'],
  ['4-03-02-05', '餐厅服务员'],
  ['4-03-02-06', '营养配餐员'],
  ['4-04', '信息传输、软件和信息技术服务人员'],
  ['4-04-05', '软件和信息技术服务人员'],
  ['4-04-05-03', '呼叫中心服务员'],
  ['4-05', '金融服务人员'],
  ['4-06', '房地产服务人员'],
  ['4-07', '租赁和商务服务人员'],
  ['4-07-04', '旅游及公共游览场所服务人员'],
  ['4-07-04-06', '休闲农业服务员'],
  ['4-07-05', '安全保护服务人员'],
  ['4-07-05-01', '保安员'],
  ['4-07-05-02', '安检员'],
  ['4-08', '技术辅助服务人员'],
  ['4-09', '水利、环境和公共设施管理服务人员'],
  ['4-09-08', '环境卫生服务人员'],
  ['4-09-08-01', '保洁员'],
  ['4-09-08-02', '生活垃圾清运工'],
  ['4-09-10', '绿化与园艺服务人员'],
  ['4-09-10-01', '园林绿化工'],
  ['4-10', '居民服务人员'],
  ['4-10-01', '生活照料服务人员'],
  ['4-10-01-01', '婴幼儿发展引导员'],
  ['4-10-01-03', '保育师'],
  ['4-10-01-04', '孤残儿童护理员'],
  ['4-10-01-05', '养老护理员'],
  ['4-10-01-06', '家政服务员'],
  ['4-10-02', '服装裁剪和洗染织补人员'],
  ['4-10-02-01', '裁缝'],
  ['4-10-02-02', '洗衣师'],
  ['4-10-03', '美容美发和浴池服务人员'],
  ['4-10-03-01', '美容师'],
  ['4-10-03-02', '美发师'],
  ['4-10-03-03', '美甲师'],
  ['4-10-03-04', '浴池服务员'],
  ['4-10-04', '保健服务人员'],
  ['4-10-04-02', '保健按摩师'],
  ['4-10-08', '社区生活服务人员'],
  ['4-10-08-01', '网约配送员'],
  ['4-10-08-02', '汽车代驾员'],
  ['4-11', '电力、燃气及水供应服务人员'],
  ['4-12', '修理及制作服务人员'],
  ['4-12-01', '汽车摩托车修理技术服务人员'],
  ['4-12-01-01', '汽车维修工'],
  ['4-12-03', '家用电子电器产品维修人员'],
  ['4-12-03-01', '家用电器产品维修工'],
  ['4-13', '文化和教育服务人员'],
  ['4-14', '健康、体育和休闲服务人员'],
  ['4-14-01', '医疗辅助服务人员'],
  ['4-14-01-02', '医疗护理员'],
  ['4-14-06', '康养、休闲服务人员'],
  ['4-14-06-02', '民宿管家'],
  ['4-99', '其他社会生产服务和生活服务人员'],

  // ── 大类 5 ──────────────────────────────────────────────────────────────────────────────────
  ['5', '农、林、牧、渔业生产及辅助人员'],
  ['5-01', '农业生产人员'],
  ['5-01-02', '农作物生产人员'],
  ['5-01-02-01', '农艺工'],
  ['5-01-02-02', '园艺工'],
  ['5-01-02-03', '食用菌生产工'],
  ['5-01-02-05', '中药材种植员'],
  ['5-02', '林业生产人员'],
  ['5-02-03', '森林经营和管护人员'],
  ['5-02-03-01', '护林员'],
  ['5-03', '畜牧业生产人员'],
  ['5-03-02', '畜禽饲养人员'],
  ['5-03-02-01', '家畜饲养员'],
  ['5-03-02-02', '家禽饲养员'],
  ['5-04', '渔业生产人员'],
  ['5-04-02', '水产养殖人员'],
  ['5-04-02-01', '水生动物饲养工'],
  ['5-05', '农、林、牧、渔业生产辅助人员'],
  ['5-05-01', '农业生产服务人员'],
  ['5-05-01-02', '农业经理人'],
  ['5-05-05', '农机化服务人员'],
  ['5-05-05-01', '农机驾驶操作员'],
  ['5-99', '其他农、林、牧、渔业生产及辅助人员'],

  // ── 大类 6 ──────────────────────────────────────────────────────────────────────────────────
  ['6', '生产制造及有关人员'],
  ['6-01', '农副产品加工人员'],
  ['6-01-04', '畜禽制品加工人员'],
  ['6-01-04-01', '畜禽屠宰加工工'],
  ['6-01-04-03', '肉制品加工工'],
  ['6-01-06', '果蔬和坚果加工人员'],
  ['6-01-06-00', '果蔬坚果加工工'],
  ['6-02', '食品、饮料生产加工人员'],
  ['6-02-01', '焙烤食品制造人员'],
  ['6-02-01-01', '糕点面包烘焙工'],
  ['6-02-06', '酒、饮料及精制茶制造人员'],
  ['6-02-06-10', '茶叶加工工'],
  ['6-03', '烟草及其制品加工人员'],
  ['6-04', '纺织、针织、印染人员'],
  ['6-04-02', '纺纱人员'],
  ['6-04-02-01', '纺纱工'],
  ['6-04-03', '织造人员'],
  ['6-04-03-03', '织布工'],
  ['6-05', '纺织品、服装和皮革、毛皮制品加工制作人员'],
  ['6-05-01', '纺织品和服装剪裁缝纫人员'],
  ['6-05-01-01', '服装制版师'],
  ['6-05-01-02', '裁剪工'],
  ['6-05-01-03', '缝纫工'],
  ['6-05-01-04', '缝纫品整型工'],
  ['6-05-02', '皮革、毛皮及其制品加工人员'],
  ['6-05-02-01', '皮革及皮革制品加工工'],
  ['6-05-04', '鞋帽制作人员'],
  ['6-05-04-01', '制鞋工'],
  ['6-05-04-02', '制帽工'],
  ['6-06', '木材加工、家具与木制品制作人员'],
  ['6-06-03', '木制品制造人员'],
  ['6-06-03-01', '手工木工'],
  ['6-06-03-02', '机械木工'],
  ['6-06-04', '家具制造人员'],
  ['6-06-04-00', '家具制作工'],
  ['6-07', '纸及纸制品生产加工人员'],
  ['6-07-02', '纸制品制作人员'],
  ['6-07-02-00', '纸箱纸盒制作工'],
  ['6-08', '印刷和记录媒介复制人员'],
  ['6-09', '文教、工美、体育和娱乐用品制造人员'],
  ['6-09-03', '工艺美术品制造人员'],
  ['6-09-03-11', '抽纱刺绣工'],
  ['6-09-03-17', '民间工艺品制作工'],
  ['6-09-05', '玩具制作人员'],
  ['6-09-05-00', '玩具制作工'], // (name completed: the listing reads 玩具制作)
  ['6-10', '石油加工和炼焦、煤化工生产人员'],
  ['6-11', '化学原料和化学制品制造人员'],
  ['6-12', '医药制造人员'],
  ['6-13', '化学纤维制造人员'],
  ['6-14', '橡胶和塑料制品制造人员'],
  ['6-14-02', '塑料制品加工人员'],
  ['6-14-02-00', '塑料制品成型制作工'],
  ['6-15', '非金属矿物制品制造人员'],
  ['6-16', '采矿人员'],
  ['6-16-01', '矿物采选人员'],
  ['6-16-01-05', '井下采矿工'],
  ['6-17', '金属冶炼和压延加工人员'],
  ['6-18', '机械制造基础加工人员'],
  ['6-18-01', '机械冷加工人员'],
  ['6-18-01-01', '车工'],
  ['6-18-01-12', '冲压工'],
  ['6-18-02', '机械热加工人员'],
  ['6-18-02-04', '焊工'],
  ['6-18-03', '机械表面处理加工人员'],
  ['6-18-03-03', '涂装工'],
  ['6-19', '金属制品制造人员'],
  ['6-20', '通用设备制造人员'],
  ['6-20-01', '通用基础件装配制造人员'],
  ['6-20-01-01', '装配钳工'],
  ['6-21', '专用设备制造人员'],
  ['6-22', '汽车制造人员'],
  ['6-22-01', '汽车零部件、饰件生产加工人员'],
  ['6-22-01-01', '汽车生产线操作工'],
  ['6-23', '铁路、船舶、航空设备制造人员'],
  ['6-24', '电气机械和器材制造人员'],
  ['6-24-04', '电池制造人员'],
  ['6-24-04-00', '电池制造工'],
  ['6-24-05', '家用电力器具制造人员'],
  ['6-24-05-04', '小型家用电器制造工'],
  ['6-25', '计算机、通信和其他电子设备制造人员'],
  ['6-25-02', '电子器件制造人员'],
  ['6-25-02-03', '液晶显示器件制造工'],
  ['6-25-04', '电子设备装配调试人员'],
  ['6-25-04-05', '智能硬件装调员'],
  ['6-25-04-07', '电子设备装接工'],
  ['6-25-04-08', '电子设备调试工'],
  ['6-26', '仪器仪表制造人员'],
  ['6-27', '再生资源综合利用人员'],
  ['6-28', '电力、热力、气体、水生产和输配人员'],
  ['6-29', '建筑施工人员'],
  ['6-29-01', '房屋建筑施工人员'],
  ['6-29-01-01', '砌筑工'],
  ['6-29-01-03', '混凝土工'],
  ['6-29-01-04', '钢筋工'],
  ['6-29-01-05', '架子工'],
  ['6-29-01-07', '乡村建设工匠'],
  ['6-29-02', '土木工程建筑施工人员'],
  ['6-29-02-03', '筑路工'],
  ['6-29-02-08', '防水工'],
  ['6-29-02-15', '管道工'],
  ['6-29-03', '建筑安装施工人员'],
  ['6-29-03-02', '电气设备安装工'],
  ['6-29-03-04', '管工'],
  ['6-29-04', '建筑装饰人员'],
  ['6-29-04-01', '装饰装修工'],
  ['6-30', '运输设备和通用工程机械操作人员及有关人员'],
  ['6-30-01', '专用车辆操作人员'],
  ['6-30-01-00', '专用车辆驾驶员'],
  ['6-30-05', '通用工程机械操作人员'],
  ['6-30-05-01', '起重装卸机械操作工'],
  ['6-30-05-05', '挖掘铲运和桩工机械司机'],
  ['6-31', '生产辅助人员'],
  ['6-31-01', '机械设备修理人员'],
  ['6-31-01-02', '机修钳工'],
  ['6-31-01-03', '电工'],
  ['6-31-01-10', '机电设备维修工'],
  ['6-31-03', '检验试验人员'],
  ['6-31-03-05', '质检员'],
  ['6-31-05', '包装人员'],
  ['6-31-05-00', '包装工'],
  ['6-31-06', '安全生产管理人员'],
  ['6-31-06-00', '安全员'],
  ['6-31-07', '工业机器人操作运维人员'],
  ['6-31-07-03', '工业机器人系统操作员'],
  ['6-99', '其他生产制造及有关人员'],

  // ── 大类 7 ──────────────────────────────────────────────────────────────────────────────────
  ['7', '军队人员'],
  ['7-01', '军官（警官）'],
  ['7-02', '军士（警士）'],
  ['7-03', '义务兵'],
  ['7-04', '文职人员'],

  // ── 大类 8 ──────────────────────────────────────────────────────────────────────────────────
  ['8', '不便分类的其他从业人员'],
  ['8-00', '不便分类的其他从业人员'],
  ['8-00-00', '不便分类的其他从业人员'],
  ['8-00-00-00', '不便分类的其他从业人员'],
];

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
