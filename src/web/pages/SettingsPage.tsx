import type { Organisation, SessionInfo } from '../../server/api/contract.js';
import { CategoriesPanel, OrganisationPanel, PasswordPanel, TaxCodesPanel, UsersPanel } from './settings/studio/index.js';

/** The studio's own settings: the organisation, its tax codes (Canada), product categories, users, your password. */
export function SettingsPage({ session, onOrganisation }: { session: SessionInfo; onOrganisation: (org: Organisation) => void }) {
  return (
    <>
      <div className="page-head">
        <h1>Settings</h1>
      </div>
      <OrganisationPanel session={session} onOrganisation={onOrganisation} />
      {session.organisation.taxModel === 'tax_codes' && <TaxCodesPanel />}
      <CategoriesPanel />
      <UsersPanel session={session} />
      <PasswordPanel />
    </>
  );
}
