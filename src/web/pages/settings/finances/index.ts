export { QuickbooksMappingPage } from './QuickbooksMappingPage.js';
export { MappingIncomplete } from './MappingIncomplete.js';
