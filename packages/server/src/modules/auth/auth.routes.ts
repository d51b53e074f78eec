/**
 * Login (with a second factor where enrolled or required), activation of a new account, logout,
 * "who am I", changes to one's own password, phone and second factor (each needs the password
 * again), and sessions. Every state change answers what its act presented (`sendAnswer`).
 */
import { Type } from '@sinclair/typebox';
import { USERNAME_PATTERN } from '@sscard/domain';
import { sendAnswer } from '../../http/answer.js';
import type { App } from '../../http/app-types.js';
import { IdParams, Paging, Uuid, errorResponses, page } from '../../http/schemas.js';
import type { AuthService } from './auth.service.js';
import { OTP_PATTERN } from './otp.js';
import { presentMe, presentSession } from './sessions.presenter.js';

const Otp = Type.String({
  pattern: OTP_PATTERN,
  description: 'The 6-digit code the authenticator app shows now (TOTP, RFC 6238)',
  examples: ['492039'],
});

const Me = Type.Object({
  staffId: Type.Union([Type.String(), Type.Null()]),
  username: Type.String(),
  role: Type.String(),
  organizationId: Type.Union([Type.String(), Type.Null()]),
  organizationKind: Type.Union([Type.String(), Type.Null()]),
  jurisdiction: Type.Union([Type.String(), Type.Null()]),
  scope: Type.Object({}, { additionalProperties: true }),
  permissions: Type.Array(Type.String()),
  phone: Type.Optional(Type.Union([Type.String({ description: 'Masked' }), Type.Null()])),
  secondFactor: Type.Optional(
    Type.Object({
      enrolled: Type.Boolean(),
      required: Type.Boolean({ description: 'Administrators must log in with a second factor' }),
    }),
  ),
  clock: Type.Optional(
    Type.Union([Type.Literal('system'), Type.Literal('manual')], {
      description:
        'The installation’s clock: `manual` on a test installation (SSCARD_CLOCK=manual; its time: GET /api/v1/system/clock)',
    }),
  ),
});

const LoginAnswer = Type.Object({ token: Type.String(), expiresAt: Type.String(), me: Me });

const EnrolmentView = Type.Object({
  ticket: Type.String({ description: 'Send it back with a code to confirm' }),
  secret: Type.String({ description: 'Base32 secret, for typing into the app' }),
  otpauthUri: Type.String({ description: 'otpauth:// URI, for a QR code' }),
  expiresAt: Type.String(),
});

const SessionView = Type.Object({
  id: Type.String(),
  staffId: Type.String(),
  username: Type.String(),
  role: Type.String(),
  organizationId: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  lastSeenAt: Type.String(),
  expiresAt: Type.String(),
  ip: Type.Union([Type.String(), Type.Null()]),
  secondFactor: Type.Boolean({ description: 'Opened with a second factor' }),
  current: Type.Boolean({ description: 'The session making this request' }),
});

