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
     * `terminal`: a registered terminal (`Authorization: Terminal <key>` or a client certificate),
     * authenticated by the route itself with the card it checks (modules/terminals), or a member
     * of staff whose session holds `card.verify` (the verifier page).
     */
    access?: 'public' | 'authenticated' | 'terminal' | 'holder' | Permission;
    /**
     * A holder signed in online may call this route too (with `access` a permission the holder
     * role holds; the act's relation `holder` decides the target). Routes without it refuse
     * holders: a holder never reaches a staff route by holding a permission of the same name.
     * `access: 'holder'` is a route for holders only.
     */
    holder?: boolean;
    /** The audit action name for this route (defaults to METHOD path). */
    action?: string;
    /** A POST that changes nothing (a search with the query in the body): no audit record due. */
    readOnly?: boolean;
  }
}
