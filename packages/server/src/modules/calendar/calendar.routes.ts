/** The working-day calendar: coverage, the override table, single days and deadlines. */
import { Type } from '@sinclair/typebox';
import {
  DomainError,
  daysBetween,
  formatShanghai,
  renderCalendarWarning,
  addDays,
} from '@sscard/domain';
import type { App } from '../../http/app-types.js';
import type { ActStep } from '../../acts/act-step.js';
import { sendAnswer } from '../../http/answer.js';
import { Instant, LocalDate, errorResponses, StringEnum } from '../../http/schemas.js';
import type { CalendarService } from './calendar.service.js';

const Override = Type.Object(
  {
    date: LocalDate,
    kind: StringEnum(['holiday', 'workday'] as const),
    note: Type.String({ minLength: 1, maxLength: 200, examples: ['国办发明电〔2026〕x号 元旦'] }),
  },
  { additionalProperties: false },
);
const Table = Type.Object(
  {
    overrides: Type.Array(Override, { maxItems: 2000 }),
    completeYears: Type.Array(Type.Integer({ minimum: 2000, maximum: 2200 }), {
      maxItems: 200,
      uniqueItems: true,
    }),
  },
  {
    additionalProperties: false,
    examples: [
      {
        overrides: [{ date: '2027-01-01', kind: 'holiday', note: '国办发明电〔2026〕x号 元旦' }],
        completeYears: [],
      },
    ],
  },
);

export function calendarRoutes(app: App, calendar: CalendarService, acts: ActStep): void {
  app.get('/api/v1/calendar', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['calendar'],
      summary: 'Years covered by holiday data, the override table, and current warnings',
      response: {
        200: Type.Object({
          coveredYears: Type.Array(Type.Integer()),
          table: Table,
          warnings: Type.Array(
            Type.Object({ code: Type.String(), year: Type.Integer(), message: Type.String() }),
          ),
        }),
        ...errorResponses(),
      },
    },
    handler: async (req) => {
      const cal = await calendar.calendar();
      const warnings = await calendar.warnings();
      return {
        coveredYears: [...cal.coveredYears()],
        table: await calendar.table(),
        warnings: warnings.map((w) => ({
          ...w,
          message: renderCalendarWarning(w, req.ctx.locale),
        })),
      };
    },
  });

  app.put('/api/v1/calendar/overrides', {
    config: { access: 'policy.configure', action: 'calendar.overrides.replace' },
    schema: {
      tags: ['calendar'],
      summary:
        'Replace the override table (enter a new State Council notice; mark its year complete)',
      body: Table,
      response: { 200: Table, ...errorResponses(422) },
    },
    handler: async (req, reply) => {
      await calendar.replace(req.body, req.ctx, acts);
      return sendAnswer(req, reply);
    },
  });

  app.get('/api/v1/calendar/days', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['calendar'],
      summary: 'Each day from `from` to `to` (at most 400): working or not, and why',
      querystring: Type.Object({ from: LocalDate, to: LocalDate }),
      response: {
        200: Type.Object({ items: Type.Array(Type.Object({}, { additionalProperties: true })) }),
        ...errorResponses(422),
      },
    },
    handler: async (req) => {
      const span = daysBetween(req.query.from, req.query.to);
      if (span < 0 || span > 400)
        throw new DomainError('VALIDATION', {
          summary: 'from must precede to, at most 400 days apart',
        });
      const cal = await calendar.calendar();
      const items = [];
      for (let i = 0; i <= span; i++) items.push(cal.describeDay(addDays(req.query.from, i)));
      return { items };
    },
  });

  app.post('/api/v1/calendar/due', {
    config: { access: 'authenticated', readOnly: true },
    schema: {
      tags: ['calendar'],
      summary: 'When a deadline falls: `{start, amount, unit}` (minutes, days, working_days)',
      body: Type.Object(
        {
          start: Instant,
          amount: Type.Integer({ minimum: 0, maximum: 10000 }),
          unit: StringEnum(['minutes', 'days', 'working_days'] as const),
        },
        {
          additionalProperties: false,
          examples: [{ start: '2026-09-30T10:00:00+08:00', amount: 3, unit: 'working_days' }],
        },
      ),
      response: {
        200: Type.Object({
          due: Type.String(),
          warnings: Type.Array(Type.Object({ code: Type.String(), year: Type.Integer() })),
        }),
        ...errorResponses(422),
      },
    },
    handler: async (req) => {
      const result = await calendar.due(new Date(req.body.start), {
        amount: req.body.amount,
        unit: req.body.unit,
      });
      return { due: formatShanghai(result.due), warnings: result.warnings };
    },
  });
}
