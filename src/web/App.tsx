import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { Organisation, SessionInfo } from '../server/api/contract.js';
import { ApiRequestError, call, errorMessage, setUnauthorizedHandler } from './api.js';
import { Layout } from './components/Layout.js';
import { kindBySegment } from './documentTypes.js';
import type { QboConnection } from '../server/routes/qbo/contract.js';
import { QBO_PNL_PAGE_PATH } from '../server/routes/qbo-reports/contract.js';
import type { QuickbooksState } from './nav.js';
import { ClientPage } from './pages/ClientPage.js';
import { ClientsPage } from './pages/ClientsPage.js';
import { DocumentListPage } from './pages/DocumentListPage.js';
import { DocumentPage } from './pages/DocumentPage.js';
import { FinancesPage } from './pages/FinancesPage.js';
import { LoginPage } from './pages/LoginPage.js';
import { NotFoundPage } from './pages/NotFoundPage.js';
import { ReportsPage } from './pages/ReportsPage.js';
import { QboPnlPage } from './pages/reports/index.js';
import { SYNC_CENTER_PAGE_PATH, SyncCenterPage } from './pages/finances/sync-center/index.js';
import { DRIFT_PAGE_PATH, DriftPage } from './pages/finances/drift/index.js';
import { SettingsPage } from './pages/SettingsPage.js';
import { AppsPage, useQboNavState } from './pages/settings/apps/index.js';
import { QuickbooksMappingPage } from './pages/settings/finances/index.js';
import { QBO_MAPPING_PAGE_PATH } from '../server/routes/qbo-mapping/contract.js';
import { VendorPage } from './pages/VendorPage.js';
import { VendorsPage } from './pages/VendorsPage.js';
import { matchPath, navigate, Redirect, useLocation, withQuery } from './router.js';

type SessionState = { state: 'checking' } | { state: 'anonymous' } | { state: 'signed_in'; session: SessionInfo };

export function App() {
  const [session, setSession] = useState<SessionState>({ state: 'checking' });
  const location = useLocation();
  const [quickbooks, onQboConnection] = useQboNavState(session.state === 'signed_in');

  useEffect(() => {
    setUnauthorizedHandler(() => setSession({ state: 'anonymous' }));
    call('me').then(
      (info) => setSession({ state: 'signed_in', session: info }),
      () => setSession({ state: 'anonymous' }),
    );
  }, []);

  const login = useCallback(async (email: string, password: string): Promise<string | null> => {
    try {
      const info = await call('login', { body: { email, password } });
      setSession({ state: 'signed_in', session: info });
      const next = new URLSearchParams(window.location.search).get('next');
      navigate(next?.startsWith('/') ? next : '/invoices', { replace: true });
      return null;
    } catch (err) {
      return err instanceof ApiRequestError && err.status === 401 ? 'Email or password is not right.' : errorMessage(err);
    }
  }, []);

  const logout = useCallback(() => {
    void call('logout')
      .catch(() => undefined)
      .then(() => {
        setSession({ state: 'anonymous' });
        navigate('/login', { replace: true });
      });
  }, []);

  if (session.state === 'checking') return null;
  if (session.state === 'anonymous') {
    if (location.pathname === '/login') return <LoginPage onLogin={login} />;
    const query = location.search.toString();
    const here = query ? `${location.pathname}?${query}` : location.pathname;
    return <Redirect to={withQuery('/login', { next: location.pathname === '/' ? undefined : here })} />;
  }
  if (location.pathname === '/login' || location.pathname === '/') return <Redirect to="/invoices" />;
  const { user, organisation } = session.session;
  return (
    <Layout context={{ quickbooks }} organisation={organisation.name} user={user.email} onLogout={logout}>
      {route(location.pathname, session.session, (org) => setSession({ state: 'signed_in', session: { ...session.session, organisation: org } }), onQboConnection, quickbooks)}
    </Layout>
  );
}

function route(
  pathname: string,
  session: SessionInfo,
  onOrganisation: (org: Organisation) => void,
  onQboConnection: (connection: QboConnection) => void,
  quickbooks: QuickbooksState,
): ReactNode {
  const { organisation } = session;
  if (pathname === '/clients') return <ClientsPage />;
  if (pathname === '/vendors') return <VendorsPage />;
  if (pathname === '/settings') return <SettingsPage session={session} onOrganisation={onOrganisation} />;
  if (pathname === '/settings/apps') return <AppsPage onConnection={onQboConnection} />;
  if (pathname === QBO_MAPPING_PAGE_PATH) return <QuickbooksMappingPage canEdit={session.user.role === 'owner'} onConnection={onQboConnection} />;
  if (pathname === '/finances') return <FinancesPage organisation={organisation} />;
  if (pathname === '/reports') return <ReportsPage organisation={organisation} quickbooks={quickbooks} />;
  if (pathname === QBO_PNL_PAGE_PATH) return <QboPnlPage onConnection={onQboConnection} />;
  if (pathname === SYNC_CENTER_PAGE_PATH) return <SyncCenterPage />;
  if (pathname === DRIFT_PAGE_PATH) return <DriftPage />;

  const client = matchPath('/clients/:id', pathname);
  if (client?.id) return <ClientPage key="client" id={client.id === 'new' ? null : client.id} organisation={organisation} />;
  const vendor = matchPath('/vendors/:id', pathname);
  if (vendor?.id) return <VendorPage key="vendor" id={vendor.id === 'new' ? null : vendor.id} organisation={organisation} />;

  const list = matchPath('/:segment', pathname);
  const listKind = list?.segment ? kindBySegment(list.segment) : undefined;
  if (listKind) return <DocumentListPage key={listKind.type} kind={listKind} organisation={organisation} />;

  const doc = matchPath('/:segment/:id', pathname);
  const docKind = doc?.segment ? kindBySegment(doc.segment) : undefined;
  if (docKind && doc?.id) {
    return (
      <DocumentPage key={docKind.type} kind={docKind} id={doc.id === 'new' ? null : doc.id} organisation={organisation} />
    );
  }
  return <NotFoundPage />;
}
