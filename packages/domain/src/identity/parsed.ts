import type { LocalDate } from '../time/local-date.js';
import type { IdDocumentType, Sex } from './document-types.js';

/** What a document number says about its holder, once validated. */
export interface ParsedIdDocument {
  type: IdDocumentType;
  /** Normalised: upper-case X; a 15-digit legacy number upgraded to 18. */
  number: string;
  upgradedFrom15?: boolean;
  /** Where the number carries it. */
  birthDate?: LocalDate;
  /** Where the number carries it. */
  sex?: Sex;
  /** 6-digit address code (citizen numbers, HMT permits) or 2-digit province (2023 PR ID). */
  regionCode?: string;
  /** ISO 3166-1 alpha-3, where the number carries it (PR IDs). */
  nationality?: string;
  /**
   * The 18-digit number usable as social security number (HN-5): citizen numbers, HMT residence
   * permits, 2023 PR IDs. Absent for other documents: the holder needs `assignSsn`.
   */
  ssn?: string;
}
