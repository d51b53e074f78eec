import { defineErrors } from '../errors/entry.js';

/** Error codes of the security module. */
export const securityErrors = defineErrors({});
