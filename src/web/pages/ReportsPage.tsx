import type { Organisation } from '../../server/api/contract.js';
import { QBO_PNL_PAGE_PATH } from '../../server/routes/qbo-reports/contract.js';
import type { QuickbooksState } from '../nav.js';
import { Link } from '../router.js';

/** The reports index; reports from connected apps (QuickBooks P&L) join the list in the navigation. */
export function ReportsPage({ organisation, quickbooks = 'unavailable' }: { organisation: Organisation; quickbooks?: QuickbooksState }) {
  const qboConnected = quickbooks === 'connected' || quickbooks === 'needs_reconnect';
  return (
    <>
      <div className="page-head">
        <h1>Reports</h1>
      </div>
      <div className="panel">
        {qboConnected ? (
          <p style={{ marginTop: 0 }}>
            <Link to={QBO_PNL_PAGE_PATH}>QuickBooks P&amp;L</Link> — {organisation.name}'s Profit and Loss, read live from QuickBooks
            Online.
          </p>
        ) : (
          <p style={{ marginTop: 0 }}>
            Financial reports for {organisation.name} come from the connected accounting app and appear under Reports in the
            navigation once it is connected.
          </p>
        )}
        <p className="muted" style={{ marginBottom: 0 }}>
          Document status at a glance lives in <Link to="/finances">Finances</Link>.
        </p>
      </div>
    </>
  );
}
