import { describe, expect, it } from 'vitest';
import {
  csvCell,
  diffPushedDocument,
  diffRememberedParty,
  driftCsv,
  isVoided,
  notPushedRow,
  sortDriftRows,
  type PushRecord,
  type QboDocumentState,
  type WorkroomDocumentState,
} from '../../../src/qbo/sync/drift.js';

const doc = (overrides: Partial<WorkroomDocumentState> = {}): WorkroomDocumentState => ({
  id: 'd1',
  type: 'invoice',
  number: 'INV-0007',
  status: 'final',
  revision: 3,
  total: '1082.50',
  issueDate: '2026-11-02',
  dueDate: '2026-12-02',
  partyName: 'Smith LLC',
  ...overrides,
});

const push = (overrides: Partial<PushRecord> = {}): PushRecord => ({
  qboId: '145',
  syncToken: '0',
  pushedRevision: 3,
  pushedAt: '2026-11-03T10:00:00.000Z',
  workroomTotal: '1082.50',
  qboTotal: '1082.50',
  qboDocNumber: '1001',
  partyQboId: '58',
  ...overrides,
});

const qbo = (overrides: Partial<QboDocumentState> = {}): QboDocumentState => ({
  id: '145',
  syncToken: '0',
  totalAmt: '1082.5',
  docNumber: '1001',
  txnDate: '2026-11-02',
  dueDate: '2026-12-02',
  partyRef: { value: '58', name: 'Smith LLC' },
  privateNote: null,
  lastUpdatedTime: '2026-11-03T02:00:00-08:00',
  ...overrides,
});

describe('diffPushedDocument', () => {
  it('reports nothing when the QBO copy is the one we pushed (amounts compared as decimals)', () => {
    expect(diffPushedDocument(doc(), push(), qbo())).toEqual([]);
  });

  it('reports an edit in QBO with each differing field, Workroom value and QBO value', () => {
    const rows = diffPushedDocument(doc(), push(), qbo({ syncToken: '2', totalAmt: '1200', txnDate: '2026-11-05', partyRef: { value: '61', name: 'Smith, LLC' } }));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kind: 'changed_in_qbo', subjectType: 'invoice', label: 'INV-0007', qboId: '145', canRepush: true });
    expect(rows[0]?.differences).toEqual([
      { field: 'Total', workroom: '1082.50', qbo: '1200.00' },
      { field: 'Date', workroom: '2026-11-02', qbo: '2026-11-05' },
      { field: 'Customer', workroom: 'Smith LLC', qbo: 'Smith, LLC' },
    ]);
  });

  it('reports a number and a due date changed in QBO, and a number cleared there', () => {
    const rows = diffPushedDocument(doc(), push(), qbo({ syncToken: '1', docNumber: '1001-A', dueDate: '2026-12-16' }));
    expect(rows[0]?.differences).toEqual([
      { field: 'Number', workroom: 'INV-0007', qbo: '1001-A' },
      { field: 'Due date', workroom: '2026-12-02', qbo: '2026-12-16' },
    ]);
    const cleared = diffPushedDocument(doc(), push(), qbo({ syncToken: '1', docNumber: null }));
    expect(cleared[0]?.differences).toEqual([{ field: 'Number', workroom: 'INV-0007', qbo: '—' }]);
    // A number QBO never reported at push time cannot have changed since.
    expect(diffPushedDocument(doc(), push({ qboDocNumber: null }), qbo({ docNumber: '1001-A' }))).toEqual([]);
  });

  it('names the version when QBO changed a field the report does not compare', () => {
    const rows = diffPushedDocument(doc(), push(), qbo({ syncToken: '1' }));
    expect(rows.map((r) => r.kind)).toEqual(['changed_in_qbo']);
    expect(rows[0]?.differences).toEqual([{ field: 'Version (SyncToken)', workroom: '0', qbo: '1' }]);
  });

  it('does not repeat a rounding difference the push already recorded', () => {
    const pushed = push({ workroomTotal: '100.00', qboTotal: '100.01' });
    expect(diffPushedDocument(doc({ total: '100.00' }), pushed, qbo({ totalAmt: '100.01' }))).toEqual([]);
    const edited = diffPushedDocument(doc({ total: '100.00' }), pushed, qbo({ syncToken: '1', totalAmt: '100.01' }));
    expect(edited[0]?.differences.map((d) => d.field)).toEqual(['Version (SyncToken)']);
  });

  it('spots a total changed in QBO even when the SyncToken was not recorded', () => {
    const rows = diffPushedDocument(doc(), push({ syncToken: null }), qbo({ totalAmt: '99' }));
    expect(rows[0]).toMatchObject({ kind: 'changed_in_qbo', differences: [{ field: 'Total', workroom: '1082.50', qbo: '99.00' }] });
  });

  it('reports a record gone from QBO as deleted', () => {
    const rows = diffPushedDocument(doc(), push(), undefined);
    expect(rows).toEqual([
      expect.objectContaining({ kind: 'deleted_in_qbo', qboId: '145', differences: [{ field: 'Record', workroom: 'Invoice INV-0007', qbo: 'deleted' }] }),
    ]);
  });

  it('reports a void (zero total and the Voided note) as voided, not as a plain change', () => {
    const rows = diffPushedDocument(doc(), push(), qbo({ syncToken: '1', totalAmt: '0', privateNote: 'Voided' }));
    expect(rows.map((r) => r.kind)).toEqual(['voided_in_qbo']);
    expect(rows[0]?.differences).toEqual([{ field: 'Total', workroom: '1082.50', qbo: '0.00 (voided)' }]);
  });

  it('reports a Workroom edit since the push, with the total it now has', () => {
    const rows = diffPushedDocument(doc({ revision: 5, total: '1300.00' }), push(), qbo());
    expect(rows).toEqual([
      expect.objectContaining({
        kind: 'edited_in_workroom',
        differences: [
          { field: 'Revision', workroom: '5', qbo: '3' },
          { field: 'Total', workroom: '1300.00', qbo: '1082.50' },
        ],
      }),
    ]);
  });

  it('lists both sides when the document changed in Workroom and in QBO', () => {
    const rows = diffPushedDocument(doc({ revision: 4 }), push(), qbo({ syncToken: '3' }));
    expect(rows.map((r) => r.kind)).toEqual(['changed_in_qbo', 'edited_in_workroom']);
  });

  it('compares the vendor on purchase orders and skips the due date of estimates', () => {
    const po = diffPushedDocument(doc({ type: 'purchase_order', partyName: 'Fabric Co' }), push(), qbo({ syncToken: '1', partyRef: { value: '9' } }));
    expect(po[0]?.differences).toEqual([{ field: 'Vendor', workroom: 'Fabric Co', qbo: 'QuickBooks id 9' }]);
    const est = diffPushedDocument(doc({ type: 'estimate' }), push(), qbo({ syncToken: '1', dueDate: '2027-01-01' }));
    expect(est[0]?.differences.map((d) => d.field)).toEqual(['Version (SyncToken)']);
  });
});

