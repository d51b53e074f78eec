export * from './errors.js';
export * from './ledgers.js';
