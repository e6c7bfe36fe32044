import { useEffect, useState } from 'react';
import {
  QBO_CALLBACK_MESSAGES,
  QBO_CALLBACK_RESULTS,
  type QboCallbackResult,
  type QboConnection,
} from '../../../../server/routes/qbo/contract.js';
import { useLoad } from '../../../hooks.js';
import { navigate, useLocation } from '../../../router.js';
import { disconnectQbo, fetchQboConnection, goConnectQbo, refreshQboFacts } from './qbo-api.js';
import { QboNeedsReconnect } from './QboNeedsReconnect.js';
import './apps.css';

type Notice = { readonly kind: 'success' | 'error'; readonly text: string } | null;

function isCallbackResult(value: string | null): value is QboCallbackResult {
  return value !== null && (QBO_CALLBACK_RESULTS as readonly string[]).includes(value);
}

/** Settings → Apps: the QuickBooks Online tile. */
export function AppsPage({ onConnection }: { onConnection?: (connection: QboConnection) => void }) {
  const { search } = useLocation();
  const [result, reload] = useLoad(fetchQboConnection, []);
  const [notice, setNotice] = useState<Notice>(null);

  // The callback lands here with ?qbo=<result>; say it once and drop the flag from the address bar.
  const flag = search.get('qbo');
  useEffect(() => {
    if (!isCallbackResult(flag)) return;
    setNotice({ kind: flag === 'connected' ? 'success' : 'error', text: QBO_CALLBACK_MESSAGES[flag] });
    navigate('/settings/apps', { replace: true });
  }, [flag]);

  useEffect(() => {
    if (result.state === 'ready') onConnection?.(result.data);
  }, [result, onConnection]);

  return (
    <>
      <div className="page-head">
        <h1>Apps</h1>
      </div>
      {notice && (
        <div className={`alert ${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'} data-testid="qbo-notice">
          {notice.text}
        </div>
      )}
      {result.state === 'failed' && <div className="alert error">{result.message}</div>}
      {result.state === 'ready' && (
        <QboTile connection={result.data} onChanged={reload} onNotice={setNotice} />
      )}
    </>
  );
}

function QboTile({
  connection,
  onChanged,
  onNotice,
}: {
  connection: QboConnection;
  onChanged: () => void;
  onNotice: (notice: Notice) => void;
}) {
  const [busy, setBusy] = useState(false);
  const { status, company } = connection;
  const live = status === 'connected' || status === 'needs_reconnect';

  const run = (action: () => Promise<Notice>): void => {
    setBusy(true);
    onNotice(null);
    action().then(
      (notice) => {
        setBusy(false);
        onNotice(notice);
        onChanged();
      },
      (err: unknown) => {
        setBusy(false);
        onNotice({ kind: 'error', text: err instanceof Error ? err.message : String(err) });
        // A failed call may itself have changed the connection (e.g. Intuit revoked it): show the new state.
        onChanged();
      },
    );
  };

  const connect = (): void => {
    setBusy(true);
    onNotice(null);
    goConnectQbo().catch((err: unknown) => {
      setBusy(false);
      onNotice({ kind: 'error', text: err instanceof Error ? err.message : String(err) });
    });
  };

  const disconnect = (): void =>
    run(async () => {
      const { revokedAtIntuit } = await disconnectQbo();
      return {
        kind: 'success',
        text: revokedAtIntuit
          ? 'QuickBooks is disconnected. Nothing was deleted; new pushes have stopped.'
          : 'QuickBooks is disconnected. Nothing was deleted; new pushes have stopped. Intuit did not confirm the revocation, so you may also remove Workroom from the Apps list inside QuickBooks.',
      };
    });

  const refresh = (): void =>
    run(async () => {
      await refreshQboFacts();
      return { kind: 'success', text: 'Company details refreshed from QuickBooks.' };
    });

  return (
    <section className="panel qbo-tile" aria-label="QuickBooks Online" data-testid="qbo-tile">
      <div className="qbo-logo" aria-hidden="true">
        qb
      </div>
      <div className="qbo-body">
        <div className="qbo-title">
          <h2>QuickBooks Online</h2>
          <StatusBadge status={status} />
        </div>
        {!live && (
          <p className="muted">
            Push estimates, invoices and purchase orders to QuickBooks Online, and see its Profit and Loss here.
            {status === 'disconnected' && company && ` Last connected to ${company.name}.`}
          </p>
        )}
        {status === 'needs_reconnect' && <QboNeedsReconnect message={connection.message} />}
        {live && company && (
          <dl className="facts" data-testid="qbo-company">
            <dt>Company</dt>
            <dd data-testid="qbo-company-name">{company.name}</dd>
            <dt>Environment</dt>
            <dd>
              <span className={`qbo-env ${company.environment}`} data-testid="qbo-environment">
                {company.environment === 'sandbox' ? 'Sandbox' : 'Production'}
              </span>
            </dd>
            <dt>Home currency</dt>
            <dd data-testid="qbo-home-currency">{company.homeCurrency}</dd>
            <dt>Country</dt>
            <dd>{company.country}</dd>
            <dt>Multicurrency</dt>
            <dd>{company.multiCurrency ? 'On' : 'Off'}</dd>
            <dt>Sales tax</dt>
            <dd>{company.taxModel === 'us' ? 'US sales tax (TAX / NON per line)' : 'Tax codes per line'}</dd>
          </dl>
        )}
        <div className="qbo-actions">
          {!live && (
            <button type="button" className="primary" onClick={connect} disabled={busy}>
              Connect
            </button>
          )}
          {status === 'connected' && (
            <button type="button" onClick={refresh} disabled={busy}>
              Refresh company details
            </button>
          )}
          {live && (
            <button type="button" className="danger" onClick={disconnect} disabled={busy}>
              Disconnect
            </button>
          )}
        </div>
      </div>
    </section>
  );
}

const BADGE_TEXT = {
  connected: 'Connected',
  needs_reconnect: 'Needs reconnect',
  not_connected: 'Not connected',
  disconnected: 'Disconnected',
} as const;

function StatusBadge({ status }: { status: QboConnection['status'] }) {
  return (
    <span className={`qbo-badge ${status}`} data-testid="qbo-status">
      {BADGE_TEXT[status]}
    </span>
  );
}
