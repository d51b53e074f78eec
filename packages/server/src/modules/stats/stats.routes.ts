/** The console's dashboard figures (centre, bank, auditors; within the reader's scope). */
import { Type } from '@sinclair/typebox';
import {
  DomainError,
  addDays,
  dueAfter,
  shanghaiDate,
  startOfShanghaiDay,
  type LocalDate,
} from '@sscard/domain';
import type { Deps } from '../../deps.js';
import type { App } from '../../http/app-types.js';
import { LocalDate as LocalDateSchema, errorResponses } from '../../http/schemas.js';

const Count = Type.Integer({ minimum: 0 });

export const DashboardView = Type.Object(
  {
    from: Type.String(),
    to: Type.String(),
    applicationsByDay: Type.Array(
      Type.Object({ day: Type.String(), channel: Type.String(), count: Count }),
    ),
    cardsByStatus: Type.Array(Type.Object({ status: Type.String(), count: Count })),
    applicationsDue: Type.Object({
      dueSoon: Type.Integer({ description: 'due within the next 3 working days' }),
      overdue: Count,
    }),
    lossesByDay: Type.Array(Type.Object({ day: Type.String(), kind: Type.String(), count: Count })),
  },
  { $id: 'Dashboard' },
);

const MAX_DAYS = 366;

export function statsRoutes(app: App, deps: Deps): void {
  app.get('/api/v1/stats/dashboard', {
    config: { access: 'application.read' },
    schema: {
      tags: ['system'],
      summary:
        'Dashboard figures: applications by channel and day, cards by state, due dates, losses',
      description:
        'Counted within your data scope. `from` and `to` are Shanghai days, inclusive; by default the 14 days up to today. `dueSoon`: open applications due within 3 working days.',
      querystring: Type.Object({
        from: Type.Optional(LocalDateSchema),
        to: Type.Optional(LocalDateSchema),
      }),
      response: { 200: DashboardView, ...errorResponses(422) },
    },
    handler: async (req) => {
      const now = deps.clock.now();
      const today = shanghaiDate(now);
      const to: LocalDate = req.query.to ?? today;
      const from: LocalDate = req.query.from ?? addDays(to, -13);
      if (from > to) throw new DomainError('VALIDATION', { summary: '`from` is after `to`' });
      if (addDays(from, MAX_DAYS) < to)
        throw new DomainError('VALIDATION', { summary: `at most ${MAX_DAYS} days at a time` });
      const start = startOfShanghaiDay(from);
      const end = startOfShanghaiDay(addDays(to, 1));
      const scope = req.ctx.actor!.scope;
      const stats = deps.repos.stats;
      const soon = dueAfter(
        now,
        { amount: 3, unit: 'working_days' },
        await deps.calendar.calendar(),
      ).due;
      const [applicationsByDay, cardsByStatus, applicationsDue, lossesByDay] = await Promise.all([
        stats.applicationsByDay(scope, start, end),
        stats.cardsByStatus(scope),
        stats.applicationsDue(scope, now, soon),
        stats.lossesByDay(scope, start, end),
      ]);
      return { from, to, applicationsByDay, cardsByStatus, applicationsDue, lossesByDay };
    },
  });
}
