import { describe, expect, it } from 'vitest';
import { isActive, NAV, visibleNav, type NavItem, type QuickbooksState } from '../../../src/web/nav.js';

const labels = (items: readonly NavItem[]): string[] =>
  items.flatMap((item) => [item.label, ...(item.children ?? []).map((child) => `${item.label} → ${child.label}`)]);

const navFor = (quickbooks: QuickbooksState): string[] => labels(visibleNav(NAV, { quickbooks }));

describe('navigation', () => {
  it('shows the Workroom sections in order and no QuickBooks surface while QuickBooks is not offered', () => {
    expect(navFor('unavailable')).toEqual(['Clients', 'Vendors', 'Estimates', 'Invoices', 'Purchase Orders', 'Settings', 'Finances', 'Reports']);
  });

  it('offers Settings → Apps (where one connects) before a connection exists, nothing else', () => {
    const items = navFor('disconnected');
    expect(items).toContain('Settings → Apps');
    expect(items).not.toContain('Settings → QuickBooks');
    expect(items).not.toContain('Finances → Sync Center');
    expect(items).not.toContain('Reports → QuickBooks P&L');
  });

  it.each<QuickbooksState>(['connected', 'needs_reconnect'])('shows every QuickBooks surface when %s', (state) => {
    expect(navFor(state)).toEqual(
      expect.arrayContaining(['Settings → Apps', 'Settings → QuickBooks', 'Finances → Sync Center', 'Reports → QuickBooks P&L']),
    );
  });

  it('marks an item active on its own page and below it, not on a sibling with the same prefix', () => {
    const settings = { label: 'Settings', to: '/settings' };
    expect(isActive(settings, '/settings')).toBe(true);
    expect(isActive(settings, '/settings/apps')).toBe(true);
    expect(isActive(settings, '/settingsx')).toBe(false);
  });
});
