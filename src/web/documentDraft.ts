import { LineInputSchema } from '../domain/documents.js';
import { taxRoundingForCountry } from '../domain/totals.js';
import {
  computeDocumentTotals,
  type DocumentBody,
  type DocumentTotals,
  type Organisation,
  type TaxCodeRecord,
  type TaxContext,
  type WorkroomDocument,
} from '../server/api/contract.js';
import type { DocumentKind } from './documentTypes.js';

/**
 * The document editor's state: every input as the text the user typed, so half-typed numbers
 * ("12.") survive re-renders. Totals are computed from it with the server's own domain function.
 */
export interface LineDraft {
  /** Stable React key for a line that may not have a server id yet. */
  readonly key: string;
  description: string;
  quantity: string;
  rate: string;
  categoryId: string;
  taxable: boolean;
  taxCodeId: string;
  markupPercent: string;
  vendorDiscountPercent: string;
}

export interface DocumentDraft {
  number: string;
  partyId: string;
  issueDate: string;
  /** Due (invoice), expiration (estimate) or expected (PO) date; '' for none. */
  secondDate: string;
  currency: string;
  salesTaxRate: string;
  isRetainer: boolean;
  notes: string;
  lines: LineDraft[];
}

let nextKey = 0;
const newKey = (): string => `line-${++nextKey}`;

export function emptyLine(): LineDraft {
  return {
    key: newKey(),
    description: '',
    quantity: '1',
    rate: '',
    categoryId: '',
    taxable: true,
    taxCodeId: '',
    markupPercent: '0',
    vendorDiscountPercent: '0',
  };
}

export function newDraft(organisation: Organisation, today: string): DocumentDraft {
  return {
    number: '',
    partyId: '',
    issueDate: today,
    secondDate: '',
    currency: organisation.homeCurrency,
    salesTaxRate: organisation.salesTaxRate,
    isRetainer: false,
    notes: '',
    lines: [emptyLine()],
  };
}

export function draftFrom(doc: WorkroomDocument, kind: DocumentKind): DocumentDraft {
  return {
    number: doc.number,
    partyId: (kind.party === 'client' ? doc.clientId : doc.vendorId) ?? '',
    issueDate: doc.issueDate,
    secondDate: doc[kind.dateField] ?? '',
    currency: doc.currency,
    salesTaxRate: doc.salesTaxRate ?? '',
    isRetainer: doc.isRetainer,
    notes: doc.notes,
    lines: doc.lines.map((line) => ({
      key: newKey(),
      description: line.description,
      quantity: line.quantity,
      rate: line.rate,
      categoryId: line.categoryId ?? '',
      taxable: line.taxable,
      taxCodeId: line.taxCodeId ?? '',
      markupPercent: line.markupPercent,
      vendorDiscountPercent: line.vendorDiscountPercent,
    })),
  };
}

export function draftToBody(
  draft: DocumentDraft,
  kind: DocumentKind,
  organisation: Organisation,
  revision: number | undefined,
): DocumentBody {
  const lines = draft.lines.map((line) => ({
    description: line.description,
    quantity: line.quantity.trim(),
    rate: line.rate.trim(),
    categoryId: line.categoryId || null,
    taxable: line.taxable,
    taxCodeId: organisation.taxModel === 'tax_codes' ? line.taxCodeId || null : null,
    markupPercent: line.markupPercent.trim() || '0',
    vendorDiscountPercent: line.vendorDiscountPercent.trim() || '0',
  }));
  const common = {
    ...(draft.number.trim() ? { number: draft.number.trim() } : {}),
    issueDate: draft.issueDate,
    currency: draft.currency.trim().toUpperCase(),
    ...(organisation.taxModel === 'sales_tax' ? { salesTaxRate: draft.salesTaxRate.trim() } : {}),
    notes: draft.notes,
    lines,
    ...(revision === undefined ? {} : { revision }),
  };
  const secondDate = draft.secondDate || null;
  switch (kind.type) {
    case 'estimate':
      return { type: 'estimate', clientId: draft.partyId, expirationDate: secondDate, ...common };
    case 'invoice':
      return { type: 'invoice', clientId: draft.partyId, dueDate: secondDate, isRetainer: draft.isRetainer, ...common };
    case 'purchase_order':
      return { type: 'purchase_order', vendorId: draft.partyId, expectedDate: secondDate, ...common };
  }
}

const validQuantity = (text: string): boolean => LineInputSchema.shape.quantity.safeParse(text).success;
const validRate = (text: string): boolean => LineInputSchema.shape.rate.safeParse(text).success;
const validPercent = (text: string): boolean => LineInputSchema.shape.markupPercent.safeParse(text).success;

/** Which typed numbers are not yet valid decimals; they count as zero in the live totals. */
export function lineInputProblems(line: LineDraft): { quantity: boolean; rate: boolean } {
  return { quantity: !validQuantity(line.quantity), rate: line.rate.trim() !== '' && !validRate(line.rate) };
}

/**
 * Live totals for the draft, with the exact function the server uses; a line whose numbers are still
 * being typed counts as zero rather than blanking the whole summary.
 */
export function draftTotals(draft: DocumentDraft, organisation: Organisation, taxCodes: readonly TaxCodeRecord[]): DocumentTotals {
  const tax: TaxContext =
    organisation.taxModel === 'tax_codes'
      ? { model: 'tax_codes', codes: new Map(taxCodes.map((code) => [code.id, code])) }
      : {
          model: 'sales_tax',
          rate: validPercent(draft.salesTaxRate.trim()) ? draft.salesTaxRate.trim() : '0',
          rounding: taxRoundingForCountry(organisation.country),
        };
  const known = new Set(taxCodes.map((code) => code.id));
  return computeDocumentTotals(
    draft.lines.map((line) => ({
      quantity: validQuantity(line.quantity.trim()) ? line.quantity.trim() : '0',
      rate: validRate(line.rate.trim()) ? line.rate.trim() : '0',
      taxable: line.taxable,
      taxCodeId: line.taxCodeId && known.has(line.taxCodeId) ? line.taxCodeId : null,
    })),
    tax,
  );
}
