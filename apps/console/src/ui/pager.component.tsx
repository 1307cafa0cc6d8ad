import type { CursorPages } from '../ui/cursor-pages.store';
import '../ui/pager.css';

/** Previous / next page of a cursor-paged list, with the page number for orientation. */
export function Pager({
  pages,
  nextCursor,
  label,
}: {
  pages: CursorPages;
  nextCursor: string | null | undefined;
  label: string;
}) {
  if (pages.page === 1 && !nextCursor) return null;
  return (
    <nav className="pager" aria-label={label}>
      <button type="button" className="button" onClick={pages.previous} disabled={pages.page === 1}>
        Previous page
      </button>
      <span className="muted">Page {pages.page}</span>
      <button
        type="button"
        className="button"
        onClick={() => nextCursor && pages.next(nextCursor)}
        disabled={!nextCursor}
      >
        Next page
      </button>
    </nav>
  );
}
