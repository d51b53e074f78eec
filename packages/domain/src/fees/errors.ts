import { defineErrors } from '../errors/entry.js';

/** Error codes of the fees module. */
export const feesErrors = defineErrors({});
