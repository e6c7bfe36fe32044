import { Decimal } from 'decimal.js';
import type { TaxModel as WorkroomTaxModel } from '../../domain/tax.js';
import type { ProviderAccount, ProviderTaxCode, ProviderTaxRate } from '../client/index.js';
import type { TaxModel as CompanyTaxModel } from '../connection/index.js';
import {
  accountsFor,
  validateAccountMapping,
  validateTaxMapping,
  type AccountMapping,
  type AccountPurpose,
  type TaxMapping,
} from '../mapping/index.js';

/**
 * The pure half of Settings → Finances → QuickBooks: what the pickers offer from the live company, which
 * saved choices the company no longer accepts, and which pushes fail with the mapping as saved.
 */

export interface AccountChoice {
  readonly id: string;
  readonly name: string;
  readonly fullName: string;
  readonly type: string;
  readonly subType: string | null;
}

export interface TaxCodeChoice {
  readonly id: string;
  readonly name: string;
  readonly description: string | null;
  /** Sum of the code's sales rates in %, or null when a rate it names is not in the company's list. */
  readonly rate: string | null;
}

export interface AccountChoices {
  readonly income: AccountChoice[];
  readonly expense: AccountChoice[];
  readonly retainer: AccountChoice[];
  readonly salesTaxPayable: AccountChoice[];
}

export interface Named {
  readonly id: string;
  readonly name: string;
}

export interface WorkroomTaxCode extends Named {
  /** Sum of the code's component rates in %. */
  readonly rate: string;
}

export interface MappingIssue {
  readonly field: string;
  readonly message: string;
}

export interface MappingWarning extends MappingIssue {
  readonly kind: 'push_fails' | 'tax_rate_differs';
}

/**
 * US companies know TAX and NON only as per-line flags; they carry no rate, so neither can be the document's
 * tax code nor the code of a line in a company that needs real codes.
 */
const PSEUDO_TAX_CODES = new Set(['TAX', 'NON']);

function byFullName(a: AccountChoice, b: AccountChoice): number {
  return a.fullName.localeCompare(b.fullName, 'en', { sensitivity: 'base' });
}

function toChoice(account: ProviderAccount): AccountChoice {
  return {
    id: account.Id,
    name: account.Name,
    fullName: account.FullyQualifiedName ?? account.Name,
    type: account.AccountType,
    subType: account.AccountSubType ?? null,
  };
}

export function accountChoices(chart: readonly ProviderAccount[]): AccountChoices {
  const pick = (purpose: AccountPurpose) => accountsFor(purpose, chart).map(toChoice).sort(byFullName);
  return {
    income: pick('income'),
    expense: pick('expense'),
    retainer: pick('retainer'),
    salesTaxPayable: pick('sales_tax_payable'),
  };
}

/** The rate a code applies to sales: the sum of its sales rates, exactly. */
export function salesRateOf(code: ProviderTaxCode, rates: ReadonlyMap<string, ProviderTaxRate>): string | null {
  let total = new Decimal(0);
  for (const detail of code.SalesTaxRateList?.TaxRateDetail ?? []) {
    const rate = rates.get(detail.TaxRateRef.value)?.RateValue;
    if (rate === undefined) return null;
    total = total.plus(rate);
  }
  return total.toFixed();
}

export function taxCodeChoices(codes: readonly ProviderTaxCode[], rates: readonly ProviderTaxRate[]): TaxCodeChoice[] {
  const rateById = new Map(rates.map((r) => [r.Id, r]));
  return codes
    .filter((c) => c.Active !== false && !PSEUDO_TAX_CODES.has(c.Id))
    .map((c) => ({ id: c.Id, name: c.Name, description: c.Description ?? null, rate: salesRateOf(c, rateById) }))
    .sort((a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }));
}

export interface WorkroomLists {
  readonly categories: readonly Named[];
  readonly vendors: readonly Named[];
  readonly taxCodes: readonly WorkroomTaxCode[];
}

