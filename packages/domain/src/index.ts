/**
 * @sscard/domain: the pure core. Rules, state machines, identity numbers, fees and calendars,
 * with no I/O; the server, web and CLI depend on it, never the other way round.
 */
export * from './errors/domain-error.js';
export * from './errors/catalogue.js';
export * from './errors/entry.js';
export * from './errors/render.js';
export * from './time/clock.js';
export * from './time/local-date.js';
export * from './organisations/index.js';
export * from './persons/index.js';
export * from './identity/index.js';
export * from './rules/index.js';
export * from './calendar/index.js';
export * from './fees/index.js';
export * from './lifecycle/index.js';
export * from './security/index.js';
export * from './verification/index.js';
export * from './holders/index.js';
export * from './access/index.js';
export * from './ecard/index.js';
export * from './ledgers/index.js';
export * from './referrals/index.js';
