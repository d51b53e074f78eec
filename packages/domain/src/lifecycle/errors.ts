import { defineErrors } from '../errors/entry.js';

/** Error codes of the lifecycle module. */
export const lifecycleErrors = defineErrors({});
