import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import {
  HISTORY_STATUS_FILTERS,
  TRIGGER_LABELS,
  type RunProgress,
  type SyncAttempt,
  type SyncHealth,
  type SyncJob,
  type SyncJobDetail,
} from '../../../../server/routes/sync-center/contract.js';
import { dismissPush } from '../../../components/qbo-month-end-api.js';
import { Pager } from '../../../components/Pager.js';
import { SearchBox } from '../../../components/SearchBox.js';
import { DOCUMENT_KINDS } from '../../../documentTypes.js';
import { useLoad } from '../../../hooks.js';
import { Link, navigate, useLocation, withQuery } from '../../../router.js';
import { QboNeedsReconnect } from '../../settings/apps/index.js';
import { MappingIncomplete } from '../../settings/finances/index.js';
import { DismissReasonFields } from '../DismissReasonFields.js';
import { SYNC_CENTER_PAGE_PATH, SyncTabs } from '../SyncTabs.js';
import { PartyFilter } from './PartyFilter.js';
import { fetchHealth, fetchHistory, fetchJob, followRun, pushAllApproved, retryAllFailed, retryJob } from './sync-center-api.js';
import './sync-center.css';

const PAGE_SIZE = 20;

type StatusFilter = (typeof HISTORY_STATUS_FILTERS)[number];
const TYPE_VALUES = DOCUMENT_KINDS.map((k) => k.type);

const STATUS_LABELS: Readonly<Record<SyncJob['status'], string>> = {
  queued: 'queued',
  pushing: 'pushing',
  pushed: 'pushed',
  failed: 'failed',
  dismissed: 'dismissed',
};

const OUTCOME_LABELS: Readonly<Record<SyncAttempt['outcome'], string>> = {
  running: 'running',
  pushed: 'pushed',
  failed: 'failed',
  retry_scheduled: 'will retry by itself',
  abandoned: 'worker stopped; taken over',
};

