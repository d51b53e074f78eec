export * from './errors.js';
export * from './schedule.js';
export * from './compute.js';
