/**
 * Where this process is in its life: starting (not listening yet, or preparing), ready (serving),
 * stopping (SIGTERM received: /readyz answers 503 at once, new requests are refused with
 * `Connection: close`, acts in flight finish; ops/shutdown.ts). One per process; the HTTP app
 * reads it for /readyz and /metrics, main.ts moves it on.
 */
export type Phase = 'starting' | 'ready' | 'stopping';

export class Lifecycle {
  private current: Phase;
  private refusing = false;
  /** Milliseconds since the process started when it became ready (undefined before). */
  readyMs: number | undefined;

  constructor(phase: Phase = 'starting') {
    this.current = phase;
  }

  get phase(): Phase {
    return this.current;
  }

  get stopping(): boolean {
    return this.current === 'stopping';
  }

  /** Listening and prepared: /readyz may answer 200 (if its checks pass). */
  markReady(): number {
    if (this.current === 'starting') {
      this.current = 'ready';
      this.readyMs = sinceProcessStart();
    }
    return this.readyMs ?? sinceProcessStart();
  }

  /** SIGTERM: from now on /readyz answers 503 (requests are still served until `refuseRequests`). */
  beginShutdown(): void {
    this.current = 'stopping';
  }

  /** New requests are answered 503 SHUTTING_DOWN with `Connection: close`. */
  refuseRequests(): void {
    this.current = 'stopping';
    this.refusing = true;
  }

  get refusesRequests(): boolean {
    return this.refusing;
  }
}

/** Milliseconds since this process started (node's own clock of the process, not the act clock). */
export function sinceProcessStart(): number {
  return Math.round(performance.now());
}
