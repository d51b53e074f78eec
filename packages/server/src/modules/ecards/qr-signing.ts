/**
 * Ed25519 for the QR codes (node:crypto): key pairs, the kid, signing and verifying the compact
 * token of `@sscard/domain` (ecard/qr-token.ts), and the public keys as a JWK set. Public keys are
 * kept in memory by kid (a key's public half never changes; its retirement is re-read every few
 * seconds); the signing key is read, and opened, from the database for each code.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import {
  QR_CLAIMS_BYTES,
  QR_JTI_BYTES,
  QR_TOKEN_BYTES,
  decodeQrClaims,
  encodeQrClaims,
  type QrClaims,
} from '@sscard/domain';
import type { EcardsRepository } from './ecards.repository.js';

/** The raw 32-byte public key is the tail of its SPKI DER encoding. */
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export function rawPublicKey(key: KeyObject): Buffer {
  return key.export({ format: 'der', type: 'spki' }).subarray(SPKI_ED25519_PREFIX.length);
}

export function publicKeyFromRaw(raw: Buffer): KeyObject {
  return createPublicKey({
    key: Buffer.concat([SPKI_ED25519_PREFIX, raw]),
    format: 'der',
    type: 'spki',
  });
}

export function kidOf(rawPublic: Buffer): string {
  return createHash('sha256').update(rawPublic).digest('hex').slice(0, 8);
}

export function newSigningKey(): { kid: string; publicKey: Buffer; privateKeyDer: Buffer } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = rawPublicKey(publicKey);
  return {
    kid: kidOf(raw),
    publicKey: raw,
    privateKeyDer: privateKey.export({ format: 'der', type: 'pkcs8' }),
  };
}

export function privateKeyFromDer(der: Buffer): KeyObject {
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
}

export function newJti(): Uint8Array {
  return randomBytes(QR_JTI_BYTES);
}

/** Claims and signature, base64url. */
export function signQr(claims: QrClaims, key: KeyObject): string {
  const body = encodeQrClaims(claims);
  return Buffer.concat([body, sign(null, body, key)]).toString('base64url');
}

/** The claims and the signed bytes of a token, or null when it is not one of ours in shape. */
export function parseQr(
  token: string,
): { claims: QrClaims; body: Buffer; signature: Buffer } | null {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return null;
  const bytes = Buffer.from(token, 'base64url');
  if (bytes.length !== QR_TOKEN_BYTES) return null;
  const claims = decodeQrClaims(bytes);
  if (!claims) return null;
  return {
    claims,
    body: bytes.subarray(0, QR_CLAIMS_BYTES),
    signature: bytes.subarray(QR_CLAIMS_BYTES),
  };
}

export function verifyQrSignature(body: Buffer, signature: Buffer, key: KeyObject): boolean {
  return verify(null, body, key, signature);
}

export interface PublicKeyEntry {
  kid: string;
  key: KeyObject;
  raw: Buffer;
  createdAt: Date;
  retiredAt: Date | null;
}

/** How long a key's retirement may go unseen by a node (the key still verifies meanwhile). */
const RELOAD_MS = 5_000;

/** The verifying keys by kid, from the database, kept in memory. */
export class PublicKeys {
  private readonly byKid = new Map<string, { entry: PublicKeyEntry | null; at: number }>();

  constructor(
    private readonly repo: EcardsRepository,
    private readonly now: () => number = Date.now,
  ) {}

  async get(kid: string): Promise<PublicKeyEntry | null> {
    const hit = this.byKid.get(kid);
    const t = this.now();
    if (hit && t - hit.at < RELOAD_MS) return hit.entry;
    const row = await this.repo.key(kid);
    const entry = row
      ? {
          kid: row.kid,
          raw: row.public_key,
          key: hit?.entry?.key ?? publicKeyFromRaw(row.public_key),
          createdAt: row.created_at,
          retiredAt: row.retired_at,
        }
      : null;
    // Unknown kids are remembered too (a flood of made-up ones costs one read each per period),
    // within a bound.
    if (this.byKid.size > 1000) this.byKid.clear();
    this.byKid.set(kid, { entry, at: t });
    return entry;
  }

  /** After a rotation on this node. */
  forget(): void {
    this.byKid.clear();
  }
}

/** An OKP JWK (RFC 8037) of a raw Ed25519 public key. */
export function jwkOf(kid: string, raw: Buffer) {
  return {
    kty: 'OKP' as const,
    crv: 'Ed25519' as const,
    x: raw.toString('base64url'),
    kid,
    use: 'sig' as const,
    alg: 'EdDSA' as const,
  };
}
