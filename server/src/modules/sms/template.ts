/**
 * Campaign templates: fields in braces filled per person, and the segment count carriers bill.
 *
 * Carriers' rule (DOMAIN.md, SMS push): the signature in 【】 stands before the text and counts;
 * up to 70 characters make one message, longer text goes in parts of 67 (each part carries a
 * 6-octet concatenation header in UCS-2: 140 octets = 70 characters, less the header = 67).
 */

export const POSTING_SLOTS = 3;

/** Field name → what it is filled with. Numbered posting fields 1–3; the unnumbered one is the first. */
export const TEMPLATE_FIELDS: Record<string, string> = {
  姓名: '劳动力姓名',
  岗位: '最匹配岗位名称（同 岗位1）',
  单位: '最匹配岗位的用人单位（同 单位1）',
  月薪: '最匹配岗位的月薪范围（同 月薪1）',
  地点: '最匹配岗位的工作地点（同 地点1）',
  ...Object.fromEntries(
    Array.from({ length: POSTING_SLOTS }, (_, i) => i + 1).flatMap((n) => [
      [`岗位${n}`, `第${n}个匹配岗位名称`],
      [`单位${n}`, `第${n}个匹配岗位的用人单位`],
      [`月薪${n}`, `第${n}个匹配岗位的月薪范围`],
      [`地点${n}`, `第${n}个匹配岗位的工作地点`],
    ]),
  ),
  链接: '手机页面短链接（登录后查看推荐岗位并申请）',
};

export interface CompiledTemplate {
  /** Literal text and fields, in order. */
  parts: ({ text: string } | { field: string; slot: number; kind: 'name' | 'title' | 'employer' | 'wage' | 'place' | 'link' })[];
  /** How many top postings a message needs (0: none). */
  postingsNeeded: number;
  fields: string[];
}

export class TemplateError extends Error {
  constructor(
    readonly unknown: string[],
    message: string,
  ) {
    super(message);
  }
}

const KIND: Record<string, 'title' | 'employer' | 'wage' | 'place'> = { 岗位: 'title', 单位: 'employer', 月薪: 'wage', 地点: 'place' };

/** Parses `{姓名}您好，{岗位1}…` into parts; unknown fields and unbalanced braces are refused. */
export function compileTemplate(template: string): CompiledTemplate {
  const parts: CompiledTemplate['parts'] = [];
  const unknown: string[] = [];
  const fields: string[] = [];
  let postingsNeeded = 0;
  const re = /\{([^{}]*)\}/g;
  let last = 0;
  for (let m = re.exec(template); m; m = re.exec(template)) {
    if (m.index > last) parts.push({ text: template.slice(last, m.index) });
    last = m.index + m[0].length;
    const name = m[1]!.trim();
    fields.push(name);
    if (!(name in TEMPLATE_FIELDS)) {
      unknown.push(name);
      continue;
    }
    if (name === '姓名') parts.push({ field: name, slot: 0, kind: 'name' });
    else if (name === '链接') parts.push({ field: name, slot: 0, kind: 'link' });
    else {
      const slot = Number(name.slice(2) || '1');
      parts.push({ field: name, slot, kind: KIND[name.slice(0, 2)]! });
      postingsNeeded = Math.max(postingsNeeded, slot);
    }
  }
  if (last < template.length) parts.push({ text: template.slice(last) });
  if (unknown.length) throw new TemplateError(unknown, `模板中有未知字段：${unknown.map((u) => `{${u}}`).join('、')}`);
  const stray = parts.some((p) => 'text' in p && /[{}]/.test(p.text));
  if (stray) throw new TemplateError([], '模板中的大括号不成对，字段须写成 {姓名} 的形式');
  return { parts, postingsNeeded, fields };
}

export interface PostingForTemplate {
  id: string;
  title: string;
  employerName: string;
  wageMin: number;
  wageMax: number;
  place: string;
}

export const wageText = (p: PostingForTemplate) => (p.wageMin === p.wageMax ? `${p.wageMin}元` : `${p.wageMin}-${p.wageMax}元`);

export function renderTemplate(t: CompiledTemplate, values: { name: string; postings: PostingForTemplate[]; link: string }): string {
  let out = '';
  for (const p of t.parts) {
    if ('text' in p) {
      out += p.text;
      continue;
    }
    if (p.kind === 'name') out += values.name;
    else if (p.kind === 'link') out += values.link;
    else {
      const posting = values.postings[p.slot - 1];
      if (!posting) continue;
      out +=
        p.kind === 'title'
          ? posting.title
          : p.kind === 'employer'
            ? posting.employerName
            : p.kind === 'wage'
              ? wageText(posting)
              : posting.place;
    }
  }
  return out;
}

/** The text as the phone shows it: 【signature】 then the body. */
export const withSignature = (signature: string, body: string) => `【${signature}】${body}`;

/** Characters as carriers count them (one per code point, Chinese or not). */
export const charCount = (text: string) => [...text].length;

/** 70 characters make one message; longer text goes in parts of 67. */
export function segmentsOf(text: string): number {
  const n = charCount(text);
  return n <= 70 ? 1 : Math.ceil(n / 67);
}

/** The short link to the mobile page a message carries: /m/<base-36 message id>. */
export const linkCode = (messageId: string | number | bigint) => BigInt(messageId).toString(36);
export const messageIdOfCode = (code: string): string | null => {
  if (!/^[0-9a-z]{1,12}$/.test(code)) return null;
  let n = 0n;
  for (const c of code) n = n * 36n + BigInt(parseInt(c, 36));
  return n > 0n ? n.toString() : null;
};
