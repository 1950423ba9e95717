import { describe, expect, it } from 'vitest';
import {
  JOB_TYPE_ALIASES,
  OCCUPATIONS,
  OCCUPATION_AFFINITY_WEIGHTS,
  OCCUPATION_CODE_PATTERN,
  jobTypeToOccupation,
  occupationAffinity,
  occupationAncestors,
  occupationByCode,
  occupationCascaderOptions,
  occupationLabel,
  occupationParentCode,
  type CascaderOption,
} from '../../../../contracts/occupations.ts';

const ofLevel = (level: number) => OCCUPATIONS.filter((o) => o.level === level);
const codeOf = (name: string) => {
  const hit = OCCUPATIONS.find((o) => o.level === 4 && o.name === name);
  if (!hit) throw new Error(`no occupation named ${name}`);
  return hit.code;
};

describe('OCCUPATIONS (职业分类大典 2022)', () => {
  it('has the 8 major groups with their 2022 names', () => {
    expect(ofLevel(1).map((o) => [o.code, o.name])).toEqual([
      ['1', '党的机关、国家机关、群众团体和社会组织、企事业单位负责人'],
      ['2', '专业技术人员'],
      ['3', '办事人员和有关人员'],
      ['4', '社会生产服务和生活服务人员'],
      ['5', '农、林、牧、渔业生产及辅助人员'],
      ['6', '生产制造及有关人员'],
      ['7', '军队人员'],
      ['8', '不便分类的其他从业人员'],
    ]);
  });

  it('has all 79 medium groups, distributed over the major groups as in 2022', () => {
    const medium = ofLevel(2);
    expect(medium).toHaveLength(79);
    const perMajor = Object.fromEntries(
      ['1', '2', '3', '4', '5', '6', '7', '8'].map((m) => [m, medium.filter((o) => o.code.startsWith(`${m}-`)).length]),
    );
    expect(perMajor).toEqual({ 1: 6, 2: 11, 3: 4, 4: 15, 5: 6, 6: 32, 7: 4, 8: 1 });
    const names = new Map(medium.map((o) => [o.code, o.name]));
    expect(names.get('2-07')).toBe('监察、法律、社会和宗教专业人员');
    expect(names.get('3-03')).toBe('法律事务及辅助人员');
    expect(names.get('4-02')).toBe('交通运输、仓储物流和邮政业服务人员');
    expect(names.get('4-07')).toBe('租赁和商务服务人员');
    expect(names.get('4-10')).toBe('居民服务人员');
    expect(names.get('4-14')).toBe('健康、体育和休闲服务人员');
    expect(names.get('6-05')).toBe('纺织品、服装和皮革、毛皮制品加工制作人员');
    expect(names.get('6-25')).toBe('计算机、通信和其他电子设备制造人员');
    expect(names.get('6-27')).toBe('再生资源综合利用人员');
    expect(names.get('6-29')).toBe('建筑施工人员');
    expect(names.get('7-04')).toBe('文职人员');
    expect(names.get('8-00')).toBe('不便分类的其他从业人员');
  });

  it('ships the whole 2022 draft: 8 major, 79 medium, 449 minor groups and 1,636 occupations', () => {
    expect([1, 2, 3, 4].map((level) => ofLevel(level).length)).toEqual([8, 79, 449, 1636]);
    // Every occupation sits in a minor group that sits in a medium group: the four levels are whole.
    for (const o of ofLevel(4)) expect(occupationAncestors(o.code).map((a) => a.level)).toEqual([1, 2, 3, 4]);
    expect(occupationAncestors('2-02-10-06').map((o) => o.name)).toEqual([
      '专业技术人员',
      '工程技术人员',
      '信息和通信工程技术人员',
      '嵌入式系统设计工程技术人员',
    ]);
  });

  it('has no page-number debris in a medium-group name, and the cut-off names completed', () => {
    for (const o of ofLevel(2)) {
      expect(o.name, o.code).not.toMatch(/[….·\d]/);
      expect(o.name, o.code).toMatch(/[人员兵）]$/);
    }
    expect(occupationByCode('1-01')?.name).toBe('中国共产党机关负责人');
    expect(occupationByCode('2-02')?.name).toBe('工程技术人员');
    expect(occupationByCode('1-04')?.name).toBe('人民团体和群众团体、社会组织及其他成员组织负责人');
    expect(occupationByCode('7-01')?.name).toBe('军官（警官）');
    // Every 2-02 occupation (康复辅具 2-02-35 aside) ends as the 大典 names them.
    for (const o of ofLevel(4).filter((x) => x.code.startsWith('2-02-') && !x.code.startsWith('2-02-35-'))) {
      expect(o.name, o.code).toMatch(/人员$/);
    }
    expect(occupationByCode('6-25-02-06')?.name).toBe('半导体分立器件和集成电路装调工');
  });

  it('has well-formed, unique codes whose level is their depth, in code order', () => {
    const codes = OCCUPATIONS.map((o) => o.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const o of OCCUPATIONS) {
      expect(o.code).toMatch(OCCUPATION_CODE_PATTERN);
      expect(o.code.split('-')).toHaveLength(o.level);
      expect(o.name.trim()).toBe(o.name);
      expect(o.name.length).toBeGreaterThan(0);
    }
    expect([...codes].sort()).toEqual(codes);
  });

  it('has the parent of every non-major code', () => {
    for (const o of OCCUPATIONS.filter((x) => x.level > 1)) {
      const parent = occupationByCode(occupationParentCode(o.code));
      expect(parent, o.code).toBeDefined();
      expect(parent!.level).toBe(o.level - 1);
    }
  });

  it('has the occupations rural laborers commonly take, at their 2022 codes', () => {
    expect(
      Object.fromEntries(
        [
          '缝纫工',
          '裁剪工',
          '保洁员',
          '保安员',
          '家政服务员',
          '快递员',
          '砌筑工',
          '钢筋工',
          '混凝土工',
          '架子工',
          '手工木工',
          '电子设备装接工',
          '中式烹调师',
          '中式面点师',
          '餐厅服务员',
          '装卸搬运工',
          '养老护理员',
          '保育师',
          '焊工',
          '电工',
          '美发师',
          '美容师',
          '涂装工',
          '仓储管理员',
          '收银员',
          '商品营业员',
          '客房服务员',
          '园林绿化工',
          '制鞋工',
          '玩具制作工',
          '包装工',
          '质检员',
          '家禽饲养员',
        ].map((n) => [n, codeOf(n)]),
      ),
    ).toEqual({
      缝纫工: '6-05-01-03',
      裁剪工: '6-05-01-02',
      保洁员: '4-09-08-01',
      保安员: '4-07-05-01',
      家政服务员: '4-10-01-06',
      快递员: '4-02-07-08',
      砌筑工: '6-29-01-01',
      钢筋工: '6-29-01-04',
      混凝土工: '6-29-01-03',
      架子工: '6-29-01-05',
      手工木工: '6-06-03-01',
      电子设备装接工: '6-25-04-07',
      中式烹调师: '4-03-02-01',
      中式面点师: '4-03-02-02',
      餐厅服务员: '4-03-02-05',
      装卸搬运工: '4-02-05-01',
      养老护理员: '4-10-01-05',
      保育师: '4-10-01-03',
      焊工: '6-18-02-04',
      电工: '6-31-01-03',
      美发师: '4-10-03-02',
      美容师: '4-10-03-01',
      涂装工: '6-18-03-03',
      仓储管理员: '4-02-06-01',
      收银员: '4-01-02-04',
      商品营业员: '4-01-02-03',
      客房服务员: '4-03-01-02',
      园林绿化工: '4-09-10-01',
      制鞋工: '6-05-04-01',
      玩具制作工: '6-09-05-00',
      包装工: '6-31-05-00',
      质检员: '6-31-03-05',
      家禽饲养员: '5-03-02-02',
    });
  });
});

