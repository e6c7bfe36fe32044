export interface PageInfo {
  readonly page: number;
  readonly pageSize: number;
  readonly total: number;
}

/** "1–20 of 43" with previous/next; pages are 1-based as in the URL. */
export function Pager({ info, onPage }: { info: PageInfo; onPage: (page: number) => void }) {
  const pages = Math.max(1, Math.ceil(info.total / info.pageSize));
  const first = info.total === 0 ? 0 : (info.page - 1) * info.pageSize + 1;
  const last = Math.min(info.total, info.page * info.pageSize);
  return (
    <nav className="pager" aria-label="Pagination">
      <span>
        {first}–{last} of {info.total}
      </span>
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
