/**
 * The one clock. Deadlines, expiries and sweeps read it, never `new Date()`, so that tests and
 * demos can move time. The server supplies a system clock or a manual one (SSCARD_CLOCK=manual).
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that stands still until set or advanced; used by tests and the manual mode. */
export class ManualClock implements Clock {
  private current: number;

  constructor(start: Date) {
    this.current = start.getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(instant: Date): void {
    this.current = instant.getTime();
  }

  advance(ms: number): void {
    this.current += ms;
  }
}
