import { describe, expect, it } from 'vitest';
import { applyAction, canDelete, nextRevision, type DocumentStatus, type DocumentType } from '../../../src/domain/lifecycle.js';

const subject = (type: DocumentType, status: DocumentStatus = 'draft', lineCount = 1) => ({ type, status, lineCount });

describe('document lifecycle', () => {
  it('finalizes estimates and invoices, approves purchase orders', () => {
    expect(applyAction(subject('estimate'), 'finalize')).toEqual({ ok: true, value: 'final' });
    expect(applyAction(subject('invoice'), 'finalize')).toEqual({ ok: true, value: 'final' });
    expect(applyAction(subject('purchase_order'), 'approve')).toEqual({ ok: true, value: 'approved' });
  });

  it('refuses the other type’s action', () => {
    expect(applyAction(subject('invoice'), 'approve')).toEqual({ ok: false, error: 'wrong_action_for_type' });
    expect(applyAction(subject('purchase_order'), 'finalize')).toEqual({ ok: false, error: 'wrong_action_for_type' });
  });

  it('issues only drafts, and only with lines', () => {
    expect(applyAction(subject('invoice', 'final'), 'finalize')).toEqual({ ok: false, error: 'not_a_draft' });
    expect(applyAction(subject('purchase_order', 'approved'), 'approve')).toEqual({ ok: false, error: 'not_a_draft' });
    expect(applyAction(subject('estimate', 'draft', 0), 'finalize')).toEqual({ ok: false, error: 'no_lines' });
  });

  it('deletes only drafts and bumps the revision on every save', () => {
    expect(canDelete('draft')).toBe(true);
    expect(canDelete('final')).toBe(false);
    expect(canDelete('approved')).toBe(false);
    expect(nextRevision(1)).toBe(2);
  });
});
