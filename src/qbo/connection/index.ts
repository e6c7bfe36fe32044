export * from './company-facts.js';
export * from './environment-probe.js';
export * from './oauth.js';
export * from './refresh-manager.js';
export * from './state.js';
export * from './token-crypto.js';
export * from './types.js';
