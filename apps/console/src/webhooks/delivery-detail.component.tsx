import { useState } from 'react';
import { api, call } from '../api/api.client';
import { problemMessage } from '../api-keys/plan-limit.mapper';
import { useApiData } from '../ui/api-data.store';
import { LoadError } from '../ui/page.component';
import { Time } from '../ui/time.component';
import { StateBadge } from './webhook-badge.component';
import { formatMs } from './webhook-view.mapper';

interface Props {
  endpointId: string;
  deliveryId: string;
  manage: boolean;
  onRedelivered: () => void;
}

/** One delivery: every attempt with its answer, the body sent, and a redelivery. */
export function DeliveryDetailCard({ endpointId, deliveryId, manage, onRedelivered }: Props) {
  const detail = useApiData(
    () =>
      call(
        api.GET('/v1/webhooks/{id}/deliveries/{deliveryId}', {
          params: { path: { id: endpointId, deliveryId } },
        }),
      ),
    deliveryId,
  );
  const [problem, setProblem] = useState<string>();
  const [done, setDone] = useState<string>();
  const [busy, setBusy] = useState(false);

  const redeliver = async () => {
    setBusy(true);
    setProblem(undefined);
    setDone(undefined);
    const result = await call(
      api.POST('/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver', {
        params: { path: { id: endpointId, deliveryId } },
      }),
    );
    setBusy(false);
    if (!result.ok) return setProblem(problemMessage(result.problem));
    setDone('Sent again as a new delivery (same webhook-id and body). It shows in the list in a moment.');
    onRedelivered();
  };

  const d = detail.data;
  return (
    <div id="delivery-detail" className="delivery-detail" data-testid="delivery-detail">
      <h3>Delivery {d ? <code>{d.eventType}</code> : null}</h3>
      {detail.problem && !d && <LoadError message={detail.problem.message} onRetry={detail.reload} />}
      {!d && !detail.problem && <p className="muted">Loading attempts…</p>}
      {d && (
        <>
          <dl className="facts">
            <dt>Status</dt>
            <dd>
              <StateBadge state={d.status} />
            </dd>
            <dt>webhook-id</dt>
            <dd>
              <code>{d.webhookId}</code>
            </dd>
            <dt>Occurred</dt>
            <dd>
              <Time iso={d.occurredAt} />
            </dd>
            {d.nextAttemptAt && (
              <>
                <dt>Next attempt</dt>
                <dd>
                  <Time iso={d.nextAttemptAt} />
                </dd>
              </>
            )}
          </dl>
          {d.attemptLog.length === 0 ? (
            <p className="muted">No attempt yet: a worker picks it up shortly.</p>
          ) : (
            <div className="table-wrap">
              <table className="table" data-testid="attempts-table">
                <caption>Attempts</caption>
                <thead>
                  <tr>
                    <th scope="col">#</th>
                    <th scope="col">When</th>
                    <th scope="col">Outcome</th>
                    <th scope="col">Answer</th>
                    <th scope="col">Latency</th>
                  </tr>
                </thead>
                <tbody>
                  {d.attemptLog.map((a) => (
                    <tr key={a.n} data-outcome={a.outcome}>
                      <th scope="row">{a.n}</th>
                      <td>
                        <Time iso={a.at} />
                      </td>
                      <td>
                        <StateBadge state={a.outcome} />
                      </td>
                      <td>
                        {a.statusCode ? `HTTP ${a.statusCode}` : '—'}
                        {a.error && <span className="attempt-error small"> {a.error}</span>}
                        {a.responseBody && (
                          <span className="muted small"> {a.responseBody.slice(0, 200)}</span>
                        )}
                      </td>
                      <td>{formatMs(a.latencyMs)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <details>
            <summary>Body sent</summary>
            <pre className="delivery-body">{d.body}</pre>
          </details>
          {manage && (
            <div className="actions">
              <button type="button" className="button" onClick={() => void redeliver()} disabled={busy}>
                {busy ? 'Sending…' : 'Redeliver'}
              </button>
            </div>
          )}
          {problem && (
            <p className="form-error" role="alert">
              {problem}
            </p>
          )}
          <p className="success" role="status">
            {done}
          </p>
        </>
      )}
    </div>
  );
}
