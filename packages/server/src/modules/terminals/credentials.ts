/**
 * Terminal credentials. An API key is 24 random bytes (192 bits), shown once and stored as its
 * SHA-256: with that much entropy a fast hash is enough, and the hot path can look the terminal
 * up by the hash in the same statement as the card. A client certificate is identified by its
 * SHA-256 fingerprint, passed by the proxy that terminates mutual TLS.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

export const API_KEY_PREFIX = 'sst_';
const API_KEY = /^sst_[A-Za-z0-9_-]{32}$/;
// Either 64 hex digits or 32 colon-separated pairs: no optional parts, so no backtracking.
const FINGERPRINT = /^(?:[0-9a-f]{64}|[0-9a-f]{2}(?::[0-9a-f]{2}){31})$/i;

export function newApiKey(): string {
  return API_KEY_PREFIX + randomBytes(24).toString('base64url');
}

export function apiKeyHash(key: string): Buffer {
  return createHash('sha256').update(`api_key\u0000${key}`).digest();
}

/** `AB:CD:…` or `abcd…` (64 hex digits) → lowercase hex; null when it is not a SHA-256 fingerprint. */
export function normaliseFingerprint(fp: string): string | null {
  if (!FINGERPRINT.test(fp)) return null;
  return fp.replaceAll(':', '').toLowerCase();
}

export function certificateHash(fingerprint: string): Buffer {
  return createHash('sha256').update(`client_certificate\u0000${fingerprint}`).digest();
}

export function hintOf(secret: string): string {
  return secret.slice(-4);
}

/**
 * The credential a request presents, hashed: `Authorization: Terminal <key>`, or, behind a proxy
 * trusted with SSCARD_TRUST_PROXY=1, the client certificate's fingerprint in
 * X-Client-Cert-Fingerprint. null: none (or malformed, which is the same to the caller).
 */
export function presentedCredential(req: FastifyRequest, trustProxy: boolean): Buffer | null {
  const header = req.headers.authorization;
  if (header?.startsWith('Terminal ')) {
    const key = header.slice('Terminal '.length);
    return API_KEY.test(key) ? apiKeyHash(key) : null;
  }
  const fp = req.headers['x-client-cert-fingerprint'];
  if (trustProxy && typeof fp === 'string') {
    const normal = normaliseFingerprint(fp);
    return normal ? certificateHash(normal) : null;
  }
  return null;
}
