import { useCallback } from 'react';
import type { Client } from '../../server/api/contract.js';
import { call } from '../api.js';
import { ListPage, PAGE_SIZE, type ListQuery } from '../components/ListPage.js';
import { PartySync } from '../qbo-push/index.js';
import { Link, navigate } from '../router.js';

export function ClientsPage() {
  const load = useCallback(({ page, q }: ListQuery) => call('listClients', { query: { page, q, pageSize: PAGE_SIZE } }), []);
  return (
    <ListPage<Client>
      title="Clients"
      searchLabel="Search clients"
      actions={
        <>
          <PartySync role="customer" />
          <button type="button" className="primary" onClick={() => navigate('/clients/new')}>
            New client
          </button>
        </>
      }
      load={load}
      empty="No clients yet."
      columns={
        <tr>
          <th>Name</th>
          <th>Full name</th>
          <th>Email</th>
          <th>Phone</th>
          <th>City</th>
        </tr>
      }
      row={(client) => (
        <tr key={client.id}>
          <td>
            <Link to={`/clients/${client.id}`}>{client.clientInformation.name}</Link>
          </td>
          <td>{client.fullName}</td>
          <td>{client.clientInformation.email}</td>
          <td>{client.clientInformation.phone}</td>
          <td>{client.clientInformation.billingAddress.city}</td>
        </tr>
      )}
    />
  );
}
