/** The server's password policy, worded for users (the server checks it; the console only explains it). */
export const PASSWORD_HINT = '至少 8 个字符，包含小写字母、大写字母、数字、符号中的至少 3 类，不能包含用户名，不能是常见弱口令';
