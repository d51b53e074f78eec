export * from './errors.js';
export * from './fields.js';
export * from './photo.js';
export * from './masking.js';
