/**
 * The deny-list's signature (docs/DENY-LIST.md): Ed25519 over a canonical byte string, with one
 * key pair per installation. The seed is derived (HKDF) from the installation's blind-index key
 * (`Keyring.deriveSecret`), so every API node signs with the same key and no key file has to be
 * shared; the public key is published at `GET /api/v1/verify/deny-list/key` and provisioned on
 * the gates. `verifyDenyList` is what a gate (and `sscard deny-list verify`) runs offline.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import type { Keyring } from '../../crypto/keyring.js';

export const DENY_LIST_FORMAT = 'sscard-deny-list/1';
/** HKDF info for the seed; a new label is a new key (gates must be given its public key). */
export const DENY_LIST_KEY_INFO = 'sscard deny-list ed25519 v1';

/** DER prefix of a PKCS#8 Ed25519 private key (RFC 8410), followed by the 32-byte seed. */
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
/** DER prefix of an SPKI Ed25519 public key, followed by the 32 raw bytes. */
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

const CARD_NO = /^[0-9A-Za-z]{1,32}$/;
const REASON = /^[a-z_]{1,40}$/;
const JURISDICTION = /^[0-9A-Za-z]{1,12}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

export interface DenyListEntry {
  cardNo: string;
  reasons: string[];
}

/** A deny-list answer as it travels (JSON) and as a gate stores it. */
export interface SignedDenyList {
  format: string;
  jurisdiction: string;
  version: number;
  /** The version the delta starts from; null for a full list asked without `since`. */
  since: number | null;
  /** true: `added` is the whole list and replaces what the gate holds. */
  full: boolean;
  /** When the list was last computed (the build's instant), UTC. */
  issuedAt: string;
  added: DenyListEntry[];
  removed: string[];
  keyId: string;
  /** Ed25519 over `canonicalDenyList(...)`, base64. */
  signature: string;
}

export type UnsignedDenyList = Omit<SignedDenyList, 'keyId' | 'signature'>;

const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`deny-list: ${what} cannot be signed`);
}

/**
 * The bytes that are signed: UTF-8 lines, each ending in a line feed,
 *
 *   sscard-deny-list/1
 *   jurisdiction 310000
 *   version 12
 *   since 11            (`since -` for a list asked without since)
 *   full false          (or `full true`)
 *   issuedAt 2026-05-06T01:00:00.000Z
 *   +310000000000012 lost,expired      one line per added card, by card number (code points)
 *   -310000000000029                   one line per removed card, by card number
 *
 * Every value is checked against a strict shape first, so no value can forge a line.
 */
export function canonicalDenyList(list: UnsignedDenyList): Buffer {
  check(list.format === DENY_LIST_FORMAT, 'format');
  check(JURISDICTION.test(list.jurisdiction), 'jurisdiction');
  check(Number.isSafeInteger(list.version) && list.version >= 0, 'version');
  check(list.since === null || (Number.isSafeInteger(list.since) && list.since >= 0), 'since');
  check(typeof list.full === 'boolean', 'full');
  check(typeof list.issuedAt === 'string' && INSTANT.test(list.issuedAt), 'issuedAt');
  check(Array.isArray(list.added) && Array.isArray(list.removed), 'added/removed');
  const lines = [
    list.format,
    `jurisdiction ${list.jurisdiction}`,
    `version ${list.version}`,
    `since ${list.since === null ? '-' : list.since}`,
    `full ${list.full}`,
    `issuedAt ${list.issuedAt}`,
  ];
  const added = [...list.added].sort((a, b) => byCodePoint(a.cardNo, b.cardNo));
  for (const e of added) {
    check(typeof e.cardNo === 'string' && CARD_NO.test(e.cardNo), 'card number');
    check(
      Array.isArray(e.reasons) && e.reasons.every((r) => typeof r === 'string' && REASON.test(r)),
      'reason',
    );
    lines.push(`+${e.cardNo} ${e.reasons.join(',')}`);
  }
  for (const cardNo of [...list.removed].sort(byCodePoint)) {
    check(typeof cardNo === 'string' && CARD_NO.test(cardNo), 'card number');
    lines.push(`-${cardNo}`);
  }
  return Buffer.from(lines.map((l) => `${l}\n`).join(''), 'utf8');
}

/** The key id: the first 16 hex digits of SHA-256 over the raw 32-byte public key. */
export function denyListKeyId(rawPublicKey: Buffer): string {
  return createHash('sha256').update(rawPublicKey).digest('hex').slice(0, 16);
}

function publicKeyFromRaw(raw: Buffer): KeyObject {
  if (raw.length !== 32) throw new Error('an Ed25519 public key is 32 bytes');
  return createPublicKey({
    key: Buffer.concat([SPKI_PREFIX, raw]),
    format: 'der',
    type: 'spki',
  });
}

export class DenyListSigner {
  readonly keyId: string;
  /** The raw 32-byte public key, base64. */
  readonly publicKey: string;
  /** The same key as PEM (SubjectPublicKeyInfo). */
  readonly publicKeyPem: string;
  private readonly privateKey: KeyObject;

  /** The installation's signer: the same key pair on every node, from the keyring. */
  static fromKeyring(keyring: Pick<Keyring, 'deriveSecret'>): DenyListSigner {
    return new DenyListSigner(keyring.deriveSecret(DENY_LIST_KEY_INFO));
  }

  constructor(seed: Buffer) {
    if (seed.length !== 32) throw new Error('an Ed25519 seed is 32 bytes');
    this.privateKey = createPrivateKey({
      key: Buffer.concat([PKCS8_PREFIX, seed]),
      format: 'der',
      type: 'pkcs8',
    });
    const pub = createPublicKey(this.privateKey);
    const raw = pub.export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX.length);
    this.publicKey = raw.toString('base64');
    this.publicKeyPem = String(pub.export({ format: 'pem', type: 'spki' }));
    this.keyId = denyListKeyId(raw);
  }

  sign(list: UnsignedDenyList): SignedDenyList {
    const signature = sign(null, canonicalDenyList(list), this.privateKey).toString('base64');
    return { ...list, keyId: this.keyId, signature };
  }
}

/**
 * Whether a list was signed by the holder of this public key (raw 32 bytes, base64) and is
 * unchanged since: any edit to a card number, a reason, the version, `since`, `full`, the
 * jurisdiction or the time makes it false. Never throws: malformed input is simply not valid.
 */
export function verifyDenyList(list: unknown, publicKeyBase64: string): boolean {
  try {
    const l = list as SignedDenyList;
    if (typeof l !== 'object' || l === null || typeof l.signature !== 'string') return false;
    const signature = Buffer.from(l.signature, 'base64');
    if (signature.length !== 64) return false;
    const key = publicKeyFromRaw(Buffer.from(publicKeyBase64, 'base64'));
    const unsigned: UnsignedDenyList = {
      format: l.format,
      jurisdiction: l.jurisdiction,
      version: l.version,
      since: l.since,
      full: l.full,
      issuedAt: l.issuedAt,
      added: l.added,
      removed: l.removed,
    };
    return verify(null, canonicalDenyList(unsigned), key, signature);
  } catch {
    return false;
  }
}
