export { DriftPage } from './DriftPage.js';
export { DRIFT_PAGE_PATH } from '../SyncTabs.js';