describe('occupationByCode / occupationAncestors / occupationLabel', () => {
  it('finds by code, tolerating blanks, and nothing for unknown codes', () => {
    expect(occupationByCode('6-05-01-03')).toEqual({ code: '6-05-01-03', name: '缝纫工', level: 4 });
    expect(occupationByCode(' 4-07 ')?.name).toBe('租赁和商务服务人员');
    expect(occupationByCode('6-05-01-99')).toBeUndefined();
    expect(occupationByCode('')).toBeUndefined();
    expect(occupationByCode(null)).toBeUndefined();
  });

  it('lists the chain from the major group down to the code itself', () => {
    expect(occupationAncestors('6-05-01-03').map((o) => o.code)).toEqual(['6', '6-05', '6-05-01', '6-05-01-03']);
    expect(occupationAncestors('4-10').map((o) => o.name)).toEqual(['社会生产服务和生活服务人员', '居民服务人员']);
    expect(occupationAncestors('6')).toHaveLength(1);
    expect(occupationAncestors('9-99')).toEqual([]);
    expect(occupationAncestors(undefined)).toEqual([]);
  });

  it('labels a code, with or without its path', () => {
    expect(occupationLabel('6-05-01-03')).toBe('缝纫工（6-05-01-03）');
    expect(occupationLabel('4-09-08-01', { path: true })).toBe(
      '社会生产服务和生活服务人员 / 水利、环境和公共设施管理服务人员 / 环境卫生服务人员 / 保洁员',
    );
    expect(occupationLabel('6-05-01-77')).toBe('6-05-01-77');
    expect(occupationLabel(null)).toBe('');
  });
});

