import { statusText, statusTone } from './connection-status.mapper';

/** The status as a word with a coloured dot; the word carries the meaning, not the colour. */
export function StatusBadge({ status }: { status: string }) {
  return (
    <span className={`badge badge-${statusTone(status)}`} data-status={status}>
      <span className="badge-dot" aria-hidden="true" />
      {statusText(status)}
    </span>
  );
}
