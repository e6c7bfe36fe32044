import { describe, expect, it } from 'vitest';
import { checkDismissReason, isPushableAfterDismissal } from '../../../src/qbo/sync/dismiss.js';
import { closeNameMatches, possibleDuplicateMessage } from '../../../src/qbo/sync/duplicate-guard.js';
import { idChunkQuery } from '../../../src/qbo/sync/drift-reader.js';
import { linkedElsewhereMessage, pageOfChoices, partySearchQuery } from '../../../src/qbo/sync/party-link.js';

const party = (Id: string, DisplayName: string) => ({ Id, DisplayName });

describe('closeNameMatches', () => {
  it('finds names with the same letters and digits once punctuation, spacing and case are dropped', () => {
    const pool = [party('1', 'Smith, LLC'), party('2', 'SMITH L.L.C.'), party('3', 'Smith LLC Two'), party('4', 'Smyth LLC')];
    expect(closeNameMatches('Smith LLC', pool).map((p) => p.Id)).toEqual(['1', '2']);
  });

  it('leaves out the exact name (that is a match, not a duplicate) and names without letters or digits', () => {
    expect(closeNameMatches('Smith LLC', [party('1', ' smith  llc ')])).toEqual([]);
    expect(closeNameMatches('--', [party('1', '..')])).toEqual([]);
  });

  it('compares accented and digit names too', () => {
    expect(closeNameMatches('Café 21', [party('1', 'cafe21'), party('2', 'CAFÉ-21')]).map((p) => p.Id)).toEqual(['2']);
  });

  it('says what was found and what to do', () => {
    expect(possibleDuplicateMessage('customer', 'Smith LLC', [{ qboId: '1', displayName: 'Smith, LLC' }])).toBe(
      'Possible duplicate: QuickBooks already has the customer “Smith, LLC”, whose name differs from “Smith LLC” only in punctuation, spacing or case. ' +
        'Open the client and choose Link to use that record, or Create anyway.',
    );
    expect(
      possibleDuplicateMessage('vendor', 'Fabric Co', [
        { qboId: '1', displayName: 'Fabric, Co' },
        { qboId: '2', displayName: 'FABRIC CO.' },
      ]),
    ).toContain('the vendors “Fabric, Co”, “FABRIC CO.”');
  });
});

describe('party search', () => {
  it('pages the type-ahead with one extra row and quote-safe text', () => {
    expect(partySearchQuery('customer', "O'Brien", 2, 20).toString()).toBe(
      "select * from Customer where DisplayName like '%O\\'Brien%' orderby DisplayName ASC startposition 21 maxresults 21",
    );
    expect(partySearchQuery('vendor', ' %% ', 1, 20).toString()).toBe('select * from Vendor orderby DisplayName ASC startposition 1 maxresults 21');
  });

  it('tells whether there is a next page', () => {
    expect(pageOfChoices([1, 2, 3], 2)).toEqual({ items: [1, 2], hasMore: true });
    expect(pageOfChoices([1, 2], 2)).toEqual({ items: [1, 2], hasMore: false });
  });

  it('refuses a record linked to another party in words a user can act on', () => {
    expect(linkedElsewhereMessage('customer', 'Smith, LLC', { id: 'c2', name: 'Smith LLC' })).toBe(
      'QuickBooks customer “Smith, LLC” is already linked to the client “Smith LLC”. Unlink it there first, or pick another record.',
    );
  });
});

describe('drift reads', () => {
  it('asks for a chunk of ids in one query, inactive parties included', () => {
    expect(idChunkQuery('Invoice', ['1', '2']).toString()).toBe("select * from Invoice where Id in ('1', '2') maxresults 2");
    expect(idChunkQuery('Vendor', ['7']).toString()).toBe("select * from Vendor where Id in ('7') and Active in (true, false) maxresults 1");
  });
});

describe('dismiss', () => {
  it('needs a reason of reasonable length', () => {
    expect(checkDismissReason('  fixed by hand in QuickBooks ')).toEqual({ ok: true, value: 'fixed by hand in QuickBooks' });
    expect(checkDismissReason('   ').ok).toBe(false);
    expect(checkDismissReason('x'.repeat(501)).ok).toBe(false);
  });

  it('holds only until the document is edited', () => {
    expect(isPushableAfterDismissal(3, undefined)).toBe(true);
    expect(isPushableAfterDismissal(3, 3)).toBe(false);
    expect(isPushableAfterDismissal(4, 3)).toBe(true);
  });
});
