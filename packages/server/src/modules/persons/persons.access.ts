/** What access needs to know about a person (acts/access.ts). */
import type { Target } from '../../acts/access.js';

/**
 * The person's own record may be served at any counter the holder walks into (a presence);
 * with `jurisdiction`, the act is the person's business in that jurisdiction (an application),
 * which only that jurisdiction's counters and centre do.
 */
export function personTarget(
  person: { id: string; jurisdiction: string },
  jurisdiction?: string,
): Target {
  return {
    type: 'person',
    id: person.id,
    jurisdiction: jurisdiction ?? person.jurisdiction,
    personId: person.id,
    servedAnywhere: jurisdiction === undefined,
  };
}
