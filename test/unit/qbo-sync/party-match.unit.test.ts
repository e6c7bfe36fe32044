import { describe, expect, it } from 'vitest';
import {
  conflictDisplayName,
  nearDuplicateKey,
  nearDuplicateProbeQuery,
  normalizePartyName,
  onDuplicateName,
  partyLookupQuery,
  pickPartyMatch,
} from '../../../src/qbo/sync/party-match.js';

describe('normalizePartyName', () => {
  it.each([
    ['  Smith LLC  ', 'smith llc'],
    ['SMITH   LLC', 'smith llc'],
    ['Smith\tLLC\n', 'smith llc'],
    ['Smith, LLC', 'smith, llc'],
    ["O'Brien Interiors", "o'brien interiors"],
    ['O’Brien Interiors', 'o’brien interiors'],
    ['Studio: West', 'studio- west'],
    ['Café Noir', 'café noir'],
    ['Cafe\u0301 Noir', 'café noir'],
  ])('%j → %j', (input, expected) => {
    expect(normalizePartyName(input)).toBe(expected);
  });

  it('keeps "Smith LLC" and "Smith, LLC" different', () => {
    expect(normalizePartyName('Smith LLC')).not.toBe(normalizePartyName('Smith, LLC'));
  });
});

describe('nearDuplicateKey', () => {
  it.each([
    ['Smith, LLC', 'smithllc'],
    ['smith llc', 'smithllc'],
    ["O'Brien & Sons", 'obriensons'],
    ['Studio 54 — Design', 'studio54design'],
    ['!!!', ''],
  ])('%j → %j', (input, expected) => {
    expect(nearDuplicateKey(input)).toBe(expected);
  });
});

describe('pickPartyMatch', () => {
  const qbo = (Id: string, DisplayName: string, Active = true) => ({ Id, DisplayName, Active });

  it('matches case-insensitively and ignoring surrounding and repeated spaces', () => {
    const match = pickPartyMatch('  smith   llc ', 'customer', [qbo('1', 'Smith LLC')]);
    expect(match).toEqual({ kind: 'matched', party: qbo('1', 'Smith LLC'), viaConflictName: false, inactive: false });
  });

  it('matches apostrophes exactly', () => {
    expect(pickPartyMatch("O'Brien Interiors", 'customer', [qbo('2', "o'brien interiors")]).kind).toBe('matched');
    expect(pickPartyMatch("O'Brien Interiors", 'customer', [qbo('3', 'OBrien Interiors')]).kind).toBe('none');
  });

  it('does not match "Smith, LLC" to "Smith LLC" but offers it as a possible duplicate', () => {
    const match = pickPartyMatch('Smith, LLC', 'customer', [qbo('1', 'Smith LLC'), qbo('2', 'Smithers')]);
    expect(match).toEqual({ kind: 'none', possibleDuplicates: [qbo('1', 'Smith LLC')] });
  });

  it('finds the name given after an earlier 6240 conflict', () => {
    const match = pickPartyMatch('Smith Design', 'customer', [qbo('9', 'Smith Design (Customer)')]);
    expect(match).toMatchObject({ kind: 'matched', viaConflictName: true, party: { Id: '9' } });
  });

  it('prefers the exact name over the conflict name and an active record over an inactive one', () => {
    const exact = pickPartyMatch('Smith Design', 'customer', [qbo('9', 'Smith Design (Customer)'), qbo('4', 'smith design', false)]);
    expect(exact).toMatchObject({ kind: 'matched', party: { Id: '4' }, inactive: true, viaConflictName: false });
    const active = pickPartyMatch('Smith Design', 'customer', [qbo('4', 'Smith Design', false), qbo('5', 'SMITH DESIGN')]);
    expect(active).toMatchObject({ kind: 'matched', party: { Id: '5' }, inactive: false });
  });

  it('of two active records with the same normalised name takes the one spelt as the name, as QBO\'s lookup would', () => {
    const match = pickPartyMatch(' smith llc ', 'vendor', [qbo('2', 'Smith  LLC'), qbo('1', 'Smith LLC')]);
    expect(match).toMatchObject({ kind: 'matched', party: { Id: '1' }, inactive: false, viaConflictName: false });
  });

  it('leaves two active records to the user when neither is spelt as the name', () => {
    const match = pickPartyMatch('Smith   LLC', 'vendor', [qbo('1', 'Smith LLC'), qbo('2', 'Smith  LLC'), qbo('3', 'Smith LLC', false)]);
    expect(match).toEqual({ kind: 'ambiguous', parties: [qbo('1', 'Smith LLC'), qbo('2', 'Smith  LLC')] });
  });

  it("matches a name with ':' to the DisplayName Workroom would have created", () => {
    expect(pickPartyMatch('Studio: West', 'customer', [qbo('6', 'Studio- West')]).kind).toBe('matched');
  });
});

describe('6240 duplicate-name rule', () => {
  it('retries a customer once as "<name> (Customer)" and says what was done', () => {
    const decision = onDuplicateName('  Smith Design ', 'customer', 'Smith Design');
    expect(decision).toEqual({
      action: 'retry',
      displayName: 'Smith Design (Customer)',
      note: '"Smith Design" is already used by a vendor or employee in QuickBooks, so the customer was created as "Smith Design (Customer)"',
    });
  });

  it('retries a vendor as "<name> (Vendor)"', () => {
    expect(onDuplicateName('Smith Design', 'vendor', 'Smith Design')).toMatchObject({ action: 'retry', displayName: 'Smith Design (Vendor)' });
  });

  it('gives up when the suffixed name is refused too, never creating a third variant', () => {
    const decision = onDuplicateName('Smith Design', 'customer', 'smith design (customer)');
    expect(decision.action).toBe('give_up');
    if (decision.action === 'give_up') expect(decision.reason).toContain('"Smith Design (Customer)"');
  });

  it('keeps the suffixed name within the 500-character DisplayName limit', () => {
    const name = conflictDisplayName('n'.repeat(500), 'customer');
    expect(name).toHaveLength(500);
    expect(name.endsWith(' (Customer)')).toBe(true);
  });
});

describe('lookup queries', () => {
  it("asks for both names, inactive included, with O'Brien escaped", () => {
    expect(partyLookupQuery("O'Brien Interiors", 'customer').toString()).toBe(
      "select * from Customer where DisplayName in ('O\\'Brien Interiors', 'O\\'Brien Interiors (Customer)') and Active in (true, false)",
    );
    expect(partyLookupQuery('Kravet', 'vendor').entity).toBe('Vendor');
  });

  it('probes near duplicates by the leading word', () => {
    expect(nearDuplicateProbeQuery('Smith, LLC', 'customer')?.toString()).toBe("select * from Customer where DisplayName like 'Smith%'");
    expect(nearDuplicateProbeQuery('  (none)', 'vendor')).toBeNull();
  });
});
