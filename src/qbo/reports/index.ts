export * from './date-range.js';
export * from './pnl-service.js';
export * from './profit-and-loss.js';
export * from './qbo-link.js';