describe('isVoided', () => {
  it('needs both the note and a zero total', () => {
    expect(isVoided(qbo({ totalAmt: '0', privateNote: 'Voided' }))).toBe(true);
    expect(isVoided(qbo({ totalAmt: '10', privateNote: 'Voided' }))).toBe(false);
    expect(isVoided(qbo({ totalAmt: '0', privateNote: 'Avoided the rush' }))).toBe(false);
  });
});

describe('party rows', () => {
  const party = { type: 'client' as const, id: 'c1', name: 'Smith LLC', qboId: '58', syncToken: '0' };
  const state = { id: '58', syncToken: '0', displayName: 'Smith LLC', active: true, lastUpdatedTime: null };

  it('reports a rename in QBO only once the record changed since Workroom wrote or linked it', () => {
    expect(diffRememberedParty(party, state)).toBeUndefined();
    expect(diffRememberedParty(party, { ...state, displayName: 'Smith Interiors' })).toBeUndefined();
    expect(diffRememberedParty(party, { ...state, syncToken: '1', displayName: 'smith  llc' })).toBeUndefined();
    expect(diffRememberedParty(party, { ...state, syncToken: '1', displayName: 'Smith Interiors' })).toMatchObject({
      kind: 'party_renamed_in_qbo',
      canRepush: false,
      differences: [{ field: 'Name', workroom: 'Smith LLC', qbo: 'Smith Interiors' }],
    });
  });

  it('does not call the conflict name or the name linked by hand a rename', () => {
    const known = { ...party, knownNames: ['Smith LLC (Customer)', 'Smith, LLC'] };
    expect(diffRememberedParty(known, { ...state, syncToken: '3', displayName: 'Smith LLC (Customer)' })).toBeUndefined();
    expect(diffRememberedParty(known, { ...state, syncToken: '3', displayName: 'smith, llc' })).toBeUndefined();
    expect(diffRememberedParty(known, { ...state, syncToken: '3', displayName: 'Smith & Sons' })?.kind).toBe('party_renamed_in_qbo');
  });

  it('reports inactive and missing records', () => {
    expect(diffRememberedParty(party, { ...state, active: false })?.kind).toBe('party_inactive_in_qbo');
    expect(diffRememberedParty(party, undefined)?.kind).toBe('party_missing_in_qbo');
  });
});

describe('CSV', () => {
  it('writes one line per difference with a header, quoting and formula guards', () => {
    const rows = sortDriftRows([
      notPushedRow(doc({ id: 'd2', number: 'INV-0010', partyName: '=HYPERLINK("x")' }), 'Push failed: "Account not specified", line 1'),
      ...diffPushedDocument(doc(), push(), qbo({ syncToken: '2', totalAmt: '-5', txnDate: '2026-11-05' })),
    ]);
    const lines = driftCsv(rows).trimEnd().split('\r\n');
    expect(lines[0]).toBe('Kind,Type,Number or name,Client or vendor,Field,Workroom value,QuickBooks value,QuickBooks id,QuickBooks updated at,Note');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toBe('Changed in QuickBooks after the push,Invoice,INV-0007,Smith LLC,Total,1082.50,-5.00,145,2026-11-03T02:00:00-08:00,');
    expect(lines[2]).toContain(',Date,2026-11-02,2026-11-05,');
    expect(lines[3]).toBe(
      `Issued but not in QuickBooks,Invoice,INV-0010,"'=HYPERLINK(""x"")",Record,Invoice INV-0010,not pushed,,,"Push failed: ""Account not specified"", line 1"`,
    );
  });

  it('guards cells a spreadsheet would evaluate', () => {
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('-cmd')).toBe("'-cmd");
    expect(csvCell('-12.50')).toBe('-12.50');
    expect(csvCell('plain')).toBe('plain');
  });
});
