import { defineErrors } from '../errors/entry.js';

/** Error codes of the calendar module. */
export const calendarErrors = defineErrors({});
