export * from './errors.js';
export * from './referrals.js';
