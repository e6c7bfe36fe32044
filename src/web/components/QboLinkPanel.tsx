import { useEffect, useState } from 'react';
import type { LinkKind, LinkSearchPage, PartyLinkView } from '../../server/routes/qbo-links/contract.js';
import { useLoad } from '../hooks.js';
import { Link } from '../router.js';
import { createPartyAnyway, fetchPartyLink, linkParty, searchQboParties, unlinkParty } from './qbo-month-end-api.js';

const WORDS: Readonly<Record<LinkKind, { local: string; qbo: string }>> = {
  clients: { local: 'client', qbo: 'customer' },
  vendors: { local: 'vendor', qbo: 'vendor' },
};

/** Waits for the user to stop typing before asking QuickBooks. */
const TYPE_AHEAD_MS = 250;

type Notice = { readonly kind: 'success' | 'error'; readonly text: string } | null;

/**
 * The client / vendor page's QuickBooks panel: which QBO record this party is linked to (Unlink), Link to
 * QuickBooks record (type-ahead over the company's customers or vendors), and a push's "Possible duplicate"
 * with Link or Create anyway. Hidden until QuickBooks has been connected once.
 */
export function QboLinkPanel({ kind, id }: { kind: LinkKind; id: string }) {
  const [loaded, reload] = useLoad(() => fetchPartyLink(kind, id), [kind, id]);
  const [view, setView] = useState<PartyLinkView | null>(null);
  const [searching, setSearching] = useState(false);
  const [notice, setNotice] = useState<Notice>(null);
  const [busy, setBusy] = useState(false);
  const words = WORDS[kind];

  useEffect(() => {
    if (loaded.state === 'ready') setView(loaded.data);
  }, [loaded]);

  const act = async (work: () => Promise<PartyLinkView>, success: (v: PartyLinkView) => string): Promise<void> => {
    setBusy(true);
    setNotice(null);
    try {
      const next = await work();
      setView(next);
      setSearching(false);
      setNotice({ kind: 'success', text: success(next) });
    } catch (err) {
      setNotice({ kind: 'error', text: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(false);
    }
  };

  const link = (qboId: string, name: string) =>
    act(() => linkParty(kind, id, qboId), () => `Linked to the QuickBooks ${words.qbo} “${name}”. Pushes for this ${words.local} now use it.`);

  if (loaded.state === 'failed') {
    return (
      <section className="panel" aria-label="QuickBooks">
        <h2>QuickBooks</h2>
        <div className="alert error" role="alert">
          {loaded.message}
        </div>
        <button type="button" onClick={reload}>
          Try again
        </button>
      </section>
    );
  }
  if (view === null || view.company === null) return null;
  const connected = view.company.connected;
  const duplicate = view.duplicate;

  return (
    <section className="panel" aria-label="QuickBooks">
      <h2>QuickBooks</h2>
      {notice && (
        <div className={`alert ${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'}>
          {notice.text}
        </div>
      )}
      {view.notice && <div className="alert error">{view.notice}</div>}
      {!connected && (
        <p className="muted">
          QuickBooks is not connected right now; links to {view.company.name} are kept. <Link to="/settings/apps">Settings → Apps</Link>
        </p>
      )}

      {duplicate && duplicate.status === 'pending' && !duplicate.stale && (
        <div className="alert error" role="alert" data-testid="possible-duplicate">
          <p style={{ marginTop: 0 }}>{duplicate.message}</p>
          <div className="form-actions" style={{ marginTop: 8 }}>
            {duplicate.candidates.map((c) => (
              <button key={c.qboId} type="button" className="primary" disabled={busy || !connected} onClick={() => void link(c.qboId, c.displayName)}>
                Link to “{c.displayName}”
              </button>
            ))}
            <button
              type="button"
              disabled={busy || !connected}
              onClick={() =>
                void act(
                  () => createPartyAnyway(kind, id),
                  () => `The next push creates “${view.name}” as a new QuickBooks ${words.qbo}.`,
                )
              }
            >
              Create anyway
            </button>
          </div>
        </div>
      )}
      {duplicate && duplicate.status === 'create_anyway' && !duplicate.stale && (
        <p className="muted">You chose Create anyway: the next push creates “{duplicate.localName}” as a new QuickBooks {words.qbo}.</p>
      )}

      {view.link ? (
        <div data-testid="qbo-link">
          <p style={{ marginTop: 0 }}>
            Linked to QuickBooks {words.qbo}{' '}
            <strong>{view.link.displayName === null ? `#${view.link.qboId}` : `“${view.link.displayName}”`}</strong>{' '}
            <span className="muted">(id {view.link.qboId})</span>
            {view.link.active === false && <span className="muted"> — inactive in QuickBooks</span>}
            {view.link.linkedAt && (
              <span className="muted">
                {' '}
                · linked by hand{view.link.linkedByEmail ? ` by ${view.link.linkedByEmail}` : ''} on {new Date(view.link.linkedAt).toLocaleDateString()}
              </span>
            )}
            {view.link.url && (
              <>
                {' '}
                <a href={view.link.url} target="_blank" rel="noreferrer">
                  Open in QuickBooks
                </a>
              </>
            )}
          </p>
          <div className="form-actions">
            <button
              type="button"
              disabled={busy}
              onClick={() =>
                void act(
                  () => unlinkParty(kind, id),
                  () => `Unlinked. The next push looks for a QuickBooks ${words.qbo} named exactly “${view.name}”.`,
                )
              }
            >
              Unlink
            </button>
            <button type="button" disabled={busy || !connected} onClick={() => setSearching((s) => !s)}>
              Link to another record
            </button>
          </div>
        </div>
      ) : (
        <div data-testid="qbo-link">
          <p className="muted" style={{ marginTop: 0 }}>
            Not linked. The first push looks for a QuickBooks {words.qbo} named exactly “{view.name}” and creates one if there is none.
          </p>
          {!searching && (
            <button type="button" disabled={busy || !connected} onClick={() => setSearching(true)}>
              Link to QuickBooks record
            </button>
          )}
        </div>
      )}
      {searching && connected && (
        <PartySearch kind={kind} id={id} initial={view.name} busy={busy} onPick={(qboId, name) => void link(qboId, name)} onCancel={() => setSearching(false)} />
      )}
    </section>
  );
}

function PartySearch({
  kind,
  id,
  initial,
  busy,
  onPick,
  onCancel,
}: {
  kind: LinkKind;
  id: string;
  initial: string;
  busy: boolean;
  onPick: (qboId: string, name: string) => void;
  onCancel: () => void;
}) {
  const words = WORDS[kind];
  const [text, setText] = useState(initial.split(/[^\p{L}\p{N}]/u)[0] ?? '');
  const [query, setQuery] = useState(text);
  const [page, setPage] = useState(1);
  const [result, setResult] = useState<{ state: 'loading' } | { state: 'ready'; data: LinkSearchPage } | { state: 'failed'; message: string }>({ state: 'loading' });

  useEffect(() => {
    const timer = setTimeout(() => {
      setQuery(text);
      setPage(1);
    }, TYPE_AHEAD_MS);
    return () => clearTimeout(timer);
  }, [text]);

  useEffect(() => {
    let current = true;
    setResult({ state: 'loading' });
    searchQboParties(kind, id, query, page).then(
      (data) => current && setResult({ state: 'ready', data }),
      (err: unknown) => current && setResult({ state: 'failed', message: err instanceof Error ? err.message : String(err) }),
    );
    return () => {
      current = false;
    };
  }, [kind, id, query, page]);

  return (
    <div className="qbo-link-search" style={{ marginTop: 12 }}>
      <label className="field">
        <span>Search QuickBooks {words.qbo}s</span>
        <input type="search" value={text} autoFocus onChange={(e) => setText(e.target.value)} aria-label={`Search QuickBooks ${words.qbo}s`} />
      </label>
      {result.state === 'loading' && <div className="empty">Searching QuickBooks…</div>}
      {result.state === 'failed' && (
        <div className="alert error" role="alert">
          {result.message}
        </div>
      )}
      {result.state === 'ready' && (
        <>
          {result.data.items.length === 0 ? (
            <div className="empty">No QuickBooks {words.qbo} matches “{query}”.</div>
          ) : (
            <table aria-label={`QuickBooks ${words.qbo}s`}>
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Email</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {result.data.items.map((item) => (
                  <tr key={item.qboId}>
                    <td>
                      {item.displayName} <span className="muted">#{item.qboId}</span>
                    </td>
                    <td>{item.email ?? ''}</td>
                    <td className="num">
                      {item.linkedTo && item.linkedTo.id !== id ? (
                        <span className="muted">
                          linked to <Link to={`/${kind}/${item.linkedTo.id}`}>{item.linkedTo.name}</Link>
                        </span>
                      ) : (
                        <button type="button" disabled={busy || item.linkedTo?.id === id} onClick={() => onPick(item.qboId, item.displayName)}>
                          {item.linkedTo?.id === id ? 'Linked' : 'Link'}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <div className="form-actions">
            <button type="button" disabled={page === 1} onClick={() => setPage((p) => p - 1)}>
              Previous
            </button>
            <button type="button" disabled={!result.data.hasMore} onClick={() => setPage((p) => p + 1)}>
              Next
            </button>
            <button type="button" onClick={onCancel}>
              Cancel
            </button>
          </div>
        </>
      )}
    </div>
  );
}
