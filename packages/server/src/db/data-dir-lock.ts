/**
 * PGlite serves one process at a time; two processes opening one data directory would corrupt
 * it. A pid file in the directory says who has it; a stale one (its process is gone) is taken over.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function lockDataDir(dir: string): () => void {
  const file = path.join(dir, '.sscard.pid');
  try {
    writeFileSync(file, String(process.pid), { flag: 'wx' });
  } catch {
    const holder = Number(readFileSync(file, 'utf8'));
    if (Number.isInteger(holder) && (holder === process.pid || alive(holder))) {
      throw new Error(
        `the data directory ${dir} is in use by process ${holder}; stop it first (or use DATABASE_URL for several processes)`,
      );
    }
    writeFileSync(file, String(process.pid));
  }
  return () => rmSync(file, { force: true });
}