describe('JOB_TYPE_ALIASES / jobTypeToOccupation', () => {
  it('has at least 50 aliases, each resolving to a code in the table', () => {
    const entries = Object.entries(JOB_TYPE_ALIASES);
    expect(entries.length).toBeGreaterThanOrEqual(50);
    for (const [word, code] of entries) {
      expect(occupationByCode(code), `${word} → ${code}`).toBeDefined();
      expect(jobTypeToOccupation(word)).toBe(code);
    }
  });

  it('resolves the words cadres and laborers use', () => {
    const words = [
      '普工',
      '缝纫工',
      '车工',
      '保洁',
      '保洁员',
      '保安',
      '保安员',
      '家政',
      '家政服务员',
      '月嫂',
      '育婴员',
      '快递员',
      '快递',
      '建筑工',
      '泥工',
      '木工',
      '钢筋工',
      '电焊工',
      '焊工',
      '电子装配工',
      '电子厂',
      '厨师',
      '厨工',
      '服务员',
      '餐厅服务员',
      '搬运工',
      '装卸工',
      '养老护理员',
      '护工',
      '司机',
      '驾驶员',
      '电工',
      '叉车工',
      '美发',
      '理发',
      '油漆工',
      '绿化工',
      '收银员',
      '营业员',
      '仓管',
      '包装工',
      '质检员',
      '种植',
      '养殖',
    ];
    for (const w of words) expect(jobTypeToOccupation(w), w).not.toBeNull();
    // The job types the data generator writes on laborer cards.
    for (const w of [
      '普工',
      '缝纫工',
      '保洁员',
      '保安员',
      '家政服务员',
      '快递员',
      '建筑工',
      '电子装配工',
      '厨师',
      '餐厅服务员',
      '搬运工',
      '养老护理员',
    ]) {
      expect(jobTypeToOccupation(w), w).not.toBeNull();
    }
  });

  it('maps broad words to groups, as documented', () => {
    expect(jobTypeToOccupation('普工')).toBe('6');
    expect(jobTypeToOccupation('电子厂')).toBe('6-25');
    expect(jobTypeToOccupation('建筑工')).toBe('6-29');
    expect(jobTypeToOccupation('服务员')).toBe('4-03');
    expect(jobTypeToOccupation('司机')).toBe('4-02-02');
    expect(jobTypeToOccupation('月嫂')).toBe('4-10-01');
    expect(jobTypeToOccupation('种植')).toBe('5-01');
    expect(jobTypeToOccupation('养殖')).toBe('5-03');
  });

  it('maps specific words to occupations', () => {
    expect(jobTypeToOccupation('缝纫工')).toBe('6-05-01-03');
    expect(jobTypeToOccupation('车位')).toBe('6-05-01-03');
    expect(jobTypeToOccupation('泥工')).toBe('6-29-01-01');
    expect(jobTypeToOccupation('电焊工')).toBe('6-18-02-04');
    expect(jobTypeToOccupation('油漆工')).toBe('6-18-03-03');
    expect(jobTypeToOccupation('厨师')).toBe('4-03-02-01');
    expect(jobTypeToOccupation('仓管')).toBe('4-02-06-01');
    expect(jobTypeToOccupation('外卖')).toBe('4-10-08-01');
  });

  it('normalizes blanks, full-width characters, remarks and 工种/岗位 suffixes', () => {
    expect(jobTypeToOccupation('  缝纫工 ')).toBe('6-05-01-03');
    expect(jobTypeToOccupation('缝 纫 工')).toBe('6-05-01-03');
    expect(jobTypeToOccupation('\u3000保安\u3000')).toBe('4-07-05-01');
    expect(jobTypeToOccupation('电焊工（持证）')).toBe('6-18-02-04');
    expect(jobTypeToOccupation('缝纫工工种')).toBe('6-05-01-03');
    expect(jobTypeToOccupation('保洁岗位')).toBe('4-09-08-01');
    expect(jobTypeToOccupation('保洁人员')).toBe('4-09-08-01');
    expect(jobTypeToOccupation('电工师傅')).toBe('6-31-01-03');
    expect(jobTypeToOccupation('６－０５－０１－０３')).toBe('6-05-01-03');
  });

  it('accepts 大典 names and codes in the table', () => {
    expect(jobTypeToOccupation('砌筑工')).toBe('6-29-01-01');
    expect(jobTypeToOccupation('园林绿化工')).toBe('4-09-10-01');
    expect(jobTypeToOccupation('建筑施工人员')).toBe('6-29');
    expect(jobTypeToOccupation('不便分类的其他从业人员')).toBe('8-00-00-00');
    expect(jobTypeToOccupation('4-07-05-01')).toBe('4-07-05-01');
  });

  it('gives null for unknown, empty or non-string input', () => {
    expect(jobTypeToOccupation('门岗')).toBeNull();
    expect(jobTypeToOccupation('宇航员')).toBeNull();
    expect(jobTypeToOccupation('6-05-01-99')).toBeNull();
    expect(jobTypeToOccupation('岗位')).toBeNull();
    expect(jobTypeToOccupation('')).toBeNull();
    expect(jobTypeToOccupation('   ')).toBeNull();
    expect(jobTypeToOccupation(null)).toBeNull();
    expect(jobTypeToOccupation(undefined)).toBeNull();
  });
});

