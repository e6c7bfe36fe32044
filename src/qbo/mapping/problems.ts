/**
 * Why a payload could not be built. Kinds are named after the help page's troubleshooting cases so the Sync
 * Center can show them under the same heading; each carries the fields a user needs to fix it.
 */
export type AccountRole = 'income' | 'retainer' | 'expense';

export type MappingProblem =
  | { readonly kind: 'draft_document'; readonly message: string }
  | {
      readonly kind: 'currency_mismatch';
      readonly documentCurrency: string;
      readonly homeCurrency: string;
      readonly message: string;
    }
  | { readonly kind: 'doc_number_too_long'; readonly docNumber: string; readonly maxLength: number; readonly message: string }
  | {
      readonly kind: 'account_not_specified';
      readonly role: AccountRole;
      /** 0-based indexes of the lines that have no account. */
      readonly lineIndexes: readonly number[];
      readonly categoryId: string | null;
      readonly vendorId: string | null;
      readonly message: string;
    }
  | {
      readonly kind: 'tax_code_mismatch';
      /** The Workroom tax code with no QBO counterpart; null for the Sales Tax % or for untaxed lines. */
      readonly workroomTaxCodeId: string | null;
      readonly lineIndexes: readonly number[];
      readonly message: string;
    }
  | { readonly kind: 'item_missing'; readonly accountId: string; readonly message: string }
  | { readonly kind: 'customer_not_found'; readonly field: string; readonly message: string }
  | { readonly kind: 'vendor_not_found'; readonly field: string; readonly message: string };

export type MappingProblemKind = MappingProblem['kind'];

export const MAPPING_PROBLEM_TITLES: Readonly<Record<MappingProblemKind, string>> = {
  draft_document: 'Finalize first',
  currency_mismatch: 'Currency mismatch',
  doc_number_too_long: 'Document number too long',
  account_not_specified: 'Account not specified for line item',
  tax_code_mismatch: 'Tax code mismatch',
  item_missing: 'QuickBooks item not set up',
  customer_not_found: 'Customer not found',
  vendor_not_found: 'Vendor not found',
};

/** "line 2", "lines 1, 3 and 4" (1-based, as the document shows them). */
export function describeLines(indexes: readonly number[]): string {
  const numbers = indexes.map((i) => String(i + 1));
  if (numbers.length <= 1) return `line ${numbers[0] ?? '?'}`;
  return `lines ${numbers.slice(0, -1).join(', ')} and ${numbers[numbers.length - 1] ?? ''}`;
}

/** The verb that agrees with `describeLines`: "line 2 has", "lines 1 and 3 have". */
export function agreeWithLines(indexes: readonly number[], one: string, many: string): string {
  return indexes.length === 1 ? one : many;
}
