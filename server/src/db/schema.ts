import type { ColumnType, Generated } from 'kysely';

/** Kysely's view of the tables. Database names are snake_case; repositories map them to camelCase DTOs. */
export interface RegionTable {
  code: string;
  parent_code: string | null;
  level: number;
  name: string;
  full_name: string;
  pinyin: string;
  initials: string;
  child_count: Generated<number>;
}

export type Role = 'admin' | 'township_operator' | 'village_officer' | 'broker' | 'liaison_office' | 'employer' | 'laborer' | 'auditor';

export interface AccountTable {
  id: Generated<string>;
  username: string;
  display_name: string;
  role: Role;
  region_code: string;
  host_region_code: string | null;
  password_hash: string;
  password_changed_at: Generated<Date>;
  status: Generated<'active' | 'disabled'>;
  failed_logins: Generated<number>;
  locked_until: Date | null;
  totp_secret: string | null;
  totp_enabled: Generated<boolean>;
  /** The last TOTP time step accepted: a code is accepted once (0024_sign_in_limits). */
  totp_last_step: string | null;
  /** When the last failed login was: failures more than a day apart start the count afresh (0024). */
  last_failed_login_at: Date | null;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  /** Employer accounts: the employer (用人单位) they act for (0005_matching). */
  employer_id: string | null;
}

export interface SessionTable {
  token_hash: Buffer;
  account_id: string;
  created_at: Generated<Date>;
  last_seen_at: Generated<Date>;
  ip: string | null;
  user_agent: string | null;
}

export interface AuditLogTable {
  id: Generated<string>;
  at: ColumnType<Date, Date | undefined, never>;
  actor_id: string | null;
  actor_name: string | null;
  actor_role: string | null;
  actor_region: string | null;
  ip: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  result: 'success' | 'failure' | 'denied';
  details: unknown;
}

/** The audit log's chain (0022): linked in `seq` order by the linker, append-only. */
export interface AuditChainTable {
  seq: string;
  audit_id: string;
  prev_hash: Buffer;
  hash: Buffer;
}

export interface AuditPendingTable {
  audit_id: string;
}

/** The reportable fields a card and each of its versions share. */
export interface LaborerFields {
  name: string;
  sex: 'male' | 'female';
  birth_date: string;
  home_village_code: string;
  poverty_status: string;
  education: string;
  labor_capacity: string;
  health: string;
  skills: string[];
  certificates: string[];
  willingness: string;
  wanted_job_types: string[];
  expected_wage: number | null;
  caring: string;
  flags: string[];
  employment_status: string;
}

export interface LaborerTable extends LaborerFields {
  id: Generated<string>;
  id_index: Buffer;
  id_cipher: string;
  id_masked: string;
  phone_index: Buffer | null;
  phone_cipher: string | null;
  phone_masked: string | null;
  name_pinyin: string;
  name_initials: string;
  ethnicity: string | null;
  household_code: string | null;
  relation_to_head: string | null;
  household_size: number | null;
  training_history: string | null;
  remark: string | null;
  last_confirmed_at: Date | null;
  version: Generated<number>;
  created_at: Generated<Date>;
  created_by: string | null;
  updated_at: Generated<Date>;
  updated_by: string | null;
  deleted_at: Date | null;
  /** Set on a card merged into another (likely duplicates): the surviving card. */
  merged_into: Generated<string | null>;
}

export interface LaborerVersionTable extends LaborerFields {
  laborer_id: string;
  version: number;
  valid_from: Date;
  valid_to: Generated<Date>;
  change_kind: 'create' | 'update' | 'delete' | 'restore' | 'import' | 'merge' | 'transfer';
  changed_by: string | null;
  reason: string | null;
  changes: unknown;
  deleted: Generated<boolean>;
  /** On a 'merge' version: the other card of the merge. */
  related_laborer_id: Generated<string | null>;
}

export interface LaborerDuplicateDismissalTable {
  laborer_id: string;
  other_id: string;
  reason: string | null;
  dismissed_by: string;
  dismissed_at: Generated<Date>;
}

