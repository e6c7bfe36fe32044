import { useCallback, type ReactNode } from 'react';
import type { Page } from '../../server/api/contract.js';
import { useLoad } from '../hooks.js';
import { navigate, useLocation, withQuery } from '../router.js';
import { Pager } from './Pager.js';
import { SearchBox } from './SearchBox.js';

export const PAGE_SIZE = 20;

export interface ListQuery {
  readonly page: number;
  readonly q: string;
  /** Extra URL filters the page chose to keep (e.g. status). */
  readonly filters: URLSearchParams;
}

interface ListPageProps<T> {
  readonly title: string;
  readonly searchLabel: string;
  readonly actions?: ReactNode;
  readonly toolbar?: ReactNode;
  readonly load: (query: ListQuery) => Promise<Page<T>>;
  readonly columns: ReactNode;
  readonly row: (item: T) => ReactNode;
  readonly empty: string;
}

/** A searchable, paged table whose page and search live in the URL, so back and reload keep the place. */
export function ListPage<T>({ title, searchLabel, actions, toolbar, load, columns, row, empty }: ListPageProps<T>) {
  const { pathname, search } = useLocation();
  const page = Math.max(1, Number(search.get('page') ?? '1') || 1);
  const q = search.get('q') ?? '';
  const key = search.toString();
  const [result] = useLoad(() => load({ page, q, filters: search }), [key, load]);

  const setQuery = useCallback(
    (changes: Record<string, string | number | undefined>) => {
      const current: Record<string, string | number | undefined> = Object.fromEntries(new URLSearchParams(key).entries());
      navigate(withQuery(pathname, { ...current, ...changes }));
    },
    [pathname, key],
  );

  return (
    <>
      <div className="page-head">
        <h1>{title}</h1>
        <div className="actions">{actions}</div>
      </div>
      <div className="toolbar">
        <SearchBox label={searchLabel} value={q} onSearch={(text) => setQuery({ q: text, page: undefined })} />
        {toolbar}
      </div>
      <div className="panel flush">
        {result.state === 'failed' && (
          <div className="alert error" role="alert">
            {result.message}
          </div>
        )}
        {result.state === 'loading' && <div className="empty">Loading…</div>}
        {result.state === 'ready' && (
          <>
            <table>
              <thead>{columns}</thead>
              <tbody>{result.data.items.map(row)}</tbody>
            </table>
            {result.data.items.length === 0 && <div className="empty">{q ? `Nothing matches “${q}”.` : empty}</div>}
            <Pager info={result.data} onPage={(p) => setQuery({ page: p === 1 ? undefined : p })} />
          </>
        )}
      </div>
    </>
  );
}
