import { formatDateTime } from './format.mapper';

/** An instant in the viewer's time zone; the exact UTC time is kept in the element. */
export function Time({ iso }: { iso: string | null | undefined }) {
  if (!iso) return <span className="muted">—</span>;
  return (
    <time dateTime={iso} title={iso}>
      {formatDateTime(iso)}
    </time>
  );
}
