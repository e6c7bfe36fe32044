import { useCallback } from 'react';
import type { Vendor } from '../../server/api/contract.js';
import { call } from '../api.js';
import { ListPage, PAGE_SIZE, type ListQuery } from '../components/ListPage.js';
import { PartySync } from '../qbo-push/index.js';
import { Link, navigate } from '../router.js';

export function VendorsPage() {
  const load = useCallback(({ page, q }: ListQuery) => call('listVendors', { query: { page, q, pageSize: PAGE_SIZE } }), []);
  return (
    <ListPage<Vendor>
      title="Vendors"
      searchLabel="Search vendors"
      actions={
        <>
          <PartySync role="vendor" />
          <button type="button" className="primary" onClick={() => navigate('/vendors/new')}>
            New vendor
          </button>
        </>
      }
      load={load}
      empty="No vendors yet."
      columns={
        <tr>
          <th>Name</th>
          <th>Email</th>
          <th>Phone</th>
          <th>City</th>
        </tr>
      }
      row={(vendor) => (
        <tr key={vendor.id}>
          <td>
            <Link to={`/vendors/${vendor.id}`}>{vendor.name}</Link>
          </td>
          <td>{vendor.email}</td>
          <td>{vendor.phone}</td>
          <td>{vendor.address.city}</td>
        </tr>
      )}
    />
  );
}
