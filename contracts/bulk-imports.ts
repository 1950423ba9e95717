import { type Static, Type } from '@sinclair/typebox';

/**
 * Bulk imports of postings and of employment records (issue 21 item 4): the status an upload
 * reports while it runs and when it ends (server/src/platform/import-job.ts).
 */
export const BULK_IMPORT_KINDS = ['postings', 'employments'] as const;
export type BulkImportKind = (typeof BULK_IMPORT_KINDS)[number];

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const BulkImportStatusSchema = Type.Object({
  id: Type.String(),
  kind: Type.Union(BULK_IMPORT_KINDS.map((k) => Type.Literal(k))),
  fileName: Type.String(),
  status: Type.Union([Type.Literal('queued'), Type.Literal('running'), Type.Literal('done'), Type.Literal('failed')]),
  /** Data rows in the file (known once it has been read through), null before. */
  total: Type.Union([Type.Integer(), Type.Null()]),
  processed: Type.Integer(),
  /** Rows that made a new record. */
  created: Type.Integer(),
  /** Rows whose record was there already (the row's idempotency key matched): nothing written. */
  unchanged: Type.Integer(),
  rejected: Type.Integer(),
  message: Nullable(Type.String()),
  errorCode: Nullable(Type.String()),
  queuePosition: Type.Union([Type.Integer(), Type.Null()]),
  /** The uploader may download the error report (finished, with rejected rows). */
  reportAvailable: Type.Boolean(),
  /** The first 200 problems, by Excel row number and column. */
  errors: Type.Array(Type.Object({ row: Type.Integer(), column: Type.String(), message: Type.String() })),
});
export type BulkImportStatus = Static<typeof BulkImportStatusSchema>;
