/** The daily job escalating overdue hotline referrals (FZ-46): one alert per referral, once a day. */
import type { JobDefinition } from '../../jobs/scheduler.js';

export const referralsEscalateJob: JobDefinition = {
  name: 'referrals.escalate',
  description: 'Escalate referrals from 12333 / 12345 left unanswered past their due day (FZ-46)',
  at: '09:30',
  async run({ services, ctx }) {
    return { ...(await services.referrals.escalate(ctx)) };
  },
};
