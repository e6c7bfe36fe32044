export { QboPnlPage } from './QboPnlPage.js';
