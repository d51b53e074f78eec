/**
 * Reads a pack file's text. The server and CLI read the files (I/O stays with them) and pass the
 * text here. YAML 1.2 core schema: no implicit dates or yes/no booleans; duplicate keys are errors.
 */
import { parseDocument } from 'yaml';
import { DomainError } from '../errors/domain-error.js';
import type { RulePack } from './schema.js';
import { checkPack, invalidPackError, type PackCheck } from './validate.js';

/** Parse and validate, or throw `RULE_PACK_SYNTAX` / `RULE_PACK_INVALID`. */
export function parsePack(text: string, fileName?: string): RulePack {
  const read = readYaml(text);
  if ('syntax' in read) {
    const { line, column, reason } = read.syntax;
    throw new DomainError('RULE_PACK_SYNTAX', {
      file: fileName ?? 'pack',
      line,
      column,
      reason,
    });
  }
  const result = checkPack(read.value);
  if (result.ok) return result.pack;
  throw invalidPackError(result.issues, fileName);
}

/** Like `parsePack`, but returns every problem (syntax or content) instead of throwing. */
export function checkPackText(text: string): PackCheck {
  const read = readYaml(text);
  if ('syntax' in read) {
    const { line, column, reason } = read.syntax;
    return { ok: false, issues: [{ path: `(line ${line}, column ${column})`, reason }] };
  }
  return checkPack(read.value);
}

/** Pack files are `*.yaml` in `packages/domain/packs/` (see its README); other files are ignored. */
export function isPackFileName(name: string): boolean {
  return /^[a-z0-9][a-z0-9._-]*\.ya?ml$/.test(name);
}

type YamlRead = { value: unknown } | { syntax: { line: number; column: number; reason: string } };

function readYaml(text: string): YamlRead {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  const [error] = doc.errors;
  if (!error) return { value: doc.toJS() };
  const at = error.linePos?.[0];
  return {
    syntax: {
      line: at?.line ?? 0,
      column: at?.col ?? 0,
      reason: error.message.split('\n')[0] ?? error.code,
    },
  };
}
