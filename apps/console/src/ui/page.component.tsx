import { useEffect, type ReactNode } from 'react';

/**
 * A page's heading and title. The heading takes focus when the page opens (tabIndex -1), so that
 * keyboard and screen-reader users start at the new content after following a link.
 */
export function Page({
  title,
  children,
  actions,
}: {
  title: string;
  children: ReactNode;
  actions?: ReactNode;
}) {
  useEffect(() => {
    document.title = `${title} · WhatsApp Web Bot console`;
  }, [title]);
  return (
    <>
      <div className="page-head">
        <h1 tabIndex={-1}>{title}</h1>
        {actions}
      </div>
      {children}
    </>
  );
}

/** A note in place of a list that has nothing in it yet. */
export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <p className="empty-title">{title}</p>
      {children && <div className="muted">{children}</div>}
    </div>
  );
}

/** The error of a page whose data could not be read. */
export function LoadError({ message, onRetry }: { message: string; onRetry: () => void }) {
  return (
    <div className="load-error" role="alert">
      <p>{message}</p>
      <button type="button" className="button" onClick={onRetry}>
        Reload
      </button>
    </div>
  );
}
