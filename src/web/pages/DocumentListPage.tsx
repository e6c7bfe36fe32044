import { useCallback } from 'react';
import type { DocumentSummary, Organisation } from '../../server/api/contract.js';
import { call } from '../api.js';
import { ListPage, PAGE_SIZE, type ListQuery } from '../components/ListPage.js';
import { StatusChip } from '../components/StatusChip.js';
import type { DocumentKind } from '../documentTypes.js';
import { formatAmount, formatDate } from '../format.js';
import { Link, navigate, useLocation, withQuery } from '../router.js';

const STATUS_VALUES = ['draft', 'final', 'approved'] as const;
type StatusFilter = (typeof STATUS_VALUES)[number];

const asStatus = (value: string | null): StatusFilter | undefined => STATUS_VALUES.find((s) => s === value);

export function DocumentListPage({ kind, organisation }: { kind: DocumentKind; organisation: Organisation }) {
  const { pathname, search } = useLocation();
  const status = asStatus(search.get('status'));
  const issued = kind.issueAction === 'approveDocument' ? 'approved' : 'final';

  const load = useCallback(
    ({ page, q, filters }: ListQuery) =>
      call('listDocuments', { query: { type: kind.type, page, q, pageSize: PAGE_SIZE, status: asStatus(filters.get('status')) } }),
    [kind.type],
  );

  return (
    <ListPage<DocumentSummary>
      title={kind.plural}
      searchLabel={`Search ${kind.plural.toLowerCase()}`}
      actions={
        <button type="button" className="primary" onClick={() => navigate(`/${kind.segment}/new`)}>
          New {kind.singular.toLowerCase()}
        </button>
      }
      toolbar={
        <select
          aria-label="Status"
          value={status ?? ''}
          style={{ width: 'auto' }}
          onChange={(event) => navigate(withQuery(pathname, { q: search.get('q') ?? undefined, status: event.target.value }))}
        >
          <option value="">All statuses</option>
          <option value="draft">Draft</option>
          <option value={issued}>{issued === 'final' ? 'Final' : 'Approved'}</option>
        </select>
      }
      load={load}
      empty={`No ${kind.plural.toLowerCase()} yet.`}
      columns={
        <tr>
          <th>Number</th>
          <th>{kind.party === 'client' ? 'Client' : 'Vendor'}</th>
          <th>Issue date</th>
          <th>{kind.dateLabel}</th>
          <th>Status</th>
          <th className="num">Total</th>
        </tr>
      }
      row={(doc) => (
        <tr key={doc.id}>
          <td>
            <Link to={`/${kind.segment}/${doc.id}`}>{doc.number}</Link>
          </td>
          <td>{doc.partyName}</td>
          <td>{formatDate(doc.issueDate)}</td>
          <td>{formatDate(doc[kind.dateField])}</td>
          <td>
            <StatusChip status={doc.status} />
            {doc.isRetainer && (
              <>
                {' '}
                <span className="chip retainer">retainer</span>
              </>
            )}
          </td>
          <td className="num">
            {formatAmount(doc.total)} {doc.currency === organisation.homeCurrency ? '' : doc.currency}
          </td>
        </tr>
      )}
    />
  );
}
