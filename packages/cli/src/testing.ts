/** Test helper: runs `sscard …` in-process and returns what it printed and its exit code. */
import { CommanderError } from 'commander';
import { vi } from 'vitest';
import { buildProgram } from './program.js';

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
