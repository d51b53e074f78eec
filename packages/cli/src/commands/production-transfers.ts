/**
 * The bank and vendor files of issue 14 (FZ-18(五), FZ-20): `sscard export bank-request --batch`,
 * `sscard import bank-return FILE --batch`, `sscard export personalisation --batch`,
 * `sscard import vendor-return FILE --batch`. Entries of transfer.ts's TRANSFERS: the upload is
 * checked at once (checksum, batch, a second import), then followed as a queued job.
 */
import type { Command } from 'commander';
import type { Transfer } from './transfer.js';

const id = (o: Record<string, unknown>) => encodeURIComponent(String(o.batch));
const batch = (c: Command) => c.requiredOption('--batch <id>', 'the batch the file belongs to');

export const PRODUCTION_TRANSFERS: Transfer[] = [
  {
    direction: 'import',
    what: 'bank-return',
    summary:
      'a bank’s account-opening return file (FZ-18(五)): opened accounts recorded, refused rows with the bank’s reason',
    options: batch,
    upload: (o) => `/bank-files/${id(o)}/return`,
  },
  {
    direction: 'import',
    what: 'vendor-return',
    summary:
      'a card vendor’s return file (FZ-20(三)): made cards into stock, failed ones back for re-production or undeliverable',
    options: batch,
    upload: (o) => `/production/batches/${id(o)}/return`,
  },
  {
    direction: 'export',
    what: 'bank-request',
    summary: 'the account-opening request file of a bank-file batch (FZ-18(四))',
    options: batch,
    download: (o) => `/bank-files/${id(o)}/request.txt`,
    filename: (o) => `bank-request-${String(o.batch)}.txt`,
  },
  {
    direction: 'export',
    what: 'personalisation',
    summary: 'the personalisation data file of a production batch for the vendor (FZ-20(一))',
    options: batch,
    download: (o) => `/production/batches/${id(o)}/personalisation.txt`,
    filename: (o) => `personalisation-${String(o.batch)}.txt`,
  },
];
