export * from './kinds.js';
export * from './roles.js';
export * from './password-policy.js';
