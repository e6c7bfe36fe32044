/**
 * Settings → Finances → QuickBooks: account and tax mapping. The routes' shapes and the slot wording, shared
 * by the server and the page. Browser-safe (zod only): the body schemas mirror AccountMappingSchema and
 * TaxMappingSchema of src/qbo/mapping, and the routes fail to compile if the two drift apart.
 */
import { z } from 'zod';

const WorkroomId = z.string().trim().min(1).max(64);
const QboId = z.string().trim().min(1).max(64);

export const AccountMappingBodySchema = z
  .object({
    defaultIncomeAccountId: QboId.nullable().default(null),
    incomeByCategory: z.record(WorkroomId, QboId).default({}).describe('Workroom category id → QBO income account id'),
    defaultExpenseAccountId: QboId.nullable().default(null),
    expenseByVendor: z.record(WorkroomId, QboId).default({}).describe('Workroom vendor id → QBO expense account id'),
    retainerLiabilityAccountId: QboId.nullable().default(null),
    salesTaxPayableAccountId: QboId.nullable().default(null),
  })
  .strict();
export type AccountMappingBody = z.input<typeof AccountMappingBodySchema>;
export type AccountMappingView = z.output<typeof AccountMappingBodySchema>;

export const TaxMappingBodySchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('sales_tax'),
      salesTaxCodeId: QboId.nullable().default(null).describe('the QBO tax code paired with the Sales Tax %'),
      exemptTaxCodeId: QboId.nullable().default(null).describe('non-US companies: the QBO code for untaxed lines'),
    })
    .strict(),
  z
    .object({
      kind: z.literal('tax_codes'),
      codes: z.record(WorkroomId, QboId).default({}).describe('Workroom tax code id → QBO tax code id'),
      noTaxCodeId: QboId.nullable().default(null).describe('the QBO code for lines without a Workroom tax code'),
    })
    .strict(),
]);
export type TaxMappingBody = z.input<typeof TaxMappingBodySchema>;
export type TaxMappingView = z.output<typeof TaxMappingBodySchema>;

export const ACCOUNT_PURPOSES = ['income', 'expense', 'retainer', 'sales_tax_payable'] as const;
export type AccountPurposeName = (typeof ACCOUNT_PURPOSES)[number];

/** The four fixed account slots, in the order the help page lists them. */
export const ACCOUNT_SLOTS = [
  {
    field: 'defaultIncomeAccountId',
    label: 'Default Income Account',
    purpose: 'income',
    hint: 'Where Estimate and Invoice line revenue posts, e.g. Design Services or Sales of Product Income.',
  },
  {
    field: 'defaultExpenseAccountId',
    label: 'Default Expense Account',
    purpose: 'expense',
    hint: 'Where Purchase Order purchases post, e.g. Cost of Goods Sold or Purchases.',
  },
  {
    field: 'retainerLiabilityAccountId',
    label: 'Retainer / Deposit Liability',
    purpose: 'retainer',
    hint: 'Where client retainers land. Must be a liability account, not income.',
  },
  {
    field: 'salesTaxPayableAccountId',
    label: 'Sales Tax Payable',
    purpose: 'sales_tax_payable',
    hint: 'Usually set up by QuickBooks itself. QuickBooks posts collected tax there on its own.',
  },
] as const satisfies readonly { field: keyof AccountMappingView; label: string; purpose: AccountPurposeName; hint: string }[];
export type AccountSlotField = (typeof ACCOUNT_SLOTS)[number]['field'];

export const QboAccountChoiceSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** "Services:Design Services" for a sub-account. */
  fullName: z.string(),
  type: z.string(),
  subType: z.string().nullable(),
});
export type QboAccountChoice = z.infer<typeof QboAccountChoiceSchema>;

export const QboTaxCodeChoiceSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  /** The sum of the code's sales rates in %, as a decimal string; null when QBO did not say. */
  rate: z.string().nullable(),
});
export type QboTaxCodeChoice = z.infer<typeof QboTaxCodeChoiceSchema>;

export const MappingIssueSchema = z.object({
  /** The mapping field: "defaultIncomeAccountId", "incomeByCategory.<id>", "codes.<id>", "salesTaxCodeId"… */
  field: z.string(),
  message: z.string(),
});
export type MappingIssue = z.infer<typeof MappingIssueSchema>;

export const MappingWarningSchema = MappingIssueSchema.extend({
  /** push_fails: a push of this kind is refused until the slot is mapped; tax_rate_differs: QBO will compute other tax. */
  kind: z.enum(['push_fails', 'tax_rate_differs']),
});
export type MappingWarning = z.infer<typeof MappingWarningSchema>;

const Named = z.object({ id: z.string(), name: z.string() });

export const QboMappingViewSchema = z.object({
  /** The connected company file; the mapping shown belongs to it alone. */
  company: z.object({
    realmId: z.string(),
    name: z.string(),
    country: z.string(),
    homeCurrency: z.string(),
    taxModel: z.enum(['us', 'global']).describe('us: one tax code per document; global: a tax code on every line'),
  }),
  organisation: z.object({
    country: z.string(),
    taxModel: z.enum(['sales_tax', 'tax_codes']),
    salesTaxRate: z.string(),
  }),
  categories: z.array(Named),
  vendors: z.array(Named),
  /** Workroom's tax codes (Canadian organisations), with the sum of their rates in %. */
  taxCodes: z.array(Named.extend({ rate: z.string() })),
  accounts: AccountMappingBodySchema,
  tax: TaxMappingBodySchema,
  /** Read live from the company: active accounts of the types each slot accepts, and active tax codes. */
  choices: z.object({
    income: z.array(QboAccountChoiceSchema),
    expense: z.array(QboAccountChoiceSchema),
    retainer: z.array(QboAccountChoiceSchema),
    salesTaxPayable: z.array(QboAccountChoiceSchema),
    taxCodes: z.array(QboTaxCodeChoiceSchema),
  }),
  /** Saved choices the company no longer accepts (account deleted, made inactive, type changed). */
  problems: z.array(MappingIssueSchema),
  /** What goes wrong on push with the mapping as saved. */
  warnings: z.array(MappingWarningSchema),
});
export type QboMappingView = z.infer<typeof QboMappingViewSchema>;

/** The Sync Center's notice: only the slots whose emptiness makes pushes fail, from Workroom's own records. */
export const QboMappingGapsSchema = QboMappingViewSchema.pick({ categories: true, vendors: true, taxCodes: true, warnings: true });
export type QboMappingGaps = z.infer<typeof QboMappingGapsSchema>;

export const QBO_MAPPING_ROUTES = {
  get: { method: 'GET', path: '/api/qbo/mapping' },
  gaps: { method: 'GET', path: '/api/qbo/mapping/gaps' },
  putAccounts: { method: 'PUT', path: '/api/qbo/mapping/accounts' },
  putTax: { method: 'PUT', path: '/api/qbo/mapping/tax' },
} as const;

/** Where the page lives. */
export const QBO_MAPPING_PAGE_PATH = '/settings/finances/quickbooks';
