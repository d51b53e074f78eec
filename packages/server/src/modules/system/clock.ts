/**
 * The server's clock. In `system` mode it is the machine's time. In `manual` mode
 * (SSCARD_CLOCK=manual, for demos and acceptance tests) it stands still at a set instant until a
 * centre administrator sets it again; the setting is kept in the database so a restart keeps it.
 * Several API nodes in manual mode share it: each reads the saved instant again before every
 * request and every scheduler tick (`refresh`), so a clock set through one node is the clock of
 * all of them from the next request on (one small read per request, in manual mode only).
 */
import { ManualClock, systemClock, type Clock } from '@sscard/domain';
import type { ClockMode } from '../../config.js';
import type { SettingsRepository } from './settings.repository.js';
import type { Trx } from '../../db/transact.js';

const KEY = 'clock.manual';

export interface ServerClock extends Clock {
  readonly mode: ClockMode;
  /** Only in manual mode: saves and adopts at once (tests, start-up). */
  set(instant: Date): Promise<void>;
  /** Only in manual mode: saves the instant inside an act's transaction … */
  save(instant: Date, trx: Trx): Promise<void>;
  /** … and, once it committed, this node reads it. */
  adopt(instant: Date): void;
  /** Manual mode: reads the saved instant again (another node may have set it). */
  refresh(): Promise<void>;
}

export async function createClock(
  mode: ClockMode,
  settings: SettingsRepository,
): Promise<ServerClock> {
  if (mode === 'system') {
    return {
      mode,
      now: () => systemClock.now(),
      set: () => Promise.reject(new Error('the system clock cannot be set')),
      save: () => Promise.reject(new Error('the system clock cannot be set')),
      adopt: () => {
        throw new Error('the system clock cannot be set');
      },
      refresh: async () => {},
    };
  }
  const saved = await settings.get<{ now: string }>(KEY);
  const manual = new ManualClock(saved ? new Date(saved.now) : new Date());
  return {
    mode,
    now: () => manual.now(),
    async set(instant: Date) {
      await settings.put(KEY, { now: instant.toISOString() }, instant);
      manual.set(instant);
    },
    async save(instant: Date, trx: Trx) {
      await settings.put(KEY, { now: instant.toISOString() }, instant, trx);
    },
    adopt(instant: Date) {
      manual.set(instant);
    },
    async refresh() {
      const now = await settings.get<{ now: string }>(KEY);
      if (now) manual.set(new Date(now.now));
    },
  };
}
