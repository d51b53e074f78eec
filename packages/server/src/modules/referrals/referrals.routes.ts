/** HTTP routes of hotline referrals (FZ-46): record, assign, answer, report back, list, get. */
import { Type } from '@sinclair/typebox';
import { REFERRAL_HOTLINES, REFERRAL_KINDS, REFERRAL_STATUSES } from '@sscard/domain';
import type { App } from '../../http/app-types.js';
import { sendAnswer } from '../../http/answer.js';
import {
  IdParams,
  Paging,
  StatedText,
  StringEnum,
  Uuid,
  errorResponses,
  page,
} from '../../http/schemas.js';
import { ReferralView } from './referrals.presenter.js';
import type { ReferralsService } from './referrals.service.js';

const Text = (max: number, description: string) => StatedText(max, { description });

export function referralsRoutes(app: App, referrals: ReferralsService): void {
  app.addSchema(ReferralView);

  app.get('/api/v1/referrals', {
    config: { access: 'referral.read' },
    schema: {
      tags: ['referrals'],
      summary: 'Referrals from 12333 / 12345: the centre’s, or those assigned to your organisation',
      querystring: Type.Composite([
        Paging,
        Type.Object({
          status: Type.Optional(StringEnum(REFERRAL_STATUSES)),
          overdue: Type.Optional(
            Type.Boolean({ description: 'Only unanswered past their due day' }),
          ),
        }),
      ]),
      response: { 200: page(ReferralView), ...errorResponses() },
    },
    handler: async (req) => {
      const { limit, offset, status, overdue } = req.query;
      const r = await referrals.list(req.ctx.actor!.scope, { status, overdue }, { limit, offset });
      return {
        items: r.items.map((x) => referrals.present(x, req.ctx.actor)),
        total: r.total,
        limit,
        offset,
      };
    },
  });

  app.get('/api/v1/referrals/:id', {
    config: { access: 'referral.read' },
    schema: {
      tags: ['referrals'],
      summary: 'One referral',
      params: IdParams,
      response: { 200: ReferralView, ...errorResponses(404) },
    },
    handler: async (req) =>
      referrals.present(await referrals.get(req.ctx, req.params.id), req.ctx.actor),
  });

  app.post('/api/v1/referrals', {
    config: { access: 'referral.manage', action: 'referral.record' },
    schema: {
      tags: ['referrals'],
      summary: 'Record a complaint or enquiry referred by 12333 or 12345 (FZ-46)',
      description:
        'The summary is the centre’s own words and should carry no personal data; the caller’s ' +
        'name and phone, when given, are sealed and shown masked to roles without full access.',
      body: Type.Object(
        {
          hotline: StringEnum(REFERRAL_HOTLINES),
          ticketNo: Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9-]+$' }),
          kind: StringEnum(REFERRAL_KINDS),
          summary: Text(1000, 'What is asked or complained of, without personal data'),
          caller: Type.Optional(
            Type.Union([
              Type.Object(
                {
                  name: Type.Optional(
                    Type.Union([Type.String({ minLength: 1, maxLength: 60 }), Type.Null()]),
                  ),
                  phone: Type.Optional(
                    Type.Union([Type.String({ pattern: '^[0-9+-]{5,20}$' }), Type.Null()]),
                  ),
                },
                { additionalProperties: false },
              ),
              Type.Null(),
            ]),
          ),
        },
        {
          additionalProperties: false,
          examples: [
            {
              hotline: '12345',
              ticketNo: 'GD20261130001',
              kind: 'complaint',
              summary: '反映网点制卡超期未通知领卡',
            },
          ],
        },
      ),
      response: { 201: ReferralView, ...errorResponses(404, 409, 422) },
    },
    handler: async (req, reply) => {
      await referrals.record(req.ctx, req.body);
      return sendAnswer(req, reply);
    },
  });

  app.post('/api/v1/referrals/:id/assign', {
    config: { access: 'referral.manage', action: 'referral.assign' },
    schema: {
      tags: ['referrals'],
      summary: 'Assign (or reassign) to a bank or an outlet; the answer is due in the pack’s term',
      params: IdParams,
      body: Type.Object(
        { organizationId: Uuid },
        {
          additionalProperties: false,
          examples: [{ organizationId: '0190a0c2-7a3e-7b1c-9d2e-3f4a5b6c7d8e' }],
        },
      ),
      response: { 200: ReferralView, ...errorResponses(404, 409, 422) },
    },
    handler: async (req, reply) => {
      await referrals.assign(req.ctx, req.params.id, req.body.organizationId);
      return sendAnswer(req, reply);
    },
  });

  app.post('/api/v1/referrals/:id/answer', {
    config: { access: 'referral.answer', action: 'referral.answer' },
    schema: {
      tags: ['referrals'],
      summary: 'Answer a referral assigned to your organisation (FZ-46: 调查处理并办结)',
      params: IdParams,
      body: Type.Object(
        { answer: Text(2000, 'What was found and done') },
        {
          additionalProperties: false,
          examples: [{ answer: '已核实：卡片已于当日制成，通知持卡人到网点领取。' }],
        },
      ),
      response: { 200: ReferralView, ...errorResponses(404, 409, 422) },
    },
    handler: async (req, reply) => {
      await referrals.answer(req.ctx, req.params.id, req.body.answer);
      return sendAnswer(req, reply);
    },
  });

  app.post('/api/v1/referrals/:id/report', {
    config: { access: 'referral.manage', action: 'referral.report' },
    schema: {
      tags: ['referrals'],
      summary: 'Report the answer back to the hotline (反馈)',
      params: IdParams,
      body: Type.Object(
        { report: Text(2000, 'What was reported back') },
        {
          additionalProperties: false,
          examples: [{ report: '已将办理结果回复12345热线。' }],
        },
      ),
      response: { 200: ReferralView, ...errorResponses(404, 409, 422) },
    },
    handler: async (req, reply) => {
      await referrals.report(req.ctx, req.params.id, req.body.report);
      return sendAnswer(req, reply);
    },
  });
}
