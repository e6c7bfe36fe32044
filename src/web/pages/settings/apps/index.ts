export { AppsPage } from './AppsPage.js';
export { fetchQboConnection, goConnectQbo } from './qbo-api.js';
export { QboNeedsReconnect } from './QboNeedsReconnect.js';
export { useQboNavState } from './useQboNavState.js';
