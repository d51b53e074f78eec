/**
 * Failpoints for fault-injection tests: `SSCARD_FAILPOINTS=after-commit:person.create` makes the
 * process kill itself (SIGKILL, no clean-up) right after that act commits and before its answer
 * is sent, the window a crash or a dropped connection falls into. Read once at start; unset (the
 * default, and always in production) nothing happens. Not a configuration: a test instrument.
 */
const points = new Set(
  (process.env.SSCARD_FAILPOINTS ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean),
);

export function failpoint(name: string): void {
  if (points.size && points.has(name)) process.kill(process.pid, 'SIGKILL');
}
