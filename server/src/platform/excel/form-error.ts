import { AppError, type ErrorCode } from '../errors.ts';

/**
 * File-level problems with an uploaded collection form (劳动力资源信息采集表). Row-level problems
 * are not errors: they travel with each row (FormRow.errors) so one upload reports them all.
 */
export const FORM_ERROR_CODES = {
  /** Not an .xlsx (wrong signature, old .xls, encrypted, damaged, not a spreadsheet package). */
  IMPORT_NOT_A_WORKBOOK: {
    base: 'VALIDATION_FAILED',
    message: '文件不是有效的 Excel 工作簿（.xlsx），请用 Excel 或 WPS 另存为 .xlsx 后重新上传',
  },
  /** Declared sizes too large or implausible (zip bomb), ZIP64, overlapping or hidden entries. */
  IMPORT_ZIP_BOMB: { base: 'BODY_TOO_LARGE', message: '文件解压后过大或结构异常，已拒绝处理' },
  /** One part of the package (shared strings, a sheet, styles …) inflates past its own ceiling (zip-guard.ts PART_LIMITS). */
  IMPORT_PART_TOO_LARGE: { base: 'BODY_TOO_LARGE', message: '文件中的某一部分解压后过大，已拒绝处理' },
  /** No sheet named 劳动力资源信息采集表 and no sheet with a 姓名 + 身份证号 header row. */
  IMPORT_SHEET_NOT_FOUND: { base: 'VALIDATION_FAILED', message: '没有找到劳动力资源信息采集表' },
  /** The header row lacks required columns. */
  IMPORT_MISSING_COLUMNS: { base: 'VALIDATION_FAILED', message: '采集表缺少必填列' },
  /** More data rows than allowed in one upload. */
  IMPORT_TOO_MANY_ROWS: { base: 'BODY_TOO_LARGE', message: '采集表行数过多' },
} as const satisfies Record<string, { base: ErrorCode; message: string }>;

export type FormErrorCode = keyof typeof FORM_ERROR_CODES;

/**
 * An AppError, so routes can let it propagate: the HTTP status and envelope code come from the
 * generic platform code (`VALIDATION_FAILED` 400 or `BODY_TOO_LARGE` 413) because
 * platform/errors.ts has a closed list; the stable import code is `formCode` and is repeated in
 * `details.formCode` so clients can tell the cases apart. The message is the specific Chinese one.
 */
export class FormError extends AppError {
  readonly formCode: FormErrorCode;

  constructor(formCode: FormErrorCode, message?: string, details?: Record<string, unknown>) {
    const def = FORM_ERROR_CODES[formCode];
    super(formCode, message ?? def.message, { formCode, ...details });
    this.name = 'FormError';
    this.formCode = formCode;
  }
}
