import { api, call } from '../api/api.client';
import { formatCount } from '../ui/format.mapper';
import { useApiData } from '../ui/api-data.store';
import { LoadError } from '../ui/page.component';
import { Time } from '../ui/time.component';
import { formatMs, formatRate } from './webhook-view.mapper';

/** Success rate and how soon events reach the endpoint, over the last 24 hours. */
export function WebhookStatsCard({ id, version }: { id: string; version: number }) {
  const stats = useApiData(
    () => call(api.GET('/v1/webhooks/{id}/stats', { params: { path: { id }, query: { hours: 24 } } })),
    `${id}/${version}`,
  );
  const s = stats.data;
  return (
    <section className="card" aria-labelledby="stats-title" data-testid="webhook-stats">
      <h2 id="stats-title">Last 24 hours</h2>
      {stats.problem && !s && <LoadError message={stats.problem.message} onRetry={stats.reload} />}
      {!s && !stats.problem && <p className="muted">Loading…</p>}
      {s && (
        <dl className="facts">
          <dt>Success rate</dt>
          <dd>
            {formatRate(s.successRate)}{' '}
            <span className="muted small">
              ({formatCount(s.succeededAttempts)} of {formatCount(s.attempts)} attempts)
            </span>
          </dd>
          <dt>Event to first attempt</dt>
          <dd>
            median {formatMs(s.firstAttemptP50Ms)}, 99th percentile {formatMs(s.firstAttemptP99Ms)}{' '}
            <span className="muted small">({formatCount(s.firstAttempts)} deliveries)</span>
          </dd>
          <dt>Since</dt>
          <dd>
            <Time iso={s.since} />
          </dd>
        </dl>
      )}
    </section>
  );
}