export interface LaborerTransferRequestTable {
  id: Generated<string>;
  laborer_id: string;
  id_masked: string;
  from_village_code: string;
  to_village_code: string;
  reason: string;
  status: Generated<'pending' | 'approved' | 'rejected'>;
  requested_by: string;
  requested_at: Generated<Date>;
  decided_by: string | null;
  decided_at: Date | null;
  decision_reason: string | null;
}

export interface LaborerConfirmationTable {
  laborer_id: string;
  confirmed_at: Generated<Date>;
  confirmed_by: string;
}

export interface LaborerImportTable {
  id: Generated<string>;
  file_name: string;
  file_path: string;
  mode: 'partial' | 'all_or_nothing';
  status: Generated<'queued' | 'running' | 'done' | 'failed'>;
  total: number | null;
  processed: Generated<number>;
  /** created + updated + unchanged. */
  accepted: Generated<number>;
  /** New cards; NULL for imports run before 0027 (they did not tell created from updated). */
  created: number | null;
  /** Existing cards changed; NULL before 0027. */
  updated: number | null;
  unchanged: Generated<number>;
  rejected: Generated<number>;
  message: string | null;
  created_by: string;
  created_at: Generated<Date>;
  finished_at: Date | null;
  attempts: Generated<number>;
  started_at: Date | null;
  error_code: string | null;
  /** The form's column headers as the upload had them (the error report's columns). */
  report_columns: ColumnType<string[] | null, string | null, string | null>;
}

export interface LaborerImportRejectedRowTable {
  import_id: string;
  row: number;
  /** Masked values under report_columns. */
  cells: ColumnType<string[], string, string>;
}

export interface LaborerImportErrorTable {
  import_id: string;
  row: number;
  col: string;
  message: string;
  /** A row saved with a warning (0028), not a rejected one. */
  warning: Generated<boolean>;
}

/** 用人单位 (0005_matching): GB 32100 credit code, region, GB/T 4754 industry division, kind. */
export interface EmployerTable {
  id: Generated<string>;
  credit_code: string;
  name: string;
  region_code: string;
  industry: string | null;
  kind: 'designated' | 'base' | 'workshop' | 'ordinary';
  relocation_site: string | null;
  contact_name: string | null;
  contact_phone: string | null;
  address: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** 岗位 (0005_matching): a job posting of an employer; the open ones form the job supply list. */
export interface PostingTable {
  id: Generated<string>;
  employer_id: string;
  title: string;
  occupation_code: string;
  work_region_code: string;
  headcount: number;
  filled: Generated<number>;
  wage_min: number;
  wage_max: number;
  food: Generated<boolean>;
  housing: Generated<boolean>;
  age_min: Generated<number>;
  age_max: Generated<number>;
  min_education: string | null;
  skills: Generated<string[]>;
  certificates: Generated<string[]>;
  reserved_for_poor: Generated<boolean>;
  /** DATE columns arrive as 'YYYY-MM-DD' strings (db/database.ts). */
  valid_from: string;
  valid_to: string;
  status: Generated<'open' | 'closed'>;
  description: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** 劳务协作协议 (0007_agreements): an output region and an input region, a period, commitments. */
export interface CooperationAgreementTable {
  id: Generated<string>;
  title: string;
  output_region_code: string;
  input_region_code: string;
  signed_on: string | null;
  valid_from: string;
  valid_to: string;
  notes: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface AgreementCommitmentTable {
  agreement_id: string;
  kind: 'posts' | 'hires' | 'students' | 'fairs' | 'trained';
  target: number | null;
}

export interface Database {
  region: RegionTable;
  account: AccountTable;
  session: SessionTable;
  audit_log: AuditLogTable;
  audit_chain: AuditChainTable;
  audit_pending: AuditPendingTable;
  laborer: LaborerTable;
  laborer_version: LaborerVersionTable;
  laborer_confirmation: LaborerConfirmationTable;
  laborer_import: LaborerImportTable;
  laborer_import_error: LaborerImportErrorTable;
  laborer_import_rejected_row: LaborerImportRejectedRowTable;
  laborer_duplicate_dismissal: LaborerDuplicateDismissalTable;
  laborer_transfer_request: LaborerTransferRequestTable;
  employer: EmployerTable;
  posting: PostingTable;
  cooperation_agreement: CooperationAgreementTable;
  agreement_commitment: AgreementCommitmentTable;
}
