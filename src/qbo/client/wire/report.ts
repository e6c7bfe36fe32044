import { z } from 'zod';

const ProviderColDataSchema = z.looseObject({
  value: z.string().default(''),
  id: z.string().optional(),
});

const ProviderColDataListSchema = z.looseObject({ ColData: z.array(ProviderColDataSchema).default([]) });

export interface ProviderReportRow {
  type?: string | undefined;
  group?: string | undefined;
  ColData?: z.output<typeof ProviderColDataSchema>[] | undefined;
  Header?: z.output<typeof ProviderColDataListSchema> | undefined;
  Summary?: z.output<typeof ProviderColDataListSchema> | undefined;
  Rows?: { Row: ProviderReportRow[] } | undefined;
}

/** Report cells are strings on the wire already (amounts included), so nothing is converted here. */
export const ProviderReportRowSchema: z.ZodType<ProviderReportRow> = z.lazy(() =>
  z.looseObject({
    type: z.string().optional(),
    group: z.string().optional(),
    ColData: z.array(ProviderColDataSchema).optional(),
    Header: ProviderColDataListSchema.optional(),
    Summary: ProviderColDataListSchema.optional(),
    Rows: z.looseObject({ Row: z.array(ProviderReportRowSchema).default([]) }).optional(),
  }),
);

// https://developer.intuit.com/app/developer/qbo/docs/api/accounting/report-entities/profitandloss
export const ProviderReportSchema = z.looseObject({
  Header: z.looseObject({
    Time: z.string().optional(),
    ReportName: z.string(),
    ReportBasis: z.string().optional(),
    StartPeriod: z.string().optional(),
    EndPeriod: z.string().optional(),
    Currency: z.string().optional(),
    Option: z.array(z.looseObject({ Name: z.string(), Value: z.string() })).optional(),
  }),
  Columns: z
    .looseObject({
      Column: z.array(z.looseObject({ ColTitle: z.string().default(''), ColType: z.string().optional() })).default([]),
    })
    .optional(),
  Rows: z.looseObject({ Row: z.array(ProviderReportRowSchema).default([]) }).optional(),
});
export type ProviderReport = z.output<typeof ProviderReportSchema>;

export const QBO_REPORT_NAMES = ['ProfitAndLoss'] as const;
export type QboReportName = (typeof QBO_REPORT_NAMES)[number];

export interface ProfitAndLossParams {
  readonly start_date?: string;
  readonly end_date?: string;
  readonly accounting_method?: 'Accrual' | 'Cash';
  readonly summarize_column_by?: 'Total' | 'Month' | 'Week' | 'Days' | 'Quarter' | 'Year' | 'Customers' | 'Vendors' | 'Classes';
  readonly date_macro?: string;
}

export interface ReportParams {
  readonly ProfitAndLoss: ProfitAndLossParams;
}
