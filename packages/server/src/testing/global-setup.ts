/**
 * Vitest global setup. On the embedded database, initialising PostgreSQL takes seconds, so it is
 * done once: a PGlite instance is migrated and its data directory dumped to a file that every
 * test file starts from (in under a second). On a real server (DATABASE_URL set) each test file
 * makes its own schema instead, so nothing is prepared here.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../db/database.js';
import { migrate } from '../db/migrate.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  if (process.env.DATABASE_URL) {
    project.provide('pgliteTemplate', '');
    return () => {};
  }
  const handle = await openDatabase({});
  await migrate(handle.db);
  const dump = await handle.dumpDataDir!();
  await handle.close();
  const dir = mkdtempSync(path.join(tmpdir(), 'sscard-template-'));
  const file = path.join(dir, 'template.tar');
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  project.provide('pgliteTemplate', file);
  return () => rmSync(dir, { recursive: true, force: true });
}
