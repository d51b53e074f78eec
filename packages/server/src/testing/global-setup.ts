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
import { scanLogDir } from './log-scan.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    logDir: string;
  }
}

/**
 * Every test platform also writes its log lines into one directory; when the run ends, the whole
 * of it is scanned for identity numbers and phones, and any found fails the run.
 */
function logCheck(project: TestProject): () => void {
  const logDir = mkdtempSync(path.join(tmpdir(), 'sscard-logs-'));
  project.provide('logDir', logDir);
  return () => {
    const findings = scanLogDir(logDir);
    rmSync(logDir, { recursive: true, force: true });
    if (findings.length) {
      const list = findings.map((f) => `${f.file}: ${f.count} ${f.kind}`).join('; ');
      // Vitest reports an error thrown here but still exits 0; the exit code must say it too.
      process.exitCode = 1;
      throw new Error(`personal data found in the test suite's logs: ${list}`);
    }
  };
}

export default async function setup(project: TestProject): Promise<() => void> {
  const checkLogs = logCheck(project);
  if (process.env.DATABASE_URL) {
    project.provide('pgliteTemplate', '');
    return checkLogs;
  }
  const handle = await openDatabase({});
  await migrate(handle.db);
  const dump = await handle.dumpDataDir!();
  await handle.close();
  const dir = mkdtempSync(path.join(tmpdir(), 'sscard-template-'));
  const file = path.join(dir, 'template.tar');
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  project.provide('pgliteTemplate', file);
  return () => {
    rmSync(dir, { recursive: true, force: true });
    checkLogs();
  };
}
