/** How a refusal is classed; the server maps each kind to one HTTP status. */
export type ErrorKind =
  | 'invalid' // the input is malformed (422)
  | 'bad_request' // the request itself cannot be read (400)
  | 'unauthenticated' // no valid session (401)
  | 'forbidden' // the actor may not do this (403)
  | 'not_found' // no such resource, or not visible to the actor (404)
  | 'conflict' // the resource's state or a uniqueness rule refuses (409)
  | 'refused' // a regulation or policy refuses the act (422)
  | 'locked' // an account or card is locked (423)
  | 'too_many' // rate limited (429)
  | 'too_large' // body or upload too large (413)
  | 'unsupported' // media type not accepted (415)
  | 'unavailable' // a dependency is down (503)
  | 'internal'; // a bug: never carries details (500)

export interface Bilingual {
  zh: string;
  en: string;
}

export interface CatalogueEntry {
  kind: ErrorKind;
  /** Short, stable summary of the problem type. */
  title: Bilingual;
  /** Explanation for this occurrence; `{param}` placeholders are filled from the error. */
  detail?: Bilingual;
}

/** Helper so each module's codes keep their literal keys and are checked against the shape. */
export function defineErrors<const T extends Record<string, CatalogueEntry>>(entries: T): T {
  return entries;
}