const namesOf = (list: readonly Named[]) => new Map(list.map((n) => [n.id, n.name]));

/** Keys of the mapping that name no category, vendor or tax code of this organisation. */
export function unknownWorkroomIds(mapping: { accounts?: AccountMapping; tax?: TaxMapping }, lists: WorkroomLists): MappingIssue[] {
  const issues: MappingIssue[] = [];
  const check = (ids: Iterable<string>, known: readonly Named[], field: string, noun: string) => {
    const knownIds = new Set(known.map((k) => k.id));
    for (const id of ids) {
      if (!knownIds.has(id)) issues.push({ field: `${field}.${id}`, message: `${noun} ${id} does not exist in this organisation` });
    }
  };
  if (mapping.accounts) {
    check(Object.keys(mapping.accounts.incomeByCategory), lists.categories, 'incomeByCategory', 'Product category');
    check(Object.keys(mapping.accounts.expenseByVendor), lists.vendors, 'expenseByVendor', 'Vendor');
  }
  if (mapping.tax?.kind === 'tax_codes') check(Object.keys(mapping.tax.codes), lists.taxCodes, 'codes', 'Workroom tax code');
  return issues;
}

export interface LiveCompany {
  readonly taxModel: CompanyTaxModel;
  readonly chart: readonly ProviderAccount[];
  readonly taxCodes: readonly ProviderTaxCode[];
}

/** Account problems of a mapping against the live chart (every account id checked, inactive ones included). */
export function accountProblems(accounts: AccountMapping, company: LiveCompany, lists: WorkroomLists): MappingIssue[] {
  const checked = validateAccountMapping(accounts, company.chart, {
    categoryNames: namesOf(lists.categories),
    vendorNames: namesOf(lists.vendors),
  });
  return checked.ok ? [] : checked.error.map((p) => ({ field: p.field, message: p.message }));
}

/** Tax problems of a mapping against the organisation's tax model and the company's live tax codes. */
export function taxProblems(tax: TaxMapping, workroomTaxModel: WorkroomTaxModel, company: LiveCompany, lists: WorkroomLists): MappingIssue[] {
  const names = { workroomTaxCodeNames: namesOf(lists.taxCodes) };
  const checked = validateTaxMapping(tax, { workroomTaxModel, company, qboTaxCodes: company.taxCodes }, names);
  const issues: MappingIssue[] = checked.ok ? [] : checked.error.map((p) => ({ field: p.field, message: p.message }));
  const codeName = (id: string) => company.taxCodes.find((c) => c.Id === id)?.Name ?? id;
  const pseudo = (field: string, label: string, id: string | null | undefined) => {
    if (id !== null && id !== undefined && PSEUDO_TAX_CODES.has(id)) {
      issues.push({ field, message: `${label}: "${codeName(id)}" is QuickBooks' per-line taxable flag, not a tax code with a rate; choose a named tax code` });
    }
  };
  if (tax.kind === 'sales_tax') {
    pseudo('salesTaxCodeId', 'Sales Tax %', tax.salesTaxCodeId);
    pseudo('exemptTaxCodeId', 'Untaxed lines', tax.exemptTaxCodeId);
  } else {
    for (const [codeId, qboId] of Object.entries(tax.codes)) {
      pseudo(`codes.${codeId}`, `Workroom tax code "${names.workroomTaxCodeNames.get(codeId) ?? codeId}"`, qboId);
    }
    pseudo('noTaxCodeId', 'Lines without a tax code', tax.noTaxCodeId);
  }
  return issues;
}

const ACCOUNT_NOT_SPECIFIED = '“Account not specified for line item”';
const TAX_CODE_MISMATCH = '“Tax code mismatch”';

