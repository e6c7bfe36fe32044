import type { EnvironmentEndpoints } from '../client/index.js';
import type { DateRange, PnlAccountingMethod, PnlColumnMode } from './date-range.js';

/** QBO's own column setting names for the report page (`column=monthly` is what QBO writes in its URLs). */
const QBO_COLUMN_PARAM: Readonly<Record<PnlColumnMode, string>> = {
  total: 'total',
  month: 'monthly',
  quarter: 'quarterly',
};

/** 2026-03-01 → 03/01/2026: QBO's report page takes US-style dates in low_date / high_date. */
function qboUiDate(isoDate: string): string {
  return `${isoDate.slice(5, 7)}/${isoDate.slice(8, 10)}/${isoDate.slice(0, 4)}`;
}

/**
 * The same Profit and Loss in the QBO web app of the connection's own environment (sandbox or production
 * app host), with the same dates, basis and columns, so "edit in QuickBooks" starts from what was shown.
 */
export function qboProfitAndLossUrl(
  endpoints: EnvironmentEndpoints,
  options: { range: DateRange; method: PnlAccountingMethod; columns: PnlColumnMode },
): string {
  const params = new URLSearchParams({
    token: 'PANDL',
    date_macro: 'custom',
    low_date: qboUiDate(options.range.start),
    high_date: qboUiDate(options.range.end),
    column: QBO_COLUMN_PARAM[options.columns],
    cash_basis: options.method === 'cash' ? 'yes' : 'no',
  });
  return `${endpoints.appHost}/app/reportv2?${params.toString()}`;
}
