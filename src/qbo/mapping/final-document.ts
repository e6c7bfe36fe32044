import type { DocumentStatus, DocumentType } from '../../domain/lifecycle.js';
import type { WorkroomDocument } from '../../domain/model.js';
import { err, ok, type Result } from '../client/index.js';
import type { MappingProblem } from './problems.js';

declare const finalBrand: unique symbol;

/**
 * A document that has been finalized (estimate, invoice) or approved (PO). Builders accept only this type, so
 * a draft cannot reach a payload by mistake: the help page's "finalize → push" rule held by the compiler.
 */
export type FinalDocument<T extends DocumentType = DocumentType> = WorkroomDocument & {
  readonly type: T;
  readonly status: Exclude<DocumentStatus, 'draft'>;
  readonly [finalBrand]: true;
};

/** The only way to get a FinalDocument: a draft comes back as the "finalize first" problem. */
export function requireFinal<T extends DocumentType>(doc: WorkroomDocument, type: T): Result<FinalDocument<T>, MappingProblem[]> {
  if (doc.type !== type) throw new RangeError(`document ${doc.id} is a ${doc.type}, not a ${type}`);
  if (doc.status === 'draft') {
    const action = type === 'purchase_order' ? 'Approve' : 'Finalize';
    return err([{ kind: 'draft_document', message: `${action} ${doc.number} first: drafts are not pushed to QuickBooks` }]);
  }
  return ok(doc as FinalDocument<T>);
}
