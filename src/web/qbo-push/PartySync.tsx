import { useEffect, useState } from 'react';
import type { PartySyncReportView } from '../../server/routes/qbo-push/contract.js';
import { errorMessage } from '../api.js';
import { fetchQboConnection } from '../pages/settings/apps/index.js';
import { Link } from '../router.js';
import { syncParties } from './push-api.js';

type Role = 'customer' | 'vendor';

const WORDS: Readonly<Record<Role, { button: string; local: string; qbo: string }>> = {
  customer: { button: 'Sync clients', local: 'clients', qbo: 'customers' },
  vendor: { button: 'Sync vendors', local: 'vendors', qbo: 'vendors' },
};

function Report({ report, role, onClose }: { report: PartySyncReportView; role: Role; onClose: () => void }) {
  const words = WORDS[role];
  return (
    <div
      role="dialog"
      aria-label={`${words.button} report`}
      className="panel"
      style={{ position: 'fixed', top: 24, right: 24, width: 460, maxHeight: '80vh', overflow: 'auto', zIndex: 20, boxShadow: '0 8px 24px rgba(0,0,0,0.15)' }}
    >
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
        <h2 style={{ margin: 0, fontSize: 15 }}>{words.button}</h2>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      <p data-testid="party-sync-summary">
        {report.total} {words.local}: {report.matched.length} matched, {report.created.length} created, {report.conflicts.length} conflicts.
      </p>
      {report.created.length > 0 && (
        <>
          <h3 style={{ fontSize: 13 }}>Created in QuickBooks</h3>
          <ul>
            {report.created.map((entry) => (
              <li key={entry.localId}>
                {entry.qboName}
                {entry.note !== null && <div className="muted">{entry.note}</div>}
              </li>
            ))}
          </ul>
        </>
      )}
      {report.conflicts.length > 0 && (
        <>
          <h3 style={{ fontSize: 13 }}>Conflicts to resolve</h3>
          <ul>
            {report.conflicts.map((conflict) => (
              <li key={conflict.localId}>
                {/* The party's page is where a conflict is resolved: Link to a QuickBooks record, or Create anyway. */}
                <Link to={`/${words.local}/${conflict.localId}`}>
                  <strong>{conflict.name}</strong>
                </Link>
                : {conflict.message}
              </li>
            ))}
          </ul>
        </>
      )}
      {report.matched.length > 0 && (
        <details>
          <summary>Matched to existing QuickBooks {words.qbo}</summary>
          <ul>
            {report.matched.map((entry) => (
              <li key={entry.localId}>
                {entry.name} → {entry.qboName}
                {entry.note !== null && <div className="muted">{entry.note}</div>}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}

/**
 * "Sync clients" / "Sync vendors": links the whole list to QuickBooks (match by name, create the missing) and
 * reports what it did. Shown only while QuickBooks is connected.
 */
export function PartySync({ role }: { role: Role }) {
  const [connected, setConnected] = useState(false);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<PartySyncReportView | null>(null);
  const [failure, setFailure] = useState('');

  useEffect(() => {
    let current = true;
    // No QuickBooks surface (or no answer) simply means no button.
    fetchQboConnection().then(
      (connection) => current && setConnected(connection.status === 'connected'),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, []);

  if (!connected) return null;
  const run = (): void => {
    setBusy(true);
    setFailure('');
    syncParties(role).then(
      (result) => {
        setReport(result);
        setBusy(false);
      },
      (err: unknown) => {
        setFailure(errorMessage(err));
        setBusy(false);
      },
    );
  };
  return (
    <>
      <button type="button" onClick={run} disabled={busy}>
        {busy ? 'Syncing…' : WORDS[role].button}
      </button>
      {failure !== '' && (
        <span className="alert error" role="alert" style={{ margin: 0, padding: '4px 8px' }}>
          {failure}
        </span>
      )}
      {report !== null && <Report report={report} role={role} onClose={() => setReport(null)} />}
    </>
  );
}
