export * from './errors.js';
export * from './suspension.js';
