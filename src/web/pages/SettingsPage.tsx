import { useState, type FormEvent } from 'react';
import type { Organisation, SessionInfo } from '../../server/api/contract.js';
import { call } from '../api.js';
import { TextField } from '../components/Field.js';
import { FormAlert, NO_FAILURE, toFailure, type FormFailure } from '../components/FormErrors.js';
import { CategoriesPanel, PasswordPanel, TaxCodesPanel, UsersPanel } from './settings/studio/index.js';

/** Organisation facts (owners may rename the studio and set its Sales Tax %), product categories, users, your password. */
export function SettingsPage({ session, onOrganisation }: { session: SessionInfo; onOrganisation: (org: Organisation) => void }) {
  const { organisation, user } = session;
  const [name, setName] = useState(organisation.name);
  const [salesTaxRate, setSalesTaxRate] = useState(organisation.salesTaxRate);
  const [failure, setFailure] = useState<FormFailure>(NO_FAILURE);
  const [notice, setNotice] = useState('');
  const canEdit = user.role === 'owner';

  const save = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setNotice('');
    try {
      const updated = await call('updateOrganisation', { body: { name, salesTaxRate } });
      setFailure(NO_FAILURE);
      setNotice('Organisation saved.');
      onOrganisation(updated);
    } catch (err) {
      setFailure(toFailure(err));
    }
  };

  return (
    <>
      <div className="page-head">
        <h1>Settings</h1>
      </div>
      <FormAlert failure={failure} success={notice} />
      <form className="panel" aria-label="Organisation" onSubmit={(event) => void save(event)}>
        <h2>Organisation</h2>
        <dl className="facts" style={{ marginBottom: 16 }}>
          <dt>Country</dt>
          <dd>{organisation.country}</dd>
          <dt>Home currency</dt>
          <dd>{organisation.homeCurrency}</dd>
          <dt>Tax</dt>
          <dd>{organisation.taxModel === 'tax_codes' ? 'Named tax codes per line' : 'One Sales Tax %, lines taxable or not'}</dd>
          <dt>Your role</dt>
          <dd>{user.role}</dd>
        </dl>
        <fieldset disabled={!canEdit} style={{ border: 'none', padding: 0, margin: 0 }}>
          <div className="form-grid">
            <TextField label="Organisation name" value={name} onChange={setName} error={failure.fields['name']} required />
            {organisation.taxModel === 'sales_tax' && (
              <TextField label="Sales Tax %" value={salesTaxRate} onChange={setSalesTaxRate} error={failure.fields['salesTaxRate']} />
            )}
          </div>
          {canEdit && (
            <div className="form-actions">
              <button type="submit" className="primary">
                Save organisation
              </button>
            </div>
          )}
        </fieldset>
      </form>
      {organisation.taxModel === 'tax_codes' && <TaxCodesPanel />}
      <CategoriesPanel />
      <UsersPanel session={session} />
      <PasswordPanel />
    </>
  );
}
