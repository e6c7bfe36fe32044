import type { Organisation } from '../../server/api/contract.js';
import { Link } from '../router.js';

/** The reports index; reports from connected apps (QuickBooks P&L) join the list in the navigation. */
export function ReportsPage({ organisation }: { organisation: Organisation }) {
  return (
    <>
      <div className="page-head">
        <h1>Reports</h1>
      </div>
      <div className="panel">
        <p style={{ marginTop: 0 }}>
          Financial reports for {organisation.name} come from the connected accounting app and appear under Reports in the
          navigation once it is connected.
        </p>
        <p className="muted" style={{ marginBottom: 0 }}>
          Document status at a glance lives in <Link to="/finances">Finances</Link>.
        </p>
      </div>
    </>
  );
}
