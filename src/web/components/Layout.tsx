import type { ReactNode } from 'react';
import { isActive, NAV, visibleNav, type NavContext, type NavItem } from '../nav.js';
import { Link, useLocation } from '../router.js';

interface LayoutProps {
  readonly context: NavContext;
  readonly organisation: string;
  readonly user: string;
  readonly onLogout: () => void;
  readonly children: ReactNode;
}

export function Layout({ context, organisation, user, onLogout, children }: LayoutProps) {
  const { pathname } = useLocation();
  return (
    <div className="shell">
      <aside className="sidebar">
        <div className="brand">
          Workroom
          <small>{organisation}</small>
        </div>
        <nav className="nav" aria-label="Main">
          <NavList items={visibleNav(NAV, context)} pathname={pathname} />
        </nav>
        <div className="sidebar-foot">
          <div>{user}</div>
          <button type="button" onClick={onLogout}>
            Log out
          </button>
        </div>
      </aside>
      <main className="main">{children}</main>
    </div>
  );
}

function NavList({ items, pathname }: { items: readonly NavItem[]; pathname: string }) {
  // Only the deepest matching entry is "current", so a sub-page does not also light up its parent.
  const current = items.filter((item) => isActive(item, pathname) && !item.children?.some((c) => isActive(c, pathname)));
  return (
    <ul>
      {items.map((item) => (
        <li key={item.to}>
          <Link to={item.to} aria-current={current.includes(item) ? 'page' : undefined}>
            {item.label}
          </Link>
          {item.children && item.children.length > 0 && <NavList items={item.children} pathname={pathname} />}
        </li>
      ))}
    </ul>
  );
}
