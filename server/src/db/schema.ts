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

export interface Database {
  region: RegionTable;
  account: AccountTable;
  session: SessionTable;
  audit_log: AuditLogTable;
}
