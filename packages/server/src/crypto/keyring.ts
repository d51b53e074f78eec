/**
 * Personal data at rest. Values are sealed with AES-256-GCM under a data key; the key id travels
 * with each value so keys can rotate. Additional authenticated data binds a ciphertext to its
 * table, column and row, so a value copied into another row does not decrypt. Exact lookups go
 * through blind indexes (HMAC-SHA-256 under a separate key), so no plaintext column is needed.
 *
 * Keys derive from one 256-bit master key with HKDF; production keeps the master key in a KMS
 * or cipher machine and passes it in SSCARD_MASTER_KEY (see docs/SECURITY.md).
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

export class Keyring {
  private readonly active: DataKey;
  private readonly byId = new Map<string, DataKey>();
  private readonly indexKey: Buffer;

  /** The first master key is active; the others only decrypt (during rotation). */
  constructor(masters: Buffer[]) {
    const [first] = masters;
    if (!first) throw new Error('Keyring needs at least one master key');
    for (const master of masters) {
      const key = derive(master, 'sscard data key');
      const id = createHash('sha256').update(key).digest('hex').slice(0, 8);
      this.byId.set(id, { id, key });
    }
    this.active = this.byId.get([...this.byId.keys()][0]!)!;
    // The blind-index key derives from the first master key only: changing it means re-indexing.
    this.indexKey = derive(first, 'sscard blind index');
  }

  get activeKeyId(): string {
    return this.active.id;
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
    const key = this.byId.get(kid);
    if (!key) throw new Error(`unknown data key ${kid}`);
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
    const header = sealed.subarray(0, 10).toString();
    if (!header.startsWith(VERSION)) throw new Error('malformed ciphertext');
    const key = this.byId.get(header.slice(2));
    if (!key) throw new Error(`unknown data key ${header.slice(2)}`);
    const iv = sealed.subarray(10, 22);
    const tag = sealed.subarray(22, 38);
    const decipher = createDecipheriv('aes-256-gcm', key.key, iv);
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(sealed.subarray(38)), decipher.final()]);
  }

  /** Deterministic keyed hash of a normalised value, for exact-match lookups and uniqueness. */
  blindIndex(kind: string, normalised: string): Buffer {
    return createHmac('sha256', this.indexKey).update(`${kind}\u0000${normalised}`).digest();
  }
}
