import { useState, type FormEvent } from 'react';
import {
  DRIFT_KIND_LABELS,
  DRIFT_KINDS,
  SUBJECT_LABELS,
  type DriftReportResponse,
  type DriftRowView,
} from '../../../../server/routes/qbo-drift/contract.js';
import { dismissPush, DRIFT_CSV_URL, fetchDrift, repushDocuments } from '../../../components/qbo-month-end-api.js';
import { DOCUMENT_KINDS } from '../../../documentTypes.js';
import { useLoad } from '../../../hooks.js';
import { Link, navigate, useLocation, withQuery } from '../../../router.js';
import { DismissReasonFields } from '../DismissReasonFields.js';
import { DRIFT_PAGE_PATH, SyncTabs } from '../SyncTabs.js';
import './drift.css';


type Kind = DriftRowView['kind'];
type Notice = { readonly kind: 'success' | 'error'; readonly text: string } | null;

function when(iso: string | null): string {
  if (iso === null) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

function subjectPath(row: DriftRowView): string {
  if (row.subjectType === 'client') return `/clients/${row.subjectId}`;
  if (row.subjectType === 'vendor') return `/vendors/${row.subjectId}`;
  const segment = DOCUMENT_KINDS.find((k) => k.type === row.subjectType)?.segment ?? 'invoices';
  return `/${segment}/${row.subjectId}`;
}

const rowKey = (row: DriftRowView): string => `${row.kind}:${row.subjectType}:${row.subjectId}`;

/**
 * Finances → Sync Center → Drift: at month-end, every document whose QuickBooks copy changed, was deleted or voided
 * there, was edited here since its push, or never got there; and remembered customers/vendors renamed or
 * deactivated in QuickBooks. Each row says field, Workroom value and QuickBooks value, and offers Re-push.
 */
export function DriftPage() {
  const { pathname, search } = useLocation();
  const filter = DRIFT_KINDS.find((k) => k === search.get('kind'));
  const [report, reload] = useLoad(fetchDrift, []);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [notice, setNotice] = useState<Notice>(null);
  const [busy, setBusy] = useState(false);

  const rows = report.state === 'ready' ? report.data.rows.filter((r) => filter === undefined || r.kind === filter) : [];
  const repushable = rows.filter((r) => r.canRepush);

  const act = async (work: () => Promise<string>): Promise<void> => {
    setBusy(true);
    setNotice(null);
    try {
      setNotice({ kind: 'success', text: await work() });
      setSelected(new Set());
    } catch (err) {
      setNotice({ kind: 'error', text: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(false);
      reload();
    }
  };

  const repush = (documentIds: string[], labels: ReadonlyMap<string, string>): Promise<void> =>
    act(async () => {
      const result = await repushDocuments(documentIds);
      const parts = result.results.map((r) => {
        const label = labels.get(r.documentId) ?? 'A document';
        if (r.status === 'pushed') return `${label} is in QuickBooks again.`;
        if (r.status === 'failed') return `${label} failed: ${r.message ?? 'QuickBooks refused it'}`;
        return `${label} is queued; follow it in the Sync Center.`;
      });
      for (const s of result.skipped) parts.push(s.reason);
      if (result.results.some((r) => r.status === 'failed')) throw new Error(parts.join(' '));
      return parts.join(' ');
    });

  const selectedIds = [...new Set(repushable.filter((r) => selected.has(rowKey(r))).map((r) => r.subjectId))];
  const labels = new Map(rows.map((r) => [r.subjectId, r.label]));

  return (
    <div className="drift">
      <div className="page-head">
        <div>
          <div className="breadcrumb">
            Finances / <Link to="/finances/sync-center">Sync Center</Link>
          </div>
          <h1>Drift</h1>
        </div>
        <div className="actions">
          <button type="button" onClick={reload} disabled={busy || report.state === 'loading'}>
            Check again
          </button>
          <a className="button" href={DRIFT_CSV_URL} download>
            Export CSV
          </a>
          <button type="button" className="primary" disabled={busy || selectedIds.length === 0} onClick={() => void repush(selectedIds, labels)}>
            Re-push selected
          </button>
        </div>
      </div>

      <SyncTabs current={DRIFT_PAGE_PATH} />

      {notice && (
        <div className={`alert ${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'}>
          {notice.text}
        </div>
      )}
      {report.state === 'failed' && (
        <div className="alert error" role="alert">
          {report.message}
        </div>
      )}
      {report.state === 'loading' && <div className="empty">Reading QuickBooks…</div>}
      {report.state === 'ready' && (
        <>
          <Summary report={report.data} filter={filter} onFilter={(kind) => navigate(withQuery(pathname, { kind }))} />
          <div className="panel flush">
            {rows.length === 0 ? (
              <div className="empty">
                {filter === undefined ? 'Nothing has drifted: Workroom and QuickBooks agree on every pushed document.' : 'No row of this kind.'}
              </div>
            ) : (
              <table aria-label="Drift">
                <thead>
                  <tr>
                    <th>
                      <input
                        type="checkbox"
                        aria-label="Select all"
                        checked={repushable.length > 0 && repushable.every((r) => selected.has(rowKey(r)))}
                        onChange={(e) => setSelected(new Set(e.target.checked ? repushable.map(rowKey) : []))}
                      />
                    </th>
                    <th>What</th>
                    <th>Record</th>
                    <th>Field · Workroom · QuickBooks</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {rows.map((row) => (
                    <DriftTableRow
                      key={rowKey(row)}
                      row={row}
                      busy={busy}
                      selected={selected.has(rowKey(row))}
                      onSelect={(on) =>
                        setSelected((was) => {
                          const next = new Set(was);
                          if (on) next.add(rowKey(row));
                          else next.delete(rowKey(row));
                          return next;
                        })
                      }
                      onRepush={() => void repush([row.subjectId], labels)}
                      onDismiss={(reason) =>
                        act(async () => {
                          if (row.failedJobId === null) throw new Error('There is no failed push to dismiss.');
                          const dismissal = await dismissPush(row.failedJobId, reason);
                          return `The failed push of ${row.label} was dismissed (“${dismissal.reason}”). It is not retried until the document is edited.`;
                        })
                      }
                    />
                  ))}
                </tbody>
              </table>
            )}
          </div>
        </>
      )}
    </div>
  );
}

function Summary({ report, filter, onFilter }: { report: DriftReportResponse; filter: Kind | undefined; onFilter: (kind: Kind | undefined) => void }) {
  const { checked } = report;
  return (
    <>
      <p className="muted">
        Compared with {report.companyName || 'QuickBooks'} at {when(report.generatedAt)}: {checked.pushedDocuments} pushed document
        {checked.pushedDocuments === 1 ? '' : 's'} re-read, {checked.issuedDocuments} issued document{checked.issuedDocuments === 1 ? '' : 's'} checked,{' '}
        {checked.parties} linked client{checked.parties === 1 ? '' : 's'} or vendor{checked.parties === 1 ? '' : 's'} re-read.
      </p>
      <div className="kinds" role="group" aria-label="Filter by kind">
        <button type="button" aria-pressed={filter === undefined} onClick={() => onFilter(undefined)}>
          All ({report.rows.length})
        </button>
        {DRIFT_KINDS.filter((k) => (report.counts[k] ?? 0) > 0).map((k) => (
          <button key={k} type="button" aria-pressed={filter === k} onClick={() => onFilter(k)}>
            {DRIFT_KIND_LABELS[k]} ({report.counts[k]})
          </button>
        ))}
      </div>
    </>
  );
}

function DriftTableRow({
  row,
  busy,
  selected,
  onSelect,
  onRepush,
  onDismiss,
}: {
  row: DriftRowView;
  busy: boolean;
  selected: boolean;
  onSelect: (on: boolean) => void;
  onRepush: () => void;
  onDismiss: (reason: string) => Promise<void>;
}) {
  const [dismissing, setDismissing] = useState(false);
  const [reason, setReason] = useState('');
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    void onDismiss(reason).then(() => setDismissing(false));
  };
  return (
    <tr data-testid="drift-row" data-kind={row.kind}>
      <td>{row.canRepush && <input type="checkbox" aria-label={`Select ${row.label}`} checked={selected} onChange={(e) => onSelect(e.target.checked)} />}</td>
      <td>
        <span className={`kind ${row.kind}`}>{DRIFT_KIND_LABELS[row.kind]}</span>
        {row.qboUpdatedAt && <div className="note">QuickBooks: {when(row.qboUpdatedAt)}</div>}
      </td>
      <td>
        <Link to={subjectPath(row)}>
          {SUBJECT_LABELS[row.subjectType]} {row.label}
        </Link>
        {row.partyName && <div className="note">{row.partyName}</div>}
      </td>
      <td>
        <div className="diff">
          {row.differences.map((d) => (
            <div key={d.field} style={{ display: 'contents' }}>
              <span className="field">{d.field}</span>
              <span className="workroom">{d.workroom}</span>
              <span className="qbo">{d.qbo}</span>
            </div>
          ))}
        </div>
        {row.note && <div className="note">{row.note}</div>}
        {dismissing && (
          <form className="dismiss-form" onSubmit={submit}>
            <DismissReasonFields reason={reason} busy={busy} onReason={setReason} onCancel={() => setDismissing(false)} />
          </form>
        )}
      </td>
      <td className="row-actions">
        {row.qboUrl && (
          <a href={row.qboUrl} target="_blank" rel="noreferrer">
            Open in QuickBooks
          </a>
        )}
        {row.failedJobId !== null && !dismissing && (
          <button type="button" disabled={busy} onClick={() => setDismissing(true)}>
            Dismiss…
          </button>
        )}
        {row.canRepush && (
          <button type="button" disabled={busy} onClick={onRepush}>
            {row.kind === 'not_pushed' ? 'Push' : 'Re-push'}
          </button>
        )}
      </td>
    </tr>
  );
}
