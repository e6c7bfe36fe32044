export { PartySync } from './PartySync.js';
export { fetchPushState, pushToQuickBooks } from './push-api.js';
export { QboPushPanel } from './QboPushPanel.js';
