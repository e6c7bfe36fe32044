import { Link } from '../../router.js';
import './sync-tabs.css';

export const SYNC_CENTER_PAGE_PATH = '/finances/sync-center';
export const DRIFT_PAGE_PATH = '/finances/sync-center/drift';

const TABS = [
  { path: SYNC_CENTER_PAGE_PATH, label: 'History' },
  { path: DRIFT_PAGE_PATH, label: 'Drift' },
] as const;

/** The Sync Center's two views; both pages show the same bar so month-end close can move between them. */
export function SyncTabs({ current }: { current: (typeof TABS)[number]['path'] }) {
  return (
    <nav className="sync-tabs" aria-label="Sync Center views">
      {TABS.map((tab) => (
        <Link key={tab.path} to={tab.path} aria-current={tab.path === current ? 'page' : undefined}>
          {tab.label}
        </Link>
      ))}
    </nav>
  );
}
