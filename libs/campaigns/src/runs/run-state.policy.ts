/** What a run is doing, as the API shows it. */
export const RUN_STATES = ['planning', 'running', 'completed', 'cancelled'] as const;
export type RunState = (typeof RUN_STATES)[number];

/**
 * A run's state from its marks (insert-once documents, campaign_run_marks): the strongest one
 * wins. Every view of a run (its report, its progress, the runs list, a campaign's last run)
 * reads it here, so they cannot disagree.
 */
export function runStateOf(has: (mark: string) => boolean): RunState {
  if (has('cancelled')) return 'cancelled';
  if (has('completed')) return 'completed';
  if (has('planned')) return 'running';
  return 'planning';
}
