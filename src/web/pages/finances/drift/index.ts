export { DRIFT_PAGE_PATH, DriftPage } from './DriftPage.js';
