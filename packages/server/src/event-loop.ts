/**
 * A turn of the event loop for long work on the one thread: parsing or writing a spreadsheet of
 * 100,000 rows takes a second or two, and PGlite settles each query as a microtask, so a long
 * loop of either would keep every HTTP request, timer and socket waiting until it ended. Such a
 * loop awaits `turnIfDue()`: when the last turn is more than TURN_MS ago it yields (`setImmediate`,
 * after pending I/O), as a round trip to a database server does every time.
 */
const TURN_MS = 10;
let lastTurn = performance.now();

export async function turnIfDue(): Promise<void> {
  if (performance.now() - lastTurn < TURN_MS) return;
  await new Promise<void>((resolve) => setImmediate(resolve));
  lastTurn = performance.now();
}
