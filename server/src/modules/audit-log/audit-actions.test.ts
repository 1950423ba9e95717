import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  AUDIT_ACTION_FAMILIES,
  AUDIT_ACTIONS,
  AUDIT_DETAIL_LABELS,
  AUDIT_ENTITY_LABELS,
  auditActionName,
  auditActionsNamed,
} from '../../../../contracts/audit-actions.ts';
import { scanRecordedAudit } from './recorded-actions.scan.ts';

const serverSource = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const recorded = scanRecordedAudit(serverSource);
const covered = (code: string) =>
  code.includes('*')
    ? Object.keys(AUDIT_ACTION_FAMILIES).some((prefix) => code.startsWith(prefix) && code.indexOf('*') === prefix.length)
    : auditActionName(code).known;

describe('the catalogue of audit actions', () => {
  it('reads the actions the server records: literals, ternaries, templates and the arguments of helpers', () => {
    // A literal, a template over a typed parameter, a helper's argument and a ternary of literals.
    for (const code of [
      'laborer.reveal',
      'subsidy.approve',
      'matching.suggestion.dismiss',
      'laborer.view',
      'account.disable',
      'dashboard.flows',
    ])
      expect([...recorded.actions.keys()]).toContain(code);
    // The generator's steps are not literals at the recording site: a family names them.
    expect(recorded.actions.has('generate.*')).toBe(true);
    // Entries the scan cannot read would be actions nobody named: the only ones relay a refusal's own
    // entry — app.ts for a request, field sync for an entry it refuses and answers (issue 19), a bulk
    // import for a row it refuses (platform/import-job.ts, issue 21).
    expect([...(recorded.notRecorded.get('entry') ?? [])].map((w) => w.split(':')[0])).toEqual([
      'app.ts',
      'modules/field/field.service.ts',
      'platform/import-job.ts',
    ]);
  });

  it('names every recorded action in Chinese, with a group', () => {
    const missing = [...recorded.actions].filter(([code]) => !covered(code)).map(([code, where]) => `${code} (${where.join(', ')})`);
    expect(missing, `actions without a Chinese name in contracts/audit-actions.ts:\n${missing.join('\n')}`).toEqual([]);
    for (const a of Object.values(AUDIT_ACTIONS)) expect(a.name).toMatch(/\p{Script=Han}/u);
  });

  it('names no action the server never records (a renamed code leaves no stale entry)', () => {
    const stale = Object.keys(AUDIT_ACTIONS).filter((code) => !recorded.actions.has(code));
    expect(stale).toEqual([]);
  });

  it('labels every object and every detail key the server writes', () => {
    expect([...recorded.entities.keys()].filter((e) => !AUDIT_ENTITY_LABELS[e])).toEqual([]);
    expect([...recorded.detailKeys.keys()].filter((k) => !AUDIT_DETAIL_LABELS[k])).toEqual([]);
  });

  it('finds actions by their Chinese words: 查看 finds the reveal of a card, 导出 the exports', () => {
    expect(auditActionsNamed('查看').codes).toEqual(expect.arrayContaining(['laborer.reveal', 'laborer.view', 'account.view']));
    expect(auditActionsNamed('查看').codes).not.toContain('laborer.update');
    expect(auditActionsNamed('导出').codes).toEqual(expect.arrayContaining(['laborer.export', 'stats.export', 'audit.export']));
    expect(auditActionsNamed('演示数据').prefixes).toEqual(['generate.']);
    expect(auditActionName('generate.laborers')).toMatchObject({ name: '生成演示数据（laborers）', group: '系统', known: true });
    expect(auditActionName('laborer.reveal')).toMatchObject({ name: '查看完整证件号和手机号', group: '信息卡' });
  });
});
