import { Err, Ok, type Result } from './result.js';

export const DOCUMENT_TYPES = ['estimate', 'invoice', 'purchase_order'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

export const DOCUMENT_STATUSES = ['draft', 'final', 'approved'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

export const DOCUMENT_ACTIONS = ['finalize', 'approve'] as const;
export type DocumentAction = (typeof DOCUMENT_ACTIONS)[number];

/** Estimates and invoices go to a client and become final; purchase orders go to a vendor and get approved. */
const ISSUED_STATUS: Record<DocumentType, Exclude<DocumentStatus, 'draft'>> = {
  estimate: 'final',
  invoice: 'final',
  purchase_order: 'approved',
};

const ACTION_FOR: Record<DocumentType, DocumentAction> = {
  estimate: 'finalize',
  invoice: 'finalize',
  purchase_order: 'approve',
};

export type TransitionError = 'wrong_action_for_type' | 'not_a_draft' | 'no_lines';

export interface TransitionSubject {
  type: DocumentType;
  status: DocumentStatus;
  lineCount: number;
}

/**
 * draft → final (estimate, invoice) and draft → approved (PO); there is no way back to draft, because
 * an issued document may already be in QuickBooks and its number promised to a client or vendor.
 */
export function applyAction(doc: TransitionSubject, action: DocumentAction): Result<DocumentStatus, TransitionError> {
  if (ACTION_FOR[doc.type] !== action) return Err('wrong_action_for_type');
  if (doc.status !== 'draft') return Err('not_a_draft');
  if (doc.lineCount === 0) return Err('no_lines');
  return Ok(ISSUED_STATUS[doc.type]);
}

export const TRANSITION_MESSAGES: Record<TransitionError, string> = {
  wrong_action_for_type: 'estimates and invoices are finalized; purchase orders are approved',
  not_a_draft: 'only a draft can be issued',
  no_lines: 'a document needs at least one line before it is issued',
};

/**
 * Issued documents stay editable (Workroom is the source of truth and re-pushes updates QBO in place);
 * every saved change bumps `revision` so a later push can tell the QBO copy is stale.
 */
export function nextRevision(current: number): number {
  return current + 1;
}

/** Only drafts can be deleted: an issued document may already exist in QuickBooks. */
export function canDelete(status: DocumentStatus): boolean {
  return status === 'draft';
}
