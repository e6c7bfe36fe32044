import { Decimal } from 'decimal.js';

/** 12345.5 → "12,345.50": grouping done on the decimal string so no float ever touches an amount. */
export function formatAmount(value: string | Decimal): string {
  const fixed = new Decimal(value).toFixed(2);
  const negative = fixed.startsWith('-');
  const [whole = '0', cents = '00'] = (negative ? fixed.slice(1) : fixed).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}.${cents}`;
}

export function formatMoney(value: string | Decimal, currency: string): string {
  return `${formatAmount(value)} ${currency}`;
}

/** ISO date (yyyy-mm-dd…) shown as-is: accounting users read dates unambiguously that way. */
export function formatDate(value: string | null | undefined): string {
  return value ? value.slice(0, 10) : '—';
}

/**
 * A message without the leading "Title: " that the heading shown above it already says. A refusal lists one problem
 * per line, each under its own title: every line under the heading's title loses it, the others keep theirs.
 */
export function withoutHeading(title: string, message: string): string {
  const prefix = `${title}: `;
  return message
    .split('\n')
    .map((line) => (line.startsWith(prefix) ? line.slice(prefix.length) : line))
    .join('\n');
}
