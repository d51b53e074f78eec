export * from './relations.js';
export * from './policy.js';
export * from './decide.js';
export * from './labels.js';
export * from './errors.js';
