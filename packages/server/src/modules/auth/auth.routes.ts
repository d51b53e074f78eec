/** Login, logout and "who am I". */
import { Type } from '@sinclair/typebox';
import { ROLE_PERMISSIONS, formatShanghai } from '@sscard/domain';
import type { Actor } from '../../context.js';
import type { App } from '../../http/app-types.js';
import { errorResponses } from '../../http/schemas.js';
import type { AuthService } from './auth.service.js';

const Me = Type.Object({
  staffId: Type.Union([Type.String(), Type.Null()]),
  username: Type.String(),
  role: Type.String(),
  organizationId: Type.Union([Type.String(), Type.Null()]),
  organizationKind: Type.Union([Type.String(), Type.Null()]),
  jurisdiction: Type.Union([Type.String(), Type.Null()]),
  scope: Type.Object({}, { additionalProperties: true }),
  permissions: Type.Array(Type.String()),
});

function presentMe(a: Actor) {
  return {
    staffId: a.staffId,
    username: a.username,
    role: a.role,
    organizationId: a.organizationId,
    organizationKind: a.organizationKind,
    jurisdiction: a.jurisdiction,
    scope: a.scope,
    permissions: [...ROLE_PERMISSIONS[a.role]],
  };
}

export function authRoutes(app: App, auth: AuthService): void {
  app.post('/api/v1/auth/login', {
    config: { access: 'public', action: 'auth.login' },
    schema: {
      tags: ['auth'],
      summary: 'Log in with username and password; returns a bearer token',
      security: [],
      body: Type.Object(
        {
          username: Type.String({ minLength: 1, maxLength: 64, examples: ['admin'] }),
          password: Type.String({ minLength: 1, maxLength: 200 }),
        },
        { additionalProperties: false },
      ),
      response: {
        200: Type.Object({ token: Type.String(), expiresAt: Type.String(), me: Me }),
        401: Type.Ref('Problem'),
        423: Type.Ref('Problem'),
      },
    },
    handler: async (req) => {
      const result = await auth.login(req.body.username, req.body.password, req.ctx);
      return {
        token: result.token,
        expiresAt: formatShanghai(result.expiresAt),
        me: presentMe(result.actor),
      };
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
      return reply.status(204).send(null);
    },
  });

  app.get('/api/v1/auth/me', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['auth'],
      summary: 'The account behind this session, its scope and permissions',
      response: { 200: Me, ...errorResponses() },
    },
    handler: async (req) => presentMe(req.ctx.actor!),
  });
}
