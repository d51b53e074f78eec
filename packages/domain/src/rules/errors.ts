import { defineErrors } from '../errors/entry.js';

/** Error codes of the rules module. */
export const rulesErrors = defineErrors({});
