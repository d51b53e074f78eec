/** Test helpers: `sscard …` run in-process, and a fresh installation per test file. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CommanderError } from 'commander';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '@sscard/server';
import { vi } from 'vitest';
import { buildProgram } from './program.js';

/** Runs `sscard …` in-process and returns what it printed and its exit code. */
export async function run(...args: string[]): Promise<{ out: string; code: number }> {
  const lines: string[] = [];
  const spy = vi
    .spyOn(console, 'log')
    .mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
  let code = 0;
  try {
    await buildProgram().parseAsync(['node', 'sscard', ...args]);
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    code = e.exitCode;
  } finally {
    spy.mockRestore();
  }
  return { out: lines.join('\n'), code };
}

/**
 * A fresh installation for one CLI test file: its own data folder (PGlite) or, with
 * DATABASE_URL, its own schema on the server; `env` is what the commands read. Open it in
 * beforeAll and `remove` it in afterAll, which also restores the environment.
 */
export interface TestInstallation {
  dir: string;
  /** Opens the database directly, as someone with access to the files or the server would. */
  withRaw<T>(fn: (h: DatabaseHandle) => Promise<T>): Promise<T>;
  remove(): Promise<void>;
}

export async function openTestInstallation(
  prefix: string,
  env: (dir: string) => Record<string, string>,
): Promise<TestInstallation> {
  const url = process.env.DATABASE_URL;
  const saved = { ...process.env };
  const dir = mkdtempSync(path.join(tmpdir(), `sscard-${prefix}-`));
  const schema = url ? `t_${randomBytes(6).toString('hex')}` : undefined;
  const onServer = async (statement: string) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      await c.query(statement);
    } finally {
      await c.end();
    }
  };
  Object.assign(process.env, { SSCARD_DATA_DIR: dir, LOG_LEVEL: 'silent' }, env(dir));
  if (schema) {
    await onServer(`create schema ${schema}`);
    process.env.PGOPTIONS = `-c search_path=${schema}`;
  }
  return {
    dir,
    async withRaw(fn) {
      const h = url
        ? await openDatabase({ databaseUrl: url, searchPath: schema })
        : await openDatabase({ dataDir: dir });
      try {
        return await fn(h);
      } finally {
        await h.close();
      }
    },
    async remove() {
      process.env = saved;
      rmSync(dir, { recursive: true, force: true });
      if (schema) await onServer(`drop schema ${schema} cascade`);
    },
  };
}
