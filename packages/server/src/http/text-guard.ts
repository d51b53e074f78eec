/**
 * Text PostgreSQL cannot store. A NUL character is refused by every text and JSON column, and a
 * lone UTF-16 surrogate cannot be encoded as UTF-8 (text columns would silently turn it into
 * U+FFFD, JSON columns refuse it). Both are refused here, before validation, as a VALIDATION
 * problem naming the field, instead of reaching the database as a server error or a silent fix.
 */
import type { FastifyInstance } from 'fastify';

// eslint-disable-next-line no-control-regex -- NUL is what this refuses
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function isStorableText(s: string): boolean {
  return !UNSTORABLE.test(s);
}

/**
 * JSON pointers (RFC 6901) of every string or key in `value` that cannot be stored. Iterative:
 * a body nested twenty thousand deep must not overflow the stack.
 */
export function unstorableText(value: unknown): string[] {
  const out: string[] = [];
  const pending: [unknown, string][] = [[value, '']];
  while (pending.length) {
    const [v, path] = pending.pop()!;
    if (typeof v === 'string') {
      if (!isStorableText(v)) out.push(path);
      continue;
    }
    if (v === null || typeof v !== 'object' || Buffer.isBuffer(v)) continue;
    for (const [k, x] of Object.entries(v)) {
      const at = `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (isStorableText(k)) pending.push([x, at]);
      else out.push(at.replace(new RegExp(UNSTORABLE, 'g'), '\ufffd'));
    }
  }
  return out;
}

export function registerTextGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => {
    const parts = { params: req.params, querystring: req.query, body: req.body } as const;
    for (const [context, value] of Object.entries(parts)) {
      const pointers = unstorableText(value);
      if (!pointers.length) continue;
      throw Object.assign(new Error('unstorable text'), {
        statusCode: 400,
        validationContext: context,
        validation: pointers.map((instancePath) => ({
          keyword: 'text',
          instancePath,
          schemaPath: '',
          params: {},
          message: 'must not contain NUL characters or unpaired surrogates',
        })),
      });
    }
  });
}
