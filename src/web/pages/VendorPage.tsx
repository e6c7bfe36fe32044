import type { Organisation, Vendor, VendorBody } from '../../server/api/contract.js';
import { call } from '../api.js';
import { ActionMenu } from '../components/ActionMenu.js';
import { AddressFields, type AddressValue } from '../components/AddressFields.js';
import { TextField } from '../components/Field.js';
import { FormAlert } from '../components/FormErrors.js';
import { PartyDocuments } from '../components/PartyDocuments.js';
import { QboLinkPanel } from '../components/QboLinkPanel.js';
import { useRecordForm, type RecordFormSpec } from '../recordForm.js';
import { Link } from '../router.js';

interface VendorForm {
  name: string;
  email: string;
  phone: string;
  address: AddressValue;
}

const toForm = ({ name, email, phone, address }: Vendor): VendorForm => ({ name, email, phone, address });

const vendorRecord: RecordFormSpec<Vendor, VendorForm> = {
  noun: 'Vendor',
  listPath: '/vendors',
  toForm,
  load: (id) => call('getVendor', { params: { id } }),
  save: (id, body: VendorBody) => (id ? call('updateVendor', { params: { id }, body }) : call('createVendor', { body })),
  remove: (id) => call('deleteVendor', { params: { id } }),
};

/** One vendor: create (id null) or view and edit. */
export function VendorPage({ id, organisation }: { id: string | null; organisation: Organisation }) {
  const { form, set, failure, saved, busy, submit, remove } = useRecordForm(vendorRecord, id, () => ({
    name: '',
    email: '',
    phone: '',
    address: { line1: '', city: '', region: '', postalCode: '', country: organisation.country },
  }));
  const errors = failure.fields;

  return (
    <>
      <div className="breadcrumb">
        <Link to="/vendors">Vendors</Link>
      </div>
      <div className="page-head">
        <h1>{id ? (form?.name ?? 'Vendor') : 'New vendor'}</h1>
        {id && <ActionMenu label="Vendor actions" actions={[{ label: 'Delete vendor', onSelect: remove }]} />}
      </div>
      <FormAlert failure={failure} success={saved} />
      {form && (
        <form className="panel" onSubmit={submit} aria-label="Vendor">
          <h2>Vendor</h2>
          <div className="form-grid">
            <TextField label="Vendor name" value={form.name} onChange={(name) => set({ name })} error={errors['name']} required />
            <TextField label="Email" type="email" value={form.email} onChange={(email) => set({ email })} error={errors['email']} />
            <TextField label="Phone" type="tel" value={form.phone} onChange={(phone) => set({ phone })} error={errors['phone']} />
          </div>
          <h2>Address</h2>
          <AddressFields value={form.address} onChange={(address) => set({ address })} errors={errors} path="address" labelPrefix="Address" />
          <div className="form-actions">
            <button type="submit" className="primary" disabled={busy}>
              {id ? 'Save vendor' : 'Create vendor'}
            </button>
          </div>
        </form>
      )}
      {id && <QboLinkPanel key={id} kind="vendors" id={id} />}
      {id && <PartyDocuments key={id} filter={{ vendorId: id }} />}
    </>
  );
}
