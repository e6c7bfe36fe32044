/**
 * The P&L's date-range presets, resolved to the explicit start and end dates QBO is asked for. Explicit
 * dates (rather than QBO's date_macro) keep the range the user saw and the range QBO used the same, and
 * the QBO link at the top of the page can repeat them exactly.
 */
export const PNL_RANGE_PRESETS = ['this_month', 'last_month', 'this_quarter', 'year_to_date', 'last_year', 'custom'] as const;
export type PnlRangePreset = (typeof PNL_RANGE_PRESETS)[number];

export const PNL_ACCOUNTING_METHODS = ['accrual', 'cash'] as const;
export type PnlAccountingMethod = (typeof PNL_ACCOUNTING_METHODS)[number];

/** How QBO splits the money columns: one Total column, or one per month / quarter plus Total. */
export const PNL_COLUMN_MODES = ['total', 'month', 'quarter'] as const;
export type PnlColumnMode = (typeof PNL_COLUMN_MODES)[number];

export interface DateRange {
  readonly start: string;
  readonly end: string;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date in YYYY-MM-DD (2026-02-30 is not). */
export function isIsoDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function iso(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function monthRange(year: number, firstMonth: number, months: number): DateRange {
  const lastMonth = firstMonth + months - 1;
  return { start: iso(year, firstMonth, 1), end: iso(year, lastMonth, daysInMonth(year, lastMonth)) };
}

/**
 * The dates a preset covers on `today` (the user's calendar day). Quarters and years are calendar ones.
 * `custom` needs its own start and end, start not after end.
 */
export function resolvePnlRange(preset: PnlRangePreset, today: string, custom?: Partial<DateRange>): DateRange {
  if (!isIsoDate(today)) throw new RangeError(`today must be YYYY-MM-DD, got ${today}`);
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  switch (preset) {
    case 'this_month':
      return monthRange(year, month, 1);
    case 'last_month':
      return month === 1 ? monthRange(year - 1, 12, 1) : monthRange(year, month - 1, 1);
    case 'this_quarter':
      return monthRange(year, Math.floor((month - 1) / 3) * 3 + 1, 3);
    case 'year_to_date':
      return { start: iso(year, 1, 1), end: today };
    case 'last_year':
      return monthRange(year - 1, 1, 12);
    case 'custom': {
      const { start, end } = custom ?? {};
      if (start === undefined || end === undefined || !isIsoDate(start) || !isIsoDate(end)) {
        throw new RangeError('a custom range needs a start and an end date (YYYY-MM-DD)');
      }
      if (start > end) throw new RangeError('a custom range must not start after it ends');
      return { start, end };
    }
  }
}

/** The server's own calendar day, for callers that do not say which day it is for the user. */
export function localToday(now: Date = new Date()): string {
  return iso(now.getFullYear(), now.getMonth() + 1, now.getDate());
}
