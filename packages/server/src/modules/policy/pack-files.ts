/**
 * Reading rule packs from disk. The five built-in packs ship in `@sscard/domain/packs`; an
 * installation adds its own (a sixth city, a newer version) in SSCARD_PACKS_DIR. A pack that
 * does not validate stops start-up with a message naming the file and the field.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import {
  DomainError,
  buildRegistry,
  isPackFileName,
  renderError,
  type PackFile,
  type RulePackRegistry,
} from '@sscard/domain';

export const BUILT_IN_PACKS_DIR = path.join(
  path.dirname(createRequire(import.meta.url).resolve('@sscard/domain/package.json')),
  'packs',
);

export function readPackFiles(dir: string): PackFile[] {
  if (!existsSync(dir)) throw new Error(`rule pack directory ${dir} does not exist`);
  return readdirSync(dir)
    .filter(isPackFileName)
    .sort()
    .map((name) => ({
      name: path.join(dir, name),
      text: readFileSync(path.join(dir, name), 'utf8'),
    }));
}

export class PackLoadError extends Error {}

/** The built-in packs plus those in `extraDir`; any problem is fatal, with every problem listed. */
export function loadRegistry(extraDir?: string): RulePackRegistry {
  const files = [
    ...readPackFiles(BUILT_IN_PACKS_DIR),
    ...(extraDir ? readPackFiles(extraDir) : []),
  ];
  const { registry, problems } = buildRegistry(files);
  if (problems.length) {
    const lines = problems.map((p) => `  ${p.file}: ${describe(p.error)}`);
    throw new PackLoadError(`rule packs failed to load:\n${lines.join('\n')}`);
  }
  return registry;
}

export function describe(error: unknown): string {
  if (error instanceof DomainError) return renderError(error.code, error.params, 'en').detail;
  return error instanceof Error ? error.message : String(error);
}
