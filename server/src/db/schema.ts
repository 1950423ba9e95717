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

export type Role =
  | 'admin'
  | 'township_operator'
  | 'village_officer'
  | 'broker'
  | 'liaison_office'
  | 'employer'
  | 'laborer'
  | 'auditor';

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
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
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
  prev_hash: Buffer;
  hash: Buffer;
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
}

export interface LaborerVersionTable extends LaborerFields {
  laborer_id: string;
  version: number;
  valid_from: Date;
  valid_to: Generated<Date>;
  change_kind: 'create' | 'update' | 'delete' | 'restore' | 'import';
  changed_by: string | null;
  reason: string | null;
  changes: unknown;
  deleted: Generated<boolean>;
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
  accepted: Generated<number>;
  unchanged: Generated<number>;
  rejected: Generated<number>;
  message: string | null;
  created_by: string;
  created_at: Generated<Date>;
  finished_at: Date | null;
}

export interface LaborerImportErrorTable {
  import_id: string;
  row: number;
  col: string;
  message: string;
}

export interface Database {
  region: RegionTable;
  account: AccountTable;
  session: SessionTable;
  audit_log: AuditLogTable;
  laborer: LaborerTable;
  laborer_version: LaborerVersionTable;
  laborer_confirmation: LaborerConfirmationTable;
  laborer_import: LaborerImportTable;
  laborer_import_error: LaborerImportErrorTable;
}