function when(iso: string | null): string {
  if (iso === null) return '—';
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

function segmentOf(type: SyncJob['documentType']): string {
  return DOCUMENT_KINDS.find((k) => k.type === type)?.segment ?? 'invoices';
}

function singularOf(type: SyncJob['documentType']): string {
  return DOCUMENT_KINDS.find((k) => k.type === type)?.singular ?? type;
}

/** Finances → Sync Center: every push, its attempts and QBO's words, retries, bulk push with live progress. */
export function SyncCenterPage() {
  const { pathname, search } = useLocation();
  const key = search.toString();
  const page = Math.max(1, Number(search.get('page') ?? '1') || 1);
  const q = search.get('q') ?? '';
  const status: StatusFilter | undefined = HISTORY_STATUS_FILTERS.find((s) => s === search.get('status'));
  const type = TYPE_VALUES.find((t) => t === search.get('type'));
  const clientId = search.get('clientId') ?? undefined;
  const vendorId = search.get('vendorId') ?? undefined;

  const [history, reloadHistory] = useLoad(
    () => fetchHistory({ page, pageSize: PAGE_SIZE, status, type, clientId, vendorId, q: q || undefined }),
    [key],
  );
  const [health, reloadHealth] = useLoad(fetchHealth, []);
  const [run, setRun] = useState<RunProgress | null>(null);
  // A notice about starting a run (runId) goes once the run's own summary says it is done.
  const [notice, setNotice] = useState<{ kind: 'success' | 'error'; text: string; runId?: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const setQuery = useCallback(
    (changes: Record<string, string | number | undefined>) => {
      const current: Record<string, string | number | undefined> = Object.fromEntries(new URLSearchParams(key).entries());
      navigate(withQuery(pathname, { ...current, page: undefined, ...changes }));
    },
    [pathname, key],
  );

  const refresh = useCallback(() => {
    reloadHistory();
    reloadHealth();
  }, [reloadHistory, reloadHealth]);

  // Pick up a bulk push that was already running (another tab, a reload) from the health card.
  const activeRunId = health.state === 'ready' ? (health.data.activeRun?.runId ?? null) : null;
  useEffect(() => {
    if (activeRunId !== null && run === null) setRun(health.state === 'ready' ? health.data.activeRun : null);
  }, [activeRunId, run, health]);

  // Live progress over server-sent events; the history follows along, a little behind.
  const followed = run?.runId ?? null;
  const lastRefresh = useRef(0);
  useEffect(() => {
    if (followed === null) return;
    return followRun(
      followed,
      (progress) => {
        setRun(progress);
        const now = Date.now();
        if (progress.done || now - lastRefresh.current > 1000) {
          lastRefresh.current = now;
          refresh();
        }
      },
      (message) => setNotice({ kind: 'error', text: message }),
    );
  }, [followed, refresh]);

  const finishedRun = run?.done === true ? run.runId : null;
  useEffect(() => {
    if (finishedRun !== null) setNotice((current) => (current?.runId === finishedRun ? null : current));
  }, [finishedRun]);

  // Single pushes and automatic retries move too: poll while anything is queued and no run is followed.
  const queued = health.state === 'ready' ? health.data.queued : 0;
  const following = run !== null && !run.done;
  useEffect(() => {
    if (queued === 0 || following) return;
    const timer = setInterval(refresh, 2000);
    return () => clearInterval(timer);
  }, [queued, following, refresh]);

  const act = async (work: () => Promise<string | { text: string; runId: string }>): Promise<void> => {
    setBusy(true);
    setNotice(null);
    try {
      const done = await work();
      setNotice(typeof done === 'string' ? { kind: 'success', text: done } : { kind: 'success', ...done });
    } catch (err) {
      setNotice({ kind: 'error', text: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(false);
      refresh();
    }
  };

  const startBulk = (): Promise<void> =>
    act(async () => {
      const result = await pushAllApproved();
      if (result.runId === null) return 'Every approved document is already in QuickBooks.';
      setRun({ runId: result.runId, kind: 'bulk_push', total: result.total, pushed: 0, failed: 0, pending: result.total, done: false, startedBy: null, startedAt: new Date().toISOString() });
      return { text: `Pushing ${result.total} document${result.total === 1 ? '' : 's'} to QuickBooks.`, runId: result.runId };
    });

  const retryAll = (): Promise<void> =>
    act(async () => {
      const result = await retryAllFailed();
      if (result.runId === null) return 'No failed pushes to retry.';
      setRun({ runId: result.runId, kind: 'retry_all', total: result.total, pushed: 0, failed: 0, pending: result.total, done: false, startedBy: null, startedAt: new Date().toISOString() });
      return { text: `Retrying ${result.total} failed push${result.total === 1 ? '' : 'es'}.`, runId: result.runId };
    });

  const retryOne = (job: SyncJob): Promise<void> =>
    act(async () => {
      await retryJob(job.id);
      return `${job.documentNumber ?? 'The document'} is queued again.`;
    });

  /** Resolves true once dismissed, so the row can close its reason form (it stays open on an error). */
  const dismissOne = async (job: SyncJob, reason: string): Promise<boolean> => {
    let dismissed = false;
    await act(async () => {
      const dismissal = await dismissPush(job.id, reason);
      dismissed = true;
      return `The failed push of ${job.documentNumber ?? 'the document'} was dismissed (“${dismissal.reason}”). It is not retried until the document is edited.`;
    });
    return dismissed;
  };

  const connection = health.state === 'ready' ? health.data.connection : null;
  const canPush = connection?.status === 'connected';

  return (
    <div className="sync-center">
      <div className="page-head">
        <div>
          <div className="breadcrumb">Finances</div>
          <h1>Sync Center</h1>
        </div>
        <div className="actions">
          <button type="button" onClick={() => void retryAll()} disabled={busy || !canPush || health.state !== 'ready' || health.data.failed === 0}>
            Retry all failed
          </button>
          <button type="button" className="primary" onClick={() => void startBulk()} disabled={busy || !canPush}>
            Push all approved
          </button>
        </div>
      </div>

      <SyncTabs current={SYNC_CENTER_PAGE_PATH} />

      {connection?.status === 'needs_reconnect' && <QboNeedsReconnect message={connection.message} />}
      {connection !== null && (connection.status === 'not_connected' || connection.status === 'disconnected') && (
        <div className="alert error" role="alert">
          QuickBooks is not connected, so nothing can be pushed. <Link to="/settings/apps">Connect it in Settings → Apps</Link>.
        </div>
      )}
      {notice && (
        <div className={`alert ${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'}>
          {notice.text}
        </div>
      )}

      {canPush && <MappingIncomplete />}
      {health.state === 'failed' && <div className="alert error">{health.message}</div>}
      {health.state === 'ready' && <HealthCard health={health.data} onFailed={() => setQuery({ status: 'failed' })} />}
      {run && <RunBar run={run} onDismiss={() => setRun(null)} />}

      <div className="toolbar">
        <SearchBox label="Search by document number" value={q} onSearch={(text) => setQuery({ q: text || undefined })} />
        <select aria-label="Status" value={status ?? ''} onChange={(e) => setQuery({ status: e.target.value || undefined })}>
          <option value="">All statuses</option>
          <option value="queued">Queued</option>
          <option value="pushed">Pushed</option>
          <option value="failed">Failed</option>
          <option value="dismissed">Dismissed</option>
        </select>
        <select aria-label="Type" value={type ?? ''} onChange={(e) => setQuery({ type: e.target.value || undefined })}>
          <option value="">All types</option>
          {DOCUMENT_KINDS.map((k) => (
            <option key={k.type} value={k.type}>
              {k.plural}
            </option>
          ))}
        </select>
        <PartyFilter value={{ clientId, vendorId }} onChange={(party) => setQuery({ clientId: party.clientId, vendorId: party.vendorId })} />
      </div>

      <div className="panel flush">
        {history.state === 'failed' && (
          <div className="alert error" role="alert">
            {history.message}
          </div>
        )}
        {history.state === 'loading' && <div className="empty">Loading…</div>}
        {history.state === 'ready' && (
          <>
            <div className="table-scroll">
              <table aria-label="Push history">
                <thead>
                  <tr>
                    <th>Document</th>
                    <th>Client / vendor</th>
                    <th>Status</th>
                    <th>QuickBooks</th>
                    <th>Started</th>
                    <th className="num">Attempts</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {history.data.items.map((job) => (
                    <JobRow
                      key={job.id}
                      job={job}
                      busy={busy}
                      canRetry={canPush}
                      onRetry={() => void retryOne(job)}
                      onDismiss={(reason) => dismissOne(job, reason)}
                    />
                  ))}
                </tbody>
              </table>
            </div>
            {history.data.items.length === 0 && (
              <div className="empty">{q || status || type || clientId || vendorId ? 'No push matches these filters.' : 'Nothing has been pushed to QuickBooks yet.'}</div>
            )}
            <Pager info={history.data} onPage={(p) => setQuery({ page: p === 1 ? undefined : p })} />
          </>
        )}
      </div>
    </div>
  );
}

function HealthCard({ health, onFailed }: { health: SyncHealth; onFailed: () => void }) {
  const { connection } = health;
  return (
    <section className="panel health-card" aria-label="Sync health">
      <div className={`metric ${health.failed > 0 ? 'attention' : ''}`}>
        <div className="label">Failed, needing attention</div>
        <div className="value" data-testid="health-failed">
          {health.failed > 0 ? (
            <button type="button" className="link" onClick={onFailed}>
              {health.failed}
            </button>
          ) : (
            0
          )}
        </div>
      </div>
      <div className="metric">
        <div className="label">Queued</div>
        <div className="value" data-testid="health-queued">
          {health.queued}
        </div>
        {health.retrying > 0 && <div className="sub">{health.retrying} retrying by themselves</div>}
      </div>
      <div className="metric">
        <div className="label">Last success</div>
        <div className="value small" data-testid="health-last-success">
          {when(health.lastSuccessAt)}
        </div>
      </div>
      <div className="metric">
        <div className="label">Connection</div>
        <div className="value small" data-testid="health-connection">
          {connection.status === 'connected' ? 'Connected' : connection.status === 'needs_reconnect' ? 'Needs reconnecting' : 'Not connected'}
        </div>
        {connection.companyName && (
          <div className="sub">
            {connection.companyName} {connection.environment && <span className={`env ${connection.environment}`}>{connection.environment}</span>}
          </div>
        )}
      </div>
    </section>
  );
}

function RunBar({ run, onDismiss }: { run: RunProgress; onDismiss: () => void }) {
  const finished = run.pushed + run.failed;
  const percent = run.total === 0 ? 100 : Math.round((finished / run.total) * 100);
  const what = run.kind === 'bulk_push' ? 'Push all approved' : 'Retry all failed';
  return (
    <section className="panel run-bar" aria-label="Bulk push progress">
      <div className="run-head">
        <strong>{what}</strong>
        <span data-testid="run-summary">
          {run.done ? 'Done: ' : ''}
          {run.pushed} pushed, {run.failed} failed{run.done ? '' : `, ${run.pending} to go`} of {run.total}
        </span>
        {run.done && (
          <button type="button" className="link" onClick={onDismiss}>
            Hide
          </button>
        )}
      </div>
      <div
        className="bar"
        role="progressbar"
        aria-label={`${what} progress`}
        aria-valuemin={0}
        aria-valuemax={run.total}
        aria-valuenow={finished}
        aria-valuetext={`${finished} of ${run.total}`}
      >
        <div className="fill pushed" style={{ width: `${run.total === 0 ? 0 : (run.pushed / run.total) * 100}%` }} />
        <div className="fill failed" style={{ width: `${run.total === 0 ? 0 : (run.failed / run.total) * 100}%` }} />
      </div>
      <div className="sub">{percent}%</div>
    </section>
  );
}

interface JobRowProps {
  job: SyncJob;
  busy: boolean;
  canRetry: boolean;
  onRetry: () => void;
  onDismiss: (reason: string) => Promise<boolean>;
}

function JobRow({ job, busy, canRetry, onRetry, onDismiss }: JobRowProps) {
  const [open, setOpen] = useState(false);
  const [dismissing, setDismissing] = useState(false);
  const [reason, setReason] = useState('');
  const [detail, setDetail] = useState<SyncJobDetail | null>(null);
  const [detailError, setDetailError] = useState('');
  const { attempts, updatedAt } = job;
  useEffect(() => {
    if (!open) return;
    let current = true;
    fetchJob(job.id).then(
      (d) => current && setDetail(d),
      (err: unknown) => current && setDetailError(err instanceof Error ? err.message : String(err)),
    );
    return () => {
      current = false;
    };
  }, [open, job.id, attempts, updatedAt]);
  const number = job.documentNumber ?? '(deleted document)';
  const submitDismissal = (event: FormEvent): void => {
    event.preventDefault();
    void onDismiss(reason).then((done) => {
      if (done) setDismissing(false);
    });
  };
  return (
    <>
      <tr data-testid={`job-${job.documentNumber ?? job.id}`}>
        <td>
          {job.documentNumber ? <Link to={`/${segmentOf(job.documentType)}/${job.documentId}`}>{number}</Link> : number}
          <div className="sub">
            {singularOf(job.documentType)} · revision {job.documentRevision}
          </div>
        </td>
        <td>{job.partyName ?? '—'}</td>
        <td>
          <span className={`chip ${job.status}`}>{STATUS_LABELS[job.status]}</span>
          {job.retrying && <div className="sub">retrying by itself {job.nextAttemptAt ? `at ${when(job.nextAttemptAt)}` : ''}</div>}
        </td>
        <td className="qbo-cell">
          {job.qboUrl && (
            <a href={job.qboUrl} target="_blank" rel="noreferrer">
              Open in QuickBooks
            </a>
          )}
          {job.error && (
            <div className={job.status === 'failed' ? 'qbo-error' : job.status === 'dismissed' ? 'qbo-dismissed' : 'qbo-warning'}>
              {job.error.message}
              {job.error.detail && <div className="detail">{job.error.detail}</div>}
            </div>
          )}
          {job.dismissal && (
            <div className="dismissal" data-testid="dismissal">
              Dismissed by {job.dismissal.by?.email ?? 'someone no longer here'} on {when(job.dismissal.at)}: “{job.dismissal.reason}”
            </div>
          )}
        </td>
        <td>
          <div className="nowrap">{when(job.createdAt)}</div>
          {job.startedBy && <div className="sub">by {job.startedBy.email}</div>}
        </td>
        <td className="num">{job.attempts}</td>
        <td>
          <div className="row-actions">
            {job.status === 'failed' && (
              <button type="button" onClick={onRetry} disabled={busy || !canRetry} aria-label={`Retry ${number}`}>
                Retry
              </button>
            )}
            {job.status === 'failed' && !dismissing && (
              <button type="button" onClick={() => setDismissing(true)} disabled={busy} aria-label={`Dismiss ${number}`}>
                Dismiss…
              </button>
            )}
            <button type="button" className="link" onClick={() => setOpen((o) => !o)} aria-expanded={open}>
              {open ? 'Hide attempts' : 'Attempts'}
            </button>
          </div>
        </td>
      </tr>
      {dismissing && job.status === 'failed' && (
        <tr className="dismiss-row">
          <td colSpan={7}>
            <form className="dismiss-form" aria-label={`Dismiss ${number}`} onSubmit={submitDismissal}>
              <span className="muted">Fixed by hand in QuickBooks? Say why, and this failure leaves the list without being pushed again.</span>
              <DismissReasonFields reason={reason} busy={busy} primary onReason={setReason} onCancel={() => setDismissing(false)} />
            </form>
          </td>
        </tr>
      )}
      {open && (
        <tr className="attempts-row">
          <td colSpan={7}>
            {detailError && <div className="alert error">{detailError}</div>}
            {!detail && !detailError && <div className="muted">Loading…</div>}
            {detail && <AttemptList attempts={detail.attemptHistory} />}
          </td>
        </tr>
      )}
    </>
  );
}

function AttemptList({ attempts }: { attempts: readonly SyncAttempt[] }) {
  if (attempts.length === 0) return <div className="muted">No attempt yet: waiting for a worker.</div>;
  return (
    <table className="attempts" aria-label="Attempts">
      <thead>
        <tr>
          <th>#</th>
          <th>Why</th>
          <th>Started by</th>
          <th>Started</th>
          <th>Finished</th>
          <th>Outcome</th>
        </tr>
      </thead>
      <tbody>
        {attempts.map((a) => (
          <tr key={`${a.attempt}-${a.startedAt}`}>
            <td>{a.attempt}</td>
            <td>{TRIGGER_LABELS[a.trigger]}</td>
            <td>{a.startedBy?.email ?? '—'}</td>
            <td>{when(a.startedAt)}</td>
            <td>{when(a.finishedAt)}</td>
            <td>
              {OUTCOME_LABELS[a.outcome]}
              {a.error && <div className="qbo-error">{a.error.message}</div>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