export function authRoutes(app: App, auth: AuthService): void {
  app.post('/api/v1/auth/login', {
    config: { access: 'public', action: 'auth.login', throttle: 'login' },
    schema: {
      tags: ['auth'],
      summary: 'Log in with username, password and, where enrolled or required, a one-time code',
      description:
        'Administrators (installation, centre, bank) must use a second factor. An administrator ' +
        'without one gets a 401 `OTP_ENROLMENT_REQUIRED` problem carrying `otpSecret`, ' +
        '`otpauthUri` and `enrolmentTicket`: add the secret to an authenticator app and send ' +
        'the ticket and a code to `POST /api/v1/auth/login/enrol`, which opens the session. ' +
        'An account with a second factor answers `OTP_REQUIRED` until `otp` is sent. Wrong ' +
        'passwords and wrong or reused codes count toward the account lock.',
      security: [],
      body: Type.Object(
        {
          username: Type.String({ minLength: 1, maxLength: 64, examples: ['admin'] }),
          password: Type.String({ minLength: 1, maxLength: 200 }),
          otp: Type.Optional(Otp),
        },
        {
          additionalProperties: false,
          examples: [{ username: 'sh.centre', password: 'your password', otp: '123456' }],
        },
      ),
      response: {
        200: LoginAnswer,
        401: Type.Ref('Problem'),
        403: Type.Ref('Problem'),
        423: Type.Ref('Problem'),
        429: Type.Ref('Problem'),
      },
    },
    handler: async (req, reply) => {
      await auth.login(req.body, req.ctx);
      return sendAnswer(req, reply);
    },
  });

  app.post('/api/v1/auth/login/enrol', {
    config: { access: 'public', action: 'auth.login', throttle: 'login' },
    schema: {
      tags: ['auth'],
      summary: 'Finish a first login by confirming the new second factor; returns a bearer token',
      security: [],
      body: Type.Object(
        {
          enrolmentTicket: Type.String({ minLength: 20, maxLength: 200 }),
          otp: Otp,
        },
        {
          additionalProperties: false,
          examples: [
            { enrolmentTicket: 'AKkHxMM1ZxrOUK_uSr-ujR-FFZyXpzr-skk0bSrj4Vo', otp: '123456' },
          ],
        },
      ),
      response: {
        200: LoginAnswer,
        401: Type.Ref('Problem'),
        403: Type.Ref('Problem'),
        423: Type.Ref('Problem'),
        429: Type.Ref('Problem'),
      },
    },
    handler: async (req, reply) => {
      await auth.completeLoginEnrolment(req.body.enrolmentTicket, req.body.otp, req.ctx);
      return sendAnswer(req, reply);
    },
  });

  app.post('/api/v1/auth/activate', {
    config: { access: 'public', action: 'auth.activate', throttle: 'login' },
    schema: {
      tags: ['auth'],
      summary: 'Set the password of a new account with its one-time activation ticket',
      description:
        'An administrator (or the operator, `sscard staff create`) creating an account is given ' +
        'a one-time `activationTicket`, valid SSCARD_STAFF_ACTIVATION_HOURS (72); nobody but ' +
        'the holder ever chooses the password. The ticket is spent; no session opens: log in ' +
        'next (administrators then enrol their second factor). A wrong name or ticket, or a ' +
        'used or expired one, answers `ACTIVATION_INVALID`.',
      security: [],
      body: Type.Object(
        {
          username: Type.String({ pattern: USERNAME_PATTERN, examples: ['sh.icbc.op1'] }),
          ticket: Type.String({ minLength: 20, maxLength: 200, writeOnly: true }),
          newPassword: Type.String({ minLength: 1, maxLength: 200, writeOnly: true }),
        },
        {
          additionalProperties: false,
          examples: [
            {
              username: 'sh.icbc.op1',
              ticket: 'AKkHxMM1ZxrOUK_uSr-ujR-FFZyXpzr-skk0bSrj4Vo',
              newPassword: 'My-Own-Pass-2026',
            },
          ],
        },
      ),
      response: { 204: Type.Null(), 401: Type.Ref('Problem'), ...errorResponses(422) },
    },
    handler: async (req, reply) => {
      await auth.activate(req.body, req.ctx);
      return sendAnswer(req, reply);
    },
  });

  app.post('/api/v1/auth/logout', {
    config: { access: 'authenticated', action: 'auth.logout' },
    schema: {
      tags: ['auth'],
      summary: 'End this session',
      response: { 204: Type.Null(), ...errorResponses() },
    },
    handler: async (req, reply) => {
      await auth.logout(req.ctx);
      return sendAnswer(req, reply);
    },
  });

  app.get('/api/v1/auth/me', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['auth'],
      summary: 'The account behind this session, its scope, permissions and second factor',
      response: { 200: Me, ...errorResponses() },
    },
    handler: async (req) => ({
      ...presentMe(req.ctx.actor!),
      ...(await auth.profile(req.ctx.actor!)),
    }),
  });

  app.post('/api/v1/auth/password', {
    config: { access: 'authenticated', action: 'auth.password_change' },
    schema: {
      tags: ['auth'],
      summary: 'Change your own password (current password and, if enrolled, a code)',
      description: 'Your other sessions end; this one stays.',
      body: Type.Object(
        {
          currentPassword: Type.String({ minLength: 1, maxLength: 200, writeOnly: true }),
          otp: Type.Optional(Otp),
          newPassword: Type.String({ minLength: 1, maxLength: 200, writeOnly: true }),
        },
        {
          additionalProperties: false,
          examples: [
            { currentPassword: 'old password', otp: '123456', newPassword: 'New-Password-2026' },
          ],
        },
      ),
      response: { 204: Type.Null(), ...errorResponses(422, 423) },
    },
    handler: async (req, reply) => {
      await auth.changePassword(req.ctx, {
        password: req.body.currentPassword,
        otp: req.body.otp,
        newPassword: req.body.newPassword,
      });
      return sendAnswer(req, reply);
    },
  });

  app.put('/api/v1/auth/phone', {
    config: { access: 'authenticated', action: 'auth.phone_change' },
    schema: {
      tags: ['auth'],
      summary: 'Set or clear your own phone number (password and, if enrolled, a code)',
      body: Type.Object(
        {
          password: Type.String({ minLength: 1, maxLength: 200, writeOnly: true }),
          otp: Type.Optional(Otp),
          phone: Type.Union([
            Type.String({ maxLength: 20, examples: ['13800138000'] }),
            Type.Null(),
          ]),
        },
        {
          additionalProperties: false,
          examples: [{ password: 'your password', otp: '123456', phone: '13800138000' }],
        },
      ),
      response: {
        200: Type.Object({ phone: Type.Union([Type.String(), Type.Null()]) }),
        ...errorResponses(422, 423),
      },
    },
    handler: async (req, reply) => {
      await auth.changePhone(req.ctx, req.body);
      return sendAnswer(req, reply);
    },
  });

  app.post('/api/v1/auth/otp', {
    config: { access: 'authenticated', action: 'auth.otp_enrol' },
    schema: {
      tags: ['auth'],
      summary: 'Start adding or replacing your second factor (password and current code)',
      description:
        'Answers a new secret and a ticket; the new factor replaces the old one only when ' +
        'confirmed with a code from it (`POST /api/v1/auth/otp/confirm`).',
      body: Type.Object(
        {
          password: Type.String({ minLength: 1, maxLength: 200, writeOnly: true }),
          otp: Type.Optional(Otp),
        },
        { additionalProperties: false, examples: [{ password: 'your password', otp: '123456' }] },
      ),
      response: { 200: EnrolmentView, ...errorResponses(409, 423) },
    },
    handler: async (req, reply) => {
      await auth.startEnrolment(req.ctx, req.body);
      return sendAnswer(req, reply);
    },
  });

  app.post('/api/v1/auth/otp/confirm', {
    config: { access: 'authenticated', action: 'auth.otp_enrol' },
    schema: {
      tags: ['auth'],
      summary: 'Confirm a new second factor with a code from it; your other sessions end',
      body: Type.Object(
        { ticket: Type.String({ minLength: 20, maxLength: 200 }), otp: Otp },
        {
          additionalProperties: false,
          examples: [{ ticket: 'AKkHxMM1ZxrOUK_uSr-ujR-FFZyXpzr-skk0bSrj4Vo', otp: '123456' }],
        },
      ),
      response: {
        200: Type.Object({ sessionsEnded: Type.Integer() }),
        ...errorResponses(409, 423),
      },
    },
    handler: async (req, reply) => {
      await auth.confirmEnrolment(req.ctx, req.body.ticket, req.body.otp);
      return sendAnswer(req, reply);
    },
  });

  app.post('/api/v1/auth/otp/remove', {
    config: { access: 'authenticated', action: 'auth.otp_remove' },
    schema: {
      tags: ['auth'],
      summary: 'Remove your second factor (not allowed for administrators)',
      body: Type.Object(
        { password: Type.String({ minLength: 1, maxLength: 200, writeOnly: true }), otp: Otp },
        { additionalProperties: false, examples: [{ password: 'your password', otp: '123456' }] },
      ),
      response: { 204: Type.Null(), ...errorResponses(409, 422, 423) },
    },
    handler: async (req, reply) => {
      await auth.removeSecondFactor(req.ctx, req.body);
      return sendAnswer(req, reply);
    },
  });

  app.get('/api/v1/sessions', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['auth'],
      summary: 'Open sessions: your own, or (with session.manage) those in your scope',
      querystring: Type.Composite([
        Paging,
        Type.Object({
          staffId: Type.Optional(Uuid),
          mine: Type.Optional(Type.Boolean({ description: 'Only your own sessions' })),
        }),
      ]),
      response: { 200: page(SessionView), ...errorResponses(422) },
    },
    handler: async (req) => {
      const actor = req.ctx.actor!;
      const { items, total } = await auth.manage.list(actor, req.query);
      return {
        items: items.map((s) => presentSession(s, actor.sessionId)),
        total,
        limit: req.query.limit,
        offset: req.query.offset,
      };
    },
  });

  app.delete('/api/v1/sessions/:id', {
    config: { access: 'authenticated', action: 'session.end' },
    schema: {
      tags: ['auth'],
      summary: 'End a session: your own, or (with session.manage) one in your scope',
      params: IdParams,
      response: { 204: Type.Null(), ...errorResponses(404) },
    },
    handler: async (req, reply) => {
      await auth.manage.end(req.ctx, req.params.id);
      return sendAnswer(req, reply);
    },
  });
}
