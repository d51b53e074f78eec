export * from './errors.js';
export * from './ecard.js';
export * from './qr-token.js';
