/** The manual clock (SSCARD_CLOCK=manual): set by the installation administrator, audited. */
import { DomainError, formatShanghai } from '@sscard/domain';
import type { ActContext } from '../../context.js';
import type { Deps } from '../../deps.js';

export async function setClock(
  deps: Pick<Deps, 'clock' | 'acts'>,
  next: Date,
  ctx: ActContext,
): Promise<void> {
  const { clock } = deps;
  if (clock.mode !== 'manual') throw new DomainError('CLOCK_NOT_MANUAL');
  await deps.acts.run(ctx, {
    name: 'system.clock.set',
    resource: 'clock',
    load: async () => clock.now(),
    target: () => ({ type: 'clock', id: null, jurisdiction: null }),
    apply: async ({ trx, loaded: previous }) => {
      await clock.save(next, trx);
      return { result: next, details: { from: previous.toISOString(), to: next.toISOString() } };
    },
    present: (at) => ({ now: formatShanghai(at), mode: clock.mode }),
  });
  clock.adopt(next);
}
