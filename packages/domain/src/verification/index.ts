export * from './errors.js';
export * from './verdict.js';
export * from './terminals.js';
