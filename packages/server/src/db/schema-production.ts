/** Typed tables of bank account opening by file and vendor production (0018, 0019). */
import type { ColumnType, Generated } from 'kysely';

type Json = ColumnType<unknown, string, string>;

export interface ProductionBatchesTable {
  id: string;
  jurisdiction: string;
  vendor_id: string;
  bank_id: string;
  status: 'open' | 'exported' | 'returned';
  card_count: number;
  export_sha256: string | null;
  exported_at: Date | null;
  return_sha256: string | null;
  returned_at: Date | null;
  succeeded: Generated<number>;
  failed: Generated<number>;
  created_by: string;
  created_at: Date;
  updated_at: Date;
}

export interface ProductionBatchItemsTable {
  batch_id: string;
  seq: number;
  application_id: string;
  card_no: string;
  person_id: string;
  branch_id: string;
  result: Generated<'pending' | 'succeeded' | 'failed'>;
  failure_reason: string | null;
  failure_action: 'reproduce' | 'undeliverable' | null;
}

export interface BankFileBatchesTable {
  id: string;
  jurisdiction: string;
  bank_id: string;
  status: 'open' | 'exported' | 'returned';
  row_count: number;
  export_sha256: string | null;
  exported_at: Date | null;
  return_sha256: string | null;
  returned_at: Date | null;
  succeeded: Generated<number>;
  failed: Generated<number>;
  created_by: string;
  created_at: Date;
  updated_at: Date;
}

export interface BankFileRowsTable {
  batch_id: string;
  seq: number;
  application_id: string;
  card_no: string;
  person_id: string;
  branch_id: string;
  result: Generated<'pending' | 'opened' | 'refused'>;
  refusal_reason: string | null;
}

export interface ReturnFilesTable {
  id: string;
  kind: 'vendor' | 'bank';
  batch_id: string;
  sha256: string;
  content_enc: string;
  status: 'stored' | 'imported';
  result: Json | null;
  created_by: string;
  created_at: Date;
  imported_at: Date | null;
}
