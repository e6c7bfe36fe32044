import type { DocumentTotals } from '../../server/api/contract.js';
import { formatAmount } from '../format.js';

/**
 * Subtotal, each tax component, total; every figure is labelled so it can be read out and tested.
 * A tax total row appears only when it adds something (no tax, or several components).
 */
export function TotalsPanel({ totals, currency }: { totals: DocumentTotals; currency: string }) {
  return (
    <dl className="totals" aria-label="Totals">
      <div>
        <dt>Subtotal</dt>
        <dd aria-label="Subtotal">{formatAmount(totals.subtotal)}</dd>
      </div>
      {totals.taxes.map((tax) => {
        const label = tax.component === tax.taxName ? `${tax.taxName} ${tax.rate}%` : `${tax.taxName}: ${tax.component} ${tax.rate}%`;
        return (
          <div key={`${tax.taxCodeId ?? 'sales'}-${tax.component}`}>
            <dt>{label}</dt>
            <dd aria-label={label}>{formatAmount(tax.amount)}</dd>
          </div>
        );
      })}
      {totals.taxes.length !== 1 && (
        <div>
          <dt>Tax</dt>
          <dd aria-label="Tax">{formatAmount(totals.taxTotal)}</dd>
        </div>
      )}
      <div className="grand">
        <dt>Total {currency}</dt>
        <dd aria-label="Total">{formatAmount(totals.total)}</dd>
      </div>
    </dl>
  );
}
