import { useState, type FormEvent } from 'react';
import type { Organisation, SessionInfo } from '../../../../server/api/contract.js';
import { call } from '../../../api.js';
import { TextField } from '../../../components/Field.js';
import { useSubmission } from '../../../useSubmission.js';
import { SettingsPanel } from './SettingsPanel.js';

/** The studio's facts; an owner renames it and sets the Sales Tax % its US-style lines are taxed at. */
export function OrganisationPanel({ session, onOrganisation }: { session: SessionInfo; onOrganisation: (org: Organisation) => void }) {
  const { organisation, user } = session;
  const [name, setName] = useState(organisation.name);
  const [salesTaxRate, setSalesTaxRate] = useState(organisation.salesTaxRate);
  const submission = useSubmission();
  const { failure, busy, submit } = submission;
  const canEdit = user.role === 'owner';

  const save = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    await submit(async () => {
      onOrganisation(await call('updateOrganisation', { body: { name, salesTaxRate } }));
      return 'Organisation saved.';
    });
  };

  return (
    <SettingsPanel title="Organisation" outcome={submission}>
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
      <form aria-label="Organisation details" onSubmit={(event) => void save(event)}>
        <fieldset disabled={!canEdit} style={{ border: 'none', padding: 0, margin: 0 }}>
          <div className="form-grid">
            <TextField label="Organisation name" value={name} onChange={setName} error={failure.fields['name']} required />
            {organisation.taxModel === 'sales_tax' && (
              <TextField label="Sales Tax %" value={salesTaxRate} onChange={setSalesTaxRate} error={failure.fields['salesTaxRate']} />
            )}
          </div>
          {canEdit ? (
            <div className="form-actions">
              <button type="submit" className="primary" disabled={busy}>
                Save organisation
              </button>
            </div>
          ) : (
            <p className="muted">Only an owner can rename the studio or change its tax.</p>
          )}
        </fieldset>
      </form>
    </SettingsPanel>
  );
}
