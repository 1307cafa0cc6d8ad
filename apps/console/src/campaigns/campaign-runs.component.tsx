import { useEffect } from 'react';
import { api, call } from '../api/api.client';
import { Link } from '../routing/link.component';
import { urls } from '../routing/routes.policy';
import { useApiData } from '../ui/api-data.store';
import { EmptyState, LoadError } from '../ui/page.component';
import { Time } from '../ui/time.component';
import { label, runTone } from './run-report.mapper';

/**
 * Read again this often, so that a run the schedule starts shows up, and its state moves, while
 * the page is open (the rows stay on screen between reads).
 */
const RUNS_POLL_MS = 5_000;

/** The campaign's latest runs, each linking to its live progress and report. */
export function CampaignRuns({ campaignId, version }: { campaignId: string; version: number }) {
  const runs = useApiData(
    () =>
      call(
        api.GET('/v1/campaigns/{id}/runs', { params: { path: { id: campaignId }, query: { limit: 20 } } }),
      ),
    `${campaignId}/${version}`,
  );
  const { reload } = runs;
  useEffect(() => {
    const timer = setInterval(reload, RUNS_POLL_MS);
    return () => clearInterval(timer);
  }, [reload]);
  const rows = runs.data?.data ?? [];
  return (
    <section className="card" aria-labelledby="runs-title">
      <h2 id="runs-title">Runs</h2>
      {runs.problem && !runs.data && <LoadError message={runs.problem.message} onRetry={runs.reload} />}
      {!runs.data && !runs.problem && <p className="muted">Loading runs…</p>}
      {runs.data && rows.length === 0 && (
        <EmptyState title="No runs yet.">
          Runs appear here when the schedule fires or you run it now.
        </EmptyState>
      )}
      {rows.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="runs-table">
            <caption className="visually-hidden">Runs of this campaign, latest first</caption>
            <thead>
              <tr>
                <th scope="col">Occurrence</th>
                <th scope="col">Kind</th>
                <th scope="col">State</th>
                <th scope="col">Started</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} data-run-id={r.id} data-run-kind={r.kind} data-run-state={r.state}>
                  <th scope="row">
                    <Link to={urls.campaignRun(campaignId, r.id)}>
                      <Time iso={r.occurrence} />
                    </Link>
                  </th>
                  <td>{label(r.kind)}</td>
                  <td>
                    <span className={`badge badge-${runTone(r.state)}`}>
                      <span className="badge-dot" aria-hidden="true" />
                      {label(r.state)}
                    </span>
                  </td>
                  <td>
                    <Time iso={r.createdAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
