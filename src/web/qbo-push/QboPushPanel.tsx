import { POSSIBLE_DUPLICATE_CODE } from '../../qbo/sync/month-end-words.js';
import type { LinkKind } from '../../server/routes/qbo-links/contract.js';
import { QBO_MAPPING_PAGE_PATH } from '../../server/routes/qbo-mapping/contract.js';
import type { DocumentPushStateView, PushError, PushStateResponse } from '../../server/routes/qbo-push/contract.js';
import { formatAmount, formatDate, withoutHeading } from '../format.js';
import { Link } from '../router.js';
import { PossibleDuplicateChoices } from './PossibleDuplicate.js';

const ENTITY_WORD = { invoice: 'invoice', estimate: 'estimate', purchase_order: 'purchase order' } as const;
const FIELD_WORD = { subtotal: 'Subtotal', tax: 'Tax', total: 'Total' } as const;

const PARTY_WORD: Readonly<Record<NonNullable<DocumentPushStateView['party']>['action'], string>> = {
  remembered: 'linked earlier',
  matched: 'matched by name',
  created: 'created in QuickBooks',
  created_renamed: 'created in QuickBooks under another name',
};

/** "+0.03" / "-388.00": QuickBooks minus Workroom, to the cent. */
function signed(value: string): string {
  return value.startsWith('-') ? formatAmount(value) : `+${formatAmount(value)}`;
}

function Totals({ totals, currency }: { totals: NonNullable<DocumentPushStateView['totals']>; currency: string }) {
  if (totals.differences.length === 0) {
    return (
      <p data-testid="qbo-push-totals" style={{ margin: '4px 0' }}>
        Totals match: QuickBooks and Workroom both say {formatAmount(totals.qboTotal)} {currency}.
      </p>
    );
  }
  return (
    <div data-testid="qbo-push-totals">
      <p style={{ margin: '4px 0' }}>
        QuickBooks' total is {formatAmount(totals.qboTotal)} {currency}, Workroom's {formatAmount(totals.workroomTotal)} {currency}: a difference of{' '}
        <strong data-testid="qbo-push-difference">{signed(totals.difference)}</strong>.
      </p>
      <table>
        <thead>
          <tr>
            <th />
            <th className="num">Workroom</th>
            <th className="num">QuickBooks</th>
            <th className="num">Difference</th>
            <th>Reason</th>
          </tr>
        </thead>
        <tbody>
          {totals.differences.map((d) => (
            <tr key={d.field}>
              <td>{FIELD_WORD[d.field]}</td>
              <td className="num">{formatAmount(d.workroom)}</td>
              <td className="num">{formatAmount(d.qbo)}</td>
              <td className="num">{signed(d.difference)}</td>
              <td>{d.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Refusals the mapping page fixes. */
const FIXED_IN_MAPPING: ReadonlySet<string> = new Set(['account_not_specified', 'tax_code_mismatch']);

/** Said before the push, so the user fixes the cause first instead of pushing to read it. */
function ForeseenRefusal({ refusal }: { refusal: PushError }) {
  return (
    <div className="alert warn" data-testid="qbo-push-refusal" style={{ marginTop: 8, marginBottom: 0 }}>
      <strong>A push now would be refused: {refusal.title}</strong>
      <div style={{ whiteSpace: 'pre-line' }}>{withoutHeading(refusal.title, refusal.message)}</div>
      {FIXED_IN_MAPPING.has(refusal.code) && (
        <div style={{ marginTop: 4 }}>
          <Link to={QBO_MAPPING_PAGE_PATH}>Open Settings → Finances → QuickBooks</Link>
        </div>
      )}
    </div>
  );
}

/** The document's client or vendor, and how to push the document again after a choice about it. */
export interface PushPanelParty {
  readonly kind: LinkKind;
  readonly id: string;
  readonly busy: boolean;
  readonly onPushAgain: () => void;
}

/**
 * Where this document stands in QuickBooks: the record it became (id, revision pushed), the totals check with
 * its reason, what was done about the customer/vendor, and the last error under its troubleshooting heading —
 * with Link or Create anyway when the push stopped at a possible duplicate customer/vendor — and, before a
 * push, what would refuse it.
 */
export function QboPushPanel({
  info,
  revision,
  currency,
  party,
}: {
  info: PushStateResponse;
  revision: number;
  currency: string;
  party: PushPanelParty | null;
}) {
  const state = info.state;
  const company = info.company?.name ?? 'QuickBooks';
  return (
    <section className="panel" aria-label="QuickBooks" data-testid="qbo-push-panel">
      <h2 style={{ marginTop: 0, fontSize: 15 }}>QuickBooks</h2>
      {state === null && <p className="muted" style={{ margin: 0 }}>Not pushed to {company} yet.</p>}
      {state?.qboId != null && (
        <p style={{ margin: '4px 0' }}>
          In {company} as {ENTITY_WORD[state.documentType]} <strong data-testid="qbo-push-id">#{state.qboId}</strong>
          {state.qboDocNumber !== null && <> (number {state.qboDocNumber})</>}, revision {state.pushedRevision} pushed {formatDate(state.pushedAt)}
          {state.operation === 'recreated' && <> (created again: the {ENTITY_WORD[state.documentType]} pushed before was deleted in QuickBooks)</>}.
          {state.pushedRevision !== null && state.pushedRevision < revision && (
            <span className="chip retainer" style={{ marginLeft: 8 }}>
              changed since
            </span>
          )}
        </p>
      )}
      {state?.totals != null && <Totals totals={state.totals} currency={currency} />}
      {state?.party != null && (
        <p className="muted" style={{ margin: '4px 0' }} data-testid="qbo-push-party">
          {state.documentType === 'purchase_order' ? 'Vendor' : 'Customer'}: {PARTY_WORD[state.party.action]}
          {state.party.qboId !== null && <> (#{state.party.qboId})</>}.{state.party.note !== null && <> {state.party.note}</>}
        </p>
      )}
      {state?.error != null && (
        <div className="alert error" role="alert" data-testid="qbo-push-error" style={{ marginTop: 8, marginBottom: 0 }}>
          <strong>{state.error.title}</strong>
          <div style={{ whiteSpace: 'pre-line' }}>{withoutHeading(state.error.title, state.error.message)}</div>
          {(state.error.qboCode !== null || state.error.detail !== null) && (
            <div style={{ fontSize: 12, marginTop: 4 }}>
              {state.error.qboCode !== null && <>QuickBooks error {state.error.qboCode}. </>}
              {state.error.detail}
            </div>
          )}
        </div>
      )}
      {info.refusal !== null && info.refusal.message !== state?.error?.message && <ForeseenRefusal refusal={info.refusal} />}
      {state?.error?.code === POSSIBLE_DUPLICATE_CODE && party !== null && (
        <PossibleDuplicateChoices kind={party.kind} partyId={party.id} busy={party.busy} onDecided={party.onPushAgain} />
      )}
    </section>
  );
}
