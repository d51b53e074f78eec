import { describe, expect, it } from 'vitest';
import {
  Keyring,
  generateIndexKey,
  keyCheckValue,
  legacyIndexKey,
  sealedKeyId,
} from './keyring.js';

const A = Buffer.alloc(32, 1);
const B = Buffer.alloc(32, 2);
const INDEX = Buffer.alloc(32, 3);

describe('keyring', () => {
  it('seals under the first key and carries its id; the others only open', () => {
    const a = new Keyring([A], INDEX);
    const ba = new Keyring([B, A], INDEX);
    expect(ba.activeKeyId).not.toBe(a.activeKeyId);
    expect(ba.keyIds).toEqual([ba.activeKeyId, a.activeKeyId]);
    const old = a.encrypt('11010519491231002X', 'persons.ssn:1');
    expect(sealedKeyId(old)).toBe(a.activeKeyId);
    expect(ba.decrypt(old, 'persons.ssn:1')).toBe('11010519491231002X');
    const fresh = ba.encrypt('13800138000', 'persons.phone:1');
    expect(sealedKeyId(fresh)).toBe(ba.activeKeyId);
    expect(() => a.decrypt(fresh, 'persons.phone:1')).toThrow(`unknown data key ${ba.activeKeyId}`);
  });

  it('binds a value to its row: another row’s additional data does not open it', () => {
    const k = new Keyring([A], INDEX);
    const sealed = k.encrypt('上海市黄浦区人民大道200号', 'persons.residence_address:1');
    expect(() => k.decrypt(sealed, 'persons.residence_address:2')).toThrow();
    const bytes = k.encryptBytes(Buffer.from('photo'), 'photos.data:1');
    expect(() => k.decryptBytes(bytes, 'photos.data:2')).toThrow();
  });

  it('re-seals text and bytes under the active key', () => {
    const a = new Keyring([A], INDEX);
    const ba = new Keyring([B, A], INDEX);
    const text = ba.reseal(a.encrypt('x', 'aad'), 'aad');
    expect(sealedKeyId(text)).toBe(ba.activeKeyId);
    expect(ba.decrypt(text, 'aad')).toBe('x');
    const bytes = ba.resealBytes(a.encryptBytes(Buffer.from([0, 1, 2]), 'aad'), 'aad');
    expect(sealedKeyId(bytes)).toBe(ba.activeKeyId);
    expect([...ba.decryptBytes(bytes, 'aad')]).toEqual([0, 1, 2]);
    expect(new Keyring([B], INDEX).decrypt(text, 'aad')).toBe('x');
  });

  it('keeps the blind index whatever the data keys, given the same index key', () => {
    const before = new Keyring([A], INDEX).blindIndex('ssn', '11010519491231002X');
    expect(new Keyring([B, A], INDEX).blindIndex('ssn', '11010519491231002X')).toEqual(before);
    expect(new Keyring([B], INDEX).blindIndex('ssn', '11010519491231002X')).toEqual(before);
    expect(
      new Keyring([A], generateIndexKey()).blindIndex('ssn', '11010519491231002X'),
    ).not.toEqual(before);
  });

  it('derives the legacy index key from the first master key when none is given', () => {
    const legacy = new Keyring([A]);
    expect(legacy.indexKeyId).toBe(keyCheckValue(legacyIndexKey(A)));
    expect(legacy.blindIndex('phone', '13800138000')).toEqual(
      new Keyring([B, A], legacyIndexKey(A)).blindIndex('phone', '13800138000'),
    );
  });

  it('reads no key id from something that is not a sealed value', () => {
    expect(sealedKeyId('plain')).toBeNull();
    expect(sealedKeyId(Buffer.from('xx'))).toBeNull();
    expect(keyCheckValue(INDEX)).toMatch(/^[0-9a-f]{16}$/);
  });
});
