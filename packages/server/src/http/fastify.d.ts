import type { Permission } from '@sscard/domain';
import type { ActContext } from '../context.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who acts, from where, why; set for every request before the handler runs. */
    ctx: ActContext;
  }
  interface FastifyContextConfig {
    /**
     * Who may call the route: `public` (anyone), `authenticated` (any session), or a permission
     * from the domain's role table. Every /api route must declare one; start-up fails otherwise.
     */
    access?: 'public' | 'authenticated' | Permission;
    /** The audit action name for this route (defaults to METHOD path). */
    action?: string;
    /** A POST that changes nothing (a search with the query in the body): no audit record due. */
    readOnly?: boolean;
  }
}
