import { describe, expect, it } from 'vitest';
import { buildServiceItem, decideItem, QBO_ITEM_NAME_MAX, workroomItemName } from '../../../src/qbo/mapping/index.js';

describe('workroomItemName', () => {
  it('is "Workroom – <account name>"', () => {
    expect(workroomItemName({ Id: '82', Name: 'Design income' })).toBe('Workroom – Design income');
  });

  it("makes ':' and whitespace runs QBO-safe", () => {
    expect(workroomItemName({ Id: '9', Name: 'Sales:  Lighting' })).toBe('Workroom – Sales- Lighting');
  });

  it('stays within 100 characters and keeps long names distinct by account id', () => {
    const a = workroomItemName({ Id: '101', Name: 'F'.repeat(100) });
    const b = workroomItemName({ Id: '102', Name: 'F'.repeat(100) });
    expect(a).toHaveLength(QBO_ITEM_NAME_MAX);
    expect(a.endsWith('… #101')).toBe(true);
    expect(a).not.toBe(b);
    const exact = workroomItemName({ Id: '5', Name: 'G'.repeat(89) });
    expect(exact).toBe(`Workroom – ${'G'.repeat(89)}`);
    expect(exact).toHaveLength(100);
  });
});

describe('buildServiceItem', () => {
  it('creates a Service item whose income account is the mapped account', () => {
    expect(buildServiceItem({ Id: '40', Name: 'Client retainers' })).toStrictEqual({
      Name: 'Workroom – Client retainers',
      Type: 'Service',
      Active: true,
      IncomeAccountRef: { value: '40' },
    });
  });

  it('repairs an existing item with a sparse update', () => {
    expect(buildServiceItem({ Id: '40', Name: 'Client retainers' }, { Id: '7', SyncToken: '1' })).toMatchObject({
      Id: '7',
      SyncToken: '1',
      sparse: true,
      IncomeAccountRef: { value: '40' },
    });
  });
});

describe('decideItem', () => {
  const account = { Id: '82', Name: 'Design income' };
  it('creates when no item has the Workroom name', () => {
    expect(decideItem(account, [{ Id: '1', SyncToken: '0', Name: 'Design income', IncomeAccountRef: { value: '82' } }])).toEqual({ action: 'create' });
  });
  it('reuses the item when it posts to the account', () => {
    expect(decideItem(account, [{ Id: '3', SyncToken: '0', Name: 'workroom – design income', IncomeAccountRef: { value: '82' }, Active: true }])).toEqual({
      action: 'use',
      itemId: '3',
    });
  });
  it('repairs an item pointed at another account or deactivated in QBO', () => {
    const moved = decideItem(account, [{ Id: '3', SyncToken: '5', Name: 'Workroom – Design income', IncomeAccountRef: { value: '99' } }]);
    expect(moved).toMatchObject({ action: 'update', target: { Id: '3', SyncToken: '5' } });
    const inactive = decideItem(account, [{ Id: '3', SyncToken: '6', Name: 'Workroom – Design income', IncomeAccountRef: { value: '82' }, Active: false }]);
    expect(inactive.action === 'update' && inactive.reason).toContain('inactive');
  });
});
