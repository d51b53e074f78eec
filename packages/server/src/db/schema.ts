/**
 * Typed tables for Kysely, one interface per table, matching the migrations in ./migrations.
 * Dates are 'YYYY-MM-DD' strings, instants are Date, bytea is Buffer (see database.ts).
 */
import type { ColumnType, Generated } from 'kysely';

type Json = ColumnType<unknown, string, string>;

export interface OrganizationsTable {
  id: string;
  kind: 'centre' | 'bank' | 'branch' | 'community_outlet' | 'vendor' | 'unit';
  level: 'provincial' | 'city' | 'employer' | 'school' | 'village' | null;
  code: string;
  name: string;
  jurisdiction: string;
  parent_id: string | null;
  bank_id: string | null;
  can_instant_issue: Generated<boolean>;
  status: Generated<'active' | 'suspended'>;
  created_at: Date;
}

export interface StaffTable {
  id: string;
  username: string;
  display_name: string;
  organization_id: string | null;
  role: string;
  password_hash: string;
  status: Generated<'active' | 'disabled'>;
  failed_logins: Generated<number>;
  locked_until: Date | null;
  last_login_at: Date | null;
  password_changed_at: Date;
  created_at: Date;
  created_by: string | null;
}

export interface SessionsTable {
  id: string;
  token_hash: Buffer;
  staff_id: string;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
  ended_at: Date | null;
  end_reason: string | null;
  ip: string | null;
}

export interface PersonsTable {
  id: string;
  ssn_enc: string;
  id_type: string;
  id_number_enc: string;
  name: string;
  sex: 'male' | 'female';
  ethnicity: string | null;
  nationality: string;
  birth_date: string;
  phone_enc: string | null;
  phone_hmac: Buffer | null;
  household_address_enc: string | null;
  residence_address_enc: string | null;
  postcode: string | null;
  occupation: string | null;
  medical_insurance: 'employee' | 'resident' | 'other' | null;
  guardian: Json | null;
  guardian_id_number_enc: string | null;
  hardship: Generated<'none' | 'tekun' | 'dibao'>;
  died_on: string | null;
  death_evidence: string | null;
  photo_id: string | null;
  jurisdiction: string;
  registered_by: string | null;
  version: Generated<number>;
  created_at: Date;
  updated_at: Date;
}

export interface PersonKeysTable {
  key_kind: 'ssn' | 'id_document';
  key_hmac: Buffer;
  person_id: string;
}

export interface PersonOrgsTable {
  person_id: string;
  organization_id: string;
  relation: string;
  created_at: Date;
}

export interface PhotosTable {
  id: string;
  person_id: string;
  content_type: string;
  byte_size: number;
  width: number | null;
  height: number | null;
  sha256: Buffer;
  data_enc: Buffer;
  created_at: Date;
}

export interface SsnSequencesTable {
  prefix: string;
  last_value: number;
}

export interface AuditLogTable {
  shard: number;
  seq: number;
  id: string;
  at: Date;
  actor_id: string | null;
  actor_username: string | null;
  actor_org_id: string | null;
  actor_role: string | null;
  ip: string | null;
  request_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  jurisdiction: string | null;
  reason: string | null;
  outcome: 'success' | 'refused' | 'error';
  code: string | null;
  details: Json | null;
  prev_hash: Buffer;
  hash: Buffer;
}

export interface AuditHeadsTable {
  shard: number;
  seq: number;
  hash: Buffer;
}

export interface SystemSettingsTable {
  key: string;
  value: Json;
  updated_at: Date;
}

export interface SchemaMigrationsTable {
  version: number;
  name: string;
  checksum: string;
  applied_at: Date;
}

export interface DB {
  organizations: OrganizationsTable;
  staff: StaffTable;
  sessions: SessionsTable;
  persons: PersonsTable;
  person_keys: PersonKeysTable;
  person_orgs: PersonOrgsTable;
  photos: PhotosTable;
  ssn_sequences: SsnSequencesTable;
  audit_log: AuditLogTable;
  audit_heads: AuditHeadsTable;
  system_settings: SystemSettingsTable;
  schema_migrations: SchemaMigrationsTable;
}
