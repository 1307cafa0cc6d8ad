import { runStateOf as stateFromMarks, type RunState } from '../runs/run-state.policy';
import type { CampaignRunRecord, RunKind } from '../runs/campaign-run.schema';

/** A campaign's latest run as the campaign list shows it. */
export interface LastRunView {
  id: string;
  state: RunState;
  kind: RunKind;
  occurrence: string;
}

export type RunHead = Pick<CampaignRunRecord, '_id' | 'campaignId' | 'kind' | 'occurrence'>;

/** The marks a run's state is read from, strongest first (as the run report reads them). */
export const RUN_STATE_MARKS = ['cancelled', 'completed', 'planned'] as const;

export const runStateOf = (marks: ReadonlySet<string>): RunState => stateFromMarks((m) => marks.has(m));

/**
 * The runs filter for the latest run of each of `campaignIds`, in one query. The scheduler starts
 * an occurrence before moving the campaign's cursor to it and runs are never deleted, so a
 * campaign with a cursor has a run at or after it: bounding those by their cursor keeps a
 * long-running hourly campaign from sending back its whole history. Without a cursor a campaign
 * only has manual runs (one at a time), so it is read whole.
 */
export function lastRunFilter(
  accountId: string,
  campaignIds: readonly string[],
  cursors: ReadonlyMap<string, Date>,
): Record<string, unknown> {
  const unbounded = campaignIds.filter((id) => !cursors.has(id));
  const clauses: Record<string, unknown>[] = campaignIds
    .filter((id) => cursors.has(id))
    .map((id) => ({ campaignId: id, occurrence: { $gte: cursors.get(id)! } }));
  const filter: Record<string, unknown> = { accountId, campaignId: { $in: [...campaignIds] } };
  if (!clauses.length) return filter;
  if (unbounded.length) clauses.unshift({ campaignId: { $in: unbounded } });
  return { ...filter, $or: clauses };
}

/** The latest occurrence of each campaign among `runs` (in any order). */
export function latestRuns(runs: readonly RunHead[]): Map<string, RunHead> {
  const latest = new Map<string, RunHead>();
  for (const run of runs) {
    const seen = latest.get(run.campaignId);
    if (!seen || new Date(run.occurrence).getTime() > new Date(seen.occurrence).getTime())
      latest.set(run.campaignId, run);
  }
  return latest;
}

export function toLastRunView(run: RunHead, marks: ReadonlySet<string>): LastRunView {
  return {
    id: run._id,
    state: runStateOf(marks),
    kind: run.kind,
    occurrence: new Date(run.occurrence).toISOString(),
  };
}
