import type { AuditContext } from './actor.ts';
import type { AuditEntry } from './audit.ts';
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
  DUPLICATES_REGION_TOO_BROAD: { status: 400, message: '疑似重复须按市、县或以下区划查看，请选择区划' },
  MERGE_SAME_CARD: { status: 400, message: '不能将信息卡与自身合并' },
  MERGE_TRANSFER_PENDING: { status: 409, message: '该信息卡有待审批的迁移申请，请先处理后再合并' },
  TRANSFER_NO_CARD: { status: 404, message: '该身份证号尚未登记，可直接新建信息卡' },
  TRANSFER_NOT_NEEDED: { status: 409, message: '该劳动力的信息卡已在您的辖区内，可直接修改户籍所在村' },
  TRANSFER_PENDING: { status: 409, message: '该劳动力已有待审批的迁移申请，请等待原登记县处理' },
  TRANSFER_NOT_PENDING: { status: 409, message: '该迁移申请已处理，不能重复审批' },
  TRANSFER_NOT_HOLDER: { status: 403, message: '只有信息卡所在地的管理员或乡镇经办员可以审批该迁移申请' },
  VERSION_CONFLICT: { status: 409, message: '该记录已被他人修改，请刷新后重试' },
  IMPORT_NOT_A_WORKBOOK: { status: 400, message: '文件不是有效的 Excel 工作簿（.xlsx）' },
  IMPORT_ZIP_BOMB: { status: 413, message: '文件解压后过大或结构异常，已拒绝处理' },
  IMPORT_SHEET_NOT_FOUND: { status: 400, message: '没有找到劳动力资源信息采集表' },
  IMPORT_MISSING_COLUMNS: { status: 400, message: '采集表缺少必填列' },
  IMPORT_TOO_MANY_ROWS: { status: 413, message: '采集表行数过多' },
  CREDIT_CODE_FORMAT: { status: 400, message: '统一社会信用代码应为 18 位，由数字和大写字母组成（不含 I、O、Z、S、V）' },
  CREDIT_CODE_CHECK: { status: 400, message: '统一社会信用代码校验位错误' },
  EMPLOYER_EXISTS: { status: 409, message: '该统一社会信用代码已登记' },
  EMPLOYER_REGION_NOT_COUNTY: { status: 400, message: '用人单位所在地须为县级或县级以下行政区划' },
  EMPLOYER_FIELD_LOCKED: { status: 403, message: '统一社会信用代码、单位类型、所在地和安置点由人社部门维护，请联系当地人社部门修改' },
  EMPLOYER_NOT_LINKED: { status: 403, message: '本账号尚未关联用人单位，请联系当地人社部门' },
  POSTING_WAGE_RANGE: { status: 400, message: '月薪下限不能高于上限' },
  POSTING_HEADCOUNT: { status: 400, message: '招聘人数至少为 1 人' },
  POSTING_FILLED: { status: 400, message: '已招人数不能超过招聘人数' },
  POSTING_AGE_RANGE: { status: 400, message: '年龄下限不能高于上限' },
  POSTING_VALIDITY: { status: 400, message: '有效期截止日期不能早于开始日期' },
  POSTING_EXPIRED: { status: 400, message: '有效期已过，不能发布已过期的岗位' },
  POSTING_LOCATION_NOT_COUNTY: { status: 400, message: '工作地点须为县级或县级以下行政区划' },
  POSTING_OCCUPATION_UNKNOWN: { status: 400, message: '工种代码不在《中华人民共和国职业分类大典》（2022 年版）中' },
  MATCH_RUN_RUNNING: { status: 409, message: '该区划（或其上下级）正在进行批量匹配，请等待完成' },
  SUGGESTION_DECIDED: { status: 409, message: '该匹配建议已处理' },
  POSTING_NOT_OPEN: { status: 409, message: '岗位已关闭、过期或招满，不能采纳该建议' },
  REFERRAL_EXISTS: { status: 409, message: '该劳动力已被推荐到该岗位，推荐尚未结束，不能重复推荐' },
  REFERRAL_TRANSITION: { status: 409, message: '推荐当前的状态不能进行这一步' },
  REFERRAL_POSTING_NOT_OPEN: { status: 409, message: '岗位已关闭、过期或招满，不能推荐' },
  REFERRAL_POSTING_FULL: { status: 409, message: '岗位已招满，不能再录用' },
  EMPLOYMENT_OPEN_EXISTS: { status: 409, message: '该劳动力已有在职的就业记录，请先结束原就业再录用' },
  AGREEMENT_PERIOD: { status: 400, message: '协议期截止日期不能早于开始日期' },
  AGREEMENT_SAME_REGION: { status: 400, message: '输出地与输入地不能相同，也不能相互包含' },
  AGREEMENT_TARGET: { status: 400, message: '承诺数量须大于 0（无具体数量的承诺可不填）' },
  AGREEMENT_COMMITMENTS: { status: 400, message: '请至少填写一项承诺事项，每类承诺至多一项' },
  LIAISON_NO_HOST_CITY: { status: 403, message: '本驻外服务中心账号未设置所在城市，请联系县人社部门' },
  LIAISON_CASE_DATE: { status: 400, message: '反映日期和办结日期不能晚于今天，办结日期不能早于反映日期' },
  LIAISON_CASE_HELP_REQUIRED: { status: 400, message: '办结时须填写为其提供的帮助' },
  LIAISON_CASE_CLOSED: { status: 409, message: '该问题已办结，不能再修改' },
  BROKER_CONTRACT_PERIOD: { status: 400, message: '协议截止日期不能早于开始日期' },
  BROKER_VILLAGE_OUT_OF_SCOPE: { status: 403, message: '协议村不在您的管辖范围内' },
  BROKER_VILLAGES_ONE_TOWNSHIP: { status: 400, message: '一份劳务经纪人协议的村须属于同一乡镇（由该乡镇协议管理）' },
  BROKER_CONTRACT_ALREADY_ENDED: { status: 409, message: '该协议已终止' },
  BROKER_VILLAGE_NOT_CONTRACTED: { status: 403, message: '该劳动力所在村不在您的劳务经纪协议范围内，不能推荐' },
  BROKER_CONTRACT_NOT_STARTED: { status: 403, message: '您与该村的劳务经纪协议尚未生效，不能推荐' },
  BROKER_CONTRACT_ENDED: { status: 403, message: '您与该村的劳务经纪协议已到期或终止，不能推荐' },
  REFERRAL_CHANNEL: { status: 400, message: '推荐渠道与账号角色不符' },
  FAIR_VILLAGE_OUTSIDE: { status: 400, message: '驻村招聘会的村须在主办区划之内' },
  FAIR_PARTICIPANT_UNKNOWN: { status: 400, message: '参会单位或岗位不存在' },
  FAIR_ATTENDEE_INVALID: { status: 400, message: '身份证号或手机号无效' },
  FAIR_POSTING_NOT_IN_FAIR: { status: 400, message: '该岗位未参加本场招聘会' },
  FAIR_REFER_UNKNOWN: { status: 400, message: '该参会人员未在劳动力信息库中登记，不能生成推荐' },
  FAIR_INTENTION_EXISTS: { status: 409, message: '该参会人员已与该岗位达成就业意向' },
  FAIR_NOT_AT_VILLAGE: { status: 400, message: '该招聘会不是在村开展的，没有预招名单' },
  FAIR_PERIOD: { status: 400, message: '统计期截止日期不能早于开始日期' },
  TEAM_PERIOD: { status: 400, message: '招工小分队的工作期截止日期不能早于开始日期' },
  TEAM_VILLAGE_OUTSIDE: { status: 400, message: '走访村须在组建招工小分队的县或乡镇辖区内' },
  TEAM_MEMBER_INVALID: { status: 400, message: '小分队成员须为本辖区在用的工作人员账号' },
  TEAM_EMPLOYER_MISMATCH: { status: 400, message: '该岗位不属于招工小分队服务的用人单位' },
  TEAM_LABORER_OUTSIDE: { status: 400, message: '该劳动力不在招工小分队组建单位的辖区内，不能记入该小分队' },
  TRIP_DESTINATION_REQUIRED: { status: 400, message: '请选择目的地：用人单位或到达地区' },
  TRIP_DATE_PAST: { status: 400, message: '发车日期不能早于今天' },
  TRIP_COUNTY_OUT_OF_SCOPE: { status: 403, message: '出发县不在您的管辖范围内' },
  TRIP_FULL: { status: 409, message: '乘车人数超过本车次核定人数' },
  TRIP_DOUBLE_BOOKED: { status: 409, message: '该劳动力当天已安排在其他车次，不能重复安排' },
  TRIP_NOT_HIRED: { status: 400, message: '该劳动力没有在本车次用人单位的在岗就业记录，请按返岗名单添加' },
  TRIP_NO_EMPLOYER: { status: 400, message: '本车次没有指定用人单位，不能按录用人员添加' },
  TRIP_NOT_PASSENGER: { status: 400, message: '该劳动力不在本车次乘车名单中' },
  TRIP_NOT_BOARDED: { status: 400, message: '未上车的人员不能确认到达' },
  TRIP_STATUS: { status: 409, message: '车次当前状态不允许此操作' },
  TRIP_UNACCOUNTED: { status: 409, message: '仍有已上车人员未确认到达、也未登记原因，不能确认车次到达' },
  RATE_LIMITED: { status: 429, message: '请求过于频繁，请稍后再试' },
  INTERNAL: { status: 500, message: '服务器内部错误，请稍后再试' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details?: unknown;
  /**
   * The audit row of this refusal. It cannot be written in the request's transaction, which the
   * refusal rolls back: the error handler writes it in a transaction of its own.
   */
  audit?: { context: AuditContext; entry: AuditEntry };

  constructor(code: ErrorCode, message?: string, details?: unknown) {
    super(message ?? ERROR_CODES[code].message);
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.details = details;
  }

  audited(context: AuditContext, entry: AuditEntry): this {
    this.audit = { context, entry };
    return this;
  }
}

export const notFound = () => new AppError('NOT_FOUND');
export const forbidden = (message?: string) => new AppError('FORBIDDEN', message);
