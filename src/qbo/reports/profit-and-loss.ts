import { Decimal } from 'decimal.js';
import { z } from 'zod';

// https://developer.intuit.com/app/developer/qbo/docs/api/accounting/report-entities/profitandloss
const ColDataSchema = z.object({ value: z.string().optional().default(''), id: z.string().optional() }).loose();
const ColDataListSchema = z.object({ ColData: z.array(ColDataSchema) }).loose();

interface ProviderReportRow {
  type?: string | undefined;
  group?: string | undefined;
  ColData?: z.infer<typeof ColDataSchema>[] | undefined;
  Header?: z.infer<typeof ColDataListSchema> | undefined;
  Rows?: { Row?: ProviderReportRow[] | undefined } | undefined;
  Summary?: z.infer<typeof ColDataListSchema> | undefined;
}

const ProviderReportRowSchema: z.ZodType<ProviderReportRow> = z.lazy(() =>
  z
    .object({
      type: z.string().optional(),
      group: z.string().optional(),
      ColData: z.array(ColDataSchema).optional(),
      Header: ColDataListSchema.optional(),
      Rows: z.object({ Row: z.array(ProviderReportRowSchema).optional() }).loose().optional(),
      Summary: ColDataListSchema.optional(),
    })
    .loose(),
);

export const ProviderProfitAndLossSchema = z
  .object({
    Header: z
      .object({
        ReportName: z.string().optional(),
        ReportBasis: z.string().optional(),
        StartPeriod: z.string().optional(),
        EndPeriod: z.string().optional(),
        SummarizeColumnsBy: z.string().optional(),
        Currency: z.string().optional(),
        Option: z.array(z.object({ Name: z.string(), Value: z.string() })).optional(),
      })
      .loose(),
    Columns: z
      .object({
        Column: z
          .array(
            z
              .object({
                ColTitle: z.string().optional().default(''),
                ColType: z.string().optional().default(''),
                MetaData: z.array(z.object({ Name: z.string(), Value: z.string() })).optional(),
              })
              .loose(),
          )
          .optional()
          .default([]),
      })
      .loose()
      .optional(),
    Rows: z.object({ Row: z.array(ProviderReportRowSchema).optional() }).loose().optional(),
  })
  .loose();

export type ProviderProfitAndLoss = z.infer<typeof ProviderProfitAndLossSchema>;

/** An amount cell: null where QBO shows nothing (a blank cell is not zero). */
export type Amount = Decimal | null;

export interface ReportLine {
  kind: 'line';
  label: string;
  accountId: string | undefined;
  amounts: Amount[];
}

export interface ReportSection {
  kind: 'section';
  /** QBO's group name for top-level sections (Income, COGS, GrossProfit…); absent for sub-account sections. */
  group: string | undefined;
  label: string;
  accountId: string | undefined;
  /** False for summary-only sections (Gross Profit, Net Income…), which QBO prints as one total line. */
  hasHeader: boolean;
  /** Amounts on the header row: a parent account's own postings when it has sub-accounts. */
  headerAmounts: Amount[];
  children: ReportNode[];
  summary: { label: string; amounts: Amount[] } | undefined;
}

export type ReportNode = ReportLine | ReportSection;

export const PNL_TOTAL_GROUPS = [
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
export type PnlTotalGroup = (typeof PNL_TOTAL_GROUPS)[number];

export interface ProfitAndLoss {
  basis: string | undefined;
  startPeriod: string | undefined;
  endPeriod: string | undefined;
  currency: string | undefined;
  /** Money columns in QBO's order (one per month/quarter when summarized, then Total). */
  columns: { title: string; key: string | undefined }[];
  /** True only when QBO itself said the period has no report data. */
  noData: boolean;
  rows: ReportNode[];
  /** Each group's summary amounts as QBO printed them; absent groups are not invented. */
  totals: Partial<Record<PnlTotalGroup, Amount[]>>;
}

function parseAmount(value: string): Amount {
  const trimmed = value.trim();
  if (trimmed === '') return null;
  return new Decimal(trimmed);
}

function amountsOf(cells: { value: string }[] | undefined): Amount[] {
  return (cells ?? []).slice(1).map((c) => parseAmount(c.value));
}

function parseRow(row: ProviderReportRow): ReportNode | undefined {
  const isSection = row.type === 'Section' || row.Rows !== undefined || row.Summary !== undefined || row.Header !== undefined;
  if (!isSection) {
    const [first] = row.ColData ?? [];
    if (!first) return undefined;
    return { kind: 'line', label: first.value, accountId: first.id, amounts: amountsOf(row.ColData) };
  }
  const headerCells = row.Header?.ColData;
  const summaryCells = row.Summary?.ColData;
  return {
    kind: 'section',
    group: row.group,
    label: headerCells?.[0]?.value ?? summaryCells?.[0]?.value ?? row.group ?? '',
    accountId: headerCells?.[0]?.id,
    hasHeader: headerCells !== undefined,
    headerAmounts: amountsOf(headerCells),
    children: (row.Rows?.Row ?? []).map(parseRow).filter((n): n is ReportNode => n !== undefined),
    summary: summaryCells ? { label: summaryCells[0]?.value ?? '', amounts: amountsOf(summaryCells) } : undefined,
  };
}

/** QBO's report JSON → a typed tree that keeps every line in QBO's order, amounts as decimals. */
export function parseProfitAndLoss(input: unknown): ProfitAndLoss {
  const report = ProviderProfitAndLossSchema.parse(input);
  const columns = (report.Columns?.Column ?? [])
    .filter((c) => c.ColType === 'Money')
    .map((c) => ({ title: c.ColTitle, key: c.MetaData?.find((m) => m.Name === 'ColKey')?.Value }));
  const rows = (report.Rows?.Row ?? []).map(parseRow).filter((n): n is ReportNode => n !== undefined);
  const totals: Partial<Record<PnlTotalGroup, Amount[]>> = {};
  for (const node of rows) {
    if (node.kind === 'section' && node.summary && isTotalGroup(node.group)) totals[node.group] = node.summary.amounts;
  }
  const noDataOption = report.Header.Option?.find((o) => o.Name === 'NoReportData');
  return {
    basis: report.Header.ReportBasis,
    startPeriod: report.Header.StartPeriod,
    endPeriod: report.Header.EndPeriod,
    currency: report.Header.Currency,
    columns,
    noData: noDataOption?.Value === 'true',
    rows,
    totals,
  };
}

function isTotalGroup(group: string | undefined): group is PnlTotalGroup {
  return (PNL_TOTAL_GROUPS as readonly (string | undefined)[]).includes(group);
}
