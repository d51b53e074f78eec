/** Helpers for tests in any package (`@sscard/domain/testing`); not part of the runtime API. */
export * from './images.js';
export * from './packs.js';
