import { call } from '../../../api.js';
import { useLoad } from '../../../hooks.js';

export interface PartyFilterValue {
  readonly clientId?: string | undefined;
  readonly vendorId?: string | undefined;
}

/** Lists this many of each; the history's own search finds the rest by document number. */
const PARTIES_LISTED = 100;

/**
 * The history narrowed to one client's documents or one vendor's purchase orders. One select for both, as the
 * history shows them in one "Client / vendor" column; the choice is kept in the URL as clientId or vendorId.
 */
export function PartyFilter({ value, onChange }: { value: PartyFilterValue; onChange: (value: PartyFilterValue) => void }) {
  const [clients] = useLoad(() => call('listClients', { query: { pageSize: PARTIES_LISTED } }), []);
  const [vendors] = useLoad(() => call('listVendors', { query: { pageSize: PARTIES_LISTED } }), []);
  const selected = value.clientId !== undefined ? `client:${value.clientId}` : value.vendorId !== undefined ? `vendor:${value.vendorId}` : '';
  const choose = (option: string): void => {
    const [kind, id] = option.split(':');
    onChange({ clientId: kind === 'client' ? id : undefined, vendorId: kind === 'vendor' ? id : undefined });
  };
  return (
    <select aria-label="Client or vendor" value={selected} onChange={(e) => choose(e.target.value)}>
      <option value="">All clients and vendors</option>
      {clients.state === 'ready' && clients.data.items.length > 0 && (
        <optgroup label="Clients">
          {clients.data.items.map((c) => (
            <option key={c.id} value={`client:${c.id}`}>
              {c.clientInformation.name}
            </option>
          ))}
        </optgroup>
      )}
      {vendors.state === 'ready' && vendors.data.items.length > 0 && (
        <optgroup label="Vendors">
          {vendors.data.items.map((v) => (
            <option key={v.id} value={`vendor:${v.id}`}>
              {v.name}
            </option>
          ))}
        </optgroup>
      )}
    </select>
  );
}
