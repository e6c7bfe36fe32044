import { useState } from 'react';
import { goConnectQbo } from './qbo-api.js';
import './apps.css';

/**
 * The one way every QuickBooks surface says the connection needs reconnecting: plainly, with the button
 * that fixes it, instead of showing empty data.
 */
export function QboNeedsReconnect({ message }: { message?: string | null | undefined }) {
  const [failure, setFailure] = useState('');
  const [busy, setBusy] = useState(false);
  const reconnect = (): void => {
    setBusy(true);
    goConnectQbo().catch((err: unknown) => {
      setBusy(false);
      setFailure(err instanceof Error ? err.message : String(err));
    });
  };
  return (
    <div className="alert qbo-reconnect" role="alert">
      <div>
        <strong>QuickBooks needs reconnecting.</strong>{' '}
        {message ?? 'Workroom can no longer reach your QuickBooks company. Reconnect to continue.'}
        {failure && <div className="qbo-reconnect-failure">{failure}</div>}
      </div>
      <button type="button" className="primary" onClick={reconnect} disabled={busy}>
        Reconnect
      </button>
    </div>
  );
}
