/**
 * Personal data at rest. Values are sealed with AES-256-GCM under a data key; the key id travels
 * with each value so keys can rotate. Additional authenticated data binds a ciphertext to its
 * table, column and row, so a value copied into another row does not decrypt. Exact lookups go
 * through blind indexes (HMAC-SHA-256 under a separate key), so no plaintext column is needed.
 *
 * Two kinds of key, kept apart so the data key can rotate without re-indexing:
 * - data keys derive (HKDF) from the master keys in SSCARD_MASTER_KEY: the first is active and
 *   seals, the others only open values sealed before a rotation;
 * - the blind-index key is one stable 256-bit key that lives in the database sealed under the
 *   active data key (`key_material`), re-sealed by `sscard keys rotate` like any other value.
 *   It never changes when the data key rotates. `modules/keys/key-store.ts` loads and checks it.
 *
 * See docs/SECURITY.md, "Keys and rotation".
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
} from 'node:crypto';

interface DataKey {
  id: string;
  key: Buffer;
}

const VERSION = 'v1';
/** Binary values start with the version and the key id in ASCII: `v1` + 8 hex digits. */
const BYTES_HEADER = VERSION.length + 8;

function derive(master: Buffer, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), info, 32));
}

export function parseMasterKey(base64: string): Buffer {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== 32) throw new Error('SSCARD_MASTER_KEY must be 32 bytes, base64-encoded');
  return key;
}

export function generateMasterKey(): string {
  return randomBytes(32).toString('base64');
}

/** A new random blind-index key (a fresh installation gets one). */
export function generateIndexKey(): Buffer {
  return randomBytes(32);
}

/**
 * The blind-index key as installations before key separation derived it: from the master key
 * that was first in the list. Start-up adopts it (after checking it against the stored index)
 * when an existing database has no stored index key yet.
 */
export function legacyIndexKey(master: Buffer): Buffer {
  return derive(master, 'sscard blind index');
}

/** Names a key without revealing it: HMAC of a fixed label, 16 hex digits. */
export function keyCheckValue(key: Buffer): string {
  return createHmac('sha256', key).update('sscard key check v1').digest('hex').slice(0, 16);
}

/** The key id carried in a sealed value (text or binary form), or null if it is malformed. */
export function sealedKeyId(sealed: string | Buffer): string | null {
  if (typeof sealed === 'string') {
    const [version, kid] = sealed.split('.');
    return version === VERSION && kid ? kid : null;
  }
  if (sealed.length < BYTES_HEADER) return null;
  const header = sealed.subarray(0, BYTES_HEADER).toString('latin1');
  return header.startsWith(VERSION) ? header.slice(VERSION.length) : null;
}

export class Keyring {
  private readonly active: DataKey;
  private readonly byId = new Map<string, DataKey>();
  private readonly indexKey: Buffer;
  /** Identifies the blind-index key (see keyCheckValue); safe to show. */
  readonly indexKeyId: string;

  /**
   * The first master key is active; the others only decrypt (during rotation). The platform
   * passes the blind-index key loaded from the database (`openKeyring`); without one, the
   * legacy derivation from the first master key is used, which is only right for unit tests
   * and for installations that never rotated.
   */
  constructor(masters: Buffer[], indexKey?: Buffer) {
    const [first] = masters;
    if (!first) throw new Error('Keyring needs at least one master key');
    let active: DataKey | undefined;
    for (const master of masters) {
      const key = derive(master, 'sscard data key');
      const id = createHash('sha256').update(key).digest('hex').slice(0, 8);
      const dataKey = this.byId.get(id) ?? { id, key };
      this.byId.set(id, dataKey);
      active ??= dataKey;
    }
    this.active = active!;
    if (indexKey && indexKey.length !== 32) throw new Error('the blind-index key must be 32 bytes');
    this.indexKey = indexKey ?? legacyIndexKey(first);
    this.indexKeyId = keyCheckValue(this.indexKey);
  }

  get activeKeyId(): string {
    return this.active.id;
  }

  /** Every configured data key id, the active one first. */
  get keyIds(): string[] {
    return [...this.byId.keys()];
  }

  hasKey(kid: string): boolean {
    return this.byId.has(kid);
  }

  private key(kid: string | undefined | null): DataKey {
    const key = kid ? this.byId.get(kid) : undefined;
    if (!key) throw new Error(`unknown data key ${kid ?? '(none)'}`);
    return key;
  }

  encrypt(plaintext: string, aad: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.active.key, iv);
    cipher.setAAD(Buffer.from(aad));
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [
      VERSION,
      this.active.id,
      iv.toString('base64url'),
      ct.toString('base64url'),
      tag.toString('base64url'),
    ].join('.');
  }

  decrypt(sealed: string, aad: string): string {
    const [version, kid, iv, ct, tag] = sealed.split('.');
    if (version !== VERSION || !kid || iv === undefined || ct === undefined || tag === undefined) {
      throw new Error('malformed ciphertext');
    }
    const key = this.key(kid);
    const decipher = createDecipheriv('aes-256-gcm', key.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([
      decipher.update(Buffer.from(ct, 'base64url')),
      decipher.final(),
    ]).toString('utf8');
  }

  /** Binary variant for blobs such as photos: version, key id, iv, tag, ciphertext. */
  encryptBytes(plain: Buffer, aad: string): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.active.key, iv);
    cipher.setAAD(Buffer.from(aad));
    const ct = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([Buffer.from(`${VERSION}${this.active.id}`), iv, cipher.getAuthTag(), ct]);
  }

  decryptBytes(sealed: Buffer, aad: string): Buffer {
    const kid = sealedKeyId(sealed);
    if (kid === null) throw new Error('malformed ciphertext');
    const key = this.key(kid);
    const iv = sealed.subarray(BYTES_HEADER, BYTES_HEADER + 12);
    const tag = sealed.subarray(BYTES_HEADER + 12, BYTES_HEADER + 28);
    const decipher = createDecipheriv('aes-256-gcm', key.key, iv);
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(sealed.subarray(BYTES_HEADER + 28)), decipher.final()]);
  }

  /** Opens a value under whichever configured key sealed it and seals it again under the active one. */
  reseal(sealed: string, aad: string): string {
    return this.encrypt(this.decrypt(sealed, aad), aad);
  }

  resealBytes(sealed: Buffer, aad: string): Buffer {
    return this.encryptBytes(this.decryptBytes(sealed, aad), aad);
  }

  /** Deterministic keyed hash of a normalised value, for exact-match lookups and uniqueness. */
  blindIndex(kind: string, normalised: string): Buffer {
    return createHmac('sha256', this.indexKey).update(`${kind}\u0000${normalised}`).digest();
  }

  /**
   * A 32-byte secret for another purpose (`info` names it), derived (HKDF) from the blind-index
   * key: the same on every node and unchanged by a data-key rotation. The deny-list's Ed25519
   * seed (modules/verification/deny-list.signing.ts).
   */
  deriveSecret(info: string): Buffer {
    return derive(this.indexKey, info);
  }
}
