/** Opaque bearer tokens: 256 bits from the CSPRNG; only their SHA-256 is stored. */
import { createHash, randomBytes, randomFillSync } from 'node:crypto';

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

// CSPRNG bytes drawn 4 KiB at a time and handed out 16 at a time, as Node's own randomUUID does
// with its entropy cache: one system call per 256 ids instead of one each (a roster chunk makes
// thousands). Each id gets fresh bytes: the pool is never reused.
const POOL_IDS = 256;
const pool = Buffer.alloc(16 * POOL_IDS);
let next = POOL_IDS;

/** Time-ordered UUID (version 7): index-friendly primary keys without a central sequence. */
export function uuidv7(now: number = Date.now()): string {
  if (next === POOL_IDS) {
    randomFillSync(pool);
    next = 0;
  }
  const bytes = Buffer.from(pool.subarray(next * 16, ++next * 16));
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
