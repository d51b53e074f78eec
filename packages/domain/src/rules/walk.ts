/**
 * Enumerates a pack's parameters as flat rows, for `GET /jurisdictions/{code}/policy`, the
 * compare table and the tests that check every quote against the regulation's text.
 */
import { isParam, type Source } from './param.js';
import type { RulePack } from './schema.js';

export interface PolicyParameter {
  /** Dotted path in the pack, e.g. `loss.temporary.termDays`. */
  path: string;
  value: unknown;
  source: Source;
}

export function policyParameters(pack: RulePack): PolicyParameter[] {
  const out: PolicyParameter[] = [];
  visit(pack, '', out);
  return out;
}

function visit(node: unknown, path: string, out: PolicyParameter[]): void {
  if (isParam(node)) {
    out.push({ path, value: node.value, source: node.source });
    return;
  }
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return;
  for (const [key, child] of Object.entries(node)) visit(child, path ? `${path}.${key}` : key, out);
}

/** The parameter at a dotted path, or undefined. */
export function parameterAt(pack: RulePack, path: string): PolicyParameter | undefined {
  let node: unknown = pack;
  for (const key of path.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return isParam(node) ? { path, value: node.value, source: node.source } : undefined;
}
