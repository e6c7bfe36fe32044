import { useEffect, useState, type FormEvent } from 'react';
import type { Organisation, Vendor, VendorBody } from '../../server/api/contract.js';
import { call, errorMessage } from '../api.js';
import { ActionMenu } from '../components/ActionMenu.js';
import { AddressFields, type AddressValue } from '../components/AddressFields.js';
import { TextField } from '../components/Field.js';
import { FormAlert, NO_FAILURE, toFailure, type FormFailure } from '../components/FormErrors.js';
import { PartyDocuments } from '../components/PartyDocuments.js';
import { QboLinkPanel } from '../components/QboLinkPanel.js';
import { Link, navigate } from '../router.js';

interface VendorForm {
  name: string;
  email: string;
  phone: string;
  address: AddressValue;
}

const toForm = ({ name, email, phone, address }: Vendor): VendorForm => ({ name, email, phone, address });

/** One vendor: create (id null) or view and edit. */
export function VendorPage({ id, organisation }: { id: string | null; organisation: Organisation }) {
  const [form, setForm] = useState<VendorForm | null>(
    id ? null : { name: '', email: '', phone: '', address: { line1: '', city: '', region: '', postalCode: '', country: organisation.country } },
  );
  const [failure, setFailure] = useState<FormFailure>(NO_FAILURE);
  const [saved, setSaved] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!id) return;
    call('getVendor', { params: { id } }).then(
      (vendor) => setForm(toForm(vendor)),
      (err: unknown) => setFailure({ message: errorMessage(err), fields: {} }),
    );
  }, [id]);

  const save = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (!form) return;
    setBusy(true);
    setSaved('');
    try {
      const body: VendorBody = form;
      const vendor = id ? await call('updateVendor', { params: { id }, body }) : await call('createVendor', { body });
      setFailure(NO_FAILURE);
      setForm(toForm(vendor));
      setSaved('Vendor saved.');
      if (!id) navigate(`/vendors/${vendor.id}`, { replace: true });
    } catch (err) {
      setFailure(toFailure(err));
    } finally {
      setBusy(false);
    }
  };

  const remove = async (): Promise<void> => {
    if (!id || !window.confirm('Delete this vendor?')) return;
    try {
      await call('deleteVendor', { params: { id } });
      navigate('/vendors');
    } catch (err) {
      setFailure(toFailure(err));
    }
  };

  const set = (changes: Partial<VendorForm>): void => setForm((was) => (was ? { ...was, ...changes } : was));
  const errors = failure.fields;

  return (
    <>
      <div className="breadcrumb">
        <Link to="/vendors">Vendors</Link>
      </div>
      <div className="page-head">
        <h1>{id ? (form?.name ?? 'Vendor') : 'New vendor'}</h1>
        {id && <ActionMenu label="Vendor actions" actions={[{ label: 'Delete vendor', onSelect: () => void remove() }]} />}
      </div>
      <FormAlert failure={failure} success={saved} />
      {form && (
        <form className="panel" onSubmit={(event) => void save(event)} aria-label="Vendor">
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
      {id && <QboLinkPanel kind="vendors" id={id} />}
      {id && <PartyDocuments filter={{ vendorId: id }} />}
    </>
  );
}
