import type { ColumnType, Selectable } from 'kysely';
import type {
  AccountRole,
  AgreementCommitment,
  BulkImport,
  BulkImportRejectedRow,
  DB,
  Employer,
  Laborer,
  LaborerImport,
  LaborerImportRejectedRow,
  Posting,
} from './schema.generated.ts';

/**
 * Kysely's view of the tables: every table as the migrations make it, generated from the migrated
 * schema into schema.generated.ts (`npm run db:types`; a test fails when it is out of date).
 * Database names are snake_case; repositories map them to camelCase DTOs.
 *
 * What the database cannot tell is added here, and only that: the shape of JSON columns whose
 * contents the code fixes.
 */
export interface Database extends Omit<DB, 'laborer_import' | 'laborer_import_rejected_row' | 'bulk_import' | 'bulk_import_rejected_row'> {
  /** The file's column headers (the error report's columns); written as JSON text. */
  bulk_import: Omit<BulkImport, 'report_columns'> & { report_columns: ColumnType<string[] | null, string | null, string | null> };
  /** The rejected row's cells under report_columns, identifiers masked; written as JSON text. */
  bulk_import_rejected_row: Omit<BulkImportRejectedRow, 'cells'> & { cells: ColumnType<string[], string, string> };
  laborer_import: Omit<LaborerImport, 'report_columns'> & {
    /** The form's column headers as the upload had them (the error report's columns); written as JSON text. */
    report_columns: ColumnType<string[] | null, string | null, string | null>;
  };
  laborer_import_rejected_row: Omit<LaborerImportRejectedRow, 'cells'> & {
    /** Masked values under report_columns; written as JSON text. */
    cells: ColumnType<string[], string, string>;
  };
}

export type Role = AccountRole;

export type LaborerTable = Laborer;
export type EmployerTable = Employer;
export type PostingTable = Posting;
export type AgreementCommitmentTable = AgreementCommitment;

/** The reportable fields a card and each of its versions share. */
export type LaborerFields = Pick<
  Selectable<Laborer>,
  | 'name'
  | 'sex'
  | 'birth_date'
  | 'home_village_code'
  | 'poverty_status'
  | 'education'
  | 'labor_capacity'
  | 'health'
  | 'skills'
  | 'certificates'
  | 'willingness'
  | 'wanted_job_types'
  | 'expected_wage'
  | 'caring'
  | 'flags'
  | 'employment_status'
  | 'household_code'
  | 'relation_to_head'
  | 'household_size'
>;

/** A row of `table` as read: for a repository's row type, `Pick<TableRow<'laborer'>, 'id' | 'name'>` instead of restating columns. */
export type TableRow<T extends keyof Database> = Selectable<Database[T]>;
