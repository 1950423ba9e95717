/**
 * One error type with a stable code and a Chinese message for the user.
 * Routes throw AppError; the error handler turns it into {code, message, details}.
 */
export const ERROR_CODES = {
  VALIDATION_FAILED: { status: 400, message: '请求参数不合法' },
  MALFORMED_JSON: { status: 400, message: '请求内容不是合法的 JSON' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: '不支持的请求内容类型' },
  BODY_TOO_LARGE: { status: 413, message: '请求内容过大' },
  UNAUTHENTICATED: { status: 401, message: '请先登录' },
  SESSION_EXPIRED: { status: 401, message: '登录已过期，请重新登录' },
  INVALID_CREDENTIALS: { status: 401, message: '用户名或密码错误' },
  TOTP_REQUIRED: { status: 401, message: '请输入动态验证码' },
  TOTP_INVALID: { status: 401, message: '动态验证码错误' },
  TOTP_SETUP_REQUIRED: { status: 403, message: '管理员账号须先绑定动态验证码（双因素认证）' },
  ACCOUNT_LOCKED: { status: 423, message: '连续登录失败次数过多，账号已锁定15分钟' },
  ACCOUNT_DISABLED: { status: 403, message: '账号已停用' },
  FORBIDDEN: { status: 403, message: '无权执行此操作' },
  NOT_FOUND: { status: 404, message: '不存在或无权限' },
  ROUTE_NOT_FOUND: { status: 404, message: '接口不存在' },
  CONFLICT: { status: 409, message: '数据冲突' },
  USERNAME_TAKEN: { status: 409, message: '用户名已被使用' },
  WEAK_PASSWORD: { status: 400, message: '密码强度不足' },
  PASSWORD_REUSED: { status: 400, message: '新密码不能与旧密码相同' },
  ROLE_NOT_GRANTABLE: { status: 403, message: '不能授予高于自身的角色' },
  REGION_NOT_FOUND: { status: 404, message: '行政区划不存在' },
  REGION_OUT_OF_SCOPE: { status: 403, message: '行政区划不在您的管辖范围内' },
  LABORER_EXISTS: { status: 409, message: '该身份证号已在其他县登记' },
  VERSION_CONFLICT: { status: 409, message: '该记录已被他人修改，请刷新后重试' },
  IMPORT_NOT_A_WORKBOOK: { status: 400, message: '文件不是有效的 Excel 工作簿（.xlsx）' },
  IMPORT_ZIP_BOMB: { status: 413, message: '文件解压后过大或结构异常，已拒绝处理' },
  IMPORT_SHEET_NOT_FOUND: { status: 400, message: '没有找到劳动力资源信息采集表' },
  IMPORT_MISSING_COLUMNS: { status: 400, message: '采集表缺少必填列' },
  IMPORT_TOO_MANY_ROWS: { status: 413, message: '采集表行数过多' },
  RATE_LIMITED: { status: 429, message: '请求过于频繁，请稍后再试' },
  INTERNAL: { status: 500, message: '服务器内部错误，请稍后再试' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details?: unknown;

  constructor(code: ErrorCode, message?: string, details?: unknown) {
    super(message ?? ERROR_CODES[code].message);
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.details = details;
  }
}

export const notFound = () => new AppError('NOT_FOUND');
export const forbidden = (message?: string) => new AppError('FORBIDDEN', message);
