import { call } from '../api.js';
import { kindOf } from '../documentTypes.js';
import { formatAmount, formatDate } from '../format.js';
import { useLoad } from '../hooks.js';
import { Link } from '../router.js';
import { StatusChip } from './StatusChip.js';

/** The latest documents for one client or vendor, linking to each. */
export function PartyDocuments({ filter }: { filter: { clientId: string } | { vendorId: string } }) {
  const [result] = useLoad(() => call('listDocuments', { query: { ...filter, pageSize: 10 } }), [JSON.stringify(filter)]);
  return (
    <section className="panel flush" aria-label="Documents">
      <h2 style={{ padding: '14px 16px 0' }}>Documents</h2>
      {result.state === 'failed' && <div className="alert error">{result.message}</div>}
      {result.state === 'ready' && result.data.items.length === 0 && <div className="empty">No documents yet.</div>}
      {result.state === 'ready' && result.data.items.length > 0 && (
        <table>
          <thead>
            <tr>
              <th>Number</th>
              <th>Type</th>
              <th>Issue date</th>
              <th>Status</th>
              <th className="num">Total</th>
            </tr>
          </thead>
          <tbody>
            {result.data.items.map((doc) => {
              const kind = kindOf(doc.type);
              return (
                <tr key={doc.id}>
                  <td>
                    <Link to={`/${kind.segment}/${doc.id}`}>{doc.number}</Link>
                  </td>
                  <td>{kind.singular}</td>
                  <td>{formatDate(doc.issueDate)}</td>
                  <td>
                    <StatusChip status={doc.status} />
                  </td>
                  <td className="num">
                    {formatAmount(doc.total)} {doc.currency}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
