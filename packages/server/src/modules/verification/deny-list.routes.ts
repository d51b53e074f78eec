/**
 * The offline deny-list over HTTP (docs/DENY-LIST.md): a terminal fetches its jurisdiction's list,
 * whole or as a delta since the version it holds, signed with the installation's Ed25519 key;
 * anyone may fetch the public key to provision a gate.
 */
import { Type } from '@sinclair/typebox';
import type { App } from '../../http/app-types.js';
import type { TerminalAuth } from '../terminals/terminal-auth.js';
import { errorResponses } from '../../http/schemas.js';
import type { DenyListService } from './deny-list.service.js';
import { DENY_LIST_FORMAT } from './deny-list.signing.js';

const Version = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });

export const DenyListView = Type.Object(
  {
    format: Type.String({ examples: [DENY_LIST_FORMAT] }),
    jurisdiction: Type.String({ examples: ['310000'] }),
    version: Version,
    since: Type.Union([Version, Type.Null()], {
      description: 'The version the delta starts from; null for a full list asked without since',
    }),
    full: Type.Boolean({
      description: 'true: `added` is the whole list and replaces what the gate holds',
    }),
    issuedAt: Type.String({
      format: 'date-time',
      description: 'When the list was last computed (UTC)',
    }),
    added: Type.Array(
      Type.Object({
        cardNo: Type.String({ examples: ['310000000000012'] }),
        reasons: Type.Array(Type.String({ examples: ['lost'] })),
      }),
      { description: 'Cards to refuse, by card number, each with why' },
    ),
    removed: Type.Array(Type.String(), {
      description: 'Cards no longer refused (a delta only), by card number',
    }),
    keyId: Type.String({ description: 'First 16 hex digits of SHA-256 of the public key' }),
    signature: Type.String({
      description: 'Ed25519 over the canonical lines (docs/DENY-LIST.md), base64',
    }),
  },
  { $id: 'DenyList', description: 'A signed deny-list for gates that work offline' },
);

export const DenyListKeyView = Type.Object(
  {
    algorithm: Type.Literal('Ed25519'),
    keyId: Type.String(),
    publicKey: Type.String({ description: 'The raw 32-byte public key, base64' }),
    publicKeyPem: Type.String({ description: 'The same key, PEM (SubjectPublicKeyInfo)' }),
  },
  { $id: 'DenyListKey' },
);

export function denyListRoutes(app: App, denyList: DenyListService, terminals: TerminalAuth): void {
  app.get('/api/v1/verify/deny-list', {
    config: { access: 'terminal' },
    schema: {
      tags: ['verify'],
      summary:
        'The signed list of card numbers a gate must refuse offline: whole, or added and removed since a version',
      querystring: Type.Object({
        since: Type.Optional(Version),
        terminalId: Type.Optional(
          Type.String({
            format: 'uuid',
            description: 'Staff on the verifier page: the terminal of their organisation',
          }),
        ),
      }),
      response: { 200: DenyListView, ...errorResponses(400, 404, 422, 429) },
    },
    handler: async (req) => {
      const terminal = await terminals.authenticate(req, req.query.terminalId);
      return denyList.read(terminal.jurisdiction, req.query.since ?? null);
    },
  });

  app.get('/api/v1/verify/deny-list/key', {
    config: { access: 'public' },
    schema: {
      tags: ['verify'],
      summary: 'The public key that signs the deny-list (provisioned on the gates)',
      response: { 200: DenyListKeyView },
    },
    handler: async () => denyList.publicKey(),
  });
}
