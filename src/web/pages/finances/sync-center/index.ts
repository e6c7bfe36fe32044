export { SYNC_CENTER_PAGE_PATH, SyncCenterPage } from './SyncCenterPage.js';
