export { CategoriesPanel } from './CategoriesPanel.js';
export { UsersPanel } from './UsersPanel.js';
export { PasswordPanel } from './PasswordPanel.js';
export { TaxCodesPanel } from './TaxCodesPanel.js';
export { OrganisationPanel } from './OrganisationPanel.js';
