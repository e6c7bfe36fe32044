import type { WorkroomDocument } from '../server/api/contract.js';

export type DocumentType = WorkroomDocument['type'];

/** How each document type reads in the UI and where it lives in the URL. */
export interface DocumentKind {
  readonly type: DocumentType;
  readonly segment: string;
  readonly singular: string;
  readonly plural: string;
  readonly party: 'client' | 'vendor';
  /** The second date's field and label: due (invoice), expiration (estimate), expected (PO). */
  readonly dateField: 'dueDate' | 'expirationDate' | 'expectedDate';
  readonly dateLabel: string;
  /** The issue action: invoices and estimates are finalized, purchase orders approved. */
  readonly issueAction: 'finalizeDocument' | 'approveDocument';
  readonly issueLabel: string;
}

export const DOCUMENT_KINDS: readonly DocumentKind[] = [
  {
    type: 'estimate',
    segment: 'estimates',
    singular: 'Estimate',
    plural: 'Estimates',
    party: 'client',
    dateField: 'expirationDate',
    dateLabel: 'Expiration date',
    issueAction: 'finalizeDocument',
    issueLabel: 'Finalize',
  },
  {
    type: 'invoice',
    segment: 'invoices',
    singular: 'Invoice',
    plural: 'Invoices',
    party: 'client',
    dateField: 'dueDate',
    dateLabel: 'Due date',
    issueAction: 'finalizeDocument',
    issueLabel: 'Finalize',
  },
  {
    type: 'purchase_order',
    segment: 'purchase-orders',
    singular: 'Purchase Order',
    plural: 'Purchase Orders',
    party: 'vendor',
    dateField: 'expectedDate',
    dateLabel: 'Expected date',
    issueAction: 'approveDocument',
    issueLabel: 'Approve',
  },
];

export function kindBySegment(segment: string): DocumentKind | undefined {
  return DOCUMENT_KINDS.find((kind) => kind.segment === segment);
}

export function kindOf(type: DocumentType): DocumentKind {
  const kind = DOCUMENT_KINDS.find((k) => k.type === type);
  if (!kind) throw new Error(`unknown document type ${type}`);
  return kind;
}
