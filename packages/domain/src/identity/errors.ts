import { defineErrors } from '../errors/entry.js';

/** Error codes of the identity module. */
export const identityErrors = defineErrors({});
