import { useState } from 'react';
import type { LinkKind, PartyLinkView } from '../../server/routes/qbo-links/contract.js';
import { createPartyAnyway, fetchPartyLink, linkParty } from '../components/qbo-month-end-api.js';
import { useLoad } from '../hooks.js';
import { Link } from '../router.js';

const WORDS: Readonly<Record<LinkKind, { local: string; qbo: string }>> = {
  clients: { local: 'client', qbo: 'customer' },
  vendors: { local: 'vendor', qbo: 'vendor' },
};

/**
 * The two ways out of a push stopped with "Possible duplicate", right where the failure is shown: link the
 * client/vendor to one of the close-named QuickBooks records, or create a new one anyway. Either choice is
 * recorded for the party (the same one its own page offers) and the document is pushed again at once.
 */
export function PossibleDuplicateChoices({
  kind,
  partyId,
  busy,
  onDecided,
}: {
  kind: LinkKind;
  partyId: string;
  busy: boolean;
  /** Pushes the document again once the choice is recorded. */
  onDecided: () => void;
}) {
  const [loaded] = useLoad(() => fetchPartyLink(kind, partyId), [kind, partyId]);
  const [deciding, setDeciding] = useState(false);
  const [failure, setFailure] = useState('');
  const words = WORDS[kind];

  const decide = (work: () => Promise<PartyLinkView>): void => {
    setDeciding(true);
    setFailure('');
    work().then(
      () => {
        setDeciding(false);
        onDecided();
      },
      (err: unknown) => {
        setDeciding(false);
        setFailure(err instanceof Error ? err.message : String(err));
      },
    );
  };

  if (loaded.state === 'loading') return null;
  const partyLink = (
    <Link to={`/${kind}/${partyId}`}>
      Open the {words.local}
    </Link>
  );
  if (loaded.state === 'failed') {
    return (
      <div data-testid="possible-duplicate-choices" style={{ marginTop: 8 }}>
        {loaded.message} {partyLink}
      </div>
    );
  }
  const view = loaded.data;
  const duplicate = view.duplicate;
  const disabled = busy || deciding || view.company?.connected !== true;
  return (
    <div data-testid="possible-duplicate-choices" style={{ marginTop: 8 }}>
      {duplicate?.status === 'pending' && !duplicate.stale ? (
        <div className="form-actions" style={{ marginTop: 0 }}>
          {duplicate.candidates.map((c) => (
            <button key={c.qboId} type="button" className="primary" disabled={disabled} onClick={() => decide(() => linkParty(kind, partyId, c.qboId))}>
              Link to “{c.displayName}”
            </button>
          ))}
          <button type="button" disabled={disabled} onClick={() => decide(() => createPartyAnyway(kind, partyId))}>
            Create anyway
          </button>
        </div>
      ) : (
        // Decided on the party's page already (or renamed since): pushing again checks afresh.
        <button type="button" disabled={disabled} onClick={onDecided}>
          Push again
        </button>
      )}
      <p className="muted" style={{ margin: '4px 0 0' }}>
        Link pushes to the existing QuickBooks {words.qbo}; Create anyway makes a new one named “{view.name}”. Either way the document is pushed again. {partyLink}
      </p>
      {failure !== '' && (
        <div className="alert error" role="alert" style={{ marginTop: 4, marginBottom: 0 }}>
          {failure}
        </div>
      )}
    </div>
  );
}
