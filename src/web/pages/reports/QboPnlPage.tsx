import { useEffect, useState, type FormEvent } from 'react';
import type { QboConnection } from '../../../server/routes/qbo/contract.js';
import {
  PNL_COLUMN_LABELS,
  PNL_COLUMNS,
  PNL_METHOD_LABELS,
  PNL_METHODS,
  PNL_RANGE_LABELS,
  PNL_RANGES,
  QBO_PNL_PAGE_PATH,
  type PnlColumns,
  type PnlMethod,
  type PnlQuery,
  type PnlRange,
  type PnlResponse,
} from '../../../server/routes/qbo-reports/contract.js';
import { Link, navigate, useLocation, withQuery } from '../../router.js';
import { QboNeedsReconnect } from '../settings/apps/index.js';
import { fetchProfitAndLoss, type PnlOutcome } from './pnl-api.js';
import { PnlChart } from './PnlChart.js';
import { PnlTable } from './PnlTable.js';
import { browserToday, longDate, pnlCsv, pnlCsvFileName, pnlFigures } from './pnl-view.js';
import './pnl.css';

function oneOf<T extends string>(list: readonly T[], value: string | null, fallback: T): T {
  return list.find((v) => v === value) ?? fallback;
}

interface Settings {
  readonly range: PnlRange;
  readonly start: string;
  readonly end: string;
  readonly method: PnlMethod;
  readonly columns: PnlColumns;
}

function settingsFrom(search: URLSearchParams): Settings {
  return {
    range: oneOf(PNL_RANGES, search.get('range'), 'this_month'),
    start: search.get('start') ?? '',
    end: search.get('end') ?? '',
    method: oneOf(PNL_METHODS, search.get('method'), 'accrual'),
    columns: oneOf(PNL_COLUMNS, search.get('columns'), 'total'),
  };
}

function queryOf(settings: Settings): PnlQuery {
  const custom = settings.range === 'custom' ? { start: settings.start, end: settings.end } : {};
  return { range: settings.range, method: settings.method, columns: settings.columns, today: browserToday(), ...custom };
}

function go(settings: Settings): void {
  const custom = settings.range === 'custom' ? { start: settings.start, end: settings.end } : {};
  navigate(
    withQuery(QBO_PNL_PAGE_PATH, {
      range: settings.range === 'this_month' ? undefined : settings.range,
      method: settings.method === 'accrual' ? undefined : settings.method,
      columns: settings.columns === 'total' ? undefined : settings.columns,
      ...custom,
    }),
    { replace: true },
  );
}

