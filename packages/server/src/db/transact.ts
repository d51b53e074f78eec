/** The transaction type every repository method takes. */
import type { Transaction } from 'kysely';
import type { DB } from './schema.js';

export type Trx = Transaction<DB>;
