/**
 * The left navigation as data. QuickBooks surfaces exist only while a connection does (help page:
 * "Each one only shows up after the connect step is complete"), so items carry a predicate over
 * what the server reports instead of being hard-wired.
 */
export type QuickbooksState = 'unavailable' | 'disconnected' | 'connected' | 'needs_reconnect';

export interface NavContext {
  /** 'unavailable' until the server offers the QuickBooks surfaces at all. */
  readonly quickbooks: QuickbooksState;
}

export interface NavItem {
  readonly label: string;
  readonly to: string;
  readonly visible?: (context: NavContext) => boolean;
  readonly children?: readonly NavItem[];
}

// Apps is where one connects, so it shows whenever QuickBooks is offered; the rest need a connection
// (a connection needing reconnect still shows them, so each can say so with a Reconnect button).
const whenOffered = (context: NavContext): boolean => context.quickbooks !== 'unavailable';
const whenConnected = (context: NavContext): boolean =>
  context.quickbooks === 'connected' || context.quickbooks === 'needs_reconnect';

export const NAV: readonly NavItem[] = [
  { label: 'Clients', to: '/clients' },
  { label: 'Vendors', to: '/vendors' },
  { label: 'Estimates', to: '/estimates' },
  { label: 'Invoices', to: '/invoices' },
  { label: 'Purchase Orders', to: '/purchase-orders' },
  {
    label: 'Settings',
    to: '/settings',
    children: [
      { label: 'Apps', to: '/settings/apps', visible: whenOffered },
      { label: 'QuickBooks', to: '/settings/finances/quickbooks', visible: whenConnected },
    ],
  },
  {
    label: 'Finances',
    to: '/finances',
    children: [
      {
        label: 'Sync Center',
        to: '/finances/sync-center',
        visible: whenConnected,
        children: [{ label: 'Drift', to: '/finances/sync-center/drift', visible: whenConnected }],
      },
    ],
  },
  {
    label: 'Reports',
    to: '/reports',
    children: [{ label: 'QuickBooks P&L', to: '/reports/quickbooks-pl', visible: whenConnected }],
  },
];

/** The items (and sub-items) to show for this context, in order. */
export function visibleNav(items: readonly NavItem[], context: NavContext): NavItem[] {
  return items
    .filter((item) => item.visible?.(context) ?? true)
    .map((item) => (item.children ? { ...item, children: visibleNav(item.children, context) } : item));
}

/** True when `pathname` is the item's page or below it. */
export function isActive(item: NavItem, pathname: string): boolean {
  return pathname === item.to || pathname.startsWith(`${item.to}/`);
}
