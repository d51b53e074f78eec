/**
 * Typed tables of the back office (issue 14 items 4 to 6): ledger filings, the destruction
 * register and hotline referrals (migrations 0020 and 0021). Part of `DB` in ./schema.ts.
 */
import type { Generated } from 'kysely';

export interface LedgerFilingsTable {
  id: string;
  kind: 'branch_daily' | 'bank_monthly';
  organization_id: string;
  jurisdiction: string;
  period: string;
  due_on: string | null;
  late: Generated<boolean>;
  row_count: number;
  sha256: string;
  filed_by: string | null;
  filed_by_name: string;
  filed_at: Date;
}

export interface DestructionRecordsTable {
  id: string;
  jurisdiction: string;
  organization_id: string;
  category: 'recalled' | 'returned' | 'waste';
  batch: string | null;
  witness: string;
  destroyed_at: Date;
  recorded_by: string | null;
  recorded_by_name: string;
  recorded_at: Date;
  note: string | null;
  card_count: number;
}

export interface DestructionRecordCardsTable {
  card_no: string;
  record_id: string;
  known: boolean;
}

export interface ReferralsTable {
  id: string;
  jurisdiction: string;
  hotline: '12333' | '12345';
  ticket_no: string;
  kind: 'complaint' | 'enquiry';
  summary: string;
  caller_enc: string | null;
  status: 'recorded' | 'assigned' | 'answered' | 'reported';
  assigned_to: string | null;
  assigned_bank_id: string | null;
  assigned_at: Date | null;
  due_on: string | null;
  answer: string | null;
  answered_by: string | null;
  answered_at: Date | null;
  answered_late: boolean | null;
  report: string | null;
  reported_at: Date | null;
  escalated_at: Date | null;
  escalations: Generated<number>;
  recorded_by: string | null;
  recorded_at: Date;
  version: Generated<number>;
  updated_at: Date;
}
