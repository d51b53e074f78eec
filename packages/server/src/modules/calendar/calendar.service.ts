/**
 * The working-day calendar of the installation: the statutory holidays shipped in the domain plus
 * the override table administrators edit when the State Council publishes a new year's notice.
 * Overrides live in the database; every API node re-reads them at most a minute after a change.
 */
import {
  DomainError,
  WorkingDayCalendar,
  computeDue,
  shanghaiDate,
  type CalendarOverride,
  type CalendarWarning,
  type TimeLimit,
} from '@sscard/domain';
import type { ActContext } from '../../context.js';
import type { Deps } from '../../deps.js';
import type { ActStep } from '../../acts/act-step.js';

const KEY = 'calendar.overrides';
const RELOAD_MS = 60_000;

export interface CalendarTable {
  overrides: CalendarOverride[];
  completeYears: number[];
}

export class CalendarService {
  private cached:
    { calendar: WorkingDayCalendar; table: CalendarTable; loadedAt: number } | undefined;

  constructor(private readonly deps: Pick<Deps, 'db' | 'settings' | 'clock' | 'changes'>) {
    // A change on any node drops this node's copy (db/change-bus.ts).
    deps.changes.on('calendar', () => (this.cached = undefined));
  }

  async table(): Promise<CalendarTable> {
    return (await this.load()).table;
  }

  async calendar(): Promise<WorkingDayCalendar> {
    return (await this.load()).calendar;
  }

  /**
   * Replaces the override table (the calendar is national: one table for the installation);
   * validated by building a calendar from it first.
   */
  async replace(table: CalendarTable, ctx: ActContext, acts: ActStep): Promise<CalendarTable> {
    new WorkingDayCalendar(table); // throws on an invalid table, before anything is written
    await acts.run(ctx, {
      name: 'calendar.overrides.replace',
      resource: 'calendar',
      load: async () => table,
      target: () => ({ type: 'calendar', id: null, jurisdiction: null }),
      apply: async ({ trx, now }) => {
        await this.deps.settings.put(KEY, table, now, trx);
        await this.deps.changes.publish(trx, 'calendar');
        return {
          result: table,
          details: {
            overrides: table.overrides.length,
            completeYears: table.completeYears.join(','),
          },
        };
      },
    });
    // This node reads it again at once; the others when the NOTIFY arrives.
    this.cached = undefined;
    return table;
  }

  async due(start: Date, limit: TimeLimit): Promise<{ due: Date; warnings: CalendarWarning[] }> {
    if (!Number.isInteger(limit.amount) || limit.amount < 0)
      throw new DomainError('CALENDAR_AMOUNT_INVALID', { amount: limit.amount });
    return computeDue(start, limit, await this.calendar());
  }

  /** What the console and admin pages should say about the calendar today. */
  async warnings(): Promise<CalendarWarning[]> {
    const calendar = await this.calendar();
    const today = shanghaiDate(this.deps.clock.now());
    const year = Number(today.slice(0, 4));
    const warnings: CalendarWarning[] = [];
    if (calendar.coverage(year) === 'fallback') warnings.push({ code: 'CALENDAR_FALLBACK', year });
    const next = calendar.missingNextYearWarning(today);
    if (next) warnings.push(next);
    return warnings;
  }

  private async load() {
    if (this.cached && Date.now() - this.cached.loadedAt < RELOAD_MS) return this.cached;
    const table = (await this.deps.settings.get<CalendarTable>(KEY)) ?? {
      overrides: [],
      completeYears: [],
    };
    this.cached = { calendar: new WorkingDayCalendar(table), table, loadedAt: Date.now() };
    return this.cached;
  }
}
