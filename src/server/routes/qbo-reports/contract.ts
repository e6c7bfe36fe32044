/**
 * Reports → QuickBooks P&L: the route's query, its answers and their shapes, shared by the server and the
 * web page. Browser-safe (zod only). Amounts travel as decimal strings; null is a cell QBO leaves blank.
 */
import { z } from 'zod';
import { QboConnectionSchema } from '../qbo/contract.js';

export const PNL_RANGES = ['this_month', 'last_month', 'this_quarter', 'year_to_date', 'last_year', 'custom'] as const;
export type PnlRange = (typeof PNL_RANGES)[number];
export const PNL_RANGE_LABELS: Readonly<Record<PnlRange, string>> = {
  this_month: 'This month',
  last_month: 'Last month',
  this_quarter: 'This quarter',
  year_to_date: 'Year to date',
  last_year: 'Last year',
  custom: 'Custom',
};

export const PNL_METHODS = ['accrual', 'cash'] as const;
export type PnlMethod = (typeof PNL_METHODS)[number];
export const PNL_METHOD_LABELS: Readonly<Record<PnlMethod, string>> = { accrual: 'Accrual', cash: 'Cash' };

export const PNL_COLUMNS = ['total', 'month', 'quarter'] as const;
export type PnlColumns = (typeof PNL_COLUMNS)[number];
export const PNL_COLUMN_LABELS: Readonly<Record<PnlColumns, string>> = { total: 'Total only', month: 'Months', quarter: 'Quarters' };

const IsoDate = z.iso.date();

export const PnlQuerySchema = z
  .object({
    range: z.enum(PNL_RANGES).default('this_month'),
    start: IsoDate.optional().describe('custom range only'),
    end: IsoDate.optional().describe('custom range only'),
    method: z.enum(PNL_METHODS).default('accrual'),
    columns: z.enum(PNL_COLUMNS).default('total'),
    today: IsoDate.optional().describe("the user's calendar day, which presets count from; default the server's"),
  })
  .strict()
  .superRefine((q, ctx) => {
    if (q.range !== 'custom') return;
    if (q.start === undefined) ctx.addIssue({ code: 'custom', path: ['start'], message: 'a custom range needs a start date' });
    if (q.end === undefined) ctx.addIssue({ code: 'custom', path: ['end'], message: 'a custom range needs an end date' });
    if (q.start !== undefined && q.end !== undefined && q.start > q.end) {
      ctx.addIssue({ code: 'custom', path: ['end'], message: 'the end date must not be before the start date' });
    }
  });
export type PnlQuery = z.input<typeof PnlQuerySchema>;

export const PnlAmountSchema = z.string().nullable();
export type PnlAmount = z.infer<typeof PnlAmountSchema>;

export interface PnlLine {
  kind: 'line';
  label: string;
  accountId: string | null;
  amounts: PnlAmount[];
}

export interface PnlSection {
  kind: 'section';
  /** QBO's group for top-level sections (Income, COGS, GrossProfit…); null for a parent account. */
  group: string | null;
  label: string;
  accountId: string | null;
  /** False for summary-only sections (Gross Profit, Net Income…), shown as one total line. */
  hasHeader: boolean;
  /** A parent account's own postings, shown on its header row; blank for top-level sections. */
  headerAmounts: PnlAmount[];
  children: PnlNode[];
  summary: { label: string; amounts: PnlAmount[] } | null;
}

export type PnlNode = PnlLine | PnlSection;

const PnlLineSchema = z.object({
  kind: z.literal('line'),
  label: z.string(),
  accountId: z.string().nullable(),
  amounts: z.array(PnlAmountSchema),
});

export const PnlNodeSchema: z.ZodType<PnlNode> = z.lazy(() =>
  z.discriminatedUnion('kind', [
    PnlLineSchema,
    z.object({
      kind: z.literal('section'),
      group: z.string().nullable(),
      label: z.string(),
      accountId: z.string().nullable(),
      hasHeader: z.boolean(),
      headerAmounts: z.array(PnlAmountSchema),
      children: z.array(PnlNodeSchema),
      summary: z.object({ label: z.string(), amounts: z.array(PnlAmountSchema) }).nullable(),
    }),
  ]),
);

export const PNL_TOTAL_KEYS = [
  'Income',
  'COGS',
  'GrossProfit',
  'Expenses',
  'NetOperatingIncome',
  'OtherIncome',
  'OtherExpenses',
  'NetOtherIncome',
  'NetIncome',
] as const;
export type PnlTotalKey = (typeof PNL_TOTAL_KEYS)[number];

export const PnlReportSchema = z.object({
  basis: z.string().nullable(),
  startPeriod: z.string().nullable(),
  endPeriod: z.string().nullable(),
  currency: z.string().nullable(),
  /** Money columns in QBO's order: one per month/quarter when summarized, then Total. */
  columns: z.array(z.object({ title: z.string(), key: z.string().nullable() })),
  /** True only when QBO itself said the period has no data. */
  noData: z.boolean(),
  rows: z.array(PnlNodeSchema),
  /** Each total QBO printed (Total Income, Gross Profit, …, Net Income), per column; absent groups stay absent. */
  totals: z.partialRecord(z.enum(PNL_TOTAL_KEYS), z.array(PnlAmountSchema)),
});
export type PnlReport = z.infer<typeof PnlReportSchema>;

export const PnlResponseSchema = z.object({
  range: z.object({ preset: z.enum(PNL_RANGES), start: z.string(), end: z.string() }),
  method: z.enum(PNL_METHODS),
  columns: z.enum(PNL_COLUMNS),
  company: z.object({ name: z.string(), realmId: z.string(), environment: z.enum(['sandbox', 'production']) }),
  /** The same report in the QBO web app of the connection's environment. */
  qboUrl: z.string(),
  /** When Workroom asked QBO: the report is never cached. */
  fetchedAt: z.string(),
  report: PnlReportSchema,
});
export type PnlResponse = z.infer<typeof PnlResponseSchema>;

/** 409: QuickBooks is not connected, or its authorization no longer works. */
export const PnlConnectionProblemSchema = z.object({
  error: z.enum(['not_connected', 'needs_reconnect']),
  message: z.string(),
  /** The connection as it stands now, so the page and the navigation can follow it. */
  connection: QboConnectionSchema,
  /** QBO's own code and words when the failure came from QBO. */
  qboCode: z.string().nullable(),
});
export type PnlConnectionProblem = z.infer<typeof PnlConnectionProblemSchema>;

/** 502: QBO answered with a fault (or something unreadable); its code and message, verbatim. */
export const PnlQboErrorSchema = z.object({
  error: z.literal('qbo_error'),
  /** Workroom's classification (docs/errors.md). */
  code: z.string(),
  /** QBO's own error code, e.g. "6000"; null when the failure never reached QBO. */
  qboCode: z.string().nullable(),
  message: z.string(),
  detail: z.string().nullable(),
  status: z.number().nullable(),
  intuitTid: z.string().nullable(),
});
export type PnlQboError = z.infer<typeof PnlQboErrorSchema>;

export const QBO_REPORT_ROUTES = {
  profitAndLoss: { method: 'GET', path: '/api/qbo/reports/profit-and-loss' },
} as const;

/** The web page's path (also the navigation item's). */
export const QBO_PNL_PAGE_PATH = '/reports/quickbooks-pl';
