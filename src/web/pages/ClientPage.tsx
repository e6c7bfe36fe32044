import type { Client, ClientBody, Organisation } from '../../server/api/contract.js';
import { call } from '../api.js';
import { ActionMenu } from '../components/ActionMenu.js';
import { AddressFields, type AddressValue } from '../components/AddressFields.js';
import { TextField } from '../components/Field.js';
import { FormAlert } from '../components/FormErrors.js';
import { PartyDocuments } from '../components/PartyDocuments.js';
import { QboLinkPanel } from '../components/QboLinkPanel.js';
import { useRecordForm, type RecordFormSpec } from '../recordForm.js';
import { Link } from '../router.js';

interface ClientForm {
  fullName: string;
  name: string;
  email: string;
  phone: string;
  billingAddress: AddressValue;
}

const emptyAddress = (country: string): AddressValue => ({ line1: '', city: '', region: '', postalCode: '', country });

const toForm = (client: Client): ClientForm => ({ fullName: client.fullName, ...client.clientInformation });

const toBody = (form: ClientForm): ClientBody => ({
  fullName: form.fullName,
  clientInformation: { name: form.name, email: form.email, phone: form.phone, billingAddress: form.billingAddress },
});

const clientRecord: RecordFormSpec<Client, ClientForm> = {
  noun: 'Client',
  listPath: '/clients',
  toForm,
  load: (id) => call('getClient', { params: { id } }),
  save: (id, form) => (id ? call('updateClient', { params: { id }, body: toBody(form) }) : call('createClient', { body: toBody(form) })),
  remove: (id) => call('deleteClient', { params: { id } }),
};

/** One client: create (id null) or view and edit. */
export function ClientPage({ id, organisation }: { id: string | null; organisation: Organisation }) {
  const { form, set, failure, saved, busy, submit, remove } = useRecordForm(clientRecord, id, () => ({
    fullName: '',
    name: '',
    email: '',
    phone: '',
    billingAddress: emptyAddress(organisation.country),
  }));
  const errors = failure.fields;

  return (
    <>
      <div className="breadcrumb">
        <Link to="/clients">Clients</Link>
      </div>
      <div className="page-head">
        <h1>{id ? (form?.name ?? 'Client') : 'New client'}</h1>
        {id && <ActionMenu label="Client actions" actions={[{ label: 'Delete client', onSelect: remove }]} />}
      </div>
      <FormAlert failure={failure} success={saved} />
      {form && (
        <form className="panel" onSubmit={submit} aria-label="Client">
          <h2>Client information</h2>
          <div className="form-grid">
            <TextField
              label="Client name"
              value={form.name}
              onChange={(name) => set({ name })}
              error={errors['clientInformation.name']}
              required
            />
            <TextField label="Full name" value={form.fullName} onChange={(fullName) => set({ fullName })} error={errors['fullName']} />
            <TextField
              label="Email"
              type="email"
              value={form.email}
              onChange={(email) => set({ email })}
              error={errors['clientInformation.email']}
            />
            <TextField label="Phone" type="tel" value={form.phone} onChange={(phone) => set({ phone })} error={errors['clientInformation.phone']} />
          </div>
          <p className="muted" style={{ marginTop: 0 }}>
            Documents and QuickBooks use the client name; the full name is kept for your own records.
          </p>
          <h2>Billing address</h2>
          <AddressFields
            value={form.billingAddress}
            onChange={(billingAddress) => set({ billingAddress })}
            errors={errors}
            path="clientInformation.billingAddress"
            labelPrefix="Billing"
          />
          <div className="form-actions">
            <button type="submit" className="primary" disabled={busy}>
              {id ? 'Save client' : 'Create client'}
            </button>
          </div>
        </form>
      )}
      {id && <QboLinkPanel key={id} kind="clients" id={id} />}
      {id && <PartyDocuments key={id} filter={{ clientId: id }} />}
    </>
  );
}
