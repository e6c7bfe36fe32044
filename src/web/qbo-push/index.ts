export { PartySync } from './PartySync.js';
export { fetchPushState, pushToQuickBooks } from './push-api.js';
export { QboPushPanel, type PushPanelParty } from './QboPushPanel.js';
