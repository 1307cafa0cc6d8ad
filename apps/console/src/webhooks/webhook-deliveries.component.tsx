import { useEffect, useState } from 'react';
import { api, call } from '../api/api.client';
import { useApiData } from '../ui/api-data.store';
import { EmptyState, LoadError } from '../ui/page.component';
import { Time } from '../ui/time.component';
import { DeliveryDetailCard } from './delivery-detail.component';
import { StateBadge } from './webhook-badge.component';

/** Deliveries are made by the workers: the list is read again on this timer while it is open. */
const POLL_MS = 3_000;

interface Props {
  id: string;
  manage: boolean;
  /** Changes when something the page did (a test event) should show at once. */
  version: number;
}

/** An endpoint's deliveries, newest first; one of them opened with its attempts. */
export function WebhookDeliveries({ id, manage, version }: Props) {
  const list = useApiData(
    () => call(api.GET('/v1/webhooks/{id}/deliveries', { params: { path: { id }, query: { limit: 50 } } })),
    `${id}/${version}`,
  );
  const [open, setOpen] = useState<string>();
  const { reload } = list;
  useEffect(() => {
    const timer = setInterval(reload, POLL_MS);
    return () => clearInterval(timer);
  }, [reload]);

  const rows = list.data?.data ?? [];
  return (
    <section className="card" aria-labelledby="deliveries-title">
      <h2 id="deliveries-title">Deliveries</h2>
      <p className="muted small">Newest first, updated every few seconds. Times in your time zone.</p>
      {list.problem && !list.data && <LoadError message={list.problem.message} onRetry={reload} />}
      {list.loading && !list.data && <p className="muted">Loading deliveries…</p>}
      {list.data && rows.length === 0 && (
        <EmptyState title="No deliveries yet.">
          Events the endpoint matches show here{manage ? '; send a test event to try it.' : '.'}
        </EmptyState>
      )}
      {rows.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="deliveries-table">
            <caption className="visually-hidden">Deliveries of this endpoint</caption>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col">Last answer</th>
                <th scope="col">Occurred</th>
                <th scope="col">
                  <span className="visually-hidden">Details</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((d) => (
                <tr
                  key={d.id}
                  data-delivery-id={d.id}
                  data-status={d.status}
                  className={open === d.id ? 'delivery-selected' : undefined}
                >
                  <th scope="row">
                    <code>{d.eventType}</code>
                    {d.redeliveryOf && <span className="muted small"> (redelivery)</span>}
                  </th>
                  <td>
                    <StateBadge state={d.status} />
                  </td>
                  <td>{d.attempts}</td>
                  <td>{d.lastStatusCode ? `HTTP ${d.lastStatusCode}` : '—'}</td>
                  <td>
                    <Time iso={d.occurredAt} />
                  </td>
                  <td>
                    <button
                      type="button"
                      className="button"
                      aria-expanded={open === d.id}
                      aria-controls="delivery-detail"
                      onClick={() => setOpen(open === d.id ? undefined : d.id)}
                    >
                      {open === d.id ? 'Hide' : 'Attempts'}
                      <span className="visually-hidden"> of {d.eventType}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {open && (
        <DeliveryDetailCard
          key={`${open}/${list.data?.data.find((d) => d.id === open)?.attempts ?? 0}`}
          endpointId={id}
          deliveryId={open}
          manage={manage}
          onRedelivered={reload}
        />
      )}
    </section>
  );
}
