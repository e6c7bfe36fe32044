export { SyncCenterPage } from './SyncCenterPage.js';
export { SYNC_CENTER_PAGE_PATH } from '../SyncTabs.js';
