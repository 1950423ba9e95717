import { describe, expect, it } from 'vitest';
import { isCommonPassword, passwordProblems } from './password-policy.ts';

describe('password policy', () => {
  it('accepts 8+ characters with 3 of 4 classes', () => {
    expect(passwordProblems('Laowu@2026')).toEqual([]);
    expect(passwordProblems('zhuanyi#2026')).toEqual([]);
  });
  it('refuses short, single-class and common passwords, and the username inside', () => {
    expect(passwordProblems('Ab1!')).toContain('至少 8 个字符');
    expect(passwordProblems('abcdefghij').length).toBeGreaterThan(0);
    expect(isCommonPassword('Password1')).toBe(true);
    expect(isCommonPassword('qwerty')).toBe(true);
    expect(passwordProblems('Password1').join()).toContain('常见');
    expect(passwordProblems('Xinshao_admin1', 'xinshao_admin').join()).toContain('用户名');
  });
});