describe('occupationAffinity', () => {
  const sewing = codeOf('缝纫工');

  it('is same for one occupation', () => {
    expect(occupationAffinity(sewing, sewing)).toEqual({ level: 'same', weight: 1 });
    expect(occupationAffinity(jobTypeToOccupation('缝纫工'), jobTypeToOccupation('车衣工'))).toEqual({ level: 'same', weight: 1 });
  });

  it('is minor for two occupations of one minor group', () => {
    expect(occupationAffinity(sewing, codeOf('裁剪工'))).toEqual({ level: 'minor', weight: 0.7 });
    expect(occupationAffinity(codeOf('砌筑工'), codeOf('钢筋工'))).toEqual({ level: 'minor', weight: 0.7 });
  });

  it('is medium for one medium group, major for one major group, none otherwise', () => {
    expect(occupationAffinity(sewing, codeOf('制鞋工'))).toEqual({ level: 'medium', weight: 0.45 });
    expect(occupationAffinity(codeOf('砌筑工'), codeOf('装饰装修工'))).toEqual({ level: 'medium', weight: 0.45 });
    expect(occupationAffinity(sewing, codeOf('焊工'))).toEqual({ level: 'major', weight: 0.2 });
    expect(occupationAffinity(sewing, codeOf('保洁员'))).toEqual({ level: 'none', weight: 0 });
  });

  it('counts a medium or minor group as same as an occupation inside it', () => {
    expect(occupationAffinity('6-05', sewing).level).toBe('same');
    expect(occupationAffinity(sewing, '6-05-01').level).toBe('same');
    expect(occupationAffinity(jobTypeToOccupation('电子厂'), codeOf('电子设备装接工')).level).toBe('same');
    expect(occupationAffinity('6-05', '6-05-01').level).toBe('same');
    // A group that does not contain the occupation: by the shared prefix.
    expect(occupationAffinity('6-05-04', sewing).level).toBe('medium');
    expect(occupationAffinity('6-25', sewing).level).toBe('major');
  });

  it('never counts a major group alone as same: 普工 vs 缝纫工 is major', () => {
    const general = jobTypeToOccupation('普工');
    expect(general).toBe('6');
    expect(occupationAffinity(general, sewing)).toEqual({ level: 'major', weight: 0.2 });
    expect(occupationAffinity(sewing, general)).toEqual({ level: 'major', weight: 0.2 });
    expect(occupationAffinity(general, '6-29').level).toBe('major');
    expect(occupationAffinity(general, codeOf('保洁员')).level).toBe('none');
    expect(occupationAffinity(general, general).level).toBe('same');
  });

  it('is symmetric over every pair of a sample', () => {
    const sample = ['6', '6-05', '6-05-01', sewing, codeOf('裁剪工'), codeOf('制鞋工'), codeOf('焊工'), '4-10-01', codeOf('家政服务员')];
    for (const a of sample) for (const b of sample) expect(occupationAffinity(a, b)).toEqual(occupationAffinity(b, a));
  });

  it('works on codes outside the table and rejects malformed ones', () => {
    expect(occupationAffinity('6-05-01-05', sewing).level).toBe('minor');
    expect(occupationAffinity('6-5', sewing).level).toBe('none');
    expect(occupationAffinity('', sewing).level).toBe('none');
    expect(occupationAffinity(null, sewing).level).toBe('none');
    expect(occupationAffinity(sewing, undefined).level).toBe('none');
  });

  it('has weights that fall with the level', () => {
    const w = OCCUPATION_AFFINITY_WEIGHTS;
    expect([w.same, w.minor, w.medium, w.major, w.none]).toEqual([1, 0.7, 0.45, 0.2, 0]);
  });
});

