import { useState } from 'react';
import { api, call } from '../api/api.client';
import { useApiData } from '../ui/api-data.store';
import { SelectField } from '../ui/field.component';
import { EmptyState, LoadError } from '../ui/page.component';
import { Time } from '../ui/time.component';
import type { RunRecipient } from './campaign.dto';
import { label } from './run-report.mapper';

const PAGE = 50;
const STATUSES = ['pending', 'skipped', 'queued', 'sent', 'delivered', 'read', 'failed', 'unknown'] as const;
type Status = (typeof STATUSES)[number];

/** A run's recipients in planning order, a page at a time, optionally of one status. */
export function RunRecipients({
  campaignId,
  runId,
  version,
}: {
  campaignId: string;
  runId: string;
  version: number;
}) {
  const [status, setStatus] = useState<Status | ''>('');
  /** The `after` of each page seen so far, to step back. */
  const [pages, setPages] = useState<number[]>([0]);
  const after = pages[pages.length - 1]!;
  const list = useApiData(
    () =>
      call(
        api.GET('/v1/campaigns/{id}/runs/{runId}/recipients', {
          params: {
            path: { id: campaignId, runId },
            query: { after, limit: PAGE, ...(status ? { status } : {}) },
          },
        }),
      ),
    `${campaignId}/${runId}/${after}/${status}/${version}`,
  );
  const rows: RunRecipient[] = list.data?.data ?? [];
  const next = list.data?.nextAfter ?? null;
  return (
    <section className="card" aria-labelledby="recipients-title">
      <h2 id="recipients-title">Recipients</h2>
      <div className="inline-row">
        <SelectField
          id="recipient-status"
          label="Status"
          value={status}
          onChange={(v) => {
            setStatus(v as Status | '');
            setPages([0]);
          }}
          options={[{ value: '', label: 'All' }, ...STATUSES.map((s) => ({ value: s, label: label(s) }))]}
          hint="Filters each page of 50 as it is read."
        />
      </div>
      {list.problem && !list.data && <LoadError message={list.problem.message} onRetry={list.reload} />}
      {list.loading && !list.data && <p className="muted">Loading recipients…</p>}
      {list.data && rows.length === 0 && (
        <EmptyState
          title={status ? `No ${label(status).toLowerCase()} recipients on this page.` : 'No recipients yet.'}
        >
          {status ? 'Later pages may have some.' : 'They are listed once the run is planned.'}
        </EmptyState>
      )}
      {rows.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="recipients-table">
            <caption className="visually-hidden">Recipients of this run</caption>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Phone</th>
                <th scope="col">Status</th>
                <th scope="col">Reason</th>
                <th scope="col">Due</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.seq} data-status={r.status}>
                  <td>{r.seq}</td>
                  <th scope="row">{r.phone || <span className="muted">{r.contactId}</span>}</th>
                  <td>{label(r.status)}</td>
                  <td>{r.reason ? label(r.reason) : <span className="muted">—</span>}</td>
                  <td>
                    <Time iso={r.dueAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="actions">
        <button
          type="button"
          className="button"
          disabled={pages.length < 2}
          onClick={() => setPages((p) => p.slice(0, -1))}
        >
          Previous page
        </button>
        <button
          type="button"
          className="button"
          disabled={next === null}
          onClick={() => next !== null && setPages((p) => [...p, next])}
        >
          Next page
        </button>
      </div>
    </section>
  );
}
