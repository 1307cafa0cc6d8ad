import { api, call } from '../api/api.client';
import { useApiData } from '../ui/api-data.store';
import { formatCount } from '../ui/format.mapper';
import { LoadError } from '../ui/page.component';
import { Time } from '../ui/time.component';

/** The last 30 days: answers, misses, hand-offs, and the questions the bot could not answer. */
export function FaqReport({ botId }: { botId: string }) {
  const report = useApiData(
    () => call(api.GET('/v1/faq-bots/{id}/report', { params: { path: { id: botId }, query: {} } })),
    botId,
  );
  const data = report.data;
  return (
    <section className="card" aria-labelledby="report-title">
      <div className="page-head">
        <h2 id="report-title">Last 30 days</h2>
        <button type="button" className="button" onClick={report.reload}>
          Refresh report
        </button>
      </div>
      {report.problem && !data && <LoadError message={report.problem.message} onRetry={report.reload} />}
      {!data && !report.problem && <p className="muted">Loading…</p>}
      {data && (
        <>
          <dl className="facts">
            <dt>Answered</dt>
            <dd>{formatCount(data.totals.answered)}</dd>
            <dt>Not answered</dt>
            <dd>{formatCount(data.totals.missed)}</dd>
            <dt>Handed to a person</dt>
            <dd>{formatCount(data.totals.handoff)}</dd>
          </dl>
          <h3 id="unanswered-title">Unanswered questions</h3>
          {data.unanswered.length === 0 ? (
            <p className="muted">None: every question got an answer.</p>
          ) : (
            <div className="table-wrap">
              <table className="table" data-testid="unanswered-table" aria-labelledby="unanswered-title">
                <thead>
                  <tr>
                    <th scope="col">Question</th>
                    <th scope="col">Times asked</th>
                    <th scope="col">Last asked</th>
                  </tr>
                </thead>
                <tbody>
                  {data.unanswered.map((u) => (
                    <tr key={u.key}>
                      <th scope="row">{u.sample}</th>
                      <td>{formatCount(u.count)}</td>
                      <td>
                        <Time iso={u.lastSeenAt} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
