import { describe, expect, it } from 'vitest';
import { QboFault } from '../../../src/emulator/api/faults.js';
import { buildAccount, buildItem, buildName } from '../../../src/emulator/api/lists.js';
import type { WriteScope } from '../../../src/emulator/api/refs.js';
import { SEED_COMPANIES, seedRealm } from '../../../src/emulator/state/index.js';

function scope(): WriteScope {
  return { realm: seedRealm(SEED_COMPANIES[1]!, 0, { withHistory: false }), nowMs: 0, hidden: new Set(), allowDuplicateDocNum: false };
}

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof QboFault) return err.errors[0]!.code;
    throw err;
  }
  return 'none';
}

describe('name lists', () => {
  it('keeps DisplayName unique across customers, vendors and employees, case-insensitively (6240)', () => {
    const s = scope();
    expect(code(() => buildName(s, 'Customer', { DisplayName: '  emily PLATT ' }, undefined))).toBe('6240');
    expect(code(() => buildName(s, 'Vendor', { DisplayName: 'cool cars' }, undefined))).toBe('6240');
    expect(code(() => buildName(s, 'Customer', { DisplayName: 'Cool Cars' }, '1'))).toBe('none');
    expect(code(() => buildName(s, 'Vendor', { DisplayName: 'Brand New Vendor' }, undefined))).toBe('none');
  });

  it('derives DisplayName from name parts, rejects no name (6080) and colons', () => {
    const s = scope();
    expect(buildName(s, 'Customer', { GivenName: 'Ada', FamilyName: 'Byron' }, undefined)['DisplayName']).toBe('Ada Byron');
    expect(code(() => buildName(s, 'Customer', { PrimaryEmailAddr: { Address: 'a@b.c' } }, undefined))).toBe('6080');
    expect(code(() => buildName(s, 'Customer', { DisplayName: 'Parent:Child' }, undefined))).toBe('6000');
  });

  it('validates accounts and items: names, types, referenced accounts', () => {
    const s = scope();
    expect(code(() => buildAccount(s, { Name: 'Lighting Income' }, undefined))).toBe('6010');
    const sub = buildAccount(s, { Name: 'Lighting Income', AccountType: 'Income', ParentRef: { value: '3' } }, undefined);
    expect(sub).toMatchObject({ SubAccount: true, FullyQualifiedName: 'Sales of Product Income:Lighting Income', Classification: 'Revenue' });
    expect(code(() => buildAccount(s, { Name: 'purchases', AccountType: 'Expense' }, undefined))).toBe('6240');
    expect(code(() => buildItem(s, { Name: 'Drapery', Type: 'Service' }, undefined))).toBe('2020');
    expect(code(() => buildItem(s, { Name: 'Drapery', Type: 'Service', IncomeAccountRef: { value: '999' } }, undefined))).toBe('2500');
    expect(buildItem(s, { Name: 'Drapery', IncomeAccountRef: { value: '2' } }, undefined)['IncomeAccountRef']).toEqual({ value: '2', name: 'Design Services' });
  });
});
