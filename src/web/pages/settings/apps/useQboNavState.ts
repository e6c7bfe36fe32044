import { useCallback, useEffect, useState } from 'react';
import type { QboConnection } from '../../../../server/routes/qbo/contract.js';
import type { QuickbooksState } from '../../../nav.js';
import { fetchQboConnection } from './qbo-api.js';

export function navStateOf(connection: QboConnection): QuickbooksState {
  if (connection.status === 'connected' || connection.status === 'needs_reconnect') return connection.status;
  return 'disconnected';
}

/**
 * What the navigation needs to know about QuickBooks: loaded once signed in, and updated by Settings → Apps
 * whenever it learns the connection changed, so the QuickBooks items appear and vanish with the connection.
 */
export function useQboNavState(signedIn: boolean): [QuickbooksState, (connection: QboConnection) => void] {
  const [state, setState] = useState<QuickbooksState>('unavailable');
  useEffect(() => {
    if (!signedIn) {
      setState('unavailable');
      return;
    }
    let current = true;
    fetchQboConnection().then(
      (connection) => current && setState(navStateOf(connection)),
      () => current && setState('unavailable'),
    );
    return () => {
      current = false;
    };
  }, [signedIn]);
  const update = useCallback((connection: QboConnection) => setState(navStateOf(connection)), []);
  return [state, update];
}
