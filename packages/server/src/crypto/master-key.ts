/**
 * Where the master key comes from: SSCARD_MASTER_KEY (production: from a KMS or cipher machine),
 * or, for the embedded single-node default, a key file created once in the data directory with
 * owner-only permissions. A database dump without the key reveals no personal data.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateMasterKey, parseMasterKey } from './keyring.js';

export interface MasterKeySource {
  keys: Buffer[];
  origin: 'environment' | 'file-existing' | 'file-created' | 'none';
  file?: string;
}

/**
 * SSCARD_MASTER_KEY may hold several keys separated by commas: the first is active, the others
 * only decrypt (rotation). The key file likewise holds one key a line, the active one first.
 * With `create: false` a missing key is reported as `origin: 'none'` (no keys) instead of being
 * generated: read-only tools such as `sscard keys status` must not make one.
 */
export function loadMasterKeys(
  envValue: string | undefined,
  dataDir: string,
  options: { create?: boolean } = {},
): MasterKeySource {
  if (envValue)
    return {
      keys: envValue.split(',').map((k) => parseMasterKey(k.trim())),
      origin: 'environment',
    };
  const file = path.join(dataDir, 'master.key');
  if (existsSync(file)) {
    return {
      keys: readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((k) => parseMasterKey(k.trim())),
      origin: 'file-existing',
      file,
    };
  }
  if (options.create === false) return { keys: [], origin: 'none' };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, `${generateMasterKey()}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return {
    keys: [parseMasterKey(readFileSync(file, 'utf8').trim())],
    origin: 'file-created',
    file,
  };
}