export interface WarningInput {
  readonly accounts: AccountMapping;
  readonly tax: TaxMapping;
  readonly workroomTaxModel: WorkroomTaxModel;
  readonly salesTaxRate: string;
  readonly companyTaxModel: CompanyTaxModel;
  readonly workroomTaxCodes: readonly WorkroomTaxCode[];
  readonly qboTaxCodes: readonly TaxCodeChoice[];
}

/**
 * Which pushes fail with this mapping as saved, and where QBO would compute other tax than Workroom. The
 * wording follows the push engine's own refusals (src/qbo/mapping/sales-lines.ts, build-purchase-order.ts,
 * tax-mapping.ts), so what the page warns about is what the Sync Center would show.
 */
export function mappingWarnings(input: WarningInput): MappingWarning[] {
  const warnings: MappingWarning[] = [];
  const fails = (field: string, message: string) => warnings.push({ kind: 'push_fails', field, message });
  const { accounts, tax } = input;

  if (accounts.defaultIncomeAccountId === null) {
    fails(
      'defaultIncomeAccountId',
      `Invoice and Estimate pushes fail with ${ACCOUNT_NOT_SPECIFIED} for every line whose product category has no income account of its own.`,
    );
  }
  if (accounts.defaultExpenseAccountId === null) {
    fails(
      'defaultExpenseAccountId',
      `Purchase Order pushes fail with ${ACCOUNT_NOT_SPECIFIED} unless the vendor has an expense account of its own.`,
    );
  }
  if (accounts.retainerLiabilityAccountId === null) {
    fails('retainerLiabilityAccountId', `Retainer invoice pushes fail with ${ACCOUNT_NOT_SPECIFIED}.`);
  }

  const qboCode = (id: string | null | undefined) => (id === null || id === undefined ? undefined : input.qboTaxCodes.find((c) => c.id === id));
  const differs = (field: string, workroomLabel: string, workroomRate: string, qboId: string | null | undefined) => {
    const code = qboCode(qboId);
    if (!code || code.rate === null || new Decimal(code.rate).equals(workroomRate)) return;
    warnings.push({
      kind: 'tax_rate_differs',
      field,
      message: `${workroomLabel} is ${new Decimal(workroomRate).toFixed()}% in Workroom but QuickBooks tax code "${code.name}" is ${code.rate}%: QuickBooks will compute a different tax total.`,
    });
  };

  if (input.companyTaxModel === 'us' && tax.kind === 'tax_codes') {
    fails(
      'kind',
      `This organisation uses named tax codes, but the connected QuickBooks company is a US company: every push fails with ${TAX_CODE_MISMATCH}. Connect the matching company file in Settings → Apps.`,
    );
    return warnings;
  }
  const us = input.companyTaxModel === 'us';
  if (tax.kind === 'sales_tax') {
    if (tax.salesTaxCodeId === null) {
      const documents = us ? 'Invoice and Estimate' : 'Invoice, Estimate and Purchase Order';
      fails('salesTaxCodeId', `${documents} pushes with taxed lines fail with ${TAX_CODE_MISMATCH}.`);
    } else {
      differs('salesTaxCodeId', 'The Sales Tax %', input.salesTaxRate, tax.salesTaxCodeId);
    }
    if (!us && tax.exemptTaxCodeId === null) {
      fails(
        'exemptTaxCodeId',
        `Pushes with untaxed lines fail with ${TAX_CODE_MISMATCH}: this QuickBooks company needs a tax code on every line.`,
      );
    }
    return warnings;
  }
  for (const code of input.workroomTaxCodes) {
    const qboId = tax.codes[code.id];
    if (qboId === undefined) fails(`codes.${code.id}`, `Pushes with lines taxed "${code.name}" fail with ${TAX_CODE_MISMATCH}.`);
    else differs(`codes.${code.id}`, `"${code.name}"`, code.rate, qboId);
  }
  if (tax.noTaxCodeId === null) {
    fails('noTaxCodeId', `Pushes with lines that have no Workroom tax code fail with ${TAX_CODE_MISMATCH}.`);
  }
  return warnings;
}
