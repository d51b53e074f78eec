/** Typed tables of unit rosters (0017_rosters.sql). */
import type { ColumnType, Generated } from 'kysely';

type Json = ColumnType<unknown, string, string>;

export interface RostersTable {
  id: string;
  jurisdiction: string;
  unit_organization_id: string | null;
  unit_name: string | null;
  unit_code: string | null;
  bank_id: string;
  branch_id: string;
  filename: string;
  file_kind: 'xlsx' | 'csv';
  file_sha256: string;
  file_bytes: number;
  unit_key: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  job_id: string | null;
  total_rows: number | null;
  accepted: Generated<number>;
  refused: Generated<number>;
  cursor_row: Generated<number>;
  columns: Json | null;
  error: string | null;
  actor: Json;
  created_by: string | null;
  created_at: Date;
  finished_at: Date | null;
  updated_at: Date;
}

export interface RosterFilesTable {
  roster_id: string;
  file_enc: Buffer;
}

export interface RosterRowsTable {
  roster_id: string;
  row_no: number;
  outcome: 'accepted' | 'refused';
  code: string | null;
  message_zh: string | null;
  message_en: string | null;
  rule: string | null;
  person_id: string | null;
  application_id: string | null;
}