describe('occupationCascaderOptions', () => {
  const walk = (nodes: CascaderOption[], f: (n: CascaderOption, depth: number) => void, depth = 1): void => {
    for (const n of nodes) {
      f(n, depth);
      if (n.children) walk(n.children, f, depth + 1);
    }
  };

  it('is a tree of every code, built once', () => {
    const tree = occupationCascaderOptions();
    expect(occupationCascaderOptions()).toBe(tree);
    expect(tree.map((n) => n.value)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
    const seen: string[] = [];
    walk(tree, (n, depth) => {
      seen.push(n.value);
      expect(occupationByCode(n.value)).toEqual({ code: n.value, name: n.label, level: depth });
      if (n.children) expect(n.children.length).toBeGreaterThan(0);
    });
    expect(seen.sort()).toEqual(OCCUPATIONS.map((o) => o.code).sort());
  });

  it('reaches 缝纫工 through its groups', () => {
    const path: string[] = [];
    let level = occupationCascaderOptions();
    for (const code of ['6', '6-05', '6-05-01', '6-05-01-03']) {
      const node = level.find((n) => n.value === code)!;
      path.push(node.label);
      level = node.children ?? [];
    }
    expect(path.at(-1)).toBe('缝纫工');
    expect(level).toEqual([]);
  });
});
