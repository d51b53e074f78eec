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
import type { Trx } from '../../db/transact.js';

const KEY = 'fees.schedule';

export class FeesService {
  constructor(private readonly deps: Deps) {}

  async schedule(db?: Trx): Promise<FeeSchedule> {
    const stored = await this.deps.settings.get<FeeSchedule>(KEY, db);
    if (stored) return stored;
    const seed = process.env.SSCARD_FEE_SCHEDULE;
    return seed ? validateFeeSchedule(JSON.parse(seed)) : {};
  }

  /**
   * Replaces the whole schedule (every jurisdiction's amounts): the installation's act. With
   * `code`, replaces one jurisdiction's amounts and keeps the others: its centre's act.
   */
  async replace(input: unknown, ctx: ActContext, code?: string): Promise<FeeSchedule> {
    const jurisdiction = code ? this.deps.jurisdictions.resolveResource(code) : null;
    const given = validateFeeSchedule(jurisdiction ? { [jurisdiction.shortCode]: input } : input);
    return this.deps.acts.run(ctx, {
      name: 'fees.schedule.replace',
      resource: 'fee schedule',
      load: (trx) => this.schedule(trx),
      target: () => ({
        type: 'fees',
        id: jurisdiction?.shortCode ?? null,
        jurisdiction: jurisdiction?.code ?? null,
      }),
      apply: async ({ trx, now, loaded: current }) => {
        const schedule = jurisdiction ? { ...current, ...given } : given;
        await this.deps.settings.put(KEY, schedule, now, trx);
        return { result: schedule, details: { jurisdictions: Object.keys(given).join(',') } };
      },
    });
  }

  async quote(request: Omit<FeeRequest, 'schedule'>): Promise<FeeQuote> {
    return computeFee({ ...request, schedule: await this.schedule() });
  }
}
