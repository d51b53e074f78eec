/**
 * `sscard`: the operator's command line. It runs the same services as the API, on the same
 * database (the embedded one in ./data, or DATABASE_URL). Stop the server before pointing the
 * CLI at an embedded data directory: PGlite serves one process at a time (a lock file says so).
 */
import { CommanderError } from 'commander';
import { buildProgram } from './program.js';

buildProgram()
  .parseAsync(process.argv)
  .catch((e: unknown) => {
    if (e instanceof CommanderError) process.exit(e.exitCode);
    console.error(e instanceof Error ? e.message : e);
    process.exit(2);
  });
