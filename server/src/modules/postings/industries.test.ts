import { describe, expect, it } from 'vitest';
import {
  INDUSTRIES,
  INDUSTRY_SECTIONS,
  industriesOfSection,
  industryByCode,
  industryCascaderOptions,
  industryLabel,
  industrySectionByCode,
} from '../../../../contracts/industries.ts';

describe('INDUSTRY_SECTIONS / INDUSTRIES (GB/T 4754-2017)', () => {
  it('has the 20 sections A–T', () => {
    expect(INDUSTRY_SECTIONS).toHaveLength(20);
    expect(INDUSTRY_SECTIONS.map((s) => s.code).join('')).toBe('ABCDEFGHIJKLMNOPQRST');
    const names = Object.fromEntries(INDUSTRY_SECTIONS.map((s) => [s.code, s.name]));
    expect(names).toMatchObject({
      A: '农、林、牧、渔业',
      C: '制造业',
      E: '建筑业',
      G: '交通运输、仓储和邮政业',
      H: '住宿和餐饮业',
      O: '居民服务、修理和其他服务业',
      S: '公共管理、社会保障和社会组织',
      T: '国际组织',
    });
  });

  it('has the 97 divisions numbered 01–97 without gaps, each in an existing section', () => {
    expect(INDUSTRIES).toHaveLength(97);
    expect(INDUSTRIES.map((d) => d.code)).toEqual(Array.from({ length: 97 }, (_, i) => String(i + 1).padStart(2, '0')));
    expect(new Set(INDUSTRIES.map((d) => d.name)).size).toBe(97);
    for (const d of INDUSTRIES) {
      expect(industrySectionByCode(d.section), d.code).toBeDefined();
      expect(d.name.trim()).toBe(d.name);
    }
  });

  it('puts each section over its range of divisions', () => {
    const ranges = Object.fromEntries(
      INDUSTRY_SECTIONS.map((s) => {
        const ds = industriesOfSection(s.code);
        return [s.code, `${ds[0]!.code}-${ds.at(-1)!.code}`];
      }),
    );
    expect(ranges).toEqual({
      A: '01-05',
      B: '06-12',
      C: '13-43',
      D: '44-46',
      E: '47-50',
      F: '51-52',
      G: '53-60',
      H: '61-62',
      I: '63-65',
      J: '66-69',
      K: '70-70',
      L: '71-72',
      M: '73-75',
      N: '76-79',
      O: '80-82',
      P: '83-83',
      Q: '84-85',
      R: '86-90',
      S: '91-96',
      T: '97-97',
    });
  });

  it('names the divisions as the standard does', () => {
    const name = (code: string) => industryByCode(code)?.name;
    expect(name('01')).toBe('农业');
    expect(name('05')).toBe('农、林、牧、渔专业及辅助性活动');
    expect(name('11')).toBe('开采专业及辅助性活动');
    expect(name('13')).toBe('农副食品加工业');
    expect(name('17')).toBe('纺织业');
    expect(name('18')).toBe('纺织服装、服饰业');
    expect(name('19')).toBe('皮革、毛皮、羽毛及其制品和制鞋业');
    expect(name('24')).toBe('文教、工美、体育和娱乐用品制造业');
    expect(name('36')).toBe('汽车制造业');
    expect(name('39')).toBe('计算机、通信和其他电子设备制造业');
    expect(name('42')).toBe('废弃资源综合利用业');
    expect(name('43')).toBe('金属制品、机械和设备修理业');
    expect(name('47')).toBe('房屋建筑业');
    expect(name('50')).toBe('建筑装饰、装修和其他建筑业');
    expect(name('52')).toBe('零售业');
    expect(name('58')).toBe('多式联运和运输代理业');
    expect(name('59')).toBe('装卸搬运和仓储业');
    expect(name('60')).toBe('邮政业');
    expect(name('62')).toBe('餐饮业');
    expect(name('72')).toBe('商务服务业');
    expect(name('80')).toBe('居民服务业');
    expect(name('81')).toBe('机动车、电子产品和日用产品修理业');
    expect(name('84')).toBe('卫生');
    expect(name('85')).toBe('社会工作');
    expect(name('96')).toBe('基层群众自治组织及其他组织');
    expect(name('97')).toBe('国际组织');
  });
});

describe('industryByCode / industryLabel', () => {
  it('accepts a division code, with its section letter, or a deeper code', () => {
    expect(industryByCode('18')).toEqual({ code: '18', name: '纺织服装、服饰业', section: 'C' });
    expect(industryByCode('C18')?.code).toBe('18');
    expect(industryByCode(' c18 ')?.code).toBe('18');
    expect(industryByCode('181')?.code).toBe('18');
    expect(industryByCode('C1810')?.code).toBe('18');
    expect(industryByCode('E4790')?.name).toBe('房屋建筑业');
  });

  it('rejects unknown, mismatched and malformed codes', () => {
    expect(industryByCode('00')).toBeUndefined();
    expect(industryByCode('98')).toBeUndefined();
    expect(industryByCode('A18')).toBeUndefined();
    expect(industryByCode('8')).toBeUndefined();
    expect(industryByCode('181011')).toBeUndefined();
    expect(industryByCode('X18')).toBeUndefined();
    expect(industryByCode('')).toBeUndefined();
    expect(industryByCode(null)).toBeUndefined();
  });

  it('labels divisions and sections', () => {
    expect(industryLabel('18')).toBe('18 纺织服装、服饰业');
    expect(industryLabel('C')).toBe('C 制造业');
    expect(industryLabel('99')).toBe('99');
    expect(industryLabel(undefined)).toBe('');
  });
});

describe('industryCascaderOptions', () => {
  it('is sections over divisions, built once', () => {
    const tree = industryCascaderOptions();
    expect(industryCascaderOptions()).toBe(tree);
    expect(tree).toHaveLength(20);
    expect(tree.flatMap((s) => s.children ?? [])).toHaveLength(97);
    const manufacturing = tree.find((s) => s.value === 'C')!;
    expect(manufacturing.label).toBe('制造业');
    expect(manufacturing.children).toHaveLength(31);
    expect(manufacturing.children!.find((d) => d.value === '18')).toEqual({ value: '18', label: '纺织服装、服饰业' });
  });
});
