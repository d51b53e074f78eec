/**
 * The QR code's token: a compact binary layout, signed with Ed25519 by the server and sent as
 * base64url (docs/ECARD.md). 43 bytes of claims and a 64-byte signature: 107 bytes, 143
 * characters, a version 8 QR code at level M.
 *
 *   offset size  field
 *   0      1     format version (1)
 *   1      4     kid: the signing key's id (first 4 bytes of SHA-256 of its raw public key)
 *   5      16    the e-card's id (a UUID; never the ID number, never the card number)
 *   21     4     issued at, seconds since 1970 (uint32, big-endian)
 *   25     2     lifetime in seconds (uint16): expires at issued + lifetime
 *   27     4     the physical card's version when the code was made (uint32): any change to
 *                the card since (a loss, an un-report) makes the code stale
 *   31     12    jti: a random nonce, unique per code; accepted once across the installation
 *   43     64    Ed25519 signature of bytes 0..42
 *
 * Pure: no keys, no I/O. The server signs and verifies (modules/ecards/qr-signing.ts).
 */
export const QR_TOKEN_VERSION = 1;
export const QR_CLAIMS_BYTES = 43;
export const QR_SIGNATURE_BYTES = 64;
export const QR_TOKEN_BYTES = QR_CLAIMS_BYTES + QR_SIGNATURE_BYTES;
export const QR_JTI_BYTES = 12;

export interface QrClaims {
  /** 8 hex digits. */
  kid: string;
  /** The e-card's id, a UUID. */
  ecardId: string;
  issuedAt: Date;
  ttlSeconds: number;
  cardVersion: number;
  /** 12 bytes. */
  jti: Uint8Array;
}

const HEX8 = /^[0-9a-f]{8}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function qrExpiresAt(c: Pick<QrClaims, 'issuedAt' | 'ttlSeconds'>): Date {
  return new Date(c.issuedAt.getTime() + c.ttlSeconds * 1000);
}

function hexBytes(hex: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < hex.length; i += 2) out.push(parseInt(hex.slice(i, i + 2), 16));
  return out;
}

function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/** The claims' 43 bytes, which the signature covers. */
export function encodeQrClaims(c: QrClaims): Uint8Array {
  const id = c.ecardId.toLowerCase();
  if (!HEX8.test(c.kid) || !UUID.test(id) || c.jti.length !== QR_JTI_BYTES)
    throw new RangeError('malformed QR claims');
  const iat = Math.floor(c.issuedAt.getTime() / 1000);
  if (!(c.ttlSeconds >= 1 && c.ttlSeconds <= 0xffff) || c.cardVersion < 0 || iat < 0)
    throw new RangeError('QR claims out of range');
  const out = new Uint8Array(QR_CLAIMS_BYTES);
  const view = new DataView(out.buffer);
  out[0] = QR_TOKEN_VERSION;
  out.set(hexBytes(c.kid), 1);
  out.set(hexBytes(id.replace(/-/g, '')), 5);
  view.setUint32(21, iat);
  view.setUint16(25, c.ttlSeconds);
  view.setUint32(27, c.cardVersion >>> 0);
  out.set(c.jti, 31);
  return out;
}

/** The claims of a token's first 43 bytes, or null when the layout is not one we write. */
export function decodeQrClaims(bytes: Uint8Array): QrClaims | null {
  if (bytes.length < QR_CLAIMS_BYTES || bytes[0] !== QR_TOKEN_VERSION) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, QR_CLAIMS_BYTES);
  const id = toHex(bytes.subarray(5, 21));
  const ttlSeconds = view.getUint16(25);
  if (ttlSeconds === 0) return null;
  return {
    kid: toHex(bytes.subarray(1, 5)),
    ecardId: `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20)}`,
    issuedAt: new Date(view.getUint32(21) * 1000),
    ttlSeconds,
    cardVersion: view.getUint32(27),
    jti: bytes.slice(31, 31 + QR_JTI_BYTES),
  };
}
