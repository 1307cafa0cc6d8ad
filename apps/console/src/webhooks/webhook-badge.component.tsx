import { toneOf } from './webhook-view.mapper';

const TEXT: Readonly<Record<string, string>> = {
  enabled: 'Enabled',
  disabled: 'Disabled',
  pending: 'Pending',
  delivered: 'Delivered',
  failed: 'Failed',
  retrying: 'Retrying',
  cancelled: 'Cancelled',
};

/** An endpoint, delivery or attempt state as a word with a coloured dot. */
export function StateBadge({ state }: { state: string }) {
  return (
    <span className={`badge badge-${toneOf(state)}`} data-state={state}>
      <span className="badge-dot" aria-hidden="true" />
      {TEXT[state] ?? state}
    </span>
  );
}