function downloadCsv(data: PnlResponse): void {
  const url = URL.createObjectURL(new Blob([pnlCsv(data)], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = pnlCsvFileName(data);
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked a moment later: revoking at once can cancel the download before the browser has read it.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

type View = { readonly loading: boolean; readonly outcome: PnlOutcome | null };

/**
 * Reports → QuickBooks P&L: read-only, asked of QBO on every open and every change (never cached), and
 * honest about why it cannot show a report: not connected, needs reconnecting, or QBO's own error.
 */
export function QboPnlPage({ onConnection }: { onConnection: (connection: QboConnection) => void }) {
  const { search } = useLocation();
  const settings = settingsFrom(search);
  const key = JSON.stringify(settings);
  const [view, setView] = useState<View>({ loading: true, outcome: null });
  const [generation, setGeneration] = useState(0);
  const [draft, setDraft] = useState({ start: settings.start, end: settings.end });

  useEffect(() => {
    if (settings.range === 'custom' && (settings.start === '' || settings.end === '')) {
      setView({ loading: false, outcome: null });
      return;
    }
    const controller = new AbortController();
    setView((was) => ({ loading: true, outcome: was.outcome }));
    fetchProfitAndLoss(queryOf(settings), controller.signal).then(
      (outcome) => {
        if (controller.signal.aborted) return;
        setView({ loading: false, outcome });
        if (outcome.state === 'connection') onConnection(outcome.problem.connection);
        if (outcome.state === 'failed' && outcome.status === 401) window.location.reload();
      },
      (err: unknown) => {
        if (controller.signal.aborted) return;
        setView({ loading: false, outcome: { state: 'failed', status: null, message: err instanceof Error ? err.message : String(err) } });
      },
    );
    return () => controller.abort();
    // The settings are fully described by `key`.
  }, [key, generation]);

  useEffect(() => setDraft({ start: settings.start, end: settings.end }), [settings.start, settings.end]);

  const outcome = view.outcome;
  const data = outcome?.state === 'report' ? outcome.data : null;

  const changeRange = (range: PnlRange): void => {
    if (range === 'custom') {
      // Start from what is on screen, so Custom is a small edit of the current range.
      go({ ...settings, range, start: data?.range.start ?? settings.start, end: data?.range.end ?? settings.end });
    } else {
      go({ ...settings, range });
    }
  };
  const applyCustom = (event: FormEvent): void => {
    event.preventDefault();
    go({ ...settings, range: 'custom', start: draft.start, end: draft.end });
  };
  const customInvalid = draft.start === '' || draft.end === '' || draft.start > draft.end;

  return (
    <>
      <div className="page-head">
        <div>
          <div className="breadcrumb">
            <Link to="/reports">Reports</Link> / QuickBooks P&amp;L
          </div>
          <h1>Profit and Loss</h1>
        </div>
        <div className="actions">
          {data && (
            <a className="button" href={data.qboUrl} target="_blank" rel="noopener noreferrer" data-testid="pnl-open-in-qbo">
              Open in QuickBooks{data.company.environment === 'sandbox' ? ' (sandbox)' : ''} ↗
            </a>
          )}
        </div>
      </div>

      <form className="panel pnl-controls" onSubmit={applyCustom} aria-label="Report settings">
        <div className="field">
          <label htmlFor="pnl-range">Date range</label>
          <select id="pnl-range" value={settings.range} onChange={(e) => changeRange(oneOf(PNL_RANGES, e.target.value, 'this_month'))}>
            {PNL_RANGES.map((r) => (
              <option key={r} value={r}>
                {PNL_RANGE_LABELS[r]}
              </option>
            ))}
          </select>
        </div>
        {settings.range === 'custom' && (
          <>
            <div className="field">
              <label htmlFor="pnl-start">From</label>
              <input id="pnl-start" type="date" value={draft.start} onChange={(e) => setDraft({ ...draft, start: e.target.value })} />
            </div>
            <div className="field">
              <label htmlFor="pnl-end">To</label>
              <input id="pnl-end" type="date" value={draft.end} onChange={(e) => setDraft({ ...draft, end: e.target.value })} />
            </div>
            <div className="field pnl-apply">
              <button type="submit" className="primary" disabled={customInvalid}>
                Run report
              </button>
            </div>
          </>
        )}
        <div className="field">
          <label htmlFor="pnl-method">Accounting method</label>
          <select id="pnl-method" value={settings.method} onChange={(e) => go({ ...settings, method: oneOf(PNL_METHODS, e.target.value, 'accrual') })}>
            {PNL_METHODS.map((m) => (
              <option key={m} value={m}>
                {PNL_METHOD_LABELS[m]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="pnl-columns">Columns</label>
          <select id="pnl-columns" value={settings.columns} onChange={(e) => go({ ...settings, columns: oneOf(PNL_COLUMNS, e.target.value, 'total') })}>
            {PNL_COLUMNS.map((c) => (
              <option key={c} value={c}>
                {PNL_COLUMN_LABELS[c]}
              </option>
            ))}
          </select>
        </div>
        <div className="field pnl-buttons">
          <button type="button" onClick={() => setGeneration((g) => g + 1)} disabled={view.loading}>
            Refresh
          </button>
          <button type="button" onClick={() => data && downloadCsv(data)} disabled={!data || data.report.noData}>
            Export CSV
          </button>
        </div>
      </form>

      <div aria-live="polite" className="pnl-status" data-testid="pnl-status" data-loading={view.loading ? 'true' : 'false'}>
        {view.loading ? 'Asking QuickBooks…' : ''}
      </div>
      {outcome && <Outcome outcome={outcome} />}
    </>
  );
}

function Outcome({ outcome }: { outcome: PnlOutcome }) {
  switch (outcome.state) {
    case 'connection':
      if (outcome.problem.error === 'needs_reconnect') {
        return (
          <div data-testid="pnl-needs-reconnect">
            <QboNeedsReconnect message={outcome.problem.message} />
          </div>
        );
      }
      return (
        <div className="alert error" role="alert" data-testid="pnl-not-connected">
          {outcome.problem.message} <Link to="/settings/apps">Go to Settings → Apps</Link>
        </div>
      );
    case 'qbo_error': {
      const { error } = outcome;
      return (
        <div className="alert error" role="alert" data-testid="pnl-qbo-error">
          <strong>QuickBooks could not produce the report.</strong>
          <div>
            <span data-testid="pnl-qbo-error-code">{error.qboCode ? `QuickBooks error ${error.qboCode}` : error.code}</span>:{' '}
            <span data-testid="pnl-qbo-error-message">{error.message}</span>
          </div>
          {error.detail && <div className="pnl-error-detail">{error.detail}</div>}
          {error.intuitTid && <div className="muted">Intuit transaction id: {error.intuitTid}</div>}
        </div>
      );
    }
    case 'failed':
      return (
        <div className="alert error" role="alert" data-testid="pnl-failed">
          {outcome.message}
        </div>
      );
    case 'report':
      return <Report data={outcome.data} />;
  }
}

function Report({ data }: { data: PnlResponse }) {
  const { report } = data;
  return (
    <section className="panel pnl-report" aria-label="Profit and Loss" data-testid="pnl-report">
      <header className="pnl-report-head">
        <div className="pnl-company" data-testid="pnl-company">
          {data.company.name}
          {data.company.environment === 'sandbox' && <span className="qbo-env sandbox">Sandbox</span>}
        </div>
        <div className="pnl-title">Profit and Loss</div>
        <div className="muted" data-testid="pnl-period">
          {longDate(data.range.start)} – {longDate(data.range.end)} · {report.basis ?? PNL_METHOD_LABELS[data.method]} basis
          {report.currency ? ` · ${report.currency}` : ''}
        </div>
      </header>
      {report.noData ? (
        <div className="empty" data-testid="pnl-empty">
          No transactions in this period
        </div>
      ) : (
        <>
          <PnlChart figures={pnlFigures(report)} currency={report.currency} />
          <PnlTable report={report} />
        </>
      )}
      <footer className="pnl-foot muted">
        Read live from QuickBooks at {new Date(data.fetchedAt).toLocaleTimeString()}. Read-only: to change anything, open it in
        QuickBooks.
      </footer>
    </section>
  );
}
