/**
 * The installation's fee schedule: the amounts regulations leave to a bank or a price bureau,
 * per jurisdiction and fee item, in fen. Kept in the database so an administrator can change it;
 * SSCARD_FEE_SCHEDULE (JSON) seeds it on an installation that has none.
 */
import {
  computeFee,
  validateFeeSchedule,
  type FeeQuote,
  type FeeRequest,
  type FeeSchedule,
} from '@sscard/domain';
import type { ActContext } from '../../context.js';
import type { Deps } from '../../deps.js';

const KEY = 'fees.schedule';

export class FeesService {
  constructor(private readonly deps: Deps) {}

  async schedule(): Promise<FeeSchedule> {
    const stored = await this.deps.settings.get<FeeSchedule>(KEY);
    if (stored) return stored;
    const seed = process.env.SSCARD_FEE_SCHEDULE;
    return seed ? validateFeeSchedule(JSON.parse(seed)) : {};
  }

  async replace(input: unknown, ctx: ActContext): Promise<FeeSchedule> {
    const schedule = validateFeeSchedule(input);
    const now = this.deps.clock.now();
    await this.deps.db.transaction().execute(async (trx) => {
      await this.deps.settings.put(KEY, schedule, now, trx);
      await this.deps.audit.append(
        trx,
        ctx,
        {
          action: 'fees.schedule.replace',
          targetType: 'fees',
          details: { jurisdictions: Object.keys(schedule).join(',') },
        },
        now,
      );
    });
    return schedule;
  }

  async quote(request: Omit<FeeRequest, 'schedule'>): Promise<FeeQuote> {
    return computeFee({ ...request, schedule: await this.schedule() });
  }
}
