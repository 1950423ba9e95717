import { createRequire } from 'node:module';
import { AppError } from '../../platform/errors.ts';

/**
 * Password rules for staff accounts (等保 level 3 asks for complexity):
 * at least 8 characters, 3 of the 4 classes (lower case, upper case, digits, symbols),
 * not the username, and not one of the 1,000 most common passwords
 * (the ranked list shipped by zxcvbn, compared without regard to case).
 */
let common: Set<string> | null = null;
function commonPasswords(): Set<string> {
  if (!common) {
    const require = createRequire(import.meta.url);
    const lists = require('zxcvbn/lib/frequency_lists.js') as { passwords: string[] };
    common = new Set(lists.passwords.slice(0, 1000).map((p) => p.toLowerCase()));
  }
  return common;
}

export function passwordProblems(password: string, username?: string): string[] {
  const problems: string[] = [];
  if ([...password].length < 8) problems.push('至少 8 个字符');
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 3) problems.push('须包含小写字母、大写字母、数字、符号中的至少 3 类');
  if (/[\u0000-\u001f\u007f]/.test(password)) problems.push('不能包含控制字符');
  if (commonPasswords().has(password.toLowerCase())) problems.push('是最常见的弱口令之一');
  if (username && password.toLowerCase().includes(username.toLowerCase())) problems.push('不能包含用户名');
  return problems;
}

export function assertStrongPassword(password: string, username?: string): void {
  const problems = passwordProblems(password, username);
  if (problems.length) throw new AppError('WEAK_PASSWORD', `密码强度不足：${problems.join('；')}`, { problems });
}

export const isCommonPassword = (password: string) => commonPasswords().has(password.toLowerCase());
