import type { Organisation } from '../../server/api/contract.js';
import { call } from '../api.js';
import { DOCUMENT_KINDS, type DocumentKind } from '../documentTypes.js';
import { useLoad } from '../hooks.js';
import { Link, withQuery } from '../router.js';

interface Counts {
  readonly kind: DocumentKind;
  readonly draft: number;
  readonly issued: number;
}

async function countsFor(kind: DocumentKind): Promise<Counts> {
  const issuedStatus = kind.issueAction === 'approveDocument' ? 'approved' : 'final';
  const [draft, issued] = await Promise.all([
    call('listDocuments', { query: { type: kind.type, status: 'draft', pageSize: 1 } }),
    call('listDocuments', { query: { type: kind.type, status: issuedStatus, pageSize: 1 } }),
  ]);
  return { kind, draft: draft.total, issued: issued.total };
}

/** Where the documents stand: drafts still to issue and issued documents, per type. */
export function FinancesPage({ organisation }: { organisation: Organisation }) {
  const [result] = useLoad(() => Promise.all(DOCUMENT_KINDS.map(countsFor)), []);
  return (
    <>
      <div className="page-head">
        <h1>Finances</h1>
      </div>
      <section className="panel flush" aria-label="Documents by status">
        <h2 style={{ padding: '14px 16px 0' }}>Documents by status</h2>
        {result.state === 'failed' && <div className="alert error">{result.message}</div>}
        {result.state === 'ready' && (
          <table>
            <thead>
              <tr>
                <th>Type</th>
                <th className="num">Draft</th>
                <th className="num">Final / approved</th>
              </tr>
            </thead>
            <tbody>
              {result.data.map(({ kind, draft, issued }) => (
                <tr key={kind.type}>
                  <td>
                    <Link to={`/${kind.segment}`}>{kind.plural}</Link>
                  </td>
                  <td className="num">
                    <Link to={withQuery(`/${kind.segment}`, { status: 'draft' })}>{draft}</Link>
                  </td>
                  <td className="num">
                    <Link to={withQuery(`/${kind.segment}`, { status: kind.issueAction === 'approveDocument' ? 'approved' : 'final' })}>
                      {issued}
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <p className="muted">Sync with {organisation.name}'s accounting app appears here once one is connected.</p>
    </>
  );
}
