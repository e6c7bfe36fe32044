export interface PageInfo {
  readonly page: number;
  readonly pageSize: number;
  readonly total: number;
}

/** "1–20 of 43"; a page past the end (a bookmarked ?page=9 after deletions) says so rather than "161–43 of 43". */
export function describePage(info: PageInfo): string {
  const first = (info.page - 1) * info.pageSize + 1;
  if (info.total === 0) return 'None';
  if (first > info.total) return `Past the last page: ${info.total} in all`;
  return `${first}–${Math.min(info.total, info.page * info.pageSize)} of ${info.total}`;
}

/** The count with previous/next; pages are 1-based as in the URL. An empty first page has nothing to page through. */
export function Pager({ info, onPage }: { info: PageInfo; onPage: (page: number) => void }) {
  if (info.total === 0 && info.page <= 1) return null;
  const pages = Math.max(1, Math.ceil(info.total / info.pageSize));
  return (
    <nav className="pager" aria-label="Pagination">
      <span>{describePage(info)}</span>
      <span className="buttons">
        <button type="button" onClick={() => onPage(info.page - 1)} disabled={info.page <= 1}>
          Previous page
        </button>
        <button type="button" onClick={() => onPage(info.page + 1)} disabled={info.page >= pages}>
          Next page
        </button>
      </span>
    </nav>
  );
}
