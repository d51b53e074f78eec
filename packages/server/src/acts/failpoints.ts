/**
 * Failpoints for fault-injection tests: `SSCARD_FAILPOINTS=after-commit:person.create` makes the
 * process kill itself (SIGKILL, no clean-up) right after that act commits and before its answer
 * is sent, the window a crash or a dropped connection falls into. Read once at start; unset (the
 * default, and always in production) nothing happens. Not a configuration: a test instrument.
 *
 * `slow:<act>` makes that act wait `SSCARD_FAILPOINT_SLOW_MS` (default 1000) inside its
 * transaction, before its audit record: an act surely in flight when a test sends SIGTERM.
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

const slowMs = Number(process.env.SSCARD_FAILPOINT_SLOW_MS ?? 1000);

/** Waits inside the act's transaction when `slow:<name>` is set (shutdown tests). */
export async function slowpoint(name: string): Promise<void> {
  if (points.size && points.has(`slow:${name}`)) await new Promise((r) => setTimeout(r, slowMs));
}
