import { describe, expect, it } from 'vitest';
import type { WorkroomDocument } from '../../../src/domain/model.js';
import { buildInvoice, buildPurchaseOrder, requireFinal } from '../../../src/qbo/mapping/index.js';
import { accounts, expectErr, expectOk, final, makeDocument, salesTaxMapping, usSales } from './fixtures.js';

describe('FinalDocument', () => {
  it('does not let a draft (or any unchecked document) reach buildInvoice at compile time', () => {
    const draft: WorkroomDocument & { status: 'draft' } = { ...makeDocument(), status: 'draft' };
    // @ts-expect-error a draft is not a FinalDocument
    expect(() => buildInvoice(draft, usSales())).not.toThrow();
    const unchecked: WorkroomDocument = makeDocument();
    // @ts-expect-error only requireFinal produces a FinalDocument
    expect(() => buildInvoice(unchecked, usSales())).not.toThrow();
  });

  it('does not let an invoice reach buildPurchaseOrder', () => {
    const invoice = final(makeDocument(), 'invoice');
    const ctx = { company: usSales().company, accounts: accounts(), tax: salesTaxMapping(), vendorRef: { value: '1' } };
    // @ts-expect-error FinalDocument<'invoice'> is not FinalDocument<'purchase_order'>
    expect(() => buildPurchaseOrder(invoice, ctx)).not.toThrow();
  });

  it('answers "finalize first" for a draft and lets a final document through', () => {
    const problems = expectErr(requireFinal({ ...makeDocument(), status: 'draft', number: 'INV-9' }, 'invoice'));
    expect(problems).toEqual([{ kind: 'draft_document', message: 'Finalize INV-9 first: drafts are not pushed to QuickBooks' }]);
    const poDraft = expectErr(requireFinal(makeDocument({ type: 'purchase_order', status: 'draft', number: 'PO-1' }), 'purchase_order'));
    expect(poDraft[0]?.message).toMatch(/^Approve PO-1 first/);
    expect(expectOk(requireFinal(makeDocument(), 'invoice')).status).toBe('final');
  });

  it('treats asking for the wrong document type as a bug', () => {
    expect(() => requireFinal(makeDocument({ type: 'estimate' }), 'invoice')).toThrow(RangeError);
  });
});
