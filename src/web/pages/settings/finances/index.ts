export { QuickbooksMappingPage } from './QuickbooksMappingPage.js';
