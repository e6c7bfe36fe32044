import { ACCOUNT_SLOTS, type QboMappingView } from '../../../../server/routes/qbo-mapping/contract.js';

/** A readable name for a mapping field, as the mapping page labels it. */
export function mappingFieldLabel(field: string, view: Pick<QboMappingView, 'categories' | 'vendors' | 'taxCodes'>): string {
  const slot = ACCOUNT_SLOTS.find((s) => s.field === field);
  if (slot) return slot.label;
  const [head, id] = field.split('.', 2);
  const name = (list: readonly { id: string; name: string }[]) => list.find((item) => item.id === id)?.name ?? id ?? '';
  if (head === 'incomeByCategory') return `Income for category “${name(view.categories)}”`;
  if (head === 'expenseByVendor') return `Expense for vendor “${name(view.vendors)}”`;
  if (head === 'codes') return `Tax code “${name(view.taxCodes)}”`;
  if (field === 'salesTaxCodeId') return 'Sales Tax %';
  if (field === 'exemptTaxCodeId') return 'Untaxed lines';
  if (field === 'noTaxCodeId') return 'Lines without a tax code';
  return 'Tax mapping';
}
